import { Histogram, Registry } from 'prom-client';
import { jobSecondsBuckets } from '../../common/metrics/buckets';

/**
 * Training's metrics in the training worker's registry: each stage's duration on this worker — a
 * stage is one activity of the training workflow (prepareFeatures, trainForest, evaluateModel, …) —
 * by outcome (ok, failed; a failed attempt that Temporal retries is one `failed` observation).
 */
export class TrainingMetrics {
  private readonly stageDuration: Histogram<'stage' | 'outcome'>;

  constructor(registry: Registry) {
    this.stageDuration = new Histogram({
      name: 'flight_delay_training_stage_duration_seconds',
      help: 'One stage (activity) of a training on this worker, by stage and outcome (ok, failed)',
      labelNames: ['stage', 'outcome'],
      buckets: jobSecondsBuckets,
      registers: [registry],
    });
  }

  /** Metrics kept in a registry nobody serves: for activities built without the worker's (tests). */
  static unserved(): TrainingMetrics {
    return new TrainingMetrics(new Registry());
  }

  /** Runs one stage, timing it. */
  async stage<T>(stage: string, work: () => Promise<T>): Promise<T> {
    const end = this.stageDuration.startTimer({ stage });
    try {
      const value = await work();
      end({ outcome: 'ok' });
      return value;
    } catch (err) {
      end({ outcome: 'failed' });
      throw err;
    }
  }
}

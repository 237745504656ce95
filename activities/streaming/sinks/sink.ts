import type { PredictionResult } from '../../../common/prediction/result';

/**
 * Where scored results go. `accept` resolves once the batch is durable as far as this sink is
 * concerned: the consumer commits Kafka offsets only after every sink has accepted the batch.
 */
export interface ResultSink<R = PredictionResult> {
  readonly name: string;
  accept(results: readonly R[]): Promise<void>;
  flush(): Promise<void>;
  close(): Promise<void>;
}

import { WorkflowFailedError } from '@temporalio/client';
import type { Config } from '../common/config';
import { rootCauseMessage } from '../common/root-cause';
import { createTrainingWorker } from '../workers/training-worker';

/**
 * What `npm run train` and `npm run tune` share around following a workflow: with `--worker`, a training
 * worker of this process runs while `follow` does, and is shut down afterwards; a failed workflow is a
 * line saying why (`failedAs`: "Training failed") and exit code 1.
 */
export async function followWithOptionalWorker(cfg: Config, withWorker: boolean, failedAs: string, follow: () => Promise<void>): Promise<number> {
  const embedded = withWorker ? await createTrainingWorker(cfg) : undefined;
  const embeddedRun = embedded?.worker.run();
  try {
    await follow();
    return 0;
  } catch (err) {
    if (err instanceof WorkflowFailedError) {
      process.stderr.write(`\n${failedAs}: ${rootCauseMessage(err)}\n`);
      return 1;
    }
    throw err;
  } finally {
    if (embedded) {
      embedded.worker.shutdown();
      await embeddedRun;
      await embedded.connection.close();
    }
  }
}

import { getExternalWorkflowHandle, log } from '@temporalio/workflow';
import { reloadModelSignal } from '../common/contracts/streaming';
import { workflowIds } from '../common/names';
import { rootCauseMessage } from '../common/root-cause';

/** Signals the streaming workflow to load the new champion; a deployment without one is fine. */
export async function tellScoringToReload(version: string): Promise<void> {
  try {
    await getExternalWorkflowHandle(workflowIds.streaming).signal(reloadModelSignal, { version });
  } catch (err) {
    log.info('no streaming workflow to tell about the new champion', { version, reason: rootCauseMessage(err) });
  }
}

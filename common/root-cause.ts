/**
 * The innermost message of a failure chain: a workflow's failure wraps the activity's, which wraps what
 * the activity threw — the last is what a person can act on. Pure, so workflows use it too.
 */
export function rootCauseMessage(err: unknown): string {
  let e = err as { message?: string; cause?: unknown } | undefined;
  let message = String(err);
  while (e) {
    if (e.message) message = e.message;
    e = e.cause as typeof e;
  }
  return message;
}

import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Sends `rate` messages a second for `seconds`, in ticks of 10 ms (each tick sends what is due by then):
 * the steady load of the latency phases. Resolves when every send was acknowledged, with the seconds
 * the sending took.
 */
export async function sendAtRate(send: (count: number) => Promise<unknown>, rate: number, seconds: number): Promise<{ sent: number; sendSeconds: number }> {
  const target = Math.round(rate * seconds);
  const tickMs = 10;
  const start = Date.now();
  let sent = 0;
  const pending: Promise<unknown>[] = [];
  while (sent < target) {
    const due = Math.min(target, Math.floor(((Date.now() - start) * rate) / 1000));
    if (due > sent) {
      pending.push(send(due - sent));
      sent = due;
    }
    await sleep(tickMs);
  }
  await Promise.all(pending);
  return { sent, sendSeconds: (Date.now() - start) / 1000 };
}

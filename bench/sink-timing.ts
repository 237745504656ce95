import type { ResultSink } from '../activities/streaming/sinks/sink';
import { percentile } from '../common/percentile';

/** Wraps a sink so its accept() times are collected in `times` under its name (the sink itself is the real one). */
export function timed<R>(sink: ResultSink<R>, times: Map<string, number[]>): ResultSink<R> {
  const list: number[] = [];
  times.set(sink.name, list);
  return {
    name: sink.name,
    accept: async (results) => {
      const t = performance.now();
      await sink.accept(results);
      if (results.length > 0) list.push(performance.now() - t);
    },
    flush: () => sink.flush(),
    close: () => sink.close(),
  };
}

/** One line per sink: accepts, mean, p50 and p99 of the accept times of a benchmark phase. */
export function printSinkTimes(times: Map<string, number[]>, phase: string): void {
  for (const [name, list] of times) {
    if (list.length === 0) continue;
    const sorted = [...list].sort((x, y) => x - y);
    process.stdout.write(
      `   ${phase}) sink ${name}: ${list.length} accepts, mean ${(list.reduce((s, x) => s + x, 0) / list.length).toFixed(1)} ms, ` +
        `p50 ${percentile(sorted, 50)!.toFixed(1)} ms, p99 ${percentile(sorted, 99)!.toFixed(1)} ms\n`,
    );
  }
}

import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { silentLogger } from '../../../common/logger';
import type { PredictionResult } from '../../../common/prediction/result';
import { textFileSink } from './text-file-sink';

function result(i: number): PredictionResult {
  return {
    UUID: `uuid-${i}`,
    Origin: 'ATL',
    Dest: 'SFO',
    Carrier: 'AA',
    DepDelay: i,
    Distance: 2139,
    DistanceSource: 'request',
    FlightDate: '2024-01-15',
    FlightNum: null,
    DayOfWeek: 1,
    DayOfMonth: 15,
    DayOfYear: 15,
    Route: 'ATL-SFO',
    Prediction: 0,
    PredictionLabel: 'Early (15+ Minutes Early)',
    Probabilities: [0.7, 0.1, 0.1, 0.1],
    FeatureLookups: { lookedUp: [], missing: [] },
    ModelVersion: '1',
    RequestTimestamp: null,
    ScoredAt: '2024-01-15T10:00:00.010Z',
  };
}

const quiet = silentLogger;

describe('text file sink', () => {
  let dir = '';
  let path = '';
  const lines = async (): Promise<PredictionResult[]> =>
    (await readFile(path, 'utf8').catch(() => ''))
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as PredictionResult);

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'text-file-sink-'));
    path = join(dir, 'responses', 'flight_delay_ml_response.txt');
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("'on-accept' (default): the lines are in the file when accept resolves, appended after what was there", async () => {
    const sink = await textFileSink({ path, logger: quiet });
    assert.equal(sink.durableOnAccept, true);
    await sink.accept([result(1), result(2)]);
    assert.deepEqual(await lines(), [result(1), result(2)]);
    await sink.accept([]);
    await sink.accept([result(3)]);
    await sink.close();
    assert.deepEqual(await lines(), [result(1), result(2), result(3)]);

    const again = await textFileSink({ path, logger: quiet });
    await again.accept([result(4)]);
    await again.close();
    assert.deepEqual((await lines()).map((r) => r.UUID), ['uuid-1', 'uuid-2', 'uuid-3', 'uuid-4']);
    await assert.rejects(again.accept([result(5)]), /accept\(\) after close\(\)/);
  });

  it("'interval': buffers, then appends every intervalMs, and on flush and close", async () => {
    const sink = await textFileSink({ path, mode: 'interval', intervalMs: 100, logger: quiet });
    assert.equal(sink.durableOnAccept, false);
    await sink.accept([result(1), result(2)]);
    await sink.accept([result(3)]);
    assert.equal(sink.bufferedLines, 2);
    assert.deepEqual(await lines(), [], 'nothing written before the interval');
    for (let i = 0; i < 50 && sink.bufferedLines > 0; i++) await sleep(20);
    assert.deepEqual(await lines(), [result(1), result(2), result(3)]);

    await sink.accept([result(4)]);
    await sink.flush();
    assert.equal(sink.bufferedLines, 0);
    assert.equal((await lines()).length, 4);
    await sink.accept([result(5)]);
    await sink.close();
    assert.deepEqual((await lines()).map((r) => r.DepDelay), [1, 2, 3, 4, 5]);
  });

  it('says what is wrong when it cannot open the file', async () => {
    await writeFile(join(dir, 'responses'), 'a file where the folder should be');
    await assert.rejects(textFileSink({ path }), /cannot open .*flight_delay_ml_response\.txt for appending \((EEXIST|ENOTDIR).*STREAM_TEXT_FILE/);
    await assert.rejects(textFileSink({ path: join(dir, 'x.txt'), mode: 'interval', intervalMs: 0 }), /intervalMs must be a positive number/);
  });
});

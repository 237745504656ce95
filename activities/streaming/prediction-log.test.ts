import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger, type LogLevel } from '../../common/logger';
import type { PredictionResult } from '../../common/prediction/result';
import { predictionLog, requestIdOf } from './prediction-log';
import type { ScoredBatch } from './score-batch';

function capture(logLevel: LogLevel) {
  const lines: string[] = [];
  const log = createLogger('scoring', { logLevel, logFormat: 'json', destination: { write: (line: string) => lines.push(line) } });
  return { log, entries: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

const result = (uuid: string) => ({ UUID: uuid, Prediction: 2, ModelVersion: '7' }) as PredictionResult;
const batch: ScoredBatch = {
  filed: [],
  results: [result('from-api'), result('bulk')],
  sources: [
    { value: null, partition: 1, offset: '10', requestId: 'req-1' },
    { value: null, partition: 1, offset: '11' },
  ],
  rejects: [{ original: '{}', reason: 'UUID is missing', field: 'UUID', partition: 1, offset: '12', requestId: 'req-2' }],
};

describe('predictionLog', () => {
  it('writes the lines of requests that came through the API at info, with uuid and requestId, and no others', () => {
    const { log, entries } = capture('info');
    const predictions = predictionLog(log);
    predictions.scored(batch);
    predictions.accepted('mongodb', batch);
    const lines = entries();
    assert.deepEqual(lines.map((e) => [e.msg, e.uuid, e.requestId, e.level]), [
      ['scored', 'from-api', 'req-1', 'info'],
      ['dead-lettered', undefined, 'req-2', 'warn'],
      ['accepted by sink', 'from-api', 'req-1', 'info'],
    ]);
    assert.equal(lines[0]!.offset, '10');
    assert.equal(lines[2]!.sink, 'mongodb');
  });

  it('writes a line for every prediction at debug', () => {
    const { log, entries } = capture('debug');
    predictionLog(log).accepted('text-file', batch);
    assert.deepEqual(entries().map((e) => [e.uuid, e.level]), [['from-api', 'info'], ['bulk', 'debug']]);
  });

  it('reads the request id header as kafkajs gives it', () => {
    assert.equal(requestIdOf({ 'request-id': Buffer.from('abc') }), 'abc');
    assert.equal(requestIdOf({ other: 'x' }), undefined);
    assert.equal(requestIdOf(undefined), undefined);
  });
});

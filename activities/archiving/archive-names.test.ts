import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { archivePath, flightDateOf, partName, partitionFolder, temporaryPath } from './archive-names';

describe('archive file names', () => {
  const runId = '0193a5b2-7c1e-7d2a-9f00-1234567890ab';

  it('puts a file in its FlightDate partition under the collection, with a hidden temporary twin', () => {
    const folder = partitionFolder('/flight-delay/archive/', 'flight_delay_ml_response', '2024-01-15');
    assert.equal(folder, '/flight-delay/archive/flight_delay_ml_response/FlightDate=2024-01-15');
    const part = partName({ runId, chunk: 3, attempt: 2 });
    assert.equal(part, `part-${runId}-c00003-a2`);
    assert.equal(archivePath(folder, part), `${folder}/part-${runId}-c00003-a2.parquet`);
    assert.equal(temporaryPath(folder, part), `${folder}/.part-${runId}-c00003-a2.parquet.tmp`);
    assert.equal(flightDateOf(archivePath(folder, part)), '2024-01-15');
  });

  it('gives every run, chunk and attempt a name of its own', () => {
    const names = new Set<string>();
    for (const id of [runId, 'another-run'])
      for (let chunk = 1; chunk <= 3; chunk++) for (let attempt = 1; attempt <= 3; attempt++) names.add(partName({ runId: id, chunk, attempt }));
    assert.equal(names.size, 18);
  });

  it('refuses what would make a wrong path', () => {
    assert.throws(() => partitionFolder('archive', 'c', '2024-01-15'), /hdfsDir must be an absolute HDFS path/);
    assert.throws(() => partitionFolder('/a', 'c', '2024-1-15'), /FlightDate must be YYYY-MM-DD/);
    assert.throws(() => partName({ runId: 'a/b', chunk: 1, attempt: 1 }), /runId/);
    assert.throws(() => partName({ runId, chunk: 0, attempt: 1 }), /chunk must be a positive integer, got 0/);
    assert.throws(() => partName({ runId, chunk: 1, attempt: 1.5 }), /attempt must be a positive integer, got 1.5/);
    assert.throws(() => flightDateOf('/a/b.parquet'), /not in a FlightDate=YYYY-MM-DD folder/);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { childLine } from './children';

describe('childLine', () => {
  it('prefixes text lines with the child name', () => {
    assert.equal(childLine('api', 'listening', 'text', 'stderr'), `${'api'.padEnd(16)}│ listening\n`);
  });

  it('keeps JSON output JSON: a field names the child, other lines are wrapped', () => {
    const own = childLine('worker:scoring', '{"level":"info","msg":"scored","uuid":"u"}', 'json', 'stderr')!;
    assert.deepEqual(JSON.parse(own), { process: 'worker:scoring', level: 'info', msg: 'scored', uuid: 'u' });
    const other = JSON.parse(childLine('api', 'Error: listen EADDRINUSE', 'json', 'stderr')!) as Record<string, unknown>;
    assert.equal(other.process, 'api');
    assert.equal(other.msg, 'Error: listen EADDRINUSE');
    assert.equal(other.level, 'warn');
    assert.equal(childLine('api', '', 'json', 'stdout'), undefined);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger, textLine, type LogFormat, type LogLevel } from './logger';

function capture(logLevel: LogLevel, logFormat: LogFormat = 'json') {
  const lines: string[] = [];
  const log = createLogger('api', { logLevel, logFormat, destination: { write: (line: string) => lines.push(line) } });
  return { log, lines, entries: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('createLogger', () => {
  it('writes one JSON object per line with time, level, name, msg, pid, hostname and the fields', () => {
    const { log, lines, entries } = capture('info');
    log.info('prediction published', { uuid: 'u-1', requestId: 'r-1', ms: 3.5 });
    assert.equal(lines.length, 1);
    assert.ok(lines[0]!.endsWith('\n') && !lines[0]!.slice(0, -1).includes('\n'), 'one line');
    const [e] = entries();
    assert.equal(e!.level, 'info');
    assert.equal(e!.name, 'api');
    assert.equal(e!.msg, 'prediction published');
    assert.equal(e!.uuid, 'u-1');
    assert.equal(e!.requestId, 'r-1');
    assert.equal(e!.ms, 3.5);
    assert.equal(e!.pid, process.pid);
    assert.equal(typeof e!.hostname, 'string');
    assert.ok(!Number.isNaN(Date.parse(String(e!.time))), `an ISO time: ${String(e!.time)}`);
  });

  it('drops lines below its level and says so through isLevelEnabled', () => {
    const { log, entries } = capture('warn');
    log.debug('d');
    log.info('i');
    log.warn('w');
    log.error('e');
    assert.deepEqual(entries().map((e) => e.level), ['warn', 'error']);
    assert.equal(log.isLevelEnabled('info'), false);
    assert.equal(log.isLevelEnabled('error'), true);
    const debug = capture('debug');
    debug.log.debug('d');
    assert.deepEqual(debug.entries().map((e) => e.msg), ['d']);
  });

  it('binds fields with `with` and names children, keeping the bindings and writing each key once', () => {
    const { log, lines, entries } = capture('info');
    const activity = log.with({ workflowId: 'w', runId: 'r', activityType: 'consumeAndScore', attempt: 2 });
    activity.child('sink').with({ attempt: 3 }).info('stored', { uuid: 'u' });
    log.info('unbound');
    const [bound, plain] = entries();
    assert.equal(bound!.name, 'api:sink');
    assert.equal(bound!.workflowId, 'w');
    assert.equal(bound!.runId, 'r');
    assert.equal(bound!.activityType, 'consumeAndScore');
    assert.equal(bound!.attempt, 3, 'the later binding wins');
    assert.equal(bound!.uuid, 'u');
    assert.equal(lines[0]!.match(/"name":/g)?.length, 1);
    assert.equal(lines[0]!.match(/"attempt":/g)?.length, 1);
    assert.equal(plain!.workflowId, undefined, 'the parent is unchanged');
  });

  it('keeps the message and stack of an Error given as a field', () => {
    const { log, entries } = capture('info');
    log.error('failed', { error: new Error('broker away') });
    const error = entries()[0]!.error as { message: string; stack: string };
    assert.equal(error.message, 'broker away');
    assert.match(error.stack, /broker away/);
  });

  it('writes readable lines by default: time level [name] message key=value', () => {
    const { log, lines } = capture('info', 'text');
    log.with({ attempt: 2, requestId: 'r-1' }).warn('slow sink', { sink: 'mongodb', note: 'two words', error: new Error('gone') });
    assert.match(lines[0]!, /^\d{4}-\d\d-\d\dT[\d:.]+Z warn {2}\[api\] slow sink requestId=r-1 sink=mongodb note="two words" error=gone attempt=2\n$/);
  });

  it('renders a pino line as text without its pid and hostname', () => {
    const line = textLine('{"level":"info","time":"2026-01-01T00:00:00.000Z","pid":1,"hostname":"h","name":"x","k":[1],"msg":"m"}');
    assert.equal(line, '2026-01-01T00:00:00.000Z info  [x] m k=[1]\n');
  });
});

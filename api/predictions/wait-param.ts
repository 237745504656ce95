import { BadInputError } from '../security/bad-input';

/** `?wait=ms`: how long a request may wait for its prediction; 0 when absent, at most `maxMs`. */
export function waitParam(value: unknown, maxMs: number): number {
  if (value === undefined || value === '') return 0;
  if (typeof value !== 'string' || !/^\d{1,6}$/.test(value)) {
    throw new BadInputError(`expected a whole number of milliseconds from 0 to ${maxMs}, got ${JSON.stringify(value)}`, 'wait');
  }
  const ms = Number(value);
  if (ms > maxMs) throw new BadInputError(`at most ${maxMs} ms (API_MAX_WAIT_MS), got ${ms}`, 'wait');
  return ms;
}

/** A request id as the API hands them out (a UUID), or any id of up to 100 visible characters sent to Kafka directly. */
export function idParam(value: unknown): string {
  if (typeof value !== 'string' || !/^[\w.:-]{1,100}$/.test(value)) {
    throw new BadInputError(`expected a prediction id (a UUID), got ${JSON.stringify(value)}`, 'id');
  }
  return value;
}

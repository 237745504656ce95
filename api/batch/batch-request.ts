/**
 * What the batch routes accept: the body of POST /api/batch-predictions, the date of a path and the
 * paging query of the results. Every refusal is a BadInputError naming the field.
 */
import { z } from 'zod';
import { checkDate, datesBetween } from '../../common/contracts/batch';
import { BadInputError } from '../security/bad-input';
import { parseWith } from '../security/zod-body';

/** A POST may start at most this many dates; a longer backfill goes in parts (or through npm run batch). */
export const maxDatesPerRequest = 92;
export const defaultPageSize = 100;
export const maxPageSize = 1000;

/** Task sources a client may name: MongoDB or a file on HDFS. A path on the worker's disk ("file:") is for the CLI. */
const source = z
  .string()
  .max(1000)
  .regex(/^(mongo|hdfs:\/[^\s?#]*)$/, 'expected "mongo" or "hdfs:/absolute/path.jsonl" (a file on the worker\'s disk, "file:…", is for npm run batch)');

const modelVersion = z
  .union([z.string().regex(/^\d{1,9}$/, 'expected a model version: digits, as GET /api/models lists them'), z.number().int().min(1).max(999_999_999)])
  .transform(String);

const startBody = z
  .object({ date: z.string().optional(), from: z.string().optional(), to: z.string().optional(), source: source.optional(), modelVersion: modelVersion.optional() })
  .strict();

export interface StartRequest {
  dates: string[];
  source?: string;
  modelVersion?: string;
}

/** The dates and options of a start: `{date}` or `{from, to}` (both included), with source and modelVersion. */
export function parseStartRequest(body: unknown): StartRequest {
  // zod leaves out the keys the body did not have: options holds source and modelVersion when given.
  const { date, from: rawFrom, to: rawTo, ...options } = parseWith(startBody, body);
  if (date !== undefined) {
    if (rawFrom !== undefined || rawTo !== undefined) throw new BadInputError('date: give either date or from and to, not both', 'date');
    return { dates: [parseDate(date, 'date')], ...options };
  }
  if (rawFrom === undefined && rawTo === undefined) throw new BadInputError('date: missing; give {"date": "YYYY-MM-DD"} or {"from": …, "to": …}', 'date');
  if (rawFrom === undefined) throw new BadInputError('from: missing; a range needs from and to', 'from');
  if (rawTo === undefined) throw new BadInputError('to: missing; a range needs from and to', 'to');
  const from = parseDate(rawFrom, 'from');
  const to = parseDate(rawTo, 'to');
  if (to < from) throw new BadInputError(`to: ${to} is before from ${from}; expected a range forwards in time`, 'to');
  const count = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000 + 1;
  if (count > maxDatesPerRequest) {
    throw new BadInputError(`to: ${from}..${to} is ${count} dates, more than ${maxDatesPerRequest} a request; start the backfill in parts, or with npm run batch -- --from ${from} --to ${to}`, 'to');
  }
  return { dates: datesBetween(from, to, maxDatesPerRequest), ...options };
}

/** A calendar date "YYYY-MM-DD", or a 400 naming `field`. */
export function parseDate(value: unknown, field: string): string {
  try {
    return checkDate(value, field);
  } catch (err) {
    throw new BadInputError((err as Error).message, field);
  }
}

const pageQuery = z
  .object({
    limit: z
      .string()
      .regex(/^\d+$/, `expected a whole number from 1 to ${maxPageSize}`)
      .transform(Number)
      .pipe(z.number().int().min(1).max(maxPageSize))
      .optional(),
    after: z
      .string()
      .regex(/^\d{1,6}:\d{1,15}$/, 'expected the "next" of the page before ("<part>:<byte offset>")')
      .transform((s) => {
        const [part, offset] = s.split(':').map(Number);
        return { part: part!, offset: offset! };
      })
      .optional(),
  })
  .strict();

/** The page asked for on a date's results: `limit` (default 100, at most 1000) from `after`, the `next` of the page before. */
export function parsePageQuery(query: unknown): { limit: number; after: { part: number; offset: number } } {
  const q = parseWith(pageQuery, query, 'query');
  return { limit: q.limit ?? defaultPageSize, after: q.after ?? { part: 0, offset: 0 } };
}

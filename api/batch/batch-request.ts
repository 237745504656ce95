/**
 * What the batch routes accept and answer: the body of POST /api/batch-predictions, the date of a path
 * and the paging query of the results. Shapes are the contracts' (400 naming the field); the rules
 * across fields (a range backwards, too many dates) are 422s naming the field.
 */
import { z } from 'zod';
import { datesBetween } from '../../common/contracts/batch';
import { routeContract } from '../contract/route-contract';
import { integerParam } from '../contract/schema-object';
import { UnprocessableInputError } from '../security/bad-input';

/** A POST may start at most this many dates; a longer backfill goes in parts (or through npm run batch). */
export const maxDatesPerRequest = 92;
export const defaultPageSize = 100;
export const maxPageSize = 1000;

const dateRule = 'a calendar date "YYYY-MM-DD"';
export const calendarDate = (what: string) =>
  z.string({ required_error: `missing; expected ${dateRule}`, invalid_type_error: `expected ${dateRule} (a string)` }).date(`expected ${dateRule}`).describe(what);

/** Task sources a client may name: MongoDB or a file on HDFS. A path on the worker's disk ("file:") is for the CLI. */
const source = z
  .string()
  .max(1000)
  .regex(/^(mongo|hdfs:\/[^\s?#]*)$/, 'expected "mongo" or "hdfs:/absolute/path.jsonl" (a file on the worker\'s disk, "file:…", is for npm run batch)')
  .describe('"mongo" (prediction_tasks, the default) or "hdfs:/absolute/path.jsonl"');
const modelVersion = z
  .union([z.string().regex(/^[0-9]{1,9}$/, 'expected a model version: digits, as GET /api/models lists them'), z.number().int().min(1).max(999_999_999)])
  .transform(String)
  .describe('a version of GET /api/models; default: the champion');

const options = { source: source.optional(), modelVersion: modelVersion.optional() };
const startBody = z.union([
  z.object({ date: calendarDate('the date to predict'), ...options }).strict(),
  z.object({ from: calendarDate('the first date of a range'), to: calendarDate('the last date of a range (included)'), ...options }).strict(),
]);

export interface StartRequest {
  dates: string[];
  source?: string;
  modelVersion?: string;
}

/** The dates of a start: `{date}` or every date of `{from, to}` (both included), with source and modelVersion. */
export function startRequest(body: z.output<typeof startBody>): StartRequest {
  if ('date' in body) {
    const { date, ...rest } = body;
    return { dates: [date], ...rest };
  }
  const { from, to, ...rest } = body;
  if (to < from) throw new UnprocessableInputError(`to: ${to} is before from ${from}; expected a range forwards in time`, 'to');
  const count = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000 + 1;
  if (count > maxDatesPerRequest) {
    throw new UnprocessableInputError(`to: ${from}..${to} is ${count} dates, more than ${maxDatesPerRequest} a request; start the backfill in parts, or with npm run batch -- --from ${from} --to ${to}`, 'to');
  }
  return { dates: datesBetween(from, to, maxDatesPerRequest), ...rest };
}

const dateParams = z.object({ date: calendarDate('the date of the batch') });

const run = z.object({ date: z.string(), workflowId: z.string(), runId: z.string(), started: z.boolean(), status: z.string(), temporalUi: z.string() });
const hdfsLinks = z.object({ results: z.string().nullable(), parquet: z.string().nullable(), rejects: z.string().nullable(), tasks: z.string().nullable() });
const hdfsFiles = z.object({ results: z.array(z.string()), parquet: z.array(z.string()), rejects: z.array(z.string()), tasks: z.array(z.string()) });

export const startBatchRoute = routeContract({
  summary: `Start the batch prediction of a date, or of every date from..to (at most ${maxDatesPerRequest}); needs x-api-key. A date whose run is in progress is joined (started: false)`,
  body: startBody,
  apiKey: true,
  rateLimited: true,
  responses: {
    202: { description: 'started or joined, a run per date', body: z.object({ runs: z.array(run) }) },
    409: 'no champion model to score with',
    422: 'a range backwards or longer than the limit (field to), or a modelVersion the registry does not have',
  },
});

export const batchStatusRoute = routeContract({
  summary: "A date's batch: its workflow (status, progress, result), its manifest (counts, model, HDFS paths) and WebHDFS links to its files",
  params: dateParams,
  rateLimited: true,
  responses: {
    200: {
      description: 'the date',
      body: z
        .object({ date: z.string(), workflow: z.unknown(), manifest: z.unknown(), folders: hdfsLinks, files: hdfsFiles, temporalUi: z.string() })
        .describe('folders: WebHDFS LISTSTATUS links; files: WebHDFS OPEN links of the part files, in order'),
    },
    404: 'the date was never batch-predicted',
  },
});

export const batchResultsRoute = routeContract({
  summary: "A page of a date's results (its results part files on HDFS, in order); follow next until it is null",
  params: dateParams,
  query: z.object({
    limit: integerParam(z.number().int().min(1).max(maxPageSize)).optional().describe(`results a page, 1 to ${maxPageSize} (default ${defaultPageSize})`),
    after: z
      .string()
      .regex(/^[0-9]{1,6}:[0-9]{1,15}$/, 'expected the "next" of the page before ("<part>:<byte offset>")')
      .optional()
      .describe('the next of the page before'),
  }),
  rateLimited: true,
  responses: {
    200: { description: 'a page', body: z.object({ date: z.string(), results: z.array(z.record(z.unknown())), next: z.string().nullable() }) },
    404: 'the date has no results yet',
  },
});

/** The page asked for: `limit` (default 100) from `after` (default the start). */
export function pageOf(query: { limit?: number; after?: string }): { limit: number; after: { part: number; offset: number } } {
  const [part, offset] = (query.after ?? '0:0').split(':').map(Number);
  return { limit: query.limit ?? defaultPageSize, after: { part: part!, offset: offset! } };
}

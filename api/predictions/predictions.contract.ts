/** The prediction routes' contracts: what each accepts and answers (validation and OpenAPI both). */
import { z } from 'zod';
import { distanceSources } from '../../common/prediction/distance';
import { predictionBody } from '../../common/prediction/request';
import { errorBody } from '../contract/error-body';
import { routeContract } from '../contract/route-contract';
import { integerParam } from '../contract/schema-object';

/** The most any request may wait; API_MAX_WAIT_MS (at most this) lowers it, and a longer wait is cut to it. */
export const waitCeilingMs = 60_000;

/** A request id as the API hands them out (a UUID), or any id of up to 100 such characters sent to Kafka directly. */
const idRule = 'expected a prediction id (a UUID: letters, digits, _ . : -, at most 100)';
export const predictionId = z
  .string({ required_error: `missing; ${idRule}`, invalid_type_error: idRule })
  .regex(/^[A-Za-z0-9_.:-]{1,100}$/, idRule)
  .describe('the id POST /api/predictions answered');

export const waitQuery = integerParam(z.number().int().min(0).max(waitCeilingMs))
  .optional()
  .describe('milliseconds to wait for the result, cut to API_MAX_WAIT_MS; 0 or absent: answer at once');

export const predictionResult = z
  .object({
    UUID: z.string(),
    Origin: z.string(),
    Dest: z.string(),
    Carrier: z.string(),
    DepDelay: z.number(),
    Distance: z.number(),
    DistanceSource: z.enum(distanceSources as [string, ...string[]]),
    FlightDate: z.string().date(),
    FlightNum: z.string().nullable(),
    DayOfWeek: z.number().int(),
    DayOfMonth: z.number().int(),
    DayOfYear: z.number().int(),
    Route: z.string(),
    Prediction: z.number().int().min(0),
    PredictionLabel: z.string(),
    Probabilities: z.array(z.number()),
    FeatureLookups: z
      .object({
        lookedUp: z.array(z.string()).describe('features whose value came from the lookup tables (weather, schedule, planes)'),
        missing: z.array(z.string()).describe('features the lookups could not give: scored as missing values'),
      })
      .optional()
      .describe("which of the model's features were looked up and which were missing; both empty for the seed's features; absent on results scored before it existed"),
    ModelVersion: z.string(),
    RequestTimestamp: z.string().nullable(),
    ScoredAt: z.string(),
  })
  .describe('a scored prediction, as stored in MongoDB and published on the response topic');

const pending = z.object({ id: z.string(), status: z.literal('pending') });
const done = z.object({ id: z.string(), status: z.literal('done'), result: predictionResult });

const unprocessable = {
  description: 'the fields are well formed, but Origin equals Dest, or no distance is known for the pair and none was given: `field` names it',
  body: errorBody,
};

export const createPrediction = routeContract({
  summary: 'Ask for a prediction',
  description:
    'Derives the calendar fields, Distance (origin_dest_distances, then the great circle), UUID and Timestamp, and publishes the request ' +
    'to Kafka. Answers 202 {id, status: "pending"}; with ?wait=ms it waits up to that long and answers 200 with the result when it came.',
  query: z.object({ wait: waitQuery }),
  body: predictionBody,
  rateLimited: true,
  responses: {
    200: { description: 'the result, within ?wait', body: done },
    202: {
      description: 'published; the result comes on the socket, the SSE stream or GET /api/predictions/{id}',
      body: pending,
      headers: { Location: { description: 'where the result will be', schema: { type: 'string' } } },
    },
    422: unprocessable,
  },
});

export const latestPredictions = routeContract({
  summary: 'The latest predictions this API process has seen, newest first',
  query: z.object({ limit: integerParam(z.number().int().min(1).max(200)).optional().describe('how many, 1 to 200 (default 20)') }),
  rateLimited: true,
  responses: { 200: { description: 'newest first', body: z.array(predictionResult) } },
});

export const getPrediction = routeContract({
  summary: 'The result of a prediction, or pending',
  description: 'With ?wait=ms, waits up to that long for it.',
  params: z.object({ id: predictionId }),
  query: z.object({ wait: waitQuery }),
  rateLimited: true,
  responses: {
    200: { description: 'the result', body: done },
    202: { description: 'not scored yet (or an id never asked for)', body: pending },
  },
});

export const predictionEvents = routeContract({
  summary: 'Server-sent events: one "prediction" event with the result, then the stream ends',
  description: 'A "timeout" event ends the stream when no result came within API_SSE_TIMEOUT_MS.',
  params: z.object({ id: predictionId }),
  rateLimited: true,
  responses: {
    200: {
      description: 'an event stream of one event: "prediction" (data: the result as JSON) or "timeout" (data: {id, waitedMs})',
      media: {
        type: 'text/event-stream',
        schema: {
          type: 'object',
          required: ['event', 'data'],
          properties: { event: { type: 'string', enum: ['prediction', 'timeout'] }, data: { type: 'string' }, id: { type: 'string' } },
        },
      },
    },
  },
});

export { unprocessable };

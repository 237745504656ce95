/**
 * The error answers every route shares: `{statusCode, error, message[, field]}`, and the responses a
 * contract adds by itself (400 when it reads input, 401 behind the API key, 429 under the rate limit).
 */
import { z } from 'zod';

export const errorBody = z
  .object({
    statusCode: z.number().int().min(400).max(599),
    error: z.string(),
    message: z.string().describe('what was wrong and, where it helps, what to do'),
    field: z.string().optional().describe('the input field that broke its rule'),
  })
  .describe('an error');

export type ErrorBody = z.infer<typeof errorBody>;

export const errorResponses = {
  400: 'bad input: `field` names the parameter or body field, `message` its rule and what came instead',
  401: 'missing or wrong x-api-key (or the server has no API_KEY)',
  404: 'not found',
  409: 'the state does not allow it now',
  422: 'well-formed input that cannot be processed (a rule across fields, or an unknown reference): `field` names it',
  429: 'more requests a minute from this client than API_RATE_LIMIT_PER_MINUTE; Retry-After says when to retry',
} as const;

/** The actuals route's contract: what it accepts and answers (validation and OpenAPI both). */
import { z } from 'zod';
import { actualBody } from '../../common/outcomes/actual';
import { errorBody } from '../contract/error-body';
import { routeContract } from '../contract/route-contract';

/** The most actuals one request may carry; a backfill sends files through `npm run actuals` instead. */
export const maxActualsPerRequest = 1000;

export const postActuals = routeContract({
  summary: 'Report actual arrivals',
  description:
    'One actual or an array of up to 1,000: what became of flights (their arrival delay), published on the actuals topic keyed by the flight ' +
    '(FlightDate|Carrier|FlightNum|Origin|Dest). Each is joined to every prediction of its flight, realtime and batch, exactly once however ' +
    'often it is reported. Needs the API key: actuals judge the models. Answers 202 with the keys, in the order given.',
  body: z.union([actualBody, z.array(actualBody).min(1).max(maxActualsPerRequest)]),
  apiKey: true,
  rateLimited: true,
  responses: {
    202: {
      description: 'published',
      body: z.object({ accepted: z.number().int().min(1), keys: z.array(z.string()).describe('each actual\'s flight key') }),
    },
    413: { description: 'the body is larger than API_BODY_LIMIT: send fewer actuals a request, or a file through `npm run actuals`', body: errorBody },
    422: { description: 'the fields are well formed, but Origin equals Dest: `field` names it (with the actual\'s index for an array)', body: errorBody },
  },
});

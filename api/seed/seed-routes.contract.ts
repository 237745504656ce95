/** The seed Flask app's routes, kept so that its page and scripts still work: their contracts. */
import { z } from 'zod';
import { predictionBody } from '../../common/prediction/request';
import { routeContract } from '../contract/route-contract';
import { predictionId, predictionResult, unprocessable } from '../predictions/predictions.contract';

const numericFields = new Set(['DepDelay', 'Distance']);
/** A number as JSON writes it ("5", "-0.5", "1e-3"): what a form's number field may hold. */
const jsonNumber = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/;

/** A form post carries strings: the numbers of the seed's form become numbers. */
export function fromForm(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) {
    // An empty field is left out; so is "null" in a number field (a form cannot send null otherwise).
    if (v === '' || (numericFields.has(k) && v === 'null')) continue;
    out[k] = numericFields.has(k) && typeof v === 'string' && jsonNumber.test(v) ? Number(v) : v;
  }
  return out;
}

export const seedPage = routeContract({
  summary: "The seed's form page: redirects to the prediction form",
  responses: { 302: { description: 'to /', headers: { Location: { description: 'the form', schema: { type: 'string' } } } } },
});

export const seedClassify = routeContract({
  summary: 'Seed: publish a request from the form fields (form-encoded or JSON); answers {"status":"OK","id":UUID}',
  body: predictionBody,
  bodyMedia: ['application/json', 'application/x-www-form-urlencoded'],
  formBody: fromForm,
  rateLimited: true,
  responses: { 200: { description: 'published', body: z.object({ status: z.literal('OK'), id: z.string() }) }, 422: unprocessable },
});

export const seedResponse = routeContract({
  summary: 'Seed: {"status":"WAIT"} until the result exists, then {"status":"OK","prediction":{…}}',
  params: z.object({ id: predictionId }),
  rateLimited: true,
  responses: {
    200: {
      description: 'WAIT, or OK with the prediction',
      body: z.union([z.object({ status: z.literal('WAIT') }), z.object({ status: z.literal('OK'), prediction: predictionResult })]),
    },
  },
});

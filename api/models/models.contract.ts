/** The model registry routes' contracts. */
import { z } from 'zod';
import { routeContract } from '../contract/route-contract';

const registered = z.object({ version: z.string(), runId: z.string().nullable(), accuracy: z.number().nullable(), savedAt: z.string() });
const noChampion = 'no champion yet: train one (POST /api/training or npm run train)';

export const listModelsRoute = routeContract({
  summary: "Every version in MLflow's model registry, newest first, and which one is the champion",
  rateLimited: true,
  responses: {
    200: {
      description: 'the versions',
      body: z.object({ champion: z.string().nullable(), challenger: z.string().nullable().describe('the shadow challenger, scored beside the champion and never answering'), versions: z.array(registered) }),
    },
  },
});

export const championRoute = routeContract({
  summary: 'The champion: version, MLflow run, held-out metrics and confusion matrix',
  rateLimited: true,
  responses: {
    200: {
      description: 'the champion',
      body: z
        .object({
          version: z.string(),
          runId: z.string().nullable(),
          accuracy: z.number().nullable(),
          metrics: z.record(z.unknown()),
          confusionMatrix: z.array(z.array(z.number())),
          labels: z.array(z.string()),
          mlflowRunUrl: z.string(),
        })
        .passthrough(),
    },
    404: noChampion,
  },
});

export const confusionMatrixRoute = routeContract({
  summary: "The champion's confusion matrix on its held-out rows, as a PNG",
  rateLimited: true,
  responses: {
    200: { description: 'a PNG', media: { type: 'image/png', schema: { type: 'string', format: 'binary' } } },
    404: noChampion,
  },
});

export const promoteRoute = routeContract({
  summary: 'Make a registered version the champion, and tell the stream to reload it (needs x-api-key)',
  params: z.object({ version: z.string().regex(/^[0-9]{1,9}$/, 'expected a model version (digits), as GET /api/models lists them').describe('a version of GET /api/models') }),
  apiKey: true,
  rateLimited: true,
  responses: {
    200: { description: 'the new champion', body: z.object({ champion: z.string(), streamNotified: z.boolean() }) },
    404: 'no such version in the registry',
  },
});

export const setChallengerRoute = routeContract({
  summary:
    "Make a registered version the shadow challenger (needs x-api-key): the stream and the daily batch score it beside the champion and file its predictions; " +
    'it never answers a client. The monitor compares both on the same actuals and promotes it when PROMOTE_MIN_GAIN and PROMOTE_MIN_OUTCOMES are met',
  params: z.object({ version: z.string().regex(/^[0-9]{1,9}$/, 'expected a model version (digits), as GET /api/models lists them').describe('a version of GET /api/models') }),
  apiKey: true,
  rateLimited: true,
  responses: {
    200: { description: 'the challenger set', body: z.object({ challenger: z.string().nullable() }) },
    404: 'no such version in the registry',
    409: 'the version is the champion: it cannot shadow itself',
  },
});

export const clearChallengerRoute = routeContract({
  summary: 'Stop scoring a shadow challenger (needs x-api-key)',
  apiKey: true,
  rateLimited: true,
  responses: { 200: { description: 'no challenger any more', body: z.object({ challenger: z.string().nullable() }) } },
});

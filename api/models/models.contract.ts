/** The model registry routes' contracts. */
import { z } from 'zod';
import { routeContract } from '../contract/route-contract';

const registered = z.object({ version: z.string(), runId: z.string().nullable(), accuracy: z.number().nullable(), savedAt: z.string() });
const noChampion = 'no champion yet: train one (POST /api/training or npm run train)';

export const listModelsRoute = routeContract({
  summary: "Every version in MLflow's model registry, newest first, and which one is the champion",
  rateLimited: true,
  responses: { 200: { description: 'the versions', body: z.object({ champion: z.string().nullable(), versions: z.array(registered) }) } },
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

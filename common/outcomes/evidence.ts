/**
 * What the monitor concludes from its windows (model_monitoring): whether a shadow challenger has earned the
 * champion's place on live outcomes, and whether the champion has fallen far enough — below its own held-out
 * accuracy, or its inputs drifted from its training rows — to be retrained. Pure: the monitoring workflow's
 * activity reads the windows and acts on what these return.
 */
import type { MonitoringDocument } from '../contracts/monitoring';

export type Window = Pick<MonitoringDocument, 'FlightDate' | 'Source' | 'ModelVersion' | 'Role' | 'Rows' | 'Accuracy' | 'HeldOutAccuracy' | 'FeatureDrift'>;

/** When a challenger replaces the champion on live evidence (PROMOTE_MIN_GAIN, PROMOTE_MIN_OUTCOMES). */
export interface LivePromotionPolicy {
  /** The challenger's accuracy must beat the champion's by at least this much on the same windows. */
  minGain: number;
  /** …over at least this many of the challenger's outcomes. */
  minOutcomes: number;
}

export interface PromotionEvidence {
  champion: string;
  challenger: string;
  /** The windows (flight date × source) where both versions have outcomes. */
  windows: number;
  championOutcomes: number;
  challengerOutcomes: number;
  championAccuracy: number | null;
  challengerAccuracy: number | null;
  promote: boolean;
  reason: string;
}

/** A challenger's window is compared with the champion's when it holds at least this share of the champion's outcomes. */
export const pairedShare = 0.95;

/** Accuracy over several windows: each window weighted by its outcomes. */
const pooledAccuracy = (ws: readonly Window[]): { rows: number; accuracy: number | null } => {
  const rows = ws.reduce((a, w) => a + w.Rows, 0);
  return { rows, accuracy: rows > 0 ? ws.reduce((a, w) => a + w.Accuracy * w.Rows, 0) / rows : null };
};

const pct = (x: number | null): string => (x === null ? '—' : `${(x * 100).toFixed(1)} %`);

/**
 * The champion beside the challenger on the flight dates and sources where both were scored: the
 * challenger is promoted when it is better by at least `minGain` over at least `minOutcomes` outcomes.
 */
export function promotionEvidence(windows: readonly Window[], champion: string, challenger: string, policy: LivePromotionPolicy): PromotionEvidence {
  const at = (w: Window): string => `${w.FlightDate}:${w.Source}`;
  const championWindows = new Map(windows.filter((w) => w.Role === 'champion' && w.ModelVersion === champion).map((w) => [at(w), w]));
  // Only where the challenger scored (nearly) every flight the champion did: a challenger set mid-day, or away a
  // while, saw another part of the day than the champion's window holds.
  const paired = windows.filter((w) => w.Role === 'challenger' && w.ModelVersion === challenger && championWindows.has(at(w)) && w.Rows >= pairedShare * championWindows.get(at(w))!.Rows);
  const theirs = pooledAccuracy(paired);
  const ours = pooledAccuracy(paired.map((w) => championWindows.get(at(w))!));
  const base = {
    champion,
    challenger,
    windows: paired.length,
    championOutcomes: ours.rows,
    challengerOutcomes: theirs.rows,
    championAccuracy: ours.accuracy,
    challengerAccuracy: theirs.accuracy,
  };
  if (theirs.rows < policy.minOutcomes) {
    return { ...base, promote: false, reason: `challenger v${challenger} has ${theirs.rows} outcomes beside the champion's; ${policy.minOutcomes} are needed` };
  }
  const gain = theirs.accuracy! - ours.accuracy!;
  const facts = `v${challenger} ${pct(theirs.accuracy)} against champion v${champion} ${pct(ours.accuracy)} on the same ${theirs.rows} live outcomes (${paired.length} windows)`;
  return gain >= policy.minGain
    ? { ...base, promote: true, reason: `live evidence: ${facts}, better by ${(gain * 100).toFixed(1)} points (at least ${(policy.minGain * 100).toFixed(1)} needed)` }
    : { ...base, promote: false, reason: `not better enough: ${facts} (at least ${(policy.minGain * 100).toFixed(1)} points needed)` };
}

/** When the champion is retrained (RETRAIN_*). */
export interface RetrainingPolicy {
  enabled: boolean;
  /** Retrain when the pooled live accuracy of the latest windowDays dates is this far below the held-out accuracy. */
  accuracyMargin: number;
  /** …or when a feature's PSI on the latest date passes this. */
  driftPsi: number;
  /** Features whose drift never triggers: the calendar's and the day's weather, which a one-day window always moves, and the hours, which a day partly joined moves. */
  driftIgnore: readonly string[];
  /** Flight dates pooled for the accuracy rule. */
  windowDays: number;
  /** Outcomes needed: pooled, for the accuracy rule; in one window, for the drift rule. */
  minOutcomes: number;
  /** Minutes at least between two retrainings started. */
  minIntervalMinutes: number;
  /** Days held out (the latest with known outcomes) to evaluate the retrained model on. */
  evalDays: number;
  /** Days of flights, up to the latest with known outcomes, the retrained model learns from (recent flights tell more of a shift than the whole history). */
  historyDays: number;
}

export interface RetrainingEvidence {
  championVersion: string;
  /** The dates the accuracy rule pooled, oldest first. */
  dates: string[];
  outcomes: number;
  liveAccuracy: number | null;
  heldOutAccuracy: number | null;
  /** Features over the drift threshold on the latest date (the ignored ones excepted). */
  drifted: { feature: string; psi: number; date: string; source: string }[];
  /** Why to retrain; empty: no reason. */
  reasons: string[];
}

/**
 * The evidence about the champion in `windows` (its own windows as champion): the pooled live accuracy of
 * its latest `windowDays` dates against its held-out accuracy, and each feature's drift on its latest date.
 */
export function retrainingEvidence(windows: readonly Window[], championVersion: string, policy: RetrainingPolicy): RetrainingEvidence {
  const own = windows.filter((w) => w.Role === 'champion' && w.ModelVersion === championVersion);
  const dates = [...new Set(own.map((w) => w.FlightDate))].sort().slice(-policy.windowDays);
  const recent = own.filter((w) => dates.includes(w.FlightDate));
  const { rows, accuracy } = pooledAccuracy(recent);
  const heldOut = own.find((w) => w.HeldOutAccuracy !== null)?.HeldOutAccuracy ?? null;
  const reasons: string[] = [];
  if (accuracy !== null && heldOut !== null && rows >= policy.minOutcomes && accuracy < heldOut - policy.accuracyMargin) {
    reasons.push(
      `live accuracy ${pct(accuracy)} over ${rows} outcomes of ${dates[0]}…${dates[dates.length - 1]} is ` +
        `${((heldOut - accuracy) * 100).toFixed(1)} points below the held-out ${pct(heldOut)} (margin ${(policy.accuracyMargin * 100).toFixed(1)})`,
    );
  }
  const latest = dates[dates.length - 1];
  const drifted = own
    .filter((w) => w.FlightDate === latest && w.Rows >= policy.minOutcomes)
    .flatMap((w) => (w.FeatureDrift ?? []).filter((d) => d.PSI > policy.driftPsi && !policy.driftIgnore.includes(d.Feature)).map((d) => ({ feature: d.Feature, psi: d.PSI, date: w.FlightDate, source: w.Source })));
  for (const d of drifted) reasons.push(`${d.feature} drifted on ${d.date} (${d.source}): PSI ${d.psi.toFixed(3)} > ${policy.driftPsi}`);
  return { championVersion, dates, outcomes: rows, liveAccuracy: accuracy, heldOutAccuracy: heldOut, drifted, reasons };
}

import { Counter, Gauge, type Registry } from 'prom-client';
import type { MonitoringDocument } from '../../common/contracts/monitoring';

type WindowLabels = 'source' | 'version' | 'role';

/**
 * The monitor's findings as Prometheus metrics, in the registry of the process that hosts the outcomes
 * worker (the scoring worker's /metrics, or worker:outcomes' own): per source, model version and role, the
 * live accuracy and outcomes of the latest flight date monitored, the version's held-out accuracy beside it,
 * each feature's drift; and counts of what the monitor did about it.
 */
export class MonitorMetrics {
  private readonly accuracy: Gauge<WindowLabels>;
  private readonly outcomes: Gauge<WindowLabels>;
  private readonly heldOut: Gauge<'version'>;
  private readonly drift: Gauge<WindowLabels | 'feature'>;
  private readonly latestDate = new Map<string, string>();
  readonly retrainings: Counter<'status'>;
  readonly promotions: Counter;

  constructor(registry: Registry) {
    const registers = [registry];
    const labelNames = ['source', 'version', 'role'] as const;
    this.accuracy = new Gauge({ name: 'flight_delay_live_accuracy', help: 'Accuracy on the outcomes joined so far of the latest flight date monitored, by source, model version and role', labelNames, registers });
    this.outcomes = new Gauge({ name: 'flight_delay_live_outcomes', help: 'Outcomes (predictions with their actual arrival) of the latest flight date monitored', labelNames, registers });
    this.heldOut = new Gauge({ name: 'flight_delay_heldout_accuracy', help: "The version's accuracy on its held-out rows at training time", labelNames: ['version'], registers });
    this.drift = new Gauge({ name: 'flight_delay_feature_psi', help: "Population stability index of each feature on the latest flight date monitored against the version's training rows", labelNames: [...labelNames, 'feature'], registers });
    this.retrainings = new Counter({ name: 'flight_delay_monitor_retrainings_total', help: 'Retrainings the monitor called for, by how the start went (started, already running, rate-limited)', labelNames: ['status'], registers });
    this.promotions = new Counter({ name: 'flight_delay_monitor_promotions_total', help: 'Shadow challengers the monitor promoted on live evidence', registers });
  }

  /** A window computed: its figures replace those of an older date of the same source, version and role. */
  window(w: MonitoringDocument): void {
    const labels = { source: w.Source, version: w.ModelVersion, role: w.Role };
    const key = `${w.Source}:${w.ModelVersion}:${w.Role}`;
    if ((this.latestDate.get(key) ?? '') > w.FlightDate) return;
    this.latestDate.set(key, w.FlightDate);
    this.accuracy.set(labels, w.Accuracy);
    this.outcomes.set(labels, w.Rows);
    if (w.HeldOutAccuracy !== null) this.heldOut.set({ version: w.ModelVersion }, w.HeldOutAccuracy);
    for (const d of w.FeatureDrift) this.drift.set({ ...labels, feature: d.Feature }, d.PSI);
  }
}

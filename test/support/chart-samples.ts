/** Realistic inputs for the charts: for their tests and for a look at them (write-chart-samples.ts). */

/** The four arrival-delay classes, in the model's order. */
export const sampleLabels = [
  'Early (15+ Minutes Early)',
  'Slightly Early (0-15 Minute Early)',
  'Slightly Late (0-30 Minute Delay)',
  'Very Late (30+ Minutes Late)',
] as const;

/** A held-out confusion matrix of 65,000 rows, accuracy 34,385 / 65,000 = 0.529. */
export const sampleConfusion: number[][] = [
  [7412, 5903, 1156, 329],
  [3890, 13987, 3805, 918],
  [1020, 6870, 5421, 2589],
  [412, 1620, 2103, 7565],
];

/** Feature importances of a forest on the seed's features. */
export const sampleImportances: { feature: string; importance: number }[] = [
  { feature: 'DepDelay', importance: 0.87 },
  { feature: 'Route_index', importance: 0.038 },
  { feature: 'Carrier_index', importance: 0.032 },
  { feature: 'Dest_index', importance: 0.025 },
  { feature: 'DayOfYear', importance: 0.022 },
  { feature: 'Distance', importance: 0.007 },
  { feature: 'DayOfWeek', importance: 0.006 },
  { feature: 'DayOfMonth', importance: 0.002 },
  { feature: 'Origin_index', importance: 0.0008 },
];

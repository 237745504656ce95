import { Bucketizer } from './bucketizer';

/** The seed's four arrival-delay classes and the splits of ArrDelay (minutes) that define them. */
export const arrDelaySplits = [-Infinity, -15, 0, 30, Infinity] as const;

export const delayClassLabels = [
  'Early (15+ Minutes Early)',
  'Slightly Early (0-15 Minute Early)',
  'Slightly Late (0-30 Minute Delay)',
  'Very Late (30+ Minutes Late)',
] as const;

export const numDelayClasses = delayClassLabels.length;

export const arrDelayBucketizer = new Bucketizer(arrDelaySplits);

/** `Origin-Dest`, the seed's Route column. */
export const routeOf = (origin: string, dest: string): string => `${origin}-${dest}`;

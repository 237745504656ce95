/** Histogram buckets in seconds, shared so that series of different processes can be compared bucket by bucket. */

/** Fine below 100 ms, where a realtime answer's tail lives (and where bench:api reads its hops from). */
export const realtimeSecondsBuckets = [0.0025, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.025, 0.03, 0.04, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1, 2.5, 5, 10];

/** A sink's write: a few milliseconds (Kafka, a file) to seconds (MongoDB under load, an HDFS upload). */
export const writeSecondsBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** Work of seconds to hours: a batch chunk or date, a training stage. */
export const jobSecondsBuckets = [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200, 14_400];

/**
 * Where archived results go on HDFS. Hive partitioning, as the stream's Parquet sink:
 *   <hdfsDir>/<collection>/FlightDate=<date>/part-<runId>-c<chunk>-a<attempt>.parquet
 * and, while it is written and verified, the hidden `.part-….parquet.tmp` beside it (skipped by Spark,
 * pyarrow and Hive). The name holds the workflow run, the chunk and the activity's attempt, so no
 * retry and no later run ever writes a name an earlier one used: an archive file is never overwritten.
 */

export interface ArchivePart {
  runId: string;
  chunk: number;
  attempt: number;
}

const datePattern = /^\d{4}-\d{2}-\d{2}$/;
const runIdPattern = /^[A-Za-z0-9_-]+$/;

/** The partition folder of one FlightDate. */
export function partitionFolder(hdfsDir: string, collection: string, flightDate: string): string {
  if (!hdfsDir.startsWith('/')) throw new RangeError(`hdfsDir must be an absolute HDFS path, got ${JSON.stringify(hdfsDir)}`);
  if (!datePattern.test(flightDate)) throw new RangeError(`FlightDate must be YYYY-MM-DD, got ${JSON.stringify(flightDate)}`);
  return `${hdfsDir.replace(/\/+$/, '')}/${collection}/FlightDate=${flightDate}`;
}

/** "part-<runId>-c<chunk, 5 digits>-a<attempt>", the file name without ".parquet". */
export function partName({ runId, chunk, attempt }: ArchivePart): string {
  if (!runIdPattern.test(runId)) throw new RangeError(`runId must be letters, digits, - or _, got ${JSON.stringify(runId)}`);
  if (!(Number.isInteger(chunk) && chunk >= 1)) throw new RangeError(`chunk must be a positive integer, got ${chunk}`);
  if (!(Number.isInteger(attempt) && attempt >= 1)) throw new RangeError(`attempt must be a positive integer, got ${attempt}`);
  return `part-${runId}-c${String(chunk).padStart(5, '0')}-a${attempt}`;
}

export const archivePath = (folder: string, part: string): string => `${folder}/${part}.parquet`;
export const temporaryPath = (folder: string, part: string): string => `${folder}/.${part}.parquet.tmp`;

/** The FlightDate of a path made by archivePath, read from its partition folder. */
export function flightDateOf(path: string): string {
  const match = /\/FlightDate=(\d{4}-\d{2}-\d{2})\/[^/]+$/.exec(path);
  if (!match?.[1]) throw new RangeError(`${path} is not in a FlightDate=YYYY-MM-DD folder`);
  return match[1];
}

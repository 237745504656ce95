import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { calendarFields, CalendarFields } from '../models/calendar';
import type { RowGroup } from 'hyparquet' with { 'resolution-mode': 'import' };
import type { FlightRecord } from '../models/flight';
import { LoadTally } from './load-tally';
import { LoadedFlights, LoadOptions } from './loaded-flights';

/**
 * vega-datasets' flights-3m.parquet: 3,000,000 US flights of 2001 in 11 row groups, ZSTD-compressed
 * (written by Polars). Columns: `date` (TIMESTAMP micros, not adjusted to UTC: the local scheduled
 * departure), `delay` (INT64 arrival delay, minutes), `distance` (INT64 miles), `origin`, `destination`.
 */
const parquetColumns = ['date', 'delay', 'distance', 'origin', 'destination'] as const;
type ParquetColumn = (typeof parquetColumns)[number];
type ColumnValues = ArrayLike<unknown>;

const msPerDay = 86_400_000;

/** Dates, calendar fields and departure times, each made once and shared by every flight that has it. */
class DateParts {
  private readonly days = new Map<number, { date: string; fields: CalendarFields }>();
  private readonly dateTimes = new Map<number, string>();

  day(dayNumber: number): { date: string; fields: CalendarFields } {
    let day = this.days.get(dayNumber);
    if (!day) {
      const date = new Date(dayNumber * msPerDay).toISOString().slice(0, 10);
      day = { date, fields: calendarFields(date) };
      this.days.set(dayNumber, day);
    }
    return day;
  }

  /** "YYYY-MM-DDTHH:MM:SS" of a local timestamp in milliseconds (hyparquet reads it as if UTC). */
  dateTime(ms: number): string {
    let text = this.dateTimes.get(ms);
    if (text === undefined) {
      text = new Date(ms).toISOString().slice(0, 19);
      this.dateTimes.set(ms, text);
    }
    return text;
  }
}

const toNumber = (value: unknown): number | null =>
  typeof value === 'bigint' ? Number(value) : typeof value === 'number' ? value : null;
const nonEmpty = (value: unknown): value is string => typeof value === 'string' && value !== '';

function addRow(tally: LoadTally, parts: DateParts, values: Record<ParquetColumn, ColumnValues>, i: number, rowNumber: number): void {
  const ms = values.date[i];
  const delay = toNumber(values.delay[i]);
  const distance = toNumber(values.distance[i]);
  const origin = values.origin[i];
  const destination = values.destination[i];
  const problems: string[] = [];
  if (typeof ms !== 'number' || !Number.isFinite(ms)) problems.push(`date: expected a timestamp, got ${String(ms)}`);
  if (delay !== null && !Number.isFinite(delay)) problems.push(`delay: expected a number of minutes, got ${String(delay)}`);
  if (distance === null || !(distance >= 0)) problems.push(`distance: expected miles ≥ 0, got ${String(values.distance[i])}`);
  if (!nonEmpty(origin)) problems.push(`origin: expected an airport code, got ${JSON.stringify(origin)}`);
  if (!nonEmpty(destination)) problems.push(`destination: expected an airport code, got ${JSON.stringify(destination)}`);
  if (problems.length > 0 || typeof ms !== 'number' || !nonEmpty(origin) || !nonEmpty(destination)) {
    tally.malformed(rowNumber, problems.join('; '));
    return;
  }
  if (delay === null) {
    tally.drop(true, false);
    return;
  }
  const dayNumber = Math.floor(ms / msPerDay);
  const { date, fields } = parts.day(dayNumber);
  const record: FlightRecord = {
    ArrDelay: delay,
    CRSArrTime: null,
    CRSDepTime: parts.dateTime(ms),
    Carrier: null,
    DayOfMonth: fields.DayOfMonth,
    DayOfWeek: fields.DayOfWeek,
    DayOfYear: fields.DayOfYear,
    DepDelay: null,
    Dest: destination,
    Distance: distance,
    FlightDate: date,
    FlightNum: null,
    Origin: origin,
  };
  tally.keep(record);
}

const compressedSize = (group: RowGroup) =>
  group.columns.reduce((sum, c) => sum + Number(c.meta_data?.total_compressed_size ?? 0), 0);

/** One column's values for rows `start .. end`, from the chunks hyparquet handed over (usually one). */
function columnFrom(
  chunks: { data: ColumnValues; rowStart: number }[], start: number, end: number, column: string, path: string,
): ColumnValues {
  const only = chunks.length === 1 ? chunks[0]! : null;
  if (only && only.rowStart === start && only.data.length >= end - start) return only.data;
  const values: unknown[] = new Array<unknown>(end - start);
  let filled = 0;
  for (const { data, rowStart } of chunks) {
    for (let i = Math.max(start, rowStart); i < Math.min(end, rowStart + data.length); i++, filled++) {
      values[i - start] = data[i - rowStart];
    }
  }
  if (filled !== end - start) throw new Error(`${path}: rows ${start}..${end} of column ${column} are missing; the file is corrupt`);
  return values;
}

/**
 * Loads flights-3m.parquet column-wise, one row group at a time (a few hundred thousand rows), into
 * FlightRecords with Carrier, DepDelay, FlightNum and CRSArrTime null. `delay` is the arrival delay.
 */
export async function loadFlights3m(path: string, options: LoadOptions & { name?: string } = {}): Promise<LoadedFlights> {
  const { parquetMetadata, parquetRead } = await import('hyparquet');
  const { compressors } = await import('hyparquet-compressors');
  const file = await readFile(path);
  const contentHash = createHash('sha256').update(file).digest('hex');
  const buffer = file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength);
  const metadata = parquetMetadata(buffer);
  const present = new Set(metadata.schema.map((e) => e.name));
  const missing = parquetColumns.filter((c) => !present.has(c));
  if (missing.length > 0) {
    throw new Error(`${path}: no column ${missing.join(', ')}; expected vega-datasets' flights-3m.parquet (${parquetColumns.join(', ')})`);
  }

  const limit = Math.min(options.limit ?? Infinity, Number(metadata.num_rows));
  const tally = new LoadTally();
  const parts = new DateParts();
  let groupStart = 0;
  let bytes = file.byteLength - metadata.row_groups.reduce((sum, g) => sum + compressedSize(g), 0);
  for (const group of metadata.row_groups) {
    if (groupStart >= limit) break;
    const groupRows = Number(group.num_rows);
    const rowEnd = Math.min(groupStart + groupRows, limit);
    const chunks = new Map<ParquetColumn, { data: ColumnValues; rowStart: number }[]>(parquetColumns.map((c) => [c, []]));
    await parquetRead({
      file: buffer,
      metadata,
      columns: [...parquetColumns],
      rowStart: groupStart,
      rowEnd,
      compressors,
      parsers: { timestampFromMicroseconds: (micros: bigint) => Number(micros) / 1000 },
      onChunk: ({ columnName, columnData, rowStart }) => {
        chunks.get(columnName as ParquetColumn)?.push({ data: columnData as ColumnValues, rowStart });
      },
    });
    const values = {} as Record<ParquetColumn, ColumnValues>;
    for (const column of parquetColumns) values[column] = columnFrom(chunks.get(column)!, groupStart, rowEnd, column, path);
    for (let row = groupStart; row < rowEnd; row++) addRow(tally, parts, values, row - groupStart, row + 1);
    groupStart += groupRows;
    bytes += compressedSize(group);
    options.onProgress?.({ rows: tally.rowsRead, bytes: Math.min(bytes, file.byteLength), totalBytes: file.byteLength });
  }
  return {
    name: options.name ?? 'flights-3m',
    source: path,
    records: tally.records,
    columns: tally.columns(),
    stats: tally.summary(),
    contentHash,
  };
}

/**
 * Records → one Parquet file, by a list of typed columns: the one writer behind every Parquet file of
 * prediction results (their schema: common/prediction/parquet-schema.ts), streamed, batch or archived. Strings are UTF8, numbers DOUBLE or
 * INT32; nullable columns are OPTIONAL. SNAPPY-compressed (hyparquet-writer's default).
 */
import type { ColumnSource } from 'hyparquet-writer' with { 'resolution-mode': 'import' };

export type ParquetColumnType = 'STRING' | 'DOUBLE' | 'INT32';
export type ParquetCell = string | number | null;

export interface ParquetColumn<T> {
  name: string;
  type: ParquetColumnType;
  nullable: boolean;
  get(record: T): ParquetCell;
}

/** A column that is the record's field of the same name. */
export const fieldColumn = <T>(name: keyof T & string, type: ParquetColumnType, nullable = false): ParquetColumn<T> => ({
  name,
  type,
  nullable,
  get: (r) => r[name] as ParquetCell,
});

const show = (value: unknown): string => (typeof value === 'number' ? String(value) : JSON.stringify(value));

/** Why `value` does not fit `column`, or undefined when it does. */
export function cellProblem(column: Pick<ParquetColumn<unknown>, 'type' | 'nullable'>, value: unknown): string | undefined {
  if (value === null || value === undefined) return column.nullable ? undefined : 'missing';
  switch (column.type) {
    case 'STRING':
      return typeof value === 'string' ? undefined : `expected a string, got ${show(value)}`;
    case 'DOUBLE':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : `expected a finite number, got ${show(value)}`;
    case 'INT32':
      return Number.isInteger(value) && Math.abs(value as number) < 2 ** 31 ? undefined : `expected a 32-bit integer, got ${show(value)}`;
  }
}

export interface ParquetFileOptions {
  /** Rows per row group; default 100,000. */
  rowGroupSize?: number;
  createdBy: string;
  /** Key-value metadata of the file footer. */
  metadata?: Record<string, string>;
}

/** Column arrays filled record by record: a large file's records need not all be held at once. */
export class ParquetColumnBuffer<T> {
  private readonly data: ParquetCell[][];
  rows = 0;

  constructor(readonly columns: readonly ParquetColumn<T>[]) {
    this.data = columns.map(() => []);
  }

  add(record: T): void {
    for (let c = 0; c < this.columns.length; c++) this.data[c]!.push(this.columns[c]!.get(record));
    this.rows++;
  }

  /** One Parquet file of every record added, in `columns` order. */
  async toParquet(options: ParquetFileOptions): Promise<Uint8Array> {
    if (this.rows === 0) throw new Error('no records; a Parquet file needs at least one row');
    const { parquetWriteBuffer } = await import('hyparquet-writer');
    const columnData: ColumnSource[] = this.columns.map((column, c) => ({
      name: column.name,
      type: column.type,
      nullable: column.nullable,
      data: this.data[c]!,
    }));
    const buffer = parquetWriteBuffer({
      columnData,
      rowGroupSize: options.rowGroupSize ?? 100_000,
      createdBy: options.createdBy,
      kvMetadata: Object.entries(options.metadata ?? {}).map(([key, value]) => ({ key, value })),
    });
    return new Uint8Array(buffer);
  }
}

/** One Parquet file of `records` in `columns` order. */
export async function recordsToParquet<T>(
  records: readonly T[],
  columns: readonly ParquetColumn<T>[],
  options: ParquetFileOptions,
): Promise<Uint8Array> {
  if (records.length === 0) throw new Error('recordsToParquet: no records; a Parquet file needs at least one row');
  const buffer = new ParquetColumnBuffer(columns);
  for (const record of records) buffer.add(record);
  return buffer.toParquet(options);
}

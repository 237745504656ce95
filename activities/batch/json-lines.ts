/** Reading and writing JSON lines as bytes: the batch's files can pass V8's limit on one string's length. */
/**
 * The lines of a JSON-lines buffer with their 1-based numbers, blank lines skipped. Works on the bytes
 * (a day's results can pass V8's limit on one string's length).
 */
export function* jsonLines(buffer: Buffer): Generator<{ line: number; text: string }> {
  let start = 0;
  let line = 0;
  while (start < buffer.length) {
    let end = buffer.indexOf(10, start);
    if (end === -1) end = buffer.length;
    line++;
    const text = buffer.toString('utf8', start, end).replace(/\r$/, '');
    if (text.trim() !== '') yield { line, text };
    start = end + 1;
  }
}

/** Appends JSON lines to a list of byte chunks (each at most about `chunkBytes`), for one upload. */
export class JsonLinesWriter {
  private readonly chunks: Buffer[] = [];
  private pending: string[] = [];
  private pendingChars = 0;
  count = 0;

  constructor(private readonly chunkChars = 16 * 1024 * 1024) {}

  push(record: unknown): void {
    this.pushLine(JSON.stringify(record));
  }

  /** A line that is JSON already (without its newline). */
  pushLine(text: string): void {
    const line = `${text}\n`;
    this.pending.push(line);
    this.pendingChars += line.length;
    this.count++;
    if (this.pendingChars >= this.chunkChars) this.flush();
  }

  /** Everything pushed so far, as bytes. */
  toBuffer(): Buffer {
    this.flush();
    return Buffer.concat(this.chunks);
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    this.chunks.push(Buffer.from(this.pending.join(''), 'utf8'));
    this.pending = [];
    this.pendingChars = 0;
  }
}

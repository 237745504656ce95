import type { LoadProgress } from './loaded-flights';

/** The parts of a terminal stream a progress bar needs (process.stderr, or a fake in tests). */
export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

export interface ProgressBar {
  /** Pass as `onProgress`. Draws at most ~10 times a second, and only on a terminal. */
  update(progress: LoadProgress): void;
  /** Clears the bar and prints one summary line (on a terminal or not). */
  done(summary: string): void;
}

const megabytes = (bytes: number) => (bytes / 1_048_576).toFixed(1);
const thousands = (n: number) => n.toLocaleString('en-US');

export function formatProgress(label: string, { rows, bytes, totalBytes }: LoadProgress, width: number): string {
  const fraction = totalBytes > 0 ? Math.min(1, bytes / totalBytes) : 0;
  const text = ` ${(fraction * 100).toFixed(0).padStart(3)}% ${thousands(rows)} rows ${megabytes(bytes)}/${megabytes(totalBytes)} MB`;
  const barWidth = Math.max(10, Math.min(40, width - label.length - text.length - 4));
  const filled = Math.round(fraction * barWidth);
  return `${label} [${'#'.repeat(filled)}${'-'.repeat(barWidth - filled)}]${text}`;
}

/**
 * A one-line progress bar on stderr for the CLIs and benchmarks. On a terminal it redraws in place;
 * elsewhere (CI, a pipe, a log file) it stays silent until `done` prints the summary line.
 */
export function createProgressBar(label: string, stream: ProgressStream = process.stderr, minIntervalMs = 100): ProgressBar {
  const tty = stream.isTTY === true;
  let lastDraw = -Infinity;
  let drawn = false;
  return {
    update(progress) {
      if (!tty) return;
      const now = Date.now();
      if (now - lastDraw < minIntervalMs && progress.bytes < progress.totalBytes) return;
      lastDraw = now;
      drawn = true;
      stream.write(`\r${formatProgress(label, progress, stream.columns || 80)}\x1b[K`);
    },
    done(summary) {
      stream.write(`${tty && drawn ? '\r\x1b[K' : ''}${label}: ${summary}\n`);
    },
  };
}

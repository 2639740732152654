import type { Table } from './summary-table.js';

/** The part of a stream the progress bar needs (process.stderr satisfies it). */
export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(s: string): unknown;
}

export interface ProgressOptions {
  /** trials (or frames) to do */
  total: number;
  /** what is counted, e.g. 'trials' */
  unit?: string;
  /** prefix, e.g. the pipeline name */
  label?: string;
  /** default process.stderr */
  stream?: ProgressStream;
  /** ms clock, default performance.now */
  now?: () => number;
  /** draw only after the run has lasted this long (default 1000 ms) */
  delayMs?: number;
  /** redraw at most this often (default 100 ms) */
  intervalMs?: number;
}

/** '45s', '3m05s', '1h02m'. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

function formatRate(perSecond: number): string {
  return perSecond >= 100
    ? perSecond.toFixed(0)
    : perSecond >= 10
      ? perSecond.toFixed(1)
      : perSecond.toPrecision(2);
}

/**
 * A progress bar on stderr: `label [#####.....] 120/400 trials  35.2/s  8s left`. It draws only
 * when the stream is a TTY and the run has lasted more than `delayMs`, redraws in place at most
 * every `intervalMs`, and `finish()` ends the line. When stderr is not a TTY (CI logs, pipes) it
 * prints nothing while running and, if the run lasted more than `delayMs`, one final line.
 */
export class ProgressBar {
  private readonly total: number;
  private readonly unit: string;
  private readonly label: string;
  private readonly stream: ProgressStream;
  private readonly now: () => number;
  private readonly delayMs: number;
  private readonly intervalMs: number;
  private readonly start: number;
  private done = 0;
  private lastDraw = -Infinity;
  private drawn = false;
  private finished = false;

  constructor(options: ProgressOptions) {
    this.total = Math.max(0, options.total);
    this.unit = options.unit ?? 'trials';
    this.label = options.label ?? '';
    this.stream = options.stream ?? process.stderr;
    this.now = options.now ?? (() => performance.now());
    this.delayMs = options.delayMs ?? 1000;
    this.intervalMs = options.intervalMs ?? 100;
    this.start = this.now();
  }

  /** Counts `n` more done. */
  tick(n = 1): void {
    this.update(this.done + n);
  }

  /** Sets the number done. */
  update(done: number): void {
    if (this.finished) return;
    this.done = Math.min(done, this.total);
    if (!this.stream.isTTY) return;
    const t = this.now();
    if (t - this.start < this.delayMs || t - this.lastDraw < this.intervalMs) return;
    this.lastDraw = t;
    this.drawn = true;
    this.stream.write(`\r${this.line(t, true)}\x1b[K`);
  }

  /** Ends the bar: completes the drawn line, or prints one line when not a TTY and the run was long. */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    const t = this.now();
    if (this.drawn) this.stream.write(`\r${this.line(t, false)}\x1b[K\n`);
    else if (!this.stream.isTTY && t - this.start >= this.delayMs)
      this.stream.write(`${this.line(t, false)}\n`);
  }

  /** The text of the bar at time t (ms). */
  line(t: number, running: boolean): string {
    const elapsed = t - this.start;
    const rate = elapsed > 0 ? (1000 * this.done) / elapsed : 0;
    const counts = `${this.done}/${this.total} ${this.unit}`;
    const tail = running
      ? rate > 0
        ? `${formatRate(rate)}/s  ${formatDuration(((this.total - this.done) / rate) * 1000)} left`
        : ''
      : `${formatRate(rate)}/s  ${formatDuration(elapsed)}`;
    const head = this.label ? `${this.label} ` : '';
    const text = `${counts}  ${tail}`.trimEnd();
    const cols = this.stream.columns ?? 80;
    const barWidth = Math.max(0, Math.min(30, cols - head.length - text.length - 4));
    if (barWidth < 5) return `${head}${text}`.slice(0, Math.max(0, cols - 1));
    const fill = this.total === 0 ? barWidth : Math.round((barWidth * this.done) / this.total);
    return `${head}[${'#'.repeat(fill)}${'.'.repeat(barWidth - fill)}] ${text}`;
  }
}

/**
 * A table as aligned plain text: title, header, a rule, rows, the note. Columns are padded to
 * their widest cell (measured in code points), left or right aligned as the table says.
 */
export function formatTable(table: Table): string {
  const width = (s: string): number => [...s].length;
  const w = table.columns.map((c, i) => Math.max(width(c), ...table.rows.map((r) => width(r[i] ?? ''))));
  const pad = (s: string, i: number): string => {
    const fill = ' '.repeat((w[i] as number) - width(s));
    return (table.align?.[i] ?? (i === 0 ? 'left' : 'right')) === 'left' ? s + fill : fill + s;
  };
  const line = (cells: readonly string[]): string =>
    table.columns
      .map((_, i) => pad(cells[i] ?? '', i))
      .join('  ')
      .trimEnd();
  const out = [
    table.title,
    line(table.columns),
    w.map((n) => '-'.repeat(n)).join('  '),
    ...table.rows.map(line),
  ];
  if (table.note) out.push(table.note);
  return `${out.join('\n')}\n`;
}

/** Prints tables to stdout (or `stream`), separated by blank lines. */
export function printTables(
  tables: readonly Table[],
  stream: { write(s: string): unknown } = process.stdout,
): void {
  stream.write(tables.map(formatTable).join('\n'));
}

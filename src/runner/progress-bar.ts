/**
 * Progress on stderr: trials done/total, rate and time left. Draws only on a TTY and only once
 * the run has lasted more than a second; otherwise stays silent.
 */
export class ProgressBar {
  private readonly t0 = Date.now();
  private drawn = false;
  private last = 0;

  constructor(
    private readonly stream: NodeJS.WriteStream | undefined,
    private readonly label: string,
  ) {}

  update(done: number, total: number): void {
    const s = this.stream;
    if (!s || !s.isTTY) return;
    const now = Date.now();
    const elapsed = (now - this.t0) / 1000;
    if (elapsed < 1 || (now - this.last < 100 && done < total)) return;
    this.last = now;
    const rate = done / Math.max(elapsed, 1e-9);
    const left = rate > 0 ? (total - done) / rate : NaN;
    const width = 28;
    const fill = Math.round((width * done) / Math.max(total, 1));
    const bar = '#'.repeat(fill) + '-'.repeat(width - fill);
    const eta = Number.isFinite(left) ? formatSeconds(left) : '?';
    s.write(`\r${this.label} [${bar}] ${done}/${total} trials  ${rate.toFixed(2)}/s  ${formatSeconds(elapsed)} elapsed  ${eta} left `);
    this.drawn = true;
  }

  done(): void {
    if (this.drawn && this.stream) this.stream.write('\n');
  }
}

export function formatSeconds(s: number): string {
  if (s < 60) return `${s.toFixed(0)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.round((s % 3600) / 60)).padStart(2, '0')}m`;
}

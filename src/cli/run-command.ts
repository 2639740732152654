import { resolve } from 'node:path';
import { loadWithBuiltins } from '../builtins.js';
import type { StageManifest } from '../core/plugin.js';
import { runPipeline } from '../runner/run.js';
import { finishRun } from '../runner/finish-run.js';
import { ProgressBar } from '../report/progress.js';
import { frameSummary } from '../sources/frame-summary.js';

export async function runCommand(
  file: string,
  o: { set: string[]; out?: string; resume?: string; workers?: string; quiet?: boolean },
): Promise<void> {
  const resolved = await loadWithBuiltins(file, o.set);
  const workers = o.workers === undefined ? undefined : o.workers === 'auto' ? 'auto' : Number(o.workers);
  const total = resolved.points.length * resolved.spec.run.trials;
  const bar = new ProgressBar({ total, label: resolved.spec.name, stream: o.quiet ? { write: () => true, isTTY: false } : process.stderr });
  const result = await runPipeline(resolved, {
    ...(o.out ? { out: o.out } : {}),
    ...(o.resume ? { resume: o.resume } : {}),
    ...(workers !== undefined && Number.isFinite(workers as number) ? { workers } : workers === 'auto' ? { workers: 'auto' as const } : {}),
    command: ['isacflow', 'run', file, ...o.set.flatMap((s) => ['--set', s]), ...(o.out ? ['--out', o.out] : [])],
    onProgress: (d) => bar.update(d),
  });
  bar.finish();
  const summaries: string[] = [];
  for (const s of resolved.points[0]?.stages ?? []) {
    const m = s.manifest as StageManifest;
    if (m.summarize) {
      const text = m.summarize(result.records);
      if (text) summaries.push(text);
    }
  }
  if (resolved.source && !resolved.source.info.truth) summaries.unshift(frameSummary(result.records)); // truth-free: counts, estimates, timings
  const finished = await finishRun(resolved, result, summaries);
  for (const t of [...summaries, ...finished.tables]) process.stdout.write(`\n${clip(t, 40)}\n`);
  if (finished.plots.length) process.stdout.write(`\nplots: ${finished.plots.map((p) => p.replace(/\.svg$/, '.{svg,png}')).join(', ')}\n`);
  if (finished.report) process.stdout.write(`report: ${finished.report}\n`);
  process.stdout.write(
    `\n${result.records.length} frame record(s) from ${resolved.points.length} point(s) x ${resolved.spec.run.trials} trial(s) on ${result.workers} worker(s)${result.skipped ? ` (${result.skipped} trial(s) resumed from disk)` : ''}\nrun folder: ${resolve(result.folder.dir)}\n`,
  );
}

/** At most `n` lines of a table on stdout; the whole table is in summary.csv and report.html. */
function clip(text: string, n: number): string {
  const lines = text.split('\n');
  if (lines.length <= n) return text;
  return [...lines.slice(0, n), `... ${lines.length - n} more line(s): see summary.csv and report.html`].join('\n');
}

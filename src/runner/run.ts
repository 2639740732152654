import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { lastValueFrom, tap } from 'rxjs';
import { Engine } from '../core/engine.js';
import { IsacflowError } from '../core/errors.js';
import type { FrameRecord } from '../core/frame.js';
import type { ResolvedPipeline } from '../core/pipeline-loader.js';
import { RunFolder } from './run-folder.js';
import { packageVersion } from '../package-root.js';
import type { TrialTask } from './trial-worker.js';

export interface RunOptions {
  out?: string;
  resume?: string;
  workers?: number | 'auto';
  command?: string[];
  /** called after every finished trial */
  onProgress?: (done: number, total: number) => void;
}

export interface RunResult {
  folder: RunFolder;
  /** all records in (point, trial, frame) order */
  records: FrameRecord[];
  workers: number;
  skipped: number;
}

const here = dirname(fileURLToPath(import.meta.url));

export function isacflowVersion(): string {
  return packageVersion(); // from src/ or dist/src/ alike
}

function timestamp(): string {
  return new Date().toISOString().replace(/[:.]/g, '-').replace('T', '_').slice(0, 19);
}

/** Sort key of a record: (point index, trial, frame). */
export function recordOrder(resolved: ResolvedPipeline): (a: FrameRecord, b: FrameRecord) => number {
  const idx = new Map(resolved.points.map((p) => [p.key, p.index]));
  const pi = (r: FrameRecord) => idx.get(JSON.stringify(r.point)) ?? -1;
  return (a, b) => pi(a) - pi(b) || a.trial - b.trial || a.frame - b.frame;
}

/**
 * Runs every trial of every sweep point, in-process (1 worker) or on a worker-thread pool,
 * appending records to records.jsonl as trials finish. With `resume`, finished trials found in
 * the folder are kept and not recomputed; a folder whose pipeline hash differs is refused.
 */
export async function runPipeline(resolved: ResolvedPipeline, opts: RunOptions = {}): Promise<RunResult> {
  const spec = resolved.spec;
  const dir = opts.resume ?? opts.out ?? join('runs', `${spec.name}-${timestamp()}`);
  const folder = new RunFolder(dir);
  const frames = spec.run.frames;
  const trials = spec.run.trials;
  const order = recordOrder(resolved);

  const kept: FrameRecord[] = [];
  const done = new Set<string>();
  const resumed: string[] = [];
  if (opts.resume) {
    const m = folder.readManifest();
    if (!m) throw new IsacflowError('resume-mismatch', `${dir}: no manifest.json here, nothing to resume (give the folder of an earlier run)`);
    if (m.pipelineHash !== resolved.hash) {
      throw new IsacflowError(
        'resume-mismatch',
        `${dir}: the resolved pipeline differs from the one this folder was run with (hash ${m.pipelineHash.slice(0, 12)} vs ${resolved.hash.slice(0, 12)}); resume only with the same pipeline and --set values, or start a new run with --out`,
      );
    }
    const byTrial = new Map<string, FrameRecord[]>();
    for (const r of folder.readRecords()) {
      const k = `${JSON.stringify(r.point)}#${r.trial}`;
      const list = byTrial.get(k) ?? [];
      if (!list.some((x) => x.frame === r.frame)) list.push(r);
      byTrial.set(k, list);
    }
    for (const [k, list] of byTrial) {
      if (list.length >= frames) {
        done.add(k);
        kept.push(...list);
      }
    }
    kept.sort(order);
    folder.rewriteRecords(kept); // drop partial trials: they are recomputed whole
    resumed.push(...(m.resumed ?? []), m.started);
  } else {
    folder.rewriteRecords([]);
  }

  const tasks: Array<{ pointIndex: number; trial: number }> = [];
  for (const p of resolved.points) {
    for (let t = 0; t < trials; t++) if (!done.has(`${p.key}#${t}`)) tasks.push({ pointIndex: p.index, trial: t });
  }
  const total = resolved.points.length * trials;
  const requested = opts.workers ?? spec.run.workers;
  const workers = Math.max(1, Math.min(requested === 'auto' ? availableParallelism() : requested, tasks.length || 1));

  const started = new Date().toISOString();
  const manifest = {
    name: spec.name,
    description: spec.description,
    started,
    seed: resolved.rootSeed,
    pipelineHash: resolved.hash,
    pipelineFile: resolved.file,
    versions: { isacflow: isacflowVersion(), node: process.version, plugins: resolved.plugins },
    command: opts.command ?? process.argv.slice(1),
    workers,
    trialsPerPoint: trials,
    frames,
    points: resolved.points.map((p) => p.values),
    ...(resumed.length ? { resumed } : {}),
  };
  folder.writeManifest(manifest);
  folder.write('pipeline.resolved.yaml', resolved.resolvedYaml);

  const fresh: FrameRecord[] = [];
  let finished = total - tasks.length;
  opts.onProgress?.(finished, total);
  if (workers === 1) {
    const byIndex = new Map(resolved.points.map((p) => [p.index, p]));
    const engine = new Engine(resolved.rootSeed, frames, resolved.registry);
    const pending: FrameRecord[] = [];
    await lastValueFrom(
      engine.run$(tasks.map((t) => ({ point: byIndex.get(t.pointIndex)!, trial: t.trial }))).pipe(
        tap((r) => {
          pending.push(r);
          if (pending.length >= frames) {
            folder.appendRecords(pending);
            fresh.push(...pending);
            pending.length = 0;
            opts.onProgress?.(++finished, total);
          }
        }),
      ),
      { defaultValue: undefined },
    );
  } else {
    const pool = new Piscina({
      filename: resolve(here, fromSources ? 'trial-worker.ts' : 'trial-worker.js'),
      minThreads: workers,
      maxThreads: workers,
      execArgv: workerExecArgv(),
    });
    try {
      await Promise.all(
        tasks.map(async (t) => {
          const task: TrialTask = { file: resolve(resolved.file), sets: resolved.sets, pointIndex: t.pointIndex, trial: t.trial };
          const recs = (await pool.run(task)) as FrameRecord[];
          folder.appendRecords(recs);
          fresh.push(...recs);
          opts.onProgress?.(++finished, total);
        }),
      );
    } finally {
      await pool.destroy();
    }
  }
  const records = [...kept, ...fresh].sort(order);
  folder.writeManifest({ ...manifest, finished: new Date().toISOString() });
  return { folder, records, workers, skipped: done.size };
}

/** True when this module runs from its TypeScript source (tsx, vitest), false from the compiled dist/. */
const fromSources = import.meta.url.endsWith('.ts');

/**
 * Worker threads run the compiled JavaScript when this runs from dist/ (no loader: a worker is ready
 * in a fraction of a second); from the sources they must load TypeScript: add tsx's loader unless
 * it is there already.
 */
function workerExecArgv(): string[] {
  const argv = process.execArgv.filter((a) => !a.startsWith('--inspect'));
  if (!fromSources) return argv;
  const hasTsx = argv.some((a, i) => a.includes('tsx') && (argv[i - 1] === '--import' || argv[i - 1] === '--loader' || a.startsWith('--import=')));
  return hasTsx ? argv : [...argv, '--import', 'tsx'];
}

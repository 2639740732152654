import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { loadWithBuiltins } from '../../src/builtins.js';
import type { FrameRecord } from '../../src/core/frame.js';
import type { ResolvedPipeline } from '../../src/core/pipeline-loader.js';
import { runPipeline, type RunOptions } from '../../src/runner/run.js';

/**
 * Simulates a run of the small scenario through echo-recorder and the receiver chain (rank known),
 * recording its echoes in `recording`; returns the run's records.
 */
export async function recordSimulated(
  dir: string,
  recording: string,
  run: { trials: number; frames: number; seed: number },
): Promise<FrameRecord[]> {
  const f = writePipeline(dir, 'record', {
    scenario: smallScenario,
    run,
    stages: [
      { id: 'echoes', uses: 'echo-generator' },
      { id: 'rec', uses: 'echo-recorder', params: { path: recording } },
      ...chain(),
    ],
  });
  return (await runWithRecords(await loadWithBuiltins(f), { out: join(dir, 'run-record'), workers: 1 }))
    .records;
}

/** runPipeline with the run's records read back from its folder. */
export async function runWithRecords(resolved: ResolvedPipeline, opts: RunOptions) {
  const r = await runPipeline(resolved, opts);
  return { ...r, records: await r.folder.readRecords() };
}

/** A small scenario (64 x 64 resource grid, 4 APs x 4 antennas, the paper's three targets) so tests run in seconds. */
export const smallScenario = {
  system: { subcarriers: 64, symbols: 64 },
  aps: [
    { position: [0, 0], antennas: 4 },
    { position: [350, 0], antennas: 4 },
    { position: [0, 350], antennas: 4 },
    { position: [350, 350], antennas: 6 },
  ],
  targets: [
    { position: [150.37, 160.82], velocity: { speed: 100.3, heading: 0.6 } },
    { position: [200.81, 140.26], velocity: { speed: 110.7, heading: 2.1 } },
  ],
  snr: { db: 20 },
};

/** The receiver chain after the echoes (cheap DE+BFGS budget for the SFO fusion). */
export function chain(rank: 'known' | 'auto' = 'known'): unknown[] {
  return [
    { id: 'cp', uses: 'cp-decomposer', params: { rank, threshold: 0.1 } },
    { id: 'assoc', uses: 'music-associator' },
    {
      id: 'fusion',
      uses: 'fusion-solver',
      params: {
        scheme: 'sfo',
        solver: 'hybrid',
        solverParams: { global: 'de', globalParams: { maxIterations: 10 } },
      },
    },
  ];
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `isacflow-${prefix}-`));
}

/** Writes a pipeline object as YAML into `dir` and returns its path. */
export function writePipeline(dir: string, name: string, pipeline: Record<string, unknown>): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, stringify({ isacflow: 1, name, ...pipeline }));
  return file;
}

/** What a replay must reproduce: estimates and the CP diagnostics, per (trial, frame). */
export function comparable(records: readonly FrameRecord[]): unknown[] {
  return [...records]
    .sort((a, b) => a.trial - b.trial || a.frame - b.frame)
    .map((r) => ({
      trial: r.trial,
      frame: r.frame,
      estimates: r.estimates,
      decompositions: r.decompositions,
      associations: r.associations,
    }));
}

/**
 * Accuracy of the fast chain against the previous one on the same frames (issue 13), paired:
 *   npm run bench -- speed-accuracy          (ISACFLOW_ACCURACY_TRIALS trials per SNR, default 50)
 * Fig. 9 set-up at 0 and 10 dB. Both paths read the same echo tensors of each trial:
 *   before = unstructured CP on the full tensor (structure: none, compress: none) + SFO with the
 *            paper's abc-bfgs (the round-2 chain),
 *   after  = the default CP (structure: tones)                                   + SFO with grid-bfgs (the default).
 * Printed per SNR: association correct rate, SFO median location / velocity error and ARMSE of both
 * paths, and the paired difference (after − before) with a 95 % bootstrap interval over trials
 * (2000 resamples of whole trials). "No worse" = the interval's upper end is above 0 only by chance,
 * i.e. the interval contains 0 or lies below it.
 * ISACFLOW_ACCURACY_DBS=-20,0,10 sets the SNRs (default 0,10); ISACFLOW_ACCURACY_AFTER_SFO the fusion-solver
 * params of the "after" path as JSON (default {"scheme":"sfo"}), e.g. to compare solver settings;
 * ISACFLOW_ACCURACY_AFTER_CP its cp-decomposer params as JSON (default {}), e.g. {"structure":"none"}.
 * ISACFLOW_ACCURACY_SAVE=file.json writes the "after" results per trial; ISACFLOW_ACCURACY_BASELINE=file.json
 * then replaces "before" by those saved results (same seeds and trials): a paired comparison of the
 * current chain against an earlier state of it (e.g. before and after a speed change).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Frame } from '../src/core/frame.js';
import { matchEstimates } from '../src/results/match.js';
import { Rng } from '../src/math/rng.js';
import {
  AssociationCheckStage,
  type AssociationCheckRecord,
} from '../stages/association-check/association-check.js';
import { CpDecomposerStage, cpDecomposerParams } from '../stages/cp-decomposer/cp-decomposer.js';
import { EchoGeneratorStage, echoGeneratorParams } from '../stages/echo-generator/echo-generator.js';
import { FusionSolverStage, type FusionSolverParams } from '../stages/fusion-solver/fusion-solver.js';
import { MusicAssociatorStage, musicAssociatorParams } from '../stages/music-associator/music-associator.js';
import { branchOf, ctxOf, fig9Scenario, frameOf, quantile, registry, releaseFrame } from './_chain-frames.js';

interface TrialResult {
  correct: number;
  pos: number[];
  vel: number[];
  ms: number;
}

async function runPath(frame: Frame, cp: CpDecomposerStage, sfo: FusionSolverStage): Promise<TrialResult> {
  const f = branchOf(frame);
  const c0 = process.cpuUsage();
  await cp.process(f, ctxOf('cp', f));
  await new MusicAssociatorStage(musicAssociatorParams.parse({})).process(f, ctxOf('assoc', f));
  await sfo.process(f, ctxOf('fusion', f));
  const c = process.cpuUsage(c0);
  new AssociationCheckStage().process(f, ctxOf('check', f));
  const check = (f.record.associationCheck as Record<string, AssociationCheckRecord>).check!; // record.associationCheck[stage id]
  const m = matchEstimates(f.truth, (f.data.estimates as unknown[]) ?? []);
  const pos: number[] = [];
  const vel: number[] = [];
  for (const t of m.targets) {
    pos.push(t.errors ? t.errors.position : Infinity);
    vel.push(t.errors ? t.errors.velocity : Infinity);
  }
  return { correct: check.correct ? 1 : 0, pos, vel, ms: (c.user + c.system) / 1000 };
}

type Metric = (rs: readonly TrialResult[]) => number;
const metrics: Array<[string, Metric]> = [
  ['association correct', (rs) => rs.reduce((s, r) => s + r.correct, 0) / rs.length],
  [
    'median location error (m)',
    (rs) =>
      quantile(
        rs.flatMap((r) => r.pos),
        0.5,
      ),
  ],
  [
    'median velocity error (m/s)',
    (rs) =>
      quantile(
        rs.flatMap((r) => r.vel),
        0.5,
      ),
  ],
  ['ARMSE location (m)', (rs) => Math.sqrt(mean(rs.flatMap((r) => r.pos.map((e) => e * e))))],
  ['ARMSE velocity (m/s)', (rs) => Math.sqrt(mean(rs.flatMap((r) => r.vel.map((e) => e * e))))],
];

/** JSON writes Infinity (a missed target) as null. */
function finite(x: number | null): number {
  return x ?? Infinity;
}

function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

export async function run(): Promise<void> {
  const trials = Number(process.env.ISACFLOW_ACCURACY_TRIALS ?? 50);
  const echo = new EchoGeneratorStage(echoGeneratorParams.parse({}));
  const cpBefore = new CpDecomposerStage(cpDecomposerParams.parse({ compress: 'none', structure: 'none' }));
  const cpAfter = new CpDecomposerStage(
    cpDecomposerParams.parse(JSON.parse(process.env.ISACFLOW_ACCURACY_AFTER_CP ?? '{}')),
  );
  const baselineFile = process.env.ISACFLOW_ACCURACY_BASELINE;
  const saveFile = process.env.ISACFLOW_ACCURACY_SAVE;
  const baseline = baselineFile
    ? (JSON.parse(readFileSync(baselineFile, 'utf8')) as Record<string, TrialResult[]>)
    : undefined;
  const saved: Record<string, TrialResult[]> = {};
  if (baseline) console.log(`"before" = the results saved in ${baselineFile}`);
  console.log(
    `Paired accuracy, before (${baseline ? 'the saved results' : 'unstructured CP full tensor + SFO abc-bfgs'}) vs after (default CP + SFO as set), Fig. 9 set-up, ${trials} trials per SNR, same frames:`,
  );
  const afterSfo = JSON.parse(
    process.env.ISACFLOW_ACCURACY_AFTER_SFO ?? '{"scheme":"sfo"}',
  ) as FusionSolverParams;
  const dbs = (process.env.ISACFLOW_ACCURACY_DBS ?? '0,10').split(',').map(Number);
  for (const db of dbs) {
    const sc = fig9Scenario(db);
    const sfoBefore = new FusionSolverStage({ scheme: 'sfo', solver: 'abc-bfgs' }, registry, sc);
    const sfoAfter = new FusionSolverStage(afterSfo, registry, sc);
    const before: TrialResult[] = [];
    const after: TrialResult[] = [];
    for (let trial = 0; trial < trials; trial++) {
      const frame = frameOf(sc, 2024, trial, `accuracy-${db}`);
      await echo.process(frame, ctxOf('echoes', frame));
      const b = baseline?.[String(db)]?.[trial];
      if (baseline && !b) throw new Error(`${baselineFile} has no trial ${trial} at ${db} dB`);
      before.push(
        b
          ? { ...b, pos: b.pos.map(finite), vel: b.vel.map(finite) }
          : await runPath(frame, cpBefore, sfoBefore),
      );
      after.push(await runPath(frame, cpAfter, sfoAfter));
      releaseFrame(frame);
    }
    saved[String(db)] = after;
    const rng = new Rng(['speed-accuracy-bootstrap', db]);
    console.log(
      `\n${db} dB (${trials} trials, ${3 * trials} targets); CPU ms per frame (CP + assoc + SFO) median: before ${quantile(
        before.map((r) => r.ms),
        0.5,
      ).toFixed(1)}, after ${quantile(
        after.map((r) => r.ms),
        0.5,
      ).toFixed(1)}`,
    );
    console.log(
      `${'metric'.padEnd(30)} ${'before'.padStart(9)} ${'after'.padStart(9)}   after − before [95 % paired bootstrap CI]`,
    );
    for (const [name, f] of metrics) {
      const b = f(before);
      const a = f(after);
      const diffs: number[] = [];
      for (let k = 0; k < 2000; k++) {
        const idx = Array.from({ length: trials }, () => rng.int(trials));
        diffs.push(f(idx.map((i) => after[i]!)) - f(idx.map((i) => before[i]!)));
      }
      const lo = quantile(diffs, 0.025);
      const hi = quantile(diffs, 0.975);
      const fmt = (x: number) => (Math.abs(x) >= 100 || x === 0 ? x.toFixed(2) : x.toPrecision(3));
      console.log(
        `${name.padEnd(30)} ${fmt(b).padStart(9)} ${fmt(a).padStart(9)}   ${fmt(a - b).padStart(9)} [${fmt(lo)}, ${fmt(hi)}]`,
      );
    }
  }
  if (saveFile) writeFileSync(saveFile, JSON.stringify(saved));
}

/**
 * Frame sources: reading one recorded frame (positioned reads of an (L, N_A, N_c, M) complex128 .npy,
 * paper size 4 x 8 x 128 x 128 = 8 MiB), writing one (echo-recorder's writer), and decoding the live
 * framing in memory (LiveFrameParser), against the time to generate the same frame (echo model) as
 * a yardstick. Medians of repeated runs.   npm run bench -- sources
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { defaultScenario } from '../src/isac/default-scenario.js';
import { synthesizeEcho } from '../src/isac/echo-model.js';
import type { Scenario, Target } from '../src/isac/scenario-types.js';
import { Rng } from '../src/math/rng.js';
import { LiveFrameParser } from '../src/sources/live-framing.js';
import { encodeComplex, NpyFile, writeNpy } from '../src/sources/npy-file.js';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

function time(n: number, f: () => void): number {
  const t: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    f();
    t.push(performance.now() - t0);
  }
  return median(t);
}

export async function run(): Promise<void> {
  const sc = defaultScenario() as Scenario;
  const targets = sc.targets as Target[];
  const dir = mkdtempSync(join(tmpdir(), 'isacflow-bench-sources-'));
  const echo = () =>
    sc.aps.map((ap, l) => synthesizeEcho(sc.system, ap, targets, sc.snr, new Rng(['bench', l])).tensor);
  const tensors = echo();
  const shape = [sc.aps.length, 8, sc.system.subcarriers, sc.system.symbols];
  const file = join(dir, 'frame.npy');
  const mib = (shape.reduce((a, b) => a * b, 1) * 16) / 2 ** 20;
  const tEcho = time(5, echo);
  const tWrite = time(5, () =>
    writeNpy(
      file,
      shape,
      tensors.map((t) => t.data),
    ),
  );
  const npy = NpyFile.open(file);
  const per = 8 * sc.system.subcarriers * sc.system.symbols;
  const tRead = time(10, () => {
    for (let l = 0; l < sc.aps.length; l++) npy.readComplex(l * per, per);
  });
  npy.close();
  const payload = Buffer.concat(tensors.map((t) => encodeComplex(t.data, 4)));
  const wire = Buffer.concat([
    Buffer.from(JSON.stringify({ dtype: 'complex64', shape, bytes: payload.length }) + '\n'),
    payload,
  ]);
  const tParse = time(10, () => {
    const p = new LiveFrameParser(
      'bench',
      () => sc,
      () => undefined,
    );
    for (let o = 0; o < wire.length; o += 65536) p.push(wire.subarray(o, Math.min(wire.length, o + 65536)));
  });
  rmSync(dir, { recursive: true, force: true });
  const f = (x: number) => `${x.toFixed(1)} ms`;
  console.log(
    `one frame = ${sc.aps.length} APs x 8 x ${sc.system.subcarriers} x ${sc.system.symbols} (${mib.toFixed(1)} MiB complex128, ${(mib / 2).toFixed(1)} MiB complex64 on the wire)`,
  );
  console.log(`generate (echo model, noise)   ${f(tEcho)}`);
  console.log(`write .npy (complex128)        ${f(tWrite)}   (${(mib / (tWrite / 1000)).toFixed(0)} MiB/s)`);
  console.log(
    `read .npy, positioned          ${f(tRead)}   (${(mib / (tRead / 1000)).toFixed(0)} MiB/s; ${(tRead / tEcho).toFixed(2)} x generating it)`,
  );
  console.log(
    `decode live framing, complex64 ${f(tParse)}   (${(mib / 2 / (tParse / 1000)).toFixed(0)} MiB/s in 64 KiB chunks)`,
  );
}

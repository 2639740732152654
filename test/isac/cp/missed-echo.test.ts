import { describe, expect, it } from 'vitest';
import { ctxOf, fig9Scenario, frameOf } from '../../../bench/_chain-frames.js';
import { cpDecompose } from '../../../src/isac/cp/cp-decompose.js';
import { fftInit, residualGateExceeded, residualGateRatio } from '../../../src/isac/cp/fft-init.js';
import { toneRefine } from '../../../src/isac/cp/tone-refine.js';
import type { EchoTensor } from '../../../src/isac/echo-model.js';
import { Rng } from '../../../src/math/rng.js';
import { EchoGeneratorStage, echoGeneratorParams } from '../../../stages/echo-generator/echo-generator.js';

/** g_0 ∘ x(ν_0) ∘ z(μ_0) + a weak second tone + CN(0, 1) noise (layout of EchoTensor). */
function twoTones(
  weak: number,
  seed: number,
): { t: EchoTensor; nu: number[]; mu: number[]; g: Float64Array } {
  const na = 4;
  const nc = 32;
  const m = 32;
  const rng = new Rng(['missed-echo', seed]);
  const nu = [0.1, -0.31];
  const mu = [0.2, 0.05];
  const amp = [1, weak];
  const g = new Float64Array(2 * na * 2);
  for (let p = 0; p < na; p++)
    for (let r = 0; r < 2; r++) {
      g[2 * (p * 2 + r)] = amp[r]! * Math.cos(0.7 * p * (r + 1));
      g[2 * (p * 2 + r) + 1] = amp[r]! * Math.sin(0.7 * p * (r + 1));
    }
  const data = new Float64Array(2 * na * nc * m);
  for (let p = 0; p < na; p++)
    for (let n = 0; n < nc; n++)
      for (let k = 0; k < m; k++) {
        const o = 2 * ((p * nc + n) * m + k);
        for (let r = 0; r < 2; r++) {
          const ph = 2 * Math.PI * (nu[r]! * n + mu[r]! * k);
          const gr = g[2 * (p * 2 + r)]!;
          const gi = g[2 * (p * 2 + r) + 1]!;
          data[o] = data[o]! + gr * Math.cos(ph) - gi * Math.sin(ph);
          data[o + 1] = data[o + 1]! + gr * Math.sin(ph) + gi * Math.cos(ph);
        }
        data[o] = data[o]! + Math.SQRT1_2 * rng.normal();
        data[o + 1] = data[o + 1]! + Math.SQRT1_2 * rng.normal();
      }
  return { t: { na, nc, m, data, noiseVariance: 1 }, nu, mu, g };
}

/** The 1-tone model (the strong tone only) or the full 2-tone model, at the true parameters. */
function ratio(t: EchoTensor, nu: number[], mu: number[], g: Float64Array, R: 1 | 2): number {
  const spectrum = fftInit(t, 1, { threshold: 1, maxRank: 1, keepSpectrum: true }).spectrum!;
  const gr = new Float64Array(2 * t.na * R);
  for (let p = 0; p < t.na; p++)
    for (let r = 0; r < R; r++) {
      gr[2 * (p * R + r)] = g[2 * (p * 2 + r)]!;
      gr[2 * (p * R + r) + 1] = g[2 * (p * 2 + r) + 1]!;
    }
  const peak = new Float64Array(2);
  const value = residualGateRatio(spectrum, t.na, t.nc, t.m, nu.slice(0, R), mu.slice(0, R), gr, 1, peak);
  // the bounded decision (what cpDecompose uses) agrees, and finds the same residual peak; also when the
  // spectra's power map must be computed
  for (const sp of [spectrum, { F: spectrum.F, nr: spectrum.nr, nd: spectrum.nd }]) {
    const at = new Float64Array(2);
    expect(residualGateExceeded(sp, t.na, t.nc, t.m, nu.slice(0, R), mu.slice(0, R), gr, 1, at)).toBe(
      value >= 1,
    );
    if (value >= 1) expect(Array.from(at)).toEqual(Array.from(peak));
  }
  return value;
}

describe('the missed-echo gate of the structured refinement (fft-init.ts residualGateRatio)', () => {
  it('is below 1 when the model holds every echo (noise alone: false alarm 1e-3 per map), at or above it when one is left out; the bounded decision agrees', () => {
    // A left-out tone of amplitude a has |F|² ≈ N_A (N_c M a)² at its cell against the noise mean
    // N_A N_c M: 1024 a² over the mean. The gate of 4 antennas and 1024 cells at pfa 1e-3 is ~5.6x
    // the mean, so a = 0.15 (23x) is always caught and, with the full model, 20 noise maps pass.
    for (let seed = 0; seed < 20; seed++) {
      const { t, nu, mu, g } = twoTones(0.15, seed);
      expect(ratio(t, nu, mu, g, 2), `seed ${seed}, full model`).toBeLessThan(1);
      expect(ratio(t, nu, mu, g, 1), `seed ${seed}, echo left out`).toBeGreaterThanOrEqual(1);
    }
  });

  /** AP `l`'s echo tensor of a Fig. 9 frame as bench/speed-accuracy.ts builds it. */
  async function fig9Echo(db: number, trial: number, l: number): Promise<EchoTensor> {
    const frame = frameOf(fig9Scenario(db), 2024, trial, `accuracy-${db}`);
    await new EchoGeneratorStage(echoGeneratorParams.parse({})).process(frame, ctxOf('echoes', frame));
    return (frame.data.echoes as EchoTensor[])[l]!;
  }

  it('Fig. 9 frames (−5 and 10 dB, every AP): the bounded decision equals the full residual pass, with and without an echo left out', async () => {
    let exceeded = 0;
    for (const db of [-5, 10])
      for (const trial of [0, 1])
        for (let l = 0; l < 4; l++) {
          const t = await fig9Echo(db, trial, l);
          const init = fftInit(t, 3, { threshold: 0.1, maxRank: 8, keepSpectrum: true });
          let yn = 0;
          for (const v of t.data) yn += v * v;
          for (const R of [3, 2]) {
            const nu = init.peaks.slice(0, R).map((p) => p.nuDelay);
            const mu = init.peaks.slice(0, R).map((p) => p.nuDoppler);
            const r = toneRefine(t.data, yn, t.na, t.nc, t.m, nu, mu, 30, 1e-8);
            const s2 = r.cost / (t.na * t.nc * t.m - R * (t.na + 1));
            const pa = new Float64Array(2);
            const pb = new Float64Array(2);
            const full =
              residualGateRatio(init.spectrum!, t.na, t.nc, t.m, r.nu, r.mu, r.factors.a, s2, pa) >= 1;
            expect(
              residualGateExceeded(init.spectrum!, t.na, t.nc, t.m, r.nu, r.mu, r.factors.a, s2, pb),
            ).toBe(full);
            if (full) {
              expect(Array.from(pb)).toEqual(Array.from(pa));
              exceeded++;
            }
          }
        }
    expect(exceeded).toBeGreaterThan(10); // the left-out echoes are caught (both branches exercised)
  }, 60_000);

  it('Fig. 9 set-up, 0 dB, trial 3, AP 2: the FFT start takes a leftover, the gate catches it, the moved start finds the third echo', async () => {
    const t = await fig9Echo(0, 3, 2);
    const N = t.na * t.nc * t.m;
    let yn = 0;
    for (const v of t.data) yn += v * v;
    // the structured refinement from the FFT start alone: an echo is left in the residual
    const init = fftInit(t, 3, { threshold: 0.7, maxRank: 8, keepSpectrum: true });
    const nu = init.peaks.map((p) => p.nuDelay);
    const mu = init.peaks.map((p) => p.nuDoppler);
    const r = toneRefine(t.data, yn, t.na, t.nc, t.m, nu, mu, 30, 1e-8);
    const sigma2 = r.cost / (N - 3 * (t.na + 1));
    expect(
      residualGateRatio(init.spectrum!, t.na, t.nc, t.m, r.nu, r.mu, r.factors.a, sigma2),
    ).toBeGreaterThan(1);
    expect(sigma2 - 1).toBeGreaterThan(0.1);
    // cpDecompose restarts the tones with the weaker of the start's closest pair at the residual's
    // peak (no ALS) and ends at the noise level: σ² = 1, σ̂² within 5 standard deviations (√(2/dof)
    // per real dof ≈ 0.0028)
    const d = cpDecompose(t, { rank: 3 });
    expect(d.iterations).toBe(0);
    expect(Math.abs(d.noiseVariance - 1)).toBeLessThan(0.014);
  }, 60_000);

  it('Fig. 9 set-up, −5 dB, trial 3, AP 2: no structured start explains the echo; the unstructured path does', async () => {
    const t = await fig9Echo(-5, 3, 2);
    const d = cpDecompose(t, { rank: 3 });
    expect(d.iterations).toBeGreaterThan(0); // ALS sweeps: the unstructured path ran
    expect(Math.abs(d.noiseVariance - 1)).toBeLessThan(0.014);
  }, 60_000);
});

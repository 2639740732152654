import { describe, expect, it } from 'vitest';
import { IsacflowError } from '../../../src/core/errors.js';
import { cpDecompose } from '../../../src/isac/cp/cp-decompose.js';
import { componentFactors } from '../../../src/isac/cp/types.js';
import { defaultScenario } from '../../../src/isac/default-scenario.js';
import { synthesizeEcho, type EchoTensor } from '../../../src/isac/echo-model.js';
import type { SnrSpec, Target } from '../../../src/isac/scenario-types.js';
import { Rng } from '../../../src/math/rng.js';
import { allFinite, distance, expectedFactors, matchComponents, norm } from './helpers.js';

const sc = defaultScenario();
const targets = sc.targets as Target[];

function echo(
  apIndex: number,
  snr: SnrSpec,
  seed: string,
  noise: boolean,
  tg: Target[] = targets,
  noiseVariance = 1,
): { tensor: EchoTensor; amplitudes: Float64Array } {
  return synthesizeEcho(sc.system, sc.aps[apIndex]!, tg, snr, new Rng(['cp-test', seed, apIndex]), {
    noise,
    noiseVariance,
  });
}

describe('cpDecompose on noise-free echoes (eqs. 31, 35)', () => {
  it.each([0, 1, 2, 3])(
    'AP %i: relative fit error < 1e-10 and factors = steering vectors in the documented scaling',
    (l) => {
      const { tensor, amplitudes } = echo(l, sc.snr, 'clean', false);
      const d = cpDecompose(tensor, { rank: 3 });
      expect(d.relativeFitError).toBeLessThan(1e-10);
      expect(d.status).toBe('converged');
      expect(allFinite(d)).toBe(true);
      const expected = targets.map((t, u) =>
        expectedFactors(sc.system, sc.aps[l]!, t, [amplitudes[2 * u]!, amplitudes[2 * u + 1]!]),
      );
      const match = matchComponents(d, expected);
      expected.forEach((e, u) => {
        const f = componentFactors(d, match[u]!);
        // unit-norm delay/Doppler factors with the first element real > 0, equal to a_d/√N_c, a_f/√M
        expect(norm(f.delay)).toBeCloseTo(1, 12);
        expect(f.delay[1]).toBeCloseTo(0, 14);
        expect(f.delay[0]).toBeGreaterThan(0);
        expect(distance(f.delay, e.delay)).toBeLessThan(1e-8);
        expect(distance(f.doppler, e.doppler)).toBeLessThan(1e-8);
        // angle factor carries √(N_c M) α a_d[1] a_f[1] a_r(θ)
        expect(distance(f.angle, e.angle) / norm(e.angle)).toBeLessThan(1e-8);
      });
      // noise-free: σ̂² is rounding noise, far below |α|²
      const maxAlpha2 = Math.max(
        ...targets.map((_, u) => amplitudes[2 * u]! ** 2 + amplitudes[2 * u + 1]! ** 2),
      );
      expect(d.noiseVariance).toBeLessThan(1e-20 * maxAlpha2);
    },
  );

  it.each(['fft', 'esprit', 'random'] as const)(
    "init '%s' reaches the exact decomposition as well",
    (init) => {
      const { tensor } = echo(1, sc.snr, 'clean', false);
      const d = cpDecompose(
        tensor,
        { rank: 3, init, maxIterations: 500 },
        new Rng(['cp-test', 'random-start']),
      );
      expect(d.relativeFitError).toBeLessThan(1e-10);
      expect(d.start).toBe(init);
    },
  );
});

describe('noise variance from the CP residual', () => {
  // Model notes: σ̂² = ||Y − [[U,V,W]]||² / dof, dof = N_A N_c M − R(N_A + N_c + M − 2). At the least-squares
  // optimum of a locally linear model ||E||²/σ² ~ χ²_{2 dof}/2, so σ̂²/σ² has mean 1 and standard deviation
  // 1/√dof (≈ 0.0028 here); the tolerance is 5 standard deviations. AP 1 sees the three default targets
  // well separated, so the linearisation holds at 0 dB.
  it.each([1, 2.5])('σ̂²/σ² = 1 within 5/√dof for σ² = %s', (sigma2) => {
    const { tensor } = echo(1, sc.snr, `noise-${sigma2}`, true, targets, sigma2);
    const d = cpDecompose(tensor, { rank: 3 });
    const dof = 8 * 128 * 128 - 3 * (8 + 128 + 128 - 2);
    expect(Math.abs(d.noiseVariance / sigma2 - 1)).toBeLessThan(5 / Math.sqrt(dof));
    expect(d.relativeFitError).toBeGreaterThan(0);
  });
});

describe("rank 'auto'", () => {
  const none: SnrSpec = { db: 0, referenceRangeM: 250, pathLoss: 'none' };
  it('counts three equal-power echoes with the paper threshold 0.7', () => {
    const { tensor } = echo(1, none, 'auto-none', true);
    expect(cpDecompose(tensor, { rank: 'auto' }).rank).toBe(3);
  });

  it('keeps the echoes whose amplitude is >= threshold x the strongest (radar path loss)', () => {
    // |α| ∝ r⁻² (model notes): at AP 1 the three default echoes, several cells apart, have amplitude
    // ratios 1 : 0.64 : 0.55, so thresholds 0.1 / 0.6 / 0.9 must count 3 / 2 / 1 (margins >= 4 % against a
    // CLEAN amplitude error of about 1 % at 0 dB). Echoes closer than about a cell are not counted
    // separately by 'auto' (documented in fft-init.ts).
    const { tensor, amplitudes } = echo(1, sc.snr, 'auto-radar', true);
    const amp = targets.map((_, u) => Math.hypot(amplitudes[2 * u]!, amplitudes[2 * u + 1]!));
    const max = Math.max(...amp);
    for (const threshold of [0.1, 0.6, 0.9]) {
      const expected = amp.filter((a) => a >= threshold * max).length;
      expect(cpDecompose(tensor, { rank: 'auto', threshold }).rank).toBe(expected);
    }
  });

  it('finds nothing in pure noise or in a zero tensor', () => {
    const { tensor } = echo(1, sc.snr, 'noise-only', true, []);
    const d = cpDecompose(tensor, { rank: 'auto' });
    expect(d.rank).toBe(0);
    expect(d.status).toBe('empty');
    expect(allFinite(d)).toBe(true);
    const zero: EchoTensor = { ...tensor, data: new Float64Array(tensor.data.length) };
    expect(cpDecompose(zero, { rank: 'auto' }).rank).toBe(0);
  });
});

describe('degenerate input gives defined, reported results', () => {
  it('zero tensor with rank 3: zero-amplitude components, status zero-tensor', () => {
    const { tensor } = echo(0, sc.snr, 'zero', false);
    const zero: EchoTensor = { ...tensor, data: new Float64Array(tensor.data.length) };
    const d = cpDecompose(zero, { rank: 3 });
    expect(d.status).toBe('zero-tensor');
    expect(d.rank).toBe(3);
    expect(allFinite(d)).toBe(true);
    expect(d.noiseVariance).toBe(0);
    expect(d.relativeFitError).toBe(0);
    expect(norm(d.angle)).toBe(0);
    for (let r = 0; r < 3; r++) expect(norm(componentFactors(d, r).delay)).toBeCloseTo(1, 12);
    expect(d.warnings.join(' ')).toMatch(/zero tensor/);
  });

  it('rank larger than the data supports: finite factors, exact fit of the one echo', () => {
    const { tensor } = echo(2, sc.snr, 'one-target', false, [targets[0]!]);
    const d = cpDecompose(tensor, { rank: 3 });
    expect(allFinite(d)).toBe(true);
    expect(d.relativeFitError).toBeLessThan(1e-6);
    const noisy = cpDecompose(echo(2, sc.snr, 'overfit', true).tensor, { rank: 6 });
    expect(allFinite(noisy)).toBe(true);
    expect(noisy.rank).toBe(6);
  });

  it('two echoes with identical range and Doppler at one AP: reported as not separable', () => {
    // AP at the origin, both targets at 200 m, headings θ_l + 1 so that cos(θ_l − θ_u) and the speed agree:
    // same delay and Doppler, different angle. Then Y = (u₁ + u₂) ∘ d ∘ f has rank one.
    const at = (theta: number): Target => ({
      position: [200 * Math.cos(theta), 200 * Math.sin(theta)],
      velocity: { speed: 100, heading: theta + 1 },
    });
    const pair = [at(0.5), at(0.9)];
    const { tensor } = echo(0, sc.snr, 'twins', false, pair);
    const d = cpDecompose(tensor, { rank: 2 });
    expect(allFinite(d)).toBe(true);
    expect(d.relativeFitError).toBeLessThan(1e-8);
    expect(d.maxCongruence).toBeGreaterThan(0.99);
    expect(d.warnings.join(' ')).toMatch(/not separable/);
  });
});

describe('non-finite echo tensors', () => {
  it('a NaN or an infinite sample is refused with the tensor norm it gives, whatever the rank', () => {
    for (const [bad, norm2] of [
      [NaN, 'NaN'],
      [Infinity, 'Infinity'],
    ] as const) {
      const t: EchoTensor = { na: 2, nc: 8, m: 8, data: new Float64Array(256).fill(0.1), noiseVariance: 1 };
      t.data[17] = bad;
      for (const rank of [2, 'auto'] as const) {
        let err: unknown;
        try {
          cpDecompose(t, { rank });
        } catch (e) {
          err = e;
        }
        expect(IsacflowError.is(err)).toBe(true);
        expect((err as IsacflowError).kind).toBe('non-finite');
        expect((err as Error).message).toContain(`||Y||² = ${norm2}`);
      }
    }
  });
});

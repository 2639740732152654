import { describe, expect, it } from 'vitest';
import { defaultScenario } from '../../../src/isac/default-scenario.js';
import type { Ap, Target } from '../../../src/isac/scenario-types.js';
import {
  CRB_MODES,
  crbTargets,
  isSingular,
  type CrbMode,
  type CrbTargetResult,
} from '../../../src/isac/crb/index.js';

/**
 * Degenerate geometries must come back as { singular: true, reason } (never NaN, never a silently
 * huge number). Each case is singular by counting or by symmetry, stated per case.
 */
const sc = defaultScenario();
const { system: sys, snr } = sc;
const target: Target = { position: [150.37, 160.82], velocity: { speed: 100.3, heading: 0.6 } };

function all(aps: Ap[], t: Target, modes: readonly CrbMode[] = CRB_MODES): Record<string, CrbTargetResult> {
  return Object.fromEntries(modes.map((m) => [m, crbTargets(aps, [t], sys, snr, m)[0] as CrbTargetResult]));
}

function expectFiniteJson(r: unknown): void {
  const text = JSON.stringify(r);
  expect(text).not.toMatch(/null|NaN|Infinity/);
}

describe('singular Fisher information is reported, not inverted', () => {
  it('one AP: 3 measurements (τ, sin θ, f_D) for 4 unknowns → singular (exact and paper)', () => {
    // paper-printed is not: its T (15) wrongly lets delay and angle carry velocity information.
    const res = all([{ position: [0, 0], antennas: 8 }], target, ['exact', 'paper']);
    for (const m of ['exact', 'paper']) {
      const r = res[m]!;
      expect(isSingular(r), m).toBe(true);
      if (isSingular(r)) expect(r.reason.length).toBeGreaterThan(10);
      expectFiniteJson(r);
    }
    const exact = res.exact!;
    if (isSingular(exact)) expect(exact.reason).toMatch(/one AP/);
    // paper: the position block is regular (τ and sin θ fix it), the velocity block has rank 1
    const paper = res.paper!;
    if (isSingular(paper)) expect(paper.reason).toMatch(/\(v, θ_u\)/);
  });

  it('N_A = 1 at every AP, APs collinear and the target on their line → singular (exact and paper)', () => {
    // On the line every delay gradient is along x and every Doppler row has the same (v, θ_u) part up
    // to sign, so the rank is at most 3 (exact); the paper's velocity block has rank 1.
    const aps: Ap[] = [
      { position: [0, 0], antennas: 1 },
      { position: [200, 0], antennas: 1 },
      { position: [400, 0], antennas: 1 },
    ];
    const onLine: Target = { position: [300, 0], velocity: { speed: 100, heading: 0.6 } };
    const res = all(aps, onLine, ['exact', 'paper']);
    expect(isSingular(res.exact!)).toBe(true);
    expect(isSingular(res.paper!)).toBe(true);
    if (isSingular(res.exact!)) expect(res.exact.reason).toMatch(/N_A = 1/);
    // nearly on the line: ill-conditioned beyond double precision → still reported singular
    const nearly: Target = { position: [300, 1e-9], velocity: { speed: 100, heading: 0.6 } };
    expect(isSingular(crbTargets(aps, [nearly], sys, snr, 'exact')[0]!)).toBe(true);
    // off the line the same layout is regular: two ranges fix the position, three Dopplers (v, θ_u)
    const off: Target = { position: [300, 80], velocity: { speed: 100, heading: 0.6 } };
    const r = crbTargets(aps, [off], sys, snr, 'exact')[0]!;
    expect(isSingular(r)).toBe(false);
    expectFiniteJson(r);
  });

  it('speed 0: the heading does not affect the echo → no information on θ_u', () => {
    const still: Target = { position: [150, 160], velocity: { speed: 0, heading: 0.6 } };
    const res = all(sc.aps, still);
    for (const m of CRB_MODES) {
      const r = res[m]!;
      expect(isSingular(r), m).toBe(true);
      expectFiniteJson(r);
    }
    if (isSingular(res.exact!)) expect(res.exact.reason).toMatch(/θ_u/);
  });

  it('a target on an AP is singular; paper-printed is singular where (13) divides by Θ_l = 0', () => {
    const onAp: Target = { position: [350, 0], velocity: { speed: 100, heading: 0.6 } };
    for (const m of CRB_MODES) expect(isSingular(crbTargets(sc.aps, [onAp], sys, snr, m)[0]!), m).toBe(true);
    const above: Target = { position: [0, 200], velocity: { speed: 100, heading: 0.6 } };
    const printed = crbTargets(sc.aps, [above], sys, snr, 'paper-printed')[0]!;
    expect(isSingular(printed)).toBe(true);
    if (isSingular(printed)) expect(printed.reason).toMatch(/\(13\)/);
    expect(isSingular(crbTargets(sc.aps, [above], sys, snr, 'exact')[0]!)).toBe(false);
    // moving along AP 0's line of sight: χ_0 = 0 and (15) divides by it
    const radial: Target = { position: [100, 100], velocity: { speed: 100, heading: Math.PI / 4 } };
    const p2 = crbTargets(sc.aps, [radial], sys, snr, 'paper-printed')[0]!;
    expect(isSingular(p2)).toBe(true);
    if (isSingular(p2)) expect(p2.reason).toMatch(/\(15\)/);
  });
});

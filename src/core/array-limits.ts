import type { Scenario } from '../isac/scenario-types.js';
import type { Problem } from './errors.js';
import type { Limits } from './limits.js';
import type { Locate } from './load-state.js';
import type { ResolvedStage } from './stage-resolve.js';
import type { PathKey } from './zod-problems.js';

const pow2 = (n: number): number => (n <= 1 ? 1 : 2 ** Math.ceil(Math.log2(n)));

/**
 * Arrays a run would allocate, checked against `limits.maxArrayElements` before anything runs:
 * the echo tensor of each AP (N_A x N_c x M), the FFT grid of fft-detector (angleBins x N_c x M)
 * and the grid of crb-map. A size that validate accepts is one the run can allocate.
 */
export function arrayProblems(
  scenario: Scenario,
  stages: readonly ResolvedStage[],
  limits: Limits,
  locate: Locate,
): Problem[] {
  const max = limits.maxArrayElements;
  const out: Problem[] = [];
  const { subcarriers: nc, symbols: m } = scenario.system;
  const raise = `raise limits.maxArrayElements (${max}) if the machine has the memory`;
  let maxNa = 0;
  scenario.aps.forEach((ap, l) => {
    maxNa = Math.max(maxNa, ap.antennas);
    const n = ap.antennas * nc * m;
    if (n > max)
      out.push({
        where: locate(['scenario', 'aps', l, 'antennas']),
        path: `scenario.aps[${l}].antennas`,
        message: `the echo tensor of AP ${l} would hold ${n} complex values (${ap.antennas} antennas x ${nc} subcarriers x ${m} symbols), more than the limit; ${raise}`,
      });
  });
  for (const s of stages) {
    for (const v of s.variants) {
      const p = v.params as Record<string, unknown>;
      const at = (key: string): { where: string; path: string } => {
        const inVariant = v.name !== '' && s.variants.length > 1;
        const path: PathKey[] = inVariant
          ? ['stages', s.index, 'variants', v.name, key]
          : ['stages', s.index, 'params', key];
        return { where: locate(path), path: `stages.${s.id}.${key}` };
      };
      if (s.uses === 'fft-detector' && typeof p.angleBins === 'number') {
        const n = Math.max(pow2(p.angleBins), pow2(maxNa), 2) * nc * m;
        if (n > max)
          out.push({
            ...at('angleBins'),
            message: `the range-Doppler-angle grid would hold ${n} values (angleBins ${p.angleBins} -> ${Math.max(pow2(p.angleBins), pow2(maxNa), 2)} x ${nc} x ${m}), more than the limit; ${raise}`,
          });
      }
      if (s.uses === 'crb-map' && typeof p.stepM === 'number' && Array.isArray(p.area)) {
        const [[x0, y0], [x1, y1]] = p.area as [[number, number], [number, number]];
        const n =
          (Math.floor(Math.abs(x1 - x0) / p.stepM) + 1) * (Math.floor(Math.abs(y1 - y0) / p.stepM) + 1);
        if (!Number.isFinite(n) || n > max)
          out.push({
            ...at('stepM'),
            message: `the CRB map grid would have ${n} cells, more than the limit; use a larger stepM or a smaller area, or ${raise}`,
          });
      }
    }
  }
  return out;
}

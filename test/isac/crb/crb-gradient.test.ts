import { describe, expect, it } from 'vitest';
import type { SnrSpec, SystemParams } from '../../../src/isac/scenario-types.js';
import { CrbKernel, KernelStatus } from '../../../src/isac/crb/index.js';

/**
 * The analytic gradient of tr CRB_p and tr CRB_a with respect to AP positions and (continuous)
 * antenna counts against central finite differences. Central differences have truncation error
 * O(h²·f'''): with h = 1e-3 m on ranges of ~200 m and h = 1e-4 on N_A ~ 8 the relative error is
 * ~(h/scale)² ≈ 1e-10, far below the 1e-6 tolerance; round-off is ~eps·f/h ≈ 1e-13·f.
 */
const sys: SystemParams = {
  carrierHz: 3.5e9,
  subcarrierSpacingHz: 30e3,
  subcarriers: 128,
  symbols: 128,
  symbolDurationS: 35.714e-6,
  antennaSpacingWavelengths: 0.5,
};

const layout = Float64Array.from([3, -7, 352, 4, -6, 345, 341, 357, 170, -40]);
const antennas = Float64Array.from([6.3, 8.7, 10.2, 4.5, 1.7]);
const targets = [
  [150.37, 160.82, 100.3, 0.6],
  [200.81, 140.26, 110.7, 2.1],
  [120, 260, 95.4, -1.2],
] as const;

describe('CrbKernel gradient', () => {
  for (const mode of ['exact', 'paper'] as const) {
    for (const pathLoss of ['radar', 'none'] as const) {
      it(`${mode}, pathLoss ${pathLoss}: d tr CRB_p, d tr CRB_a / d(c_l, N_A^l) match central differences`, () => {
        const snr: SnrSpec = { db: -3, referenceRangeM: 250, pathLoss };
        const kernel = new CrbKernel(sys, snr, mode);
        const L = antennas.length;
        const out = new Float64Array(2);
        const gP = new Float64Array(3 * L);
        const gA = new Float64Array(3 * L);
        const op = new Float64Array(2);
        const om = new Float64Array(2);
        for (const [x, y, v, h] of targets) {
          expect(kernel.evaluate(layout, antennas, x, y, v, h, out, gP, gA)).toBe(true);
          const fdP = new Float64Array(3 * L);
          const fdA = new Float64Array(3 * L);
          for (let z = 0; z < 3 * L; z++) {
            const xy = Float64Array.from(layout);
            const na = Float64Array.from(antennas);
            const isPos = z < 2 * L;
            const step = isPos ? 1e-3 : 1e-4;
            const arr = isPos ? xy : na;
            const idx = isPos ? z : z - 2 * L;
            const base = arr[idx] as number;
            arr[idx] = base + step;
            expect(kernel.evaluate(xy, na, x, y, v, h, op)).toBe(true);
            arr[idx] = base - step;
            expect(kernel.evaluate(xy, na, x, y, v, h, om)).toBe(true);
            fdP[z] = ((op[0] as number) - (om[0] as number)) / (2 * step);
            fdA[z] = ((op[1] as number) - (om[1] as number)) / (2 * step);
          }
          for (const [g, fd, name] of [
            [gP, fdP, 'trP'],
            [gA, fdA, 'trA'],
          ] as const) {
            const scale = Math.max(...Array.from(fd, Math.abs));
            expect(scale).toBeGreaterThan(0);
            for (let z = 0; z < 3 * L; z++) {
              expect(
                Math.abs((g[z] as number) - (fd[z] as number)),
                `${name} z=${z} analytic ${g[z]} fd ${fd[z]}`,
              ).toBeLessThan(1e-6 * scale);
            }
          }
        }
      });
    }
  }

  it('reports failures as a status with Infinity traces and zero gradients, never NaN', () => {
    const kernel = new CrbKernel(sys, { db: 0, referenceRangeM: 250, pathLoss: 'radar' }, 'exact');
    const out = new Float64Array(2);
    const g = new Float64Array(3).fill(7);
    expect(kernel.evaluate([0, 0], [8], 150, 160, 100, 0.6, out, g)).toBe(false);
    expect(kernel.status).toBe(KernelStatus.Singular);
    expect(Array.from(out)).toEqual([Infinity, Infinity]);
    expect(Array.from(g)).toEqual([0, 0, 0]);
    expect(kernel.evaluate([0, 0, 350, 0], [8, 0.5], 150, 160, 100, 0.6, out)).toBe(false);
    expect(kernel.status).toBe(KernelStatus.InvalidInput);
    expect(kernel.index).toBe(1);
    expect(kernel.evaluate([0, 0, 350, 0], [8, 8], 350, 0, 100, 0.6, out)).toBe(false);
    expect(kernel.status).toBe(KernelStatus.Coincident);
    expect(kernel.evaluate([0, 0, 350, 0], [8, 8], 150, 160, 100, 0.6, out)).toBe(true);
    expect(kernel.status).toBe(KernelStatus.Ok);
  });
});

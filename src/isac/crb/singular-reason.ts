import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import type { Ap } from '../scenario-types.js';
import { KernelStatus, type CrbKernel } from './crb-kernel.js';

const PARAMS = ['x', 'y', 'v', 'θ_u'] as const;

/**
 * Human-readable reason why a {@link CrbKernel} evaluation failed: what is degenerate, the
 * (nearly) unidentifiable combination of parameters (eigenvector of the smallest eigenvalue of
 * the equilibrated FIM, with the ratio of its extreme eigenvalues) and hints from the layout (one AP, no angle information, speed 0).
 * Not on the hot path.
 */
export function singularReason(kernel: CrbKernel, aps: readonly Ap[], speed: number, mode: string): string {
  const i = kernel.index;
  switch (kernel.status) {
    case KernelStatus.Coincident:
      return `the target coincides with AP ${i} (range 0: delay and angle are undefined)`;
    case KernelStatus.InvalidInput:
      return `AP ${i} has a non-finite position or an antenna count below 1 (N_A = ${aps[i]?.antennas})`;
    case KernelStatus.NoInformation:
      return `no information on ${PARAMS[i] ?? '?'} (zero Fisher information)${hints(aps, speed, mode, kernel.variant.amplitude)}`;
    default: {
      const what = kernel.status === KernelStatus.IllConditioned ? 'ill-conditioned' : 'singular';
      const b0 = kernel.block === 'a' ? 2 : 0;
      const n = kernel.block === '' ? 4 : 2;
      const names = kernel.block === '' ? 'x, y, v, θ_u' : kernel.block === 'p' ? 'x, y' : 'v, θ_u';
      return `Fisher information of (${names}) is ${what}: ${nullDirection(kernel.fim, b0, n)}${hints(aps, speed, mode, kernel.variant.amplitude)}`;
    }
  }
}

/** The eigenvector of the smallest eigenvalue of the equilibrated block, as a parameter combination. */
function nullDirection(fim: Float64Array, b0: number, n: number): string {
  const s: number[] = [];
  for (let i = 0; i < n; i++)
    s.push(1 / Math.sqrt(Math.max(fim[4 * (b0 + i) + b0 + i] as number, Number.MIN_VALUE)));
  const rows: number[][] = [];
  for (let i = 0; i < n; i++) {
    const row: number[] = [];
    for (let j = 0; j < n; j++)
      row.push((fim[4 * (b0 + i) + b0 + j] as number) * (s[i] as number) * (s[j] as number));
    rows.push(row);
  }
  const eig = new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: true });
  const values = eig.realEigenvalues;
  let k = 0;
  for (let j = 1; j < n; j++) if ((values[j] as number) < (values[k] as number)) k = j;
  let kMax = 0;
  for (let j = 1; j < n; j++) if ((values[j] as number) > (values[kMax] as number)) kMax = j;
  const ratio = Math.max(0, values[k] as number) / (values[kMax] as number);
  const ratioText = ratio < 1e-16 ? '≈ 0' : ratio.toExponential(1);
  const vec = eig.eigenvectorMatrix.getColumn(k);
  const terms = vec
    .map((c, j) => ({ c, name: PARAMS[b0 + j] as string }))
    .filter((t) => Math.abs(t.c) >= 0.05)
    .map((t) => `${t.c >= 0 ? '+' : '−'}${Math.abs(t.c).toFixed(2)}·${t.name}`)
    .join(' ');
  return `eigenvalue ratio ${ratioText} after equilibration; unidentifiable combination ≈ ${terms} (equilibrated units)`;
}

function hints(aps: readonly Ap[], speed: number, mode: string, amplitude: 'known' | 'unknown'): string {
  const h: string[] = [];
  if (aps.length === 1) h.push('one AP gives 3 measurements (τ, sin θ, f_D) for 4 unknowns');
  if (aps.length === 0) h.push('no AP');
  if (amplitude === 'unknown' && aps.length > 0 && aps.every((a) => a.antennas <= 1)) {
    h.push('N_A = 1 at every AP: no angle information (only delay and Doppler)');
  }
  if (speed === 0) h.push('speed 0: the heading θ_u does not affect the echo');
  return h.length > 0 ? ` [${mode}: ${h.join('; ')}]` : ` [${mode}]`;
}

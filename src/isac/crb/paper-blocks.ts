import type { FimSystem } from './local-fim.js';

/** Diagonal entries of the paper's blocks A..F for one AP, (7)-(12). */
export interface PaperBlocks {
  A: number;
  B: number;
  C: number;
  D: number;
  E: number;
  F: number;
}

/**
 * [A]_ll .. [F]_ll exactly as printed in (7)-(12), with |α_l|²/σ_z² := SNR_l and d_c/λ = κ:
 *   A = 4π² SNR Δf² (2N_c+1)(N_c+1)N_c M N_A/6          (7)
 *   B = −4π² SNR κ Δf (N_A+1)N_A (N_c+1)N_c M/4         (8)
 *   C = −4π² SNR T Δf (M+1)M (N_c+1)N_c N_A/4           (9)
 *   D = 4π² SNR κ² (2N_A+1)(N_A+1)N_A N_c M/6           (10)
 *   E = 4π² SNR κ T (N_A+1)N_A (M+1)M N_c/4             (11)
 *   F = 4π² SNR T² (2M+1)(M+1)M N_A N_c/6               (12)
 * These are (1/σ²)·Re Σ, half the Fisher information of CN(0, σ²) noise, with α known and indices
 * 1..N (model notes); the local matrix over (τ, sin θ, f_D) is [[A,B,C],[B,D,E],[C,E,F]].
 */
export function paperBlocks(snr: number, na: number, sys: FimSystem): PaperBlocks {
  const q = 4 * Math.PI * Math.PI * snr;
  const df = sys.subcarrierSpacingHz;
  const k = sys.antennaSpacingWavelengths;
  const t = sys.symbolDurationS;
  const nc = sys.subcarriers;
  const m = sys.symbols;
  return {
    A: (q * df * df * (2 * nc + 1) * (nc + 1) * nc * m * na) / 6,
    B: (-q * k * df * (na + 1) * na * (nc + 1) * nc * m) / 4,
    C: (-q * t * df * (m + 1) * m * (nc + 1) * nc * na) / 4,
    D: (q * k * k * (2 * na + 1) * (na + 1) * na * nc * m) / 6,
    E: (q * k * t * (na + 1) * na * (m + 1) * m * nc) / 4,
    F: (q * t * t * (2 * m + 1) * (m + 1) * m * na * nc) / 6,
  };
}

/** The local 3×3 matrix [[A,B,C],[B,D,E],[C,E,F]] of one AP, row-major. */
export function paperBlockMatrix(b: PaperBlocks): Float64Array {
  return Float64Array.from([b.A, b.B, b.C, b.B, b.D, b.E, b.C, b.E, b.F]);
}

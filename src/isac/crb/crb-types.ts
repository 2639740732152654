/** CRB modes of the crb-evaluator (model notes, "CRB modes the software offers"). */
export const CRB_MODES = ['exact', 'paper', 'paper-printed'] as const;
export type CrbMode = (typeof CRB_MODES)[number];

export type Mat2 = [[number, number], [number, number]];

/** Bound of one target (units: m, m/s, rad). */
export interface CrbBound {
  /** √tr CRB_p, m */
  sqrtTrP: number;
  /** √tr CRB_a, mixed (m/s)² + rad² as in the paper */
  sqrtTrA: number;
  /** √CRB of x, m */
  stdX: number;
  /** √CRB of y, m */
  stdY: number;
  /** √CRB of the speed v, m/s */
  stdSpeed: number;
  /** √CRB of the heading θ_u, rad */
  stdHeading: number;
  /** √tr of the bound on (v cos θ_u, v sin θ_u), m/s */
  sqrtTrVelXY: number;
  /** CRB of (x, y), m² */
  crbP: Mat2;
  /** CRB of (v, θ_u) */
  crbA: Mat2;
  /** CRB of the Cartesian velocity (v cos θ_u, v sin θ_u), (m/s)² */
  crbVelXY: Mat2;
}

/** A target whose Fisher information is singular or ill-conditioned in this mode. */
export interface CrbSingular {
  singular: true;
  reason: string;
}

export type CrbTargetResult = CrbBound | CrbSingular;

export function isSingular(r: CrbTargetResult): r is CrbSingular {
  return (r as CrbSingular).singular === true;
}

/**
 * How a Fisher matrix over (x, y, v, θ_u) is built and inverted:
 * amplitude known or unknown (Schur complement), the index base of p, n, m (1 as in the paper),
 * joint 4×4 inverse or decoupled 2×2 blocks (each assumes the other pair known), and the
 * Fisher scale (2 = Slepian-Bangs for CN(0, σ²) noise; 1 = the paper's (7)-(12)).
 */
export interface CrbVariant {
  amplitude: 'known' | 'unknown';
  indexBase: 0 | 1;
  coupling: 'joint' | 'decoupled';
  scale: number;
}

/** `exact`: joint 4×4, unknown complex amplitude per AP, 2/σ². */
export const EXACT_VARIANT: Readonly<CrbVariant> = {
  amplitude: 'unknown',
  indexBase: 1,
  coupling: 'joint',
  scale: 2,
};

/** `paper`: Theorem 1/2 with corrected P, T: blocks (7)-(12) (α known, 1/σ²), decoupled. */
export const PAPER_VARIANT: Readonly<CrbVariant> = {
  amplitude: 'known',
  indexBase: 1,
  coupling: 'decoupled',
  scale: 1,
};

/** The scenario contract (shared/spec/scenario.yaml) as types. Units SI. */
export interface SystemParams {
  /** f_c, Hz */
  carrierHz: number;
  /** Δf, Hz */
  subcarrierSpacingHz: number;
  /** N_c */
  subcarriers: number;
  /** M, OFDM symbols per frame (CPI) */
  symbols: number;
  /** T, s (OFDM symbol incl. cyclic prefix) */
  symbolDurationS: number;
  /** κ = d_r / λ */
  antennaSpacingWavelengths: number;
}

export type Vec2 = [number, number];

export interface Ap {
  position: Vec2;
  antennas: number;
}

export interface Velocity {
  /** m/s */
  speed: number;
  /** heading θ_u, rad from +x */
  heading: number;
}

export interface Target {
  position: Vec2;
  velocity: Velocity;
}

export interface RandomTargets {
  count: number;
  area: [Vec2, Vec2];
  speed: [number, number];
  heading: [number, number];
}

export interface SnrSpec {
  db: number;
  referenceRangeM: number;
  pathLoss: 'radar' | 'none';
}

export interface Scenario {
  system: SystemParams;
  aps: Ap[];
  targets: Target[] | { random: RandomTargets };
  snr: SnrSpec;
  seed: number;
}

export function isRandomTargets(t: Scenario['targets']): t is { random: RandomTargets } {
  return !Array.isArray(t);
}

/** Loader and types of shared/testdata/crb-vectors.json (never regenerated here). */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Ap, SnrSpec, SystemParams, Target } from '../../../src/isac/scenario-types.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
/** The project's shared/ reference values beside the repo (as in CI). */
export const SHARED_CRB_VECTORS_PATH = resolve(repoRoot, '../shared/testdata/crb-vectors.json');
/** A byte-for-byte copy of it kept in the repo, for a clone without shared/ beside it. */
export const COPY_CRB_VECTORS_PATH = resolve(repoRoot, 'test/fixtures/shared-testdata/crb-vectors.json');
export const CRB_VECTORS_PATH = existsSync(SHARED_CRB_VECTORS_PATH)
  ? SHARED_CRB_VECTORS_PATH
  : COPY_CRB_VECTORS_PATH;

export type M = number[][];
export interface Summary {
  sqrt_tr_p: number;
  sqrt_tr_a: number;
  std_x: number;
  std_y: number;
  std_v: number;
  std_theta_u: number;
  sqrt_tr_vel_xy: number;
}
export interface PerAp {
  r: number;
  theta: number;
  tau: number;
  sin_theta: number;
  f_D: number;
  snr_lin: number;
  jacobian_local: M;
  P_printed_cols: M;
  T_printed_cols: M;
  fim_local_known: M;
  fim_local_unknown: M;
}
export interface PaperCrb {
  CRB_p: M;
  CRB_a: M;
  FIM_p: M;
  FIM_a: M;
}
export interface VectorTarget {
  index: number;
  per_ap: PerAp[];
  paper_blocks: Record<'A' | 'B' | 'C' | 'D' | 'E' | 'F', number[]>;
  exact_fim_4x4: { known: M; unknown: M; known_idx0: M };
  crb: {
    paper: PaperCrb;
    paper_printed: PaperCrb;
    exact_known_joint: M;
    exact_known_decoupled: M;
    exact_unknown_joint: M;
    exact_unknown_decoupled: M;
    exact_known_joint_idx0: M;
  };
  summary: Record<string, Summary>;
}
export interface VectorCase {
  name: string;
  scenario: { system: SystemParams; aps: Ap[]; targets: Target[]; snr: SnrSpec };
  targets: VectorTarget[];
}

export function loadCrbVectors(): { speedOfLight: number; cases: VectorCase[] } {
  const d = JSON.parse(readFileSync(CRB_VECTORS_PATH, 'utf8')) as {
    conventions: { speedOfLight: number };
    cases: VectorCase[];
  };
  return { speedOfLight: d.conventions.speedOfLight, cases: d.cases };
}

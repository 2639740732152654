import { ReciprocalTraceObjective } from './reciprocal-trace-objective.js';
import type { TargetObservation } from '../association/types.js';
import { SPEED_OF_LIGHT } from '../constants.js';
import type { Ap, SystemParams } from '../scenario-types.js';
import { hornerAbs, hornerAbsDerivative } from './horner.js';
import { PhaseTable, type TraceApproximation } from './phase-table.js';
import { detectTone, type ToneTerm } from '../../math/exact-tone.js';
import { toneAbs, toneAbsDerivative } from './tone-term.js';

/**
 * How the delay and angle terms of (P3) are scaled against each other.
 * - 'printed': as eq. (48): Σ_l w_l(|ŝ_lᵀ f_l^d| + |k̂_lᵀ f_l^a|) with unit-norm factors, so the delay
 *   term peaks at √N_c and the angle term at √N_A^l (the delay term dominates; model notes).
 * - 'normalised': each term divided by its peak (√N_c, √N_A^l), so both lie in [0, 1]. Near the peak
 *   this weights the per-AP delay and angle information as the Fisher information does
 *   (j_τ : j_u ∝ (2πΔf)²(N_c²−1) : (2πκ)²(N_A²−1)), i.e. like a weighted least squares of the
 *   per-AP delays and angles.
 */
export type TermBalance = 'printed' | 'normalised';

/**
 * The symbol-level location objective (P3), eqs. (41)-(48), for one associated target:
 *   tr(|S̃ F_d(t)| + |K̃ F_a(t)|) = Σ_l w_l ( |Σ_n ŝ_l[n] e^{j2πnΔf·2r_l(t)/c}| + |Σ_p k̂_l[p] e^{−j2πpκ sin θ_l(t)}| ),
 *   r_l(t) = |t − c_l|, sin θ_l(t) = (y − y_l)/r_l(t)   (θ from +x by atan2, as the echo model; the
 *   printed arctan of (47) would flip the sign of sin θ for APs right of the target),
 * with ŝ_l the unit-norm delay factor (eq. 41), k̂_l the angle factor divided by its norm (eq. 43;
 * the zero padding to Ψ = max N_A adds nothing to the sums, so each AP sums over its own N_A^l) and
 * w_l the MRC weights (eq. 42). The fusing vectors (44), (46) are the conjugates of the model's
 * steering vectors and are used without further conjugation (model notes).
 *
 * As an {@link Objective} (dim 2, x = [x, y] in m) it is (P3): f(t) = 1/tr(·) (+∞ where tr = 0),
 * with `values` over a population and an analytic gradient −∇tr/tr². Evaluations allocate nothing:
 * the factors are copied once (weights folded in) and every sum is a Horner recurrence, or, for a
 * delay factor that is an exact tone (structured CP), its closed form (tone-term.ts).
 */
export class LocationObjective extends ReciprocalTraceObjective {
  readonly aps: number;
  /** L × N_c delay factors, w_l (and the balance) folded in */
  private readonly delay: Float64Array;
  /** concatenated unit-norm angle factors, w_l (and the balance) folded in */
  private readonly angle: Float64Array;
  private readonly angleOff: Int32Array;
  private readonly angleLen: Int32Array;
  private readonly apX: Float64Array;
  private readonly apY: Float64Array;
  private readonly nc: number;
  /** ∂φ/∂r = 4πΔf/c, φ_l = 4πΔf r_l/c */
  private readonly kd: number;
  /** 2πκ, ψ_l = −2πκ sin θ_l */
  private readonly ka: number;
  private readonly tmp = new Float64Array(2);
  /** per AP: the delay factor as an exact tone (structured CP), evaluated in closed form, or null */
  private readonly delayTone: Array<ToneTerm | null>;
  /** Largest possible tr(·): Σ_l w_l(||ŝ_l||√N_c + √N_A^l) (Cauchy-Schwarz), for normalising surfaces. */
  readonly bound: number;

  constructor(
    obs: TargetObservation,
    aps: readonly Ap[],
    sys: SystemParams,
    weights: readonly number[],
    balance: TermBalance = 'printed',
  ) {
    super();
    const L = obs.perAp.length;
    if (weights.length !== L) throw new RangeError(`weights has ${weights.length} entries for ${L} APs`);
    this.aps = L;
    const nc = (obs.perAp[0]?.delayFactor.length ?? 0) >> 1;
    this.nc = nc;
    this.delay = new Float64Array(2 * L * nc);
    this.angleOff = new Int32Array(L);
    this.angleLen = new Int32Array(L);
    let total = 0;
    for (let l = 0; l < L; l++) {
      const na = (obs.perAp[l]!.angleFactor.length >> 1) as number;
      this.angleOff[l] = total;
      this.angleLen[l] = na;
      total += na;
    }
    this.angle = new Float64Array(2 * total);
    this.apX = new Float64Array(L);
    this.apY = new Float64Array(L);
    let bound = 0;
    for (let l = 0; l < L; l++) {
      const o = obs.perAp[l]!;
      const ap = aps[o.ap];
      if (!ap) throw new RangeError(`observation of AP ${o.ap} but the layout has ${aps.length} APs`);
      if (o.delayFactor.length !== 2 * nc)
        throw new RangeError(
          `AP ${o.ap}: delay factor has ${o.delayFactor.length >> 1} values, expected ${nc}`,
        );
      this.apX[l] = ap.position[0];
      this.apY[l] = ap.position[1];
      const w = Math.max(0, Number.isFinite(weights[l]!) ? weights[l]! : 0);
      const na = this.angleLen[l]!;
      const wd = balance === 'normalised' ? w / Math.sqrt(nc) : w;
      const wa = balance === 'normalised' ? w / Math.sqrt(na) : w;
      let dn = 0;
      for (let k = 0; k < 2 * nc; k++) {
        const v = o.delayFactor[k]!;
        this.delay[2 * l * nc + k] = wd * v;
        dn += v * v;
      }
      let an = 0;
      for (let k = 0; k < 2 * na; k++) an += o.angleFactor[k]! * o.angleFactor[k]!;
      const inv = an > 0 ? wa / Math.sqrt(an) : 0;
      const off = 2 * this.angleOff[l]!;
      for (let k = 0; k < 2 * na; k++) this.angle[off + k] = inv * o.angleFactor[k]!;
      bound += wd * Math.sqrt(dn * nc) + (an > 0 ? wa * Math.sqrt(na) : 0);
    }
    this.bound = bound;
    this.delayTone = Array.from({ length: L }, (_, l) => detectTone(this.delay, l * nc, nc));
    this.kd = (4 * Math.PI * sys.subcarrierSpacingHz) / SPEED_OF_LIGHT;
    this.ka = 2 * Math.PI * sys.antennaSpacingWavelengths;
  }

  /** tr(|S̃F_d(t)| + |K̃F_a(t)|) at t = (x, y)  (eq. 48). */
  trace(x: number, y: number): number {
    let s = 0;
    const nc = this.nc;
    for (let l = 0; l < this.aps; l++) {
      const dx = x - this.apX[l]!;
      const dy = y - this.apY[l]!;
      const r = Math.sqrt(dx * dx + dy * dy);
      const phi = this.kd * r;
      const tone = this.delayTone[l];
      s += tone ? toneAbs(tone, nc, phi) : hornerAbs(this.delay, l * nc, nc, Math.cos(phi), Math.sin(phi));
      const psi = r > 0 ? (-this.ka * dy) / r : 0;
      s += hornerAbs(this.angle, this.angleOff[l]!, this.angleLen[l]!, Math.cos(psi), Math.sin(psi));
    }
    return s;
  }

  /**
   * tr(·) from phase tables (phase-table.ts): per AP one delay-term and one angle-term lookup instead
   * of N_c + N_A^l multiply-adds, within `error` of {@link trace} everywhere (grid searches).
   */
  approximation(size?: number): TraceApproximation {
    const L = this.aps;
    const nc = this.nc;
    const dt = Array.from(
      { length: L },
      (_, l) => new PhaseTable(this.delay, l * nc, nc, size, this.delayTone[l]),
    );
    const at = Array.from(
      { length: L },
      (_, l) => new PhaseTable(this.angle, this.angleOff[l]!, this.angleLen[l]!, size),
    );
    const error = dt.reduce((e, t) => e + t.error, 0) + at.reduce((e, t) => e + t.error, 0);
    return new LocationTraceApproximation(error, dt, at, this.apX, this.apY, this.kd, this.ka);
  }

  /** tr(·) and its gradient ∂tr/∂(x, y) into g; returns tr. */
  traceGradient(x: number, y: number, g: Float64Array): number {
    let s = 0;
    let gx = 0;
    let gy = 0;
    const nc = this.nc;
    const t = this.tmp;
    for (let l = 0; l < this.aps; l++) {
      const dx = x - this.apX[l]!;
      const dy = y - this.apY[l]!;
      const r = Math.sqrt(dx * dx + dy * dy);
      const phi = this.kd * r;
      const tone = this.delayTone[l];
      if (tone) toneAbsDerivative(tone, nc, phi, t);
      else hornerAbsDerivative(this.delay, l * nc, nc, Math.cos(phi), Math.sin(phi), t);
      s += t[0]!;
      if (r > 0) {
        // ∂φ/∂x = kd Θ/r, ∂φ/∂y = kd ε/r
        gx += (t[1]! * this.kd * dx) / r;
        gy += (t[1]! * this.kd * dy) / r;
      }
      const psi = r > 0 ? (-this.ka * dy) / r : 0;
      hornerAbsDerivative(this.angle, this.angleOff[l]!, this.angleLen[l]!, Math.cos(psi), Math.sin(psi), t);
      s += t[0]!;
      if (r > 0) {
        // ψ = −2πκ ε/r: ∂ψ/∂x = 2πκ εΘ/r³, ∂ψ/∂y = −2πκ Θ²/r³  (the Jacobian row of sin θ, model notes)
        const r3 = r * r * r;
        gx += (t[1]! * this.ka * dy * dx) / r3;
        gy -= (t[1]! * this.ka * dx * dx) / r3;
      }
    }
    g[0] = gx;
    g[1] = gy;
    return s;
  }
}

/**
 * LocationObjective.approximation: per AP one delay-term and one angle-term table lookup. A class, so
 * that approx is compiled once for all frames (see SurrogateObjective).
 */
class LocationTraceApproximation implements TraceApproximation {
  constructor(
    readonly error: number,
    private readonly dt: readonly PhaseTable[],
    private readonly at: readonly PhaseTable[],
    private readonly apX: Float64Array,
    private readonly apY: Float64Array,
    private readonly kd: number,
    private readonly ka: number,
  ) {}

  approx(x: number, y: number): number {
    const { dt, at, apX, apY, kd, ka } = this;
    let s = 0;
    for (let l = 0; l < dt.length; l++) {
      const dx = x - apX[l]!;
      const dy = y - apY[l]!;
      const r = Math.sqrt(dx * dx + dy * dy);
      s += dt[l]!.abs(kd * r) + at[l]!.abs(r > 0 ? (-ka * dy) / r : 0);
    }
    return s;
  }

  release(): void {
    for (const t of this.dt) t.release();
    for (const t of this.at) t.release();
  }
}

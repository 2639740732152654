import { ReciprocalTraceObjective } from './reciprocal-trace-objective.js';
import type { TargetObservation } from '../association/types.js';
import { SPEED_OF_LIGHT } from '../constants.js';
import type { Ap, SystemParams, Vec2 } from '../scenario-types.js';
import { hornerAbs, hornerAbsDerivative } from './horner.js';
import { detectTone, type ToneTerm } from '../../math/exact-tone.js';
import { toneAbs, toneAbsDerivative } from './tone-term.js';
import { PhaseTable, type TraceApproximation } from './phase-table.js';

/**
 * The symbol-level velocity objective (P4), eqs. (49)-(52), for one associated target:
 *   tr(|T̃ E(v)|) = Σ_l w_l |Σ_m t̂_l[m] e^{j2πmT·2f_c v cos(θ̂_l − θ_v)/c}|,
 * with t̂_l the unit-norm Doppler factor (eq. 49), w_l the weights of eq. (42) and θ̂_l the AoA of
 * AP l computed (atan2) from the target's estimated location (Section IV.B.2). Eq. (50) as printed
 * omits T in the phase; the model's Doppler steering vector (34) has it, so it is put back (model
 * notes). The fusing vector is the conjugate of a_f(f_D(v)) with f_D = −2f_c v cos(θ_l − θ_u)/c.
 *
 * As an {@link Objective} (dim 2, x = [v in m/s, θ_v in rad]) it is (P4): f = 1/tr(·) (+∞ where
 * tr = 0), with `values` over a population and the analytic gradient. No allocation per evaluation.
 * A Doppler factor that is an exact tone (structured CP) is evaluated in closed form (tone-term.ts).
 */
export class VelocityObjective extends ReciprocalTraceObjective {
  readonly aps: number;
  private readonly doppler: Float64Array;
  private readonly cosA: Float64Array;
  private readonly sinA: Float64Array;
  private readonly m: number;
  /** 2πT·2f_c/c: χ_l = kf·v·cos(θ̂_l − θ_v) */
  private readonly kf: number;
  private readonly tmp = new Float64Array(2);
  /** per AP: the Doppler factor as an exact tone (structured CP), evaluated in closed form, or null */
  private readonly dopplerTone: Array<ToneTerm | null>;
  /** Largest possible tr(·): Σ_l w_l ||t̂_l|| √M. */
  readonly bound: number;

  /** `position`: the target's estimated location t̃*_u (the AoAs θ̂_l are computed from it). */
  constructor(
    obs: TargetObservation,
    aps: readonly Ap[],
    sys: SystemParams,
    weights: readonly number[],
    position: Vec2,
  ) {
    super();
    const L = obs.perAp.length;
    if (weights.length !== L) throw new RangeError(`weights has ${weights.length} entries for ${L} APs`);
    this.aps = L;
    const m = (obs.perAp[0]?.dopplerFactor.length ?? 0) >> 1;
    this.m = m;
    this.doppler = new Float64Array(2 * L * m);
    this.cosA = new Float64Array(L);
    this.sinA = new Float64Array(L);
    let bound = 0;
    for (let l = 0; l < L; l++) {
      const o = obs.perAp[l]!;
      const ap = aps[o.ap];
      if (!ap) throw new RangeError(`observation of AP ${o.ap} but the layout has ${aps.length} APs`);
      if (o.dopplerFactor.length !== 2 * m)
        throw new RangeError(
          `AP ${o.ap}: Doppler factor has ${o.dopplerFactor.length >> 1} values, expected ${m}`,
        );
      const th = Math.atan2(position[1] - ap.position[1], position[0] - ap.position[0]);
      this.cosA[l] = Math.cos(th);
      this.sinA[l] = Math.sin(th);
      const w = Math.max(0, Number.isFinite(weights[l]!) ? weights[l]! : 0);
      let n2 = 0;
      for (let k = 0; k < 2 * m; k++) {
        const v = o.dopplerFactor[k]!;
        this.doppler[2 * l * m + k] = w * v;
        n2 += v * v;
      }
      bound += w * Math.sqrt(n2 * m);
    }
    this.bound = bound;
    this.dopplerTone = Array.from({ length: L }, (_, l) => detectTone(this.doppler, l * m, m));
    this.kf = (2 * Math.PI * sys.symbolDurationS * 2 * sys.carrierHz) / SPEED_OF_LIGHT;
  }

  /** tr(|T̃E(v)|) at speed v (m/s) and heading θ_v (rad)  (eq. 52). */
  trace(speed: number, heading: number): number {
    const ch = Math.cos(heading);
    const sh = Math.sin(heading);
    const m = this.m;
    let s = 0;
    for (let l = 0; l < this.aps; l++) {
      const chi = this.kf * speed * (this.cosA[l]! * ch + this.sinA[l]! * sh);
      const tone = this.dopplerTone[l];
      s += tone ? toneAbs(tone, m, chi) : hornerAbs(this.doppler, l * m, m, Math.cos(chi), Math.sin(chi));
    }
    return s;
  }

  /** tr(·) from phase tables (phase-table.ts): one lookup per AP, within `error` of {@link trace}. */
  approximation(size?: number): TraceApproximation {
    const L = this.aps;
    const m = this.m;
    const tables = Array.from(
      { length: L },
      (_, l) => new PhaseTable(this.doppler, l * m, m, size, this.dopplerTone[l]),
    );
    const error = tables.reduce((e, t) => e + t.error, 0);
    return new VelocityTraceApproximation(error, tables, this.dopplerTone, m, this.cosA, this.sinA, this.kf);
  }

  /** tr(·) and ∂tr/∂(v, θ_v) into g; returns tr. */
  traceGradient(speed: number, heading: number, g: Float64Array): number {
    const ch = Math.cos(heading);
    const sh = Math.sin(heading);
    const m = this.m;
    const t = this.tmp;
    let s = 0;
    let gv = 0;
    let gh = 0;
    for (let l = 0; l < this.aps; l++) {
      const c = this.cosA[l]! * ch + this.sinA[l]! * sh; // cos(θ̂_l − θ_v)
      const sn = this.sinA[l]! * ch - this.cosA[l]! * sh; // sin(θ̂_l − θ_v)
      const chi = this.kf * speed * c;
      const tone = this.dopplerTone[l];
      if (tone) toneAbsDerivative(tone, m, chi, t);
      else hornerAbsDerivative(this.doppler, l * m, m, Math.cos(chi), Math.sin(chi), t);
      s += t[0]!;
      gv += t[1]! * this.kf * c;
      gh += t[1]! * this.kf * speed * sn;
    }
    g[0] = gv;
    g[1] = gh;
    return s;
  }
}

/** Phasor re-anchoring interval of toneRow (as phaseRamp's 64: the recurrence's drift stays ~1e-14). */
const TONE_ROW_ANCHOR = 32;

/**
 * out[off + i] += |A||D_n(θ_i)| for θ_i = ω + φ0 + i·dφ, i < count (tone-term.ts toneAbs along a row):
 * sin(θ_i/2) and sin(nθ_i/2) are the imaginary parts of e^{jθ_i/2} and e^{jnθ_i/2}, each advanced by one
 * complex multiply (re-anchored every TONE_ROW_ANCHOR steps); where |sin(θ_i/2)| < 1e-3 (next to a
 * peak, where the quotient loses digits) toneAbs itself. Error ~1e-11 |A| n, far inside a phase
 * table's bound.
 */
function toneRow(
  tone: ToneTerm,
  n: number,
  phi0: number,
  dphi: number,
  count: number,
  out: Float64Array,
  off: number,
): void {
  const sr = Math.cos(0.5 * dphi);
  const si = Math.sin(0.5 * dphi);
  const tr = Math.cos(0.5 * n * dphi);
  const ti = Math.sin(0.5 * n * dphi);
  let ar = 0;
  let ai = 0;
  let br = 0;
  let bi = 0;
  for (let i = 0; i < count; i++) {
    if (i % TONE_ROW_ANCHOR === 0) {
      const th = tone.omega + phi0 + i * dphi;
      ar = Math.cos(0.5 * th);
      ai = Math.sin(0.5 * th);
      br = Math.cos(0.5 * n * th);
      bi = Math.sin(0.5 * n * th);
    }
    const v = Math.abs(ai) >= 1e-3 ? tone.amp * Math.abs(bi / ai) : toneAbs(tone, n, phi0 + i * dphi);
    out[off + i] = (out[off + i] as number) + v;
    const ur = ar * sr - ai * si;
    ai = ar * si + ai * sr;
    ar = ur;
    const wr = br * tr - bi * ti;
    bi = br * ti + bi * tr;
    br = wr;
  }
}

/**
 * VelocityObjective.approximation: one table lookup per AP, and rows of speeds at one heading. A class,
 * so that approx and row are compiled once for all frames (see SurrogateObjective).
 */
class VelocityTraceApproximation implements TraceApproximation {
  private readonly c: Float64Array;

  constructor(
    readonly error: number,
    private readonly tables: readonly PhaseTable[],
    private readonly tones: readonly (ToneTerm | null)[],
    private readonly m: number,
    private readonly cosA: Float64Array,
    private readonly sinA: Float64Array,
    private readonly kf: number,
  ) {
    this.c = new Float64Array(tables.length);
  }

  approx(speed: number, heading: number): number {
    const { tables, cosA, sinA, kf } = this;
    const ch = Math.cos(heading);
    const sh = Math.sin(heading);
    let s = 0;
    for (let l = 0; l < tables.length; l++) s += tables[l]!.abs(kf * speed * (cosA[l]! * ch + sinA[l]! * sh));
    return s;
  }

  /**
   * A row of speeds at one heading: its cosines once; per AP, an exact-tone term by its closed form
   * along the row (tone-term.ts: its phase moves by a constant step, so both sines come from
   * rotations), any other term from its table (the products of approx).
   */
  row(v0: number, dv: number, count: number, heading: number, out: Float64Array, off: number): void {
    const { tables, tones, cosA, sinA, kf, c, m } = this;
    const L = tables.length;
    const ch = Math.cos(heading);
    const sh = Math.sin(heading);
    for (let l = 0; l < L; l++) c[l] = cosA[l]! * ch + sinA[l]! * sh;
    out.fill(0, off, off + count);
    for (let l = 0; l < L; l++) {
      const tone = tones[l];
      if (tone) {
        toneRow(tone, m, kf * v0 * c[l]!, kf * dv * c[l]!, count, out, off);
        continue;
      }
      const table = tables[l]!;
      for (let i = 0; i < count; i++) out[off + i] = out[off + i]! + table.abs(kf * (v0 + i * dv) * c[l]!);
    }
  }

  release(): void {
    for (const t of this.tables) t.release();
  }
}

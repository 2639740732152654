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
    const { cosA, sinA, kf } = this;
    const c = new Float64Array(L);
    return {
      error,
      approx: (speed: number, heading: number): number => {
        const ch = Math.cos(heading);
        const sh = Math.sin(heading);
        let s = 0;
        for (let l = 0; l < L; l++) s += tables[l]!.abs(kf * speed * (cosA[l]! * ch + sinA[l]! * sh));
        return s;
      },
      // a row of speeds at one heading: its cosines once (the same products as approx)
      row: (v0: number, dv: number, count: number, heading: number, out: Float64Array, off: number): void => {
        const ch = Math.cos(heading);
        const sh = Math.sin(heading);
        for (let l = 0; l < L; l++) c[l] = cosA[l]! * ch + sinA[l]! * sh;
        for (let i = 0; i < count; i++) {
          const ks = kf * (v0 + i * dv);
          let s = 0;
          for (let l = 0; l < L; l++) s += tables[l]!.abs(ks * c[l]!);
          out[off + i] = s;
        }
      },
    };
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

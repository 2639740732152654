import { fft } from '../../math/fft.js';
import { SPEED_OF_LIGHT } from '../constants.js';
import type { EchoTensor } from '../echo-model.js';
import type { Ap, SystemParams, Vec2 } from '../scenario-types.js';

/** A peak of the multi-AP location map. */
export interface MapPeak {
  position: Vec2;
  /** Σ_l max over Doppler of |⟨s_l, r_l⟩|²/(N_l σ_l²) at the peak (single-target GLRT statistic on the grid) */
  statistic: number;
  /** (v cos θ_u, v sin θ_u) from the per-AP Doppler peaks by least squares, m/s */
  velocity: Vec2;
}

/** Per AP: the matched-filter cube over (delay bin, sin θ bin, Doppler bin) of the raw data. */
interface ApCube {
  /** ω_d of the delay bins, ω_a of the angle bins, ω_f of the Doppler bins */
  wd: Float64Array;
  wa: Float64Array;
  wf: Float64Array;
  /** B × J × K complex, data matched filter (never changes) */
  data: Float64Array;
  /** residual after cancellation */
  resid: Float64Array;
  /** B × J: max over Doppler of |resid|²/(N σ²), and the arg max */
  power: Float64Array;
  argmax: Int32Array;
  /** range of delay bin 0 and bin spacing (m), sin θ of angle bin 0 and spacing */
  r0: number;
  dr: number;
  s0: number;
  ds: number;
  norm: number;
}

/** Σ_{k=1}^{N} e^{jΔk} (closed form, Δ → 0 guarded) into out[0..2). */
function dirichlet(delta: number, n: number, out: [number, number]): void {
  const d = Math.atan2(Math.sin(delta), Math.cos(delta));
  if (Math.abs(d) < 1e-9) {
    out[0] = n;
    out[1] = 0;
    return;
  }
  // e^{jΔ(N+1)/2} sin(NΔ/2)/sin(Δ/2)
  const mag = Math.sin((n * d) / 2) / Math.sin(d / 2);
  const ph = (d * (n + 1)) / 2;
  out[0] = mag * Math.cos(ph);
  out[1] = mag * Math.sin(ph);
}

/**
 * Multi-AP location map (detection and initialisation of the joint ML): per AP the matched filter
 * ⟨a(θ_j) ⊗ d(τ_b) ⊗ f(ν_k), y_l⟩ on a grid of delays covering the search box (half a range cell
 * apart), sin θ values covering the box (a quarter beam apart) and Doppler (FFT, 2× zero-padded);
 * its energy, maximised over Doppler and normalised by N_l σ_l², is back-projected onto an x-y grid
 * and summed over APs. Found targets are cancelled in closed form (the cube of an echo is a product
 * of three Dirichlet kernels), so successive detections see the residual.
 */
export class LocationMap {
  private readonly cubes: ApCube[];
  private readonly gx: Float64Array;
  private readonly gy: Float64Array;

  constructor(
    echoes: readonly EchoTensor[],
    private readonly aps: readonly Ap[],
    private readonly sys: SystemParams,
    box: { lower: Vec2; upper: Vec2 },
    gridM = 2,
  ) {
    const nx = Math.max(2, Math.round((box.upper[0] - box.lower[0]) / gridM) + 1);
    const ny = Math.max(2, Math.round((box.upper[1] - box.lower[1]) / gridM) + 1);
    this.gx = Float64Array.from(
      { length: nx },
      (_, i) => box.lower[0] + ((box.upper[0] - box.lower[0]) * i) / (nx - 1),
    );
    this.gy = Float64Array.from(
      { length: ny },
      (_, i) => box.lower[1] + ((box.upper[1] - box.lower[1]) * i) / (ny - 1),
    );
    this.cubes = echoes.map((e, l) => this.buildCube(e, aps[l] as Ap, box));
  }

  /** Number of x-y grid points (for the false-alarm count). */
  get gridPoints(): number {
    return this.gx.length * this.gy.length;
  }

  private buildCube(y: EchoTensor, ap: Ap, box: { lower: Vec2; upper: Vec2 }): ApCube {
    const { na, nc, m, data } = y;
    const sys = this.sys;
    const cell = SPEED_OF_LIGHT / (2 * nc * sys.subcarrierSpacingHz);
    const corners: Vec2[] = [
      box.lower,
      [box.upper[0], box.lower[1]],
      box.upper,
      [box.lower[0], box.upper[1]],
    ];
    const cx = Math.min(Math.max(ap.position[0], box.lower[0]), box.upper[0]);
    const cy = Math.min(Math.max(ap.position[1], box.lower[1]), box.upper[1]);
    const rmin = Math.max(0, Math.hypot(cx - ap.position[0], cy - ap.position[1]) - cell);
    const rmax =
      Math.max(...corners.map((c) => Math.hypot(c[0] - ap.position[0], c[1] - ap.position[1]))) + cell;
    const dr = cell / 2;
    const B = Math.ceil((rmax - rmin) / dr) + 1;
    const sins = corners.map(
      (c) =>
        (c[1] - ap.position[1]) / Math.max(1e-9, Math.hypot(c[0] - ap.position[0], c[1] - ap.position[1])),
    );
    const beam = 1 / (na * sys.antennaSpacingWavelengths);
    const smin = Math.max(
      -1,
      Math.min(
        ...sins,
        (cy - ap.position[1]) / Math.max(1e-9, Math.hypot(cx - ap.position[0], cy - ap.position[1])),
      ) -
        beam / 2,
    );
    const smax = Math.min(1, Math.max(...sins) + beam / 2);
    const ds = beam / 4;
    const J = Math.max(1, Math.ceil((smax - smin) / ds) + 1);
    const K = 2 * m;
    const tw = 2 * Math.PI;
    const wd = Float64Array.from(
      { length: B },
      (_, b) => (-tw * sys.subcarrierSpacingHz * 2 * (rmin + b * dr)) / SPEED_OF_LIGHT,
    );
    const wa = Float64Array.from(
      { length: J },
      (_, j) => tw * sys.antennaSpacingWavelengths * (smin + j * ds),
    );
    const wf = Float64Array.from({ length: K }, (_, k) => (tw * k) / K);
    // delay matched filter: R[p, b, m] = Σ_n e^{−jω_b n} Y[p, n, m]
    const R = new Float64Array(2 * na * B * m);
    const ramps = new Float64Array(2 * B * nc);
    for (let b = 0; b < B; b++) {
      for (let n = 0; n < nc; n++) {
        ramps[2 * (b * nc + n)] = Math.cos((wd[b] as number) * (n + 1));
        ramps[2 * (b * nc + n) + 1] = -Math.sin((wd[b] as number) * (n + 1));
      }
    }
    for (let p = 0; p < na; p++) {
      for (let n = 0; n < nc; n++) {
        const yo = 2 * (p * nc + n) * m;
        for (let b = 0; b < B; b++) {
          const er = ramps[2 * (b * nc + n)] as number;
          const ei = ramps[2 * (b * nc + n) + 1] as number;
          const ro = 2 * (p * B + b) * m;
          for (let j = 0; j < 2 * m; j += 2) {
            const yr = data[yo + j] as number;
            const yi = data[yo + j + 1] as number;
            R[ro + j] = (R[ro + j] as number) + er * yr - ei * yi;
            R[ro + j + 1] = (R[ro + j + 1] as number) + er * yi + ei * yr;
          }
        }
      }
    }
    // Doppler: X[p, b, k] = Σ_m e^{−jω_k m} R[p, b, m] = e^{−jω_k} FFT_K(R)[k]
    const X = new Float64Array(2 * na * B * K);
    const inBuf = new Float64Array(2 * K);
    const outBuf = new Float64Array(2 * K);
    for (let pb = 0; pb < na * B; pb++) {
      inBuf.fill(0);
      inBuf.set(R.subarray(2 * pb * m, 2 * (pb + 1) * m));
      fft(outBuf, inBuf, K);
      for (let k = 0; k < K; k++) {
        const c = Math.cos(wf[k] as number);
        const s = -Math.sin(wf[k] as number);
        const xr = outBuf[2 * k] as number;
        const xi = outBuf[2 * k + 1] as number;
        X[2 * (pb * K + k)] = c * xr - s * xi;
        X[2 * (pb * K + k) + 1] = c * xi + s * xr;
      }
    }
    // angle: C[b, j, k] = Σ_p e^{−jω_j p} X[p, b, k]
    const C = new Float64Array(2 * B * J * K);
    for (let j = 0; j < J; j++) {
      for (let p = 0; p < na; p++) {
        const er = Math.cos((wa[j] as number) * (p + 1));
        const ei = -Math.sin((wa[j] as number) * (p + 1));
        for (let b = 0; b < B; b++) {
          const xo = 2 * (p * B + b) * K;
          const co = 2 * (b * J + j) * K;
          for (let k = 0; k < 2 * K; k += 2) {
            const xr = X[xo + k] as number;
            const xi = X[xo + k + 1] as number;
            C[co + k] = (C[co + k] as number) + er * xr - ei * xi;
            C[co + k + 1] = (C[co + k + 1] as number) + er * xi + ei * xr;
          }
        }
      }
    }
    const cube: ApCube = {
      wd,
      wa,
      wf,
      data: C,
      resid: Float64Array.from(C),
      power: new Float64Array(B * J),
      argmax: new Int32Array(B * J),
      r0: rmin,
      dr,
      s0: smin,
      ds,
      norm: 1 / (na * nc * m * y.noiseVariance),
    };
    this.updatePower(cube);
    return cube;
  }

  private updatePower(c: ApCube): void {
    const K = c.wf.length;
    const BJ = c.power.length;
    for (let i = 0; i < BJ; i++) {
      let best = 0;
      let arg = 0;
      for (let k = 0; k < K; k++) {
        const r = c.resid[2 * (i * K + k)] as number;
        const im = c.resid[2 * (i * K + k) + 1] as number;
        const e = r * r + im * im;
        if (e > best) {
          best = e;
          arg = k;
        }
      }
      c.power[i] = best * c.norm;
      c.argmax[i] = arg;
    }
  }

  /**
   * Sets the residual to the data minus the echoes of `targets` (per AP l the angular frequencies
   * (ω_d, ω_a, ω_f) of each target in `omegas[l]` (3 per target) and its amplitude in `alpha[l]`).
   */
  cancel(omegas: readonly Float64Array[], alpha: readonly Float64Array[]): void {
    const z: [number, number] = [0, 0];
    this.cubes.forEach((c, l) => {
      c.resid.set(c.data);
      const om = omegas[l] as Float64Array;
      const al = alpha[l] as Float64Array;
      const U = om.length / 3;
      const B = c.wd.length;
      const J = c.wa.length;
      const K = c.wf.length;
      const ap = this.aps[l] as Ap;
      const dK = new Float64Array(2 * K);
      for (let u = 0; u < U; u++) {
        for (let k = 0; k < K; k++) {
          dirichlet((om[3 * u + 2] as number) - (c.wf[k] as number), this.sys.symbols, z);
          dK[2 * k] = z[0];
          dK[2 * k + 1] = z[1];
        }
        for (let b = 0; b < B; b++) {
          dirichlet((om[3 * u] as number) - (c.wd[b] as number), this.sys.subcarriers, z);
          const dbr = z[0];
          const dbi = z[1];
          for (let j = 0; j < J; j++) {
            dirichlet((om[3 * u + 1] as number) - (c.wa[j] as number), ap.antennas, z);
            // α · D_a · D_d
            const tr = dbr * z[0] - dbi * z[1];
            const ti = dbr * z[1] + dbi * z[0];
            const ar = (al[2 * u] as number) * tr - (al[2 * u + 1] as number) * ti;
            const ai = (al[2 * u] as number) * ti + (al[2 * u + 1] as number) * tr;
            const o = 2 * (b * J + j) * K;
            for (let k = 0; k < K; k++) {
              const fr = dK[2 * k] as number;
              const fi = dK[2 * k + 1] as number;
              c.resid[o + 2 * k] = (c.resid[o + 2 * k] as number) - (ar * fr - ai * fi);
              c.resid[o + 2 * k + 1] = (c.resid[o + 2 * k + 1] as number) - (ar * fi + ai * fr);
            }
          }
        }
      }
      this.updatePower(c);
    });
  }

  /** The strongest point of the residual map, with a velocity from the per-AP Doppler peaks. */
  peak(): MapPeak {
    let best = -1;
    let bx = 0;
    let by = 0;
    for (const x of this.gx) {
      for (const y of this.gy) {
        let s = 0;
        this.cubes.forEach((c, l) => {
          s += this.sample(c, this.aps[l] as Ap, x, y).value;
        });
        if (s > best) {
          best = s;
          bx = x;
          by = y;
        }
      }
    }
    return { position: [bx, by], statistic: best, velocity: this.velocityAt(bx, by) };
  }

  private sample(c: ApCube, ap: Ap, x: number, y: number): { value: number; cell: number } {
    const dx = x - ap.position[0];
    const dy = y - ap.position[1];
    const r = Math.hypot(dx, dy);
    const s = r > 0 ? dy / r : 0;
    const B = c.wd.length;
    const J = c.wa.length;
    const fb = Math.min(Math.max((r - c.r0) / c.dr, 0), B - 1);
    const fj = Math.min(Math.max((s - c.s0) / c.ds, 0), J - 1);
    const b0 = Math.min(Math.floor(fb), B - 2 < 0 ? 0 : B - 2);
    const j0 = Math.min(Math.floor(fj), J - 2 < 0 ? 0 : J - 2);
    const tb = B > 1 ? fb - b0 : 0;
    const tj = J > 1 ? fj - j0 : 0;
    const at = (b: number, j: number): number =>
      c.power[Math.min(b, B - 1) * J + Math.min(j, J - 1)] as number;
    const value =
      (1 - tb) * ((1 - tj) * at(b0, j0) + tj * at(b0, j0 + 1)) +
      tb * ((1 - tj) * at(b0 + 1, j0) + tj * at(b0 + 1, j0 + 1));
    return { value, cell: Math.round(fb) * J + Math.round(fj) };
  }

  /** LS velocity from the Doppler peaks at the nearest cell of every AP: f_D,l = −(2f_c/c)(v_x cos θ_l + v_y sin θ_l). */
  private velocityAt(x: number, y: number): Vec2 {
    let a11 = 0;
    let a12 = 0;
    let a22 = 0;
    let b1 = 0;
    let b2 = 0;
    const k = (2 * this.sys.carrierHz) / SPEED_OF_LIGHT;
    this.cubes.forEach((c, l) => {
      const ap = this.aps[l] as Ap;
      const { cell } = this.sample(c, ap, x, y);
      let w = c.wf[c.argmax[cell] as number] as number;
      if (w > Math.PI) w -= 2 * Math.PI;
      const fd = w / (2 * Math.PI * this.sys.symbolDurationS);
      const r = Math.hypot(x - ap.position[0], y - ap.position[1]) || 1;
      const cx = (-k * (x - ap.position[0])) / r;
      const cy = (-k * (y - ap.position[1])) / r;
      a11 += cx * cx;
      a12 += cx * cy;
      a22 += cy * cy;
      b1 += cx * fd;
      b2 += cy * fd;
    });
    const det = a11 * a22 - a12 * a12;
    if (!(Math.abs(det) > 0)) return [0, 0];
    return [(a22 * b1 - a12 * b2) / det, (a11 * b2 - a12 * b1) / det];
  }
}

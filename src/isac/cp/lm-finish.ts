import type { CpFactors } from './als.js';
import { residualGradient } from './residual.js';
import { cpKernels, type TensorKernels } from './cp-kernels.js';
import { complexSolve } from './complex-lu.js';
import { choleskyInPlace, choleskySolveRows, crossGram, hadamard } from './small-hermitian.js';

export interface LmResult {
  /** the finished factors (copies; the input is not modified) */
  factors: CpFactors;
  iterations: number;
  /** ||Y − [[A,B,C]]||² at the returned factors (explicit residual) */
  cost: number;
  /** cost at the start (explicit residual of the input factors) */
  startCost: number;
  /** stopped on a convergence test (not on the iteration cap) */
  converged: boolean;
}

/**
 * Levenberg-Marquardt on the unregularised cost (35), φ(θ) = ||Y − [[A, B, C]]||², θ = (A, B, C)
 * complex. The model is holomorphic in θ, so the Gauss-Newton system is (JᴴJ + μI) δ = Jᴴ(Y − model).
 * Jᴴ(Y − model) comes from one explicit residual pass. JᴴJ needs only R x R Gram matrices: its A block
 *   (JᴴJ v)_A[p, r] = Σ_s dA[p,s] W_B[r,s] W_C[r,s] + A[p,s] (Q_B[r,s] W_C[r,s] + W_B[r,s] Q_C[r,s]),
 * W_X = XᴴX, Q_X = XᴴdX (likewise B, C): a block diagonal plus a coupling of rank 3R², so the system
 * is solved exactly through a 3R² x 3R² reduced system (LmState.solve). μ follows Nielsen's rule.
 * One iteration costs about 1.5 ALS sweeps (the residual pass). Stops on a relative cost decrease below
 * `relTolerance` (default 1e-9), a step below 1e-15 ||θ||,
 * or `maxIterations`. With `stopOnPrediction`, it also stops before the residual pass when the decrease
 * the Gauss-Newton model predicts for the next step, Re(δᴴg) + μ||δ||², is below `relTolerance` of the
 * cost (that step is then not taken: it would change the cost by less than the tolerance).
 */
export function lmFinish(
  y: Float64Array,
  yNorm2: number,
  f: CpFactors,
  maxIterations: number,
  relTolerance = 1e-9,
  stopOnPrediction = false,
): LmResult {
  const { na, nc, m, R } = f;
  const P = R * (na + nc + m);
  const lm = new LmState(f, P);
  lm.theta.m[0].set(f.a);
  lm.theta.m[1].set(f.b);
  lm.theta.m[2].set(f.c);
  lm.rebalance();
  let phi = lm.cost(y, lm.theta, lm.g);
  const startCost = phi;
  lm.grams();
  let mu = 1e-6 * lm.maxDiag();
  if (!(mu > 0)) mu = 1e-300;
  let nu = 2;
  let it = 0;
  let converged = false;
  while (it < maxIterations) {
    it++;
    lm.solve(mu);
    const dn = norm(lm.delta.all);
    if (dn <= 1e-15 * norm(lm.theta.all)) {
      converged = true;
      break;
    }
    const th = lm.theta.all;
    const tr = lm.trial.all;
    const de = lm.delta.all;
    const pred = reDot(de, lm.g.all) + mu * dn * dn;
    if (stopOnPrediction && pred >= 0 && pred < relTolerance * phi) {
      converged = true;
      it--; // no residual pass spent on this step
      break;
    }
    for (let k = 0; k < 2 * P; k++) tr[k] = (th[k] as number) + (de[k] as number);
    const phiT = lm.cost(y, lm.trial, lm.gTrial);
    const gain = (phi - phiT) / pred;
    if (pred > 0 && gain > 0 && Number.isFinite(phiT)) {
      lm.accept();
      const rel = (phi - phiT) / phi;
      phi = phiT;
      lm.grams();
      mu *= Math.max(1 / 3, 1 - Math.pow(2 * gain - 1, 3));
      nu = 2;
      if (rel < relTolerance || phi <= 1e-30 * yNorm2) {
        converged = true;
        break;
      }
    } else {
      mu *= nu;
      nu *= 2;
      if (nu > 2 ** 40) {
        converged = true; // no descent direction left at this precision
        break;
      }
    }
  }
  const a = lm.theta.m[0].slice();
  const b = lm.theta.m[1].slice();
  const c = lm.theta.m[2].slice();
  return { factors: { na, nc, m, R, a, b, c }, iterations: it, cost: phi, startCost, converged };
}

function norm(x: Float64Array): number {
  let s = 0;
  for (let k = 0; k < x.length; k++) s += (x[k] as number) ** 2;
  return Math.sqrt(s);
}

/** Re(xᴴ y) */
function reDot(x: Float64Array, y: Float64Array): number {
  let s = 0;
  for (let k = 0; k < x.length; k++) s += (x[k] as number) * (y[k] as number);
  return s;
}

/** out[i, s] −= Σ_t X[i, t] N[t, s]  (rows x R times R x R). */
function rowsTimes(x: Float64Array, rows: number, R: number, nmat: Float64Array, out: Float64Array): void {
  for (let i = 0; i < rows; i++) {
    for (let s = 0; s < R; s++) {
      let sr = 0;
      let si = 0;
      for (let t = 0; t < R; t++) {
        const xr = x[2 * (i * R + t)] as number;
        const xi = x[2 * (i * R + t) + 1] as number;
        const nr = nmat[2 * (t * R + s)] as number;
        const ni = nmat[2 * (t * R + s) + 1] as number;
        sr += xr * nr - xi * ni;
        si += xr * ni + xi * nr;
      }
      out[2 * (i * R + s)] = (out[2 * (i * R + s)] as number) - sr;
      out[2 * (i * R + s) + 1] = (out[2 * (i * R + s) + 1] as number) - si;
    }
  }
}

/** In-place transpose (not conjugate) of an R x R complex matrix. */
function transposeInPlace(a: Float64Array, R: number): void {
  for (let r = 0; r < R; r++) {
    for (let s = r + 1; s < R; s++) {
      const i = 2 * (r * R + s);
      const j = 2 * (s * R + r);
      const tr = a[i] as number;
      const ti = a[i + 1] as number;
      a[i] = a[j] as number;
      a[i + 1] = a[j + 1] as number;
      a[j] = tr;
      a[j + 1] = ti;
    }
  }
}

/** A parameter-sized vector and its three mode blocks (views). */
interface Blocks {
  all: Float64Array;
  m: [Float64Array, Float64Array, Float64Array];
}

/** Buffers and the matrix-free Gauss-Newton operator of one LM run (all allocated once). */
class LmState {
  readonly R: number;
  theta: Blocks;
  trial: Blocks;
  g: Blocks;
  gTrial: Blocks;
  readonly delta: Blocks;
  private readonly y: Blocks;
  private readonly rhs: Float64Array;
  private readonly smat: Float64Array;
  private readonly qv: Float64Array;
  private readonly mv: Float64Array;
  private readonly mv2: Float64Array;
  private readonly e: Float64Array;
  /** the WebAssembly kernels of the residual pass (R = 3), or null */
  private readonly simd: TensorKernels | null;
  private readonly w: [Float64Array, Float64Array, Float64Array]; // W_A, W_B, W_C
  private readonly gam: [Float64Array, Float64Array, Float64Array]; // Γ_A = W_B∘W_C, Γ_B = W_A∘W_C, Γ_C = W_A∘W_B
  private readonly chol: [Float64Array, Float64Array, Float64Array];
  private readonly t1: Float64Array;
  private readonly t2: Float64Array;
  private readonly rows: [number, number, number];

  constructor(
    private readonly f: CpFactors,
    P: number,
  ) {
    this.R = f.R;
    const offs = [0, 2 * f.na * f.R, 2 * (f.na + f.nc) * f.R, 2 * P];
    const mk = (): Blocks => {
      const all = new Float64Array(2 * P);
      return {
        all,
        m: [all.subarray(offs[0], offs[1]), all.subarray(offs[1], offs[2]), all.subarray(offs[2], offs[3])],
      };
    };
    this.theta = mk();
    this.trial = mk();
    this.g = mk();
    this.gTrial = mk();
    this.delta = mk();
    this.y = mk();
    const n = 3 * f.R * f.R;
    this.rhs = new Float64Array(2 * n);
    this.smat = new Float64Array(2 * n * n);
    this.qv = new Float64Array(2 * n);
    this.mv = new Float64Array(2 * n);
    this.mv2 = new Float64Array(2 * n);
    this.e = new Float64Array(4 * f.R + 2 * f.m);
    const kernels = f.R === 3 ? cpKernels(f.na, f.nc, f.m) : null;
    this.simd = kernels ? { kernels, y: null } : null;
    const rr = () => new Float64Array(2 * f.R * f.R);
    this.w = [rr(), rr(), rr()];
    this.gam = [rr(), rr(), rr()];
    this.chol = [rr(), rr(), rr()];
    this.t1 = rr();
    this.t2 = rr();
    this.rows = [f.na, f.nc, f.m];
  }

  /** φ at x and its gradient into g (one explicit residual pass). */
  cost(y: Float64Array, x: Blocks, g: Blocks): number {
    const { na, nc, m } = this.f;
    return residualGradient(
      y,
      na,
      nc,
      m,
      x.m[0],
      x.m[1],
      x.m[2],
      this.R,
      g.m[0],
      g.m[1],
      g.m[2],
      this.e,
      this.simd,
    );
  }

  accept(): void {
    [this.theta, this.trial] = [this.trial, this.theta];
    [this.g, this.gTrial] = [this.gTrial, this.g];
  }

  /** Equal column norms across the three factors of every component (fixes the scaling freedom). */
  rebalance(): void {
    const R = this.R;
    const n = [0, 0, 0];
    for (let r = 0; r < R; r++) {
      for (let mode = 0; mode < 3; mode++) {
        const x = this.theta.m[mode] as Float64Array;
        let s = 0;
        for (let i = 0; i < this.rows[mode]!; i++)
          s += (x[2 * (i * R + r)] as number) ** 2 + (x[2 * (i * R + r) + 1] as number) ** 2;
        n[mode] = Math.sqrt(s);
      }
      if (!n.every((v) => v > 0)) continue;
      const target = Math.cbrt(n[0]! * n[1]! * n[2]!);
      for (let mode = 0; mode < 3; mode++) {
        const x = this.theta.m[mode] as Float64Array;
        const s = target / n[mode]!;
        for (let i = 0; i < this.rows[mode]!; i++) {
          x[2 * (i * R + r)] = (x[2 * (i * R + r)] as number) * s;
          x[2 * (i * R + r) + 1] = (x[2 * (i * R + r) + 1] as number) * s;
        }
      }
    }
  }

  /** Gram matrices W and the diagonal blocks Γ at θ. */
  grams(): void {
    const R = this.R;
    for (let mode = 0; mode < 3; mode++)
      crossGram(this.theta.m[mode]!, this.theta.m[mode]!, this.rows[mode]!, R, this.w[mode]!);
    const [wa, wb, wc] = this.w;
    hadamard(wb, wc, R, this.gam[0]);
    hadamard(wa, wc, R, this.gam[1]);
    hadamard(wa, wb, R, this.gam[2]);
  }

  maxDiag(): number {
    let d = 0;
    for (const gm of this.gam)
      for (let r = 0; r < this.R; r++) d = Math.max(d, gm[2 * (r * this.R + r)] as number);
    return d;
  }

  /** K q: M_A = Q_B∘W_C + W_B∘Q_C, M_B = Q_A∘W_C + W_A∘Q_C, M_C = Q_A∘W_B + W_A∘Q_B (q = (Q_A, Q_B, Q_C)). */
  private couple(q: Float64Array, out: Float64Array): void {
    const R = this.R;
    const n = 2 * R * R;
    const [wa, wb, wc] = this.w;
    const qa = q.subarray(0, n);
    const qb = q.subarray(n, 2 * n);
    const qc = q.subarray(2 * n, 3 * n);
    const pairs: Array<[Float64Array, Float64Array, Float64Array, Float64Array]> = [
      [qb, wc, wb, qc],
      [qa, wc, wa, qc],
      [qa, wb, wa, qb],
    ];
    for (let mode = 0; mode < 3; mode++) {
      const [x1, y1, x2, y2] = pairs[mode]!;
      hadamard(x1, y1, R, this.t1);
      hadamard(x2, y2, R, this.t2);
      for (let k = 0; k < n; k++) out[mode * n + k] = (this.t1[k] as number) + (this.t2[k] as number);
    }
  }

  /** N_X = ((Γ_X + μI)⁻¹ M_X)ᵀ for each mode, in place on m (3 R x R blocks). */
  private solveBlocks(m: Float64Array): void {
    const R = this.R;
    const n = 2 * R * R;
    for (let mode = 0; mode < 3; mode++) {
      const blk = m.subarray(mode * n, (mode + 1) * n);
      transposeInPlace(blk, R);
      choleskySolveRows(this.chol[mode]!, R, blk, R); // rows of Mᵀ are the columns of M
    }
  }

  /**
   * δ = (JᴴJ + μI)⁻¹ g exactly, by the structure JᴴJ + μI = D + U K V (Tichavský-Phan style):
   * D = blockdiag(Γ_X + μI acting on the rows of each factor), V v = (XᴴdX)_X (3R² numbers),
   * K the Hadamard coupling above, U M = (X M_Xᵀ)_X. With y = D⁻¹g, q = Vδ solves the 3R² x 3R² system
   * (I + V D⁻¹ U K) q = V y, where V D⁻¹ U K q = (W_X N_X)_X, N_X = ((Γ_X + μI)⁻¹ (Kq)_X)ᵀ — only R x R
   * algebra; then δ_X = y_X − X N_X. Cost O((N_A + N_c + M) R² + R⁶): no tensor pass, no iteration.
   */
  solve(mu: number): void {
    const R = this.R;
    const n = 3 * R * R;
    const blk = 2 * R * R;
    for (let mode = 0; mode < 3; mode++) {
      const c = this.chol[mode]!;
      c.set(this.gam[mode]!);
      choleskyInPlace(c, R, mu, 1e-300);
    }
    const y = this.y;
    y.all.set(this.g.all);
    for (let mode = 0; mode < 3; mode++) choleskySolveRows(this.chol[mode]!, R, y.m[mode]!, this.rows[mode]!);
    // right-hand side V y
    const rhs = this.rhs;
    for (let mode = 0; mode < 3; mode++)
      crossGram(
        this.theta.m[mode]!,
        y.m[mode]!,
        this.rows[mode]!,
        R,
        rhs.subarray(mode * blk, (mode + 1) * blk),
      );
    // S = I + V D⁻¹ U K, column by column
    const S = this.smat;
    const e = this.qv;
    const col = this.mv;
    for (let j = 0; j < n; j++) {
      e.fill(0);
      e[2 * j] = 1;
      this.reducedApply(e, col);
      for (let i = 0; i < n; i++) {
        S[2 * (i * n + j)] = col[2 * i] as number;
        S[2 * (i * n + j) + 1] = col[2 * i + 1] as number;
      }
    }
    const delta = this.delta;
    delta.all.set(y.all);
    if (!complexSolve(S, rhs, n)) return; // δ = D⁻¹ g (finite) when the reduced system is singular
    this.couple(rhs, col);
    this.solveBlocks(col);
    for (let mode = 0; mode < 3; mode++) {
      // δ_X −= X N_X
      rowsTimes(
        this.theta.m[mode]!,
        this.rows[mode]!,
        R,
        col.subarray(mode * blk, (mode + 1) * blk),
        delta.m[mode]!,
      );
    }
  }

  /** out = q + V D⁻¹ U K q = q + (W_X N_X)_X. */
  private reducedApply(q: Float64Array, out: Float64Array): void {
    const R = this.R;
    const blk = 2 * R * R;
    const m = this.mv2;
    this.couple(q, m);
    this.solveBlocks(m);
    for (let mode = 0; mode < 3; mode++) {
      const w = this.w[mode]!;
      const nb = m.subarray(mode * blk, (mode + 1) * blk);
      for (let r = 0; r < R; r++) {
        for (let s = 0; s < R; s++) {
          let sr = q[mode * blk + 2 * (r * R + s)] as number;
          let si = q[mode * blk + 2 * (r * R + s) + 1] as number;
          for (let t = 0; t < R; t++) {
            const wr = w[2 * (r * R + t)] as number;
            const wi = w[2 * (r * R + t) + 1] as number;
            const nr = nb[2 * (t * R + s)] as number;
            const ni = nb[2 * (t * R + s) + 1] as number;
            sr += wr * nr - wi * ni;
            si += wr * ni + wi * nr;
          }
          out[mode * blk + 2 * (r * R + s)] = sr;
          out[mode * blk + 2 * (r * R + s) + 1] = si;
        }
      }
    }
  }
}

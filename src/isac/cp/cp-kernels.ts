import { nextPow2 } from '../../math/fft.js';
import { wasmKernels, type WasmKernels } from '../../math/wasm/kernels.js';

/** The kernel memory regions of one decomposition (src/math/wasm/kernels.ts). */
export const CP_SPECTRA = 'cp/spectra'; // F: N_A x nr x nd, complex
export const CP_POWER = 'cp/power'; // P: nr x nd
/**
 * A copy of Y (N_A x N_c x M, complex), or of the DFT-window core an LM finish runs on. Shared by the
 * FFT start (its source rows), the tone passes and the LM's residual passes: each loads it at its start
 * (toneRefine at its first pass, an LM run at its first residual pass) and none runs inside another.
 */
export const CP_TENSOR = 'cp/tensor';
export const CP_TONES = 'cp/tones'; // three Doppler tones in split form
export const CP_ROWS = 'cp/rows'; // the row sums of a tone pass: N_A N_c x 12
export const CP_ROW_MAP = 'cp/row-map'; // Int32, N_A N_c: the row of F each row of Y goes to
export const CP_ROOT_P = 'cp/root-p'; // √P0: nr x nd
export const CP_BOUNDS = 'cp/bounds'; // the bounded CLEAN's upper bounds: nr x nd
export const CP_CANDIDATES = 'cp/candidates'; // Int32, up to nr x nd cells
export const CP_ABS_B = 'cp/abs-b'; // CLEAN_MAX_KEPT x nr
export const CP_ABS_C = 'cp/abs-c'; // CLEAN_MAX_KEPT x nd

export const CP_LM_E = 'cp/lm-e'; // per row the 3 products A[p, r] B[n, r], split form
export const CP_LM_C = 'cp/lm-c'; // C: M x 3 complex
export const CP_LM_T = 'cp/lm-t'; // per row 3 complex dot products
export const CP_LM_GC = 'cp/lm-gc'; // g_C: M x 3 complex
export const CP_ALS_C = 'cp/als-c'; // C in conjugate split form: M x 3
export const CP_ALS_T = 'cp/als-t'; // pass 1: per row 3 complex
export const CP_ALS_E = 'cp/als-e'; // pass 2: per row conj(A[p, r] B[n, r]), split form
export const CP_ALS_XC = 'cp/als-xc'; // X_C: M x 3 complex

/** The bounded CLEAN runs its bounds in the kernels for at most this many kept components. */
export const CLEAN_MAX_KEPT = 64;

/**
 * The WebAssembly kernels with every region a decomposition of an N_A x N_c x M tensor uses reserved
 * at once, so that views taken afterwards stay valid through the decomposition (null: the JavaScript
 * twins run).
 */
export function cpKernels(na: number, nc: number, m: number): WasmKernels | null {
  const k = wasmKernels();
  if (!k) return null;
  const nr = Math.max(2, nextPow2(nc));
  const nd = Math.max(2, nextPow2(m));
  k.prepareFft(nr);
  k.prepareFft(nd);
  k.reserve({
    [CP_SPECTRA]: 16 * na * nr * nd,
    [CP_POWER]: 8 * nr * nd,
    [CP_TENSOR]: 16 * na * nc * m,
    [CP_TONES]: 96 * m,
    [CP_ROWS]: 96 * na * nc,
    [CP_ROW_MAP]: 4 * na * nc,
    [CP_ROOT_P]: 8 * nr * nd,
    [CP_BOUNDS]: 8 * nr * nd,
    [CP_CANDIDATES]: 4 * nr * nd,
    [CP_ABS_B]: 8 * CLEAN_MAX_KEPT * nr,
    [CP_ABS_C]: 8 * CLEAN_MAX_KEPT * nd,
    [CP_LM_E]: 96 * na * nc,
    [CP_LM_C]: 48 * m,
    [CP_LM_T]: 48 * na * nc,
    [CP_LM_GC]: 48 * m,
    [CP_ALS_C]: 96 * m,
    [CP_ALS_T]: 48 * na * nc,
    [CP_ALS_E]: 96 * na * nc,
    [CP_ALS_XC]: 48 * m,
  });
  return k;
}

/**
 * The kernels of one ALS or LM run and the array whose copy region CP_TENSOR holds: one copy per run
 * (y does not change within a run, and nothing else loads that region during it).
 */
export interface TensorKernels {
  kernels: WasmKernels;
  y: Float64Array | null;
}

/** The first `length` numbers of y into CP_TENSOR, unless this run loaded y already. */
export function loadTensor(simd: TensorKernels, y: Float64Array, length: number): void {
  if (simd.y === y) return;
  simd.kernels.view(CP_TENSOR, length).set(y.subarray(0, length));
  simd.y = y;
}

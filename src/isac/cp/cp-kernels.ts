import { nextPow2 } from '../../math/fft.js';
import { wasmKernels, type WasmKernels } from '../../math/wasm/kernels.js';

/** The kernel memory regions of one decomposition (src/math/wasm/kernels.ts). */
export const CP_SPECTRA = 'cp/spectra'; // F: N_A x nr x nd, complex
export const CP_POWER = 'cp/power'; // P: nr x nd
export const CP_TENSOR = 'cp/tensor'; // a copy of Y: N_A x N_c x M, complex
export const CP_TONES = 'cp/tones'; // three Doppler tones in split form
export const CP_ROWS = 'cp/rows'; // the row sums of a tone pass: N_A N_c x 12

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
  });
  return k;
}

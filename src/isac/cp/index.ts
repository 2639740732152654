export * from './types.js';
export { cpDecompose, DEGENERACY_LIMIT, CONGRUENCE_WARNING } from './cp-decompose.js';
export { fftInit, randomInit, type InitPeak, type FftInitResult, type FftInitOptions } from './fft-init.js';
export { regularisedAls, type CpFactors, type AlsResult } from './als.js';
export { lmFinish, type LmResult } from './lm-finish.js';

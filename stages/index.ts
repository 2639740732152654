import type { AnyManifest } from '../src/plugin.js';
import { echoGenerator } from './echo-generator/echo-generator.js';
import { fftDetector } from './fft-detector/fft-detector.js';
import { crbEvaluator } from './crb-evaluator/crb-evaluator.js';
import { placementOptimizer } from './placement-optimizer/placement-optimizer.js';
import { crbMap } from './crb-map/crb-map.js';
import { solverBenchmark } from './solver-benchmark/solver-benchmark.js';
import { fusionSolver } from './fusion-solver/fusion-solver.js';
import { fusionProfile } from './fusion-profile/fusion-profile.js';
import { cpDecomposer } from './cp-decomposer/cp-decomposer.js';
import { musicAssociator } from './music-associator/music-associator.js';
import { associationCheck } from './association-check/association-check.js';
import { tracker } from './tracker/tracker.js';
import { echoRecorder } from './echo-recorder/echo-recorder.js';

/** Built-in stages (registered by src/builtins.ts). */
export const builtinStages: AnyManifest[] = [
  echoGenerator,
  fftDetector,
  crbEvaluator,
  placementOptimizer,
  crbMap,
  solverBenchmark,
  fusionSolver,
  fusionProfile,
  cpDecomposer,
  musicAssociator,
  associationCheck,
  tracker,
  echoRecorder,
];

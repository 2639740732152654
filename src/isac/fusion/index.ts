export * from './types.js';
export { hornerAbs, hornerAbsDerivative } from './horner.js';
export { LocationObjective, type TermBalance } from './location-objective.js';
export { VelocityObjective } from './velocity-objective.js';
export { fusionWeights, FUSION_WEIGHTS, type FusionWeights } from './weights.js';
export {
  AUTO_SPEED_HEADROOM,
  boxCorners,
  boxCoverageProblem,
  locationBox,
  normaliseCorners,
  speedLimit,
  targetArea,
  velocityBox,
  wrapHeading,
  type LocationBoxSpec,
  type SpeedLimitSpec,
} from './search-box.js';
export {
  axisValues,
  gridArgmax,
  gridAxis,
  gridValues,
  latticeAxis,
  MAX_GRID_POINTS,
  periodicAxis,
  type GridAxis,
} from './grid.js';
export {
  velocityWls,
  weightedMeasurements,
  WlsLocationObjective,
  wlsStarts,
  type MleWeights,
  type VelocityFit,
  type WeightedMeasurement,
} from './mle.js';
export { combineNormalised, labelPeaks, localMaxima, type SurfacePeak } from './profile.js';
export {
  approxGrid,
  gridArgmaxSeparable,
  PhaseTable,
  PHASE_TABLE_SIZE,
  phaseTableSize,
  topLocalMaxima,
  type TraceApproximation,
} from './phase-table.js';
export { gridBfgsParams, gridLocalSearch, type GridBfgsParams } from './grid-local-search.js';

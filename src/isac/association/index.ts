export * from './types.js';
export { associate, EXHAUSTIVE_HARD_LIMIT, type AssociationOptions } from './associate.js';
export { associateExhaustive, exhaustiveCount, referenceAp } from './exhaustive.js';
export { associateHungarian } from './hungarian-association.js';
export { hungarian } from './hungarian.js';
export {
  TargetFitter,
  type ApMeasurement,
  type ApSite,
  type TargetFit,
  type FitOptions,
} from './target-fit.js';
export { paperWeights, snrWeights, NOISE_FLOOR_RELATIVE } from './weights.js';

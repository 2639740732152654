export { ToneEstimator, type ToneEstimate } from './tone-frequency.js';
export { brentMaximize, type ScalarMaximum } from './brent-maximize.js';
export {
  ComponentParameterEstimator,
  type ComponentParameters,
  type MusicOptions,
} from './component-parameters.js';

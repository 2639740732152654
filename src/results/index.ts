export * from './aggregate.js';
export * from '../math/assignment.js';
export * from './match.js';
export * from './read-records.js';
export * from './summary-options.js';
export * from './summary-types.js';
export * from './summary-writers.js';
export { fieldStats, resolveField, ALL_GROUP } from './field-stats.js';
export { CRB_FIELDS, boundSeries, manyBoundKeys, summariseBounds } from './crb-bound.js';

export * from './types.js';
export * from './cv-kalman.js';
export * from './alpha-beta.js';
export * from './gnn-association.js';
export * from './multi-target-tracker.js';

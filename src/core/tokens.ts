/** Every inversify injection token of isacflow, in one place. */
export const TOKENS = {
  /** PluginRegistry: every stage and plugin by kind and name. */
  PluginRegistry: Symbol.for('isacflow.PluginRegistry'),
  /** The validated params object of the stage being constructed. */
  StageParams: Symbol.for('isacflow.StageParams'),
  /** The id (`stages[i].id`) of the stage being constructed. */
  StageId: Symbol.for('isacflow.StageId'),
  /** The resolved scenario of the pipeline (before any per-trial random draw). */
  Scenario: Symbol.for('isacflow.Scenario'),
  /** A stage class, bound under its name. */
  Stage: Symbol.for('isacflow.Stage'),
} as const;

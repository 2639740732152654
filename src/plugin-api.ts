import { inject, injectable } from 'inversify';
import { z } from 'zod';
import { IsacflowError, optionError } from './core/errors.js';
import { definePlugin, defineStage } from './core/plugin.js';
import { TOKENS } from './core/tokens.js';
import { Rng } from './math/rng.js';
import { defineSolver } from './solvers/solver.js';
import { defineFusion, definePlacement, defineTracker } from './plugin-kinds.js';

/**
 * What a plugin written outside this repository gets, so that it needs nothing installed: a module
 * whose default export is a function `(api) => manifest | manifest[]` is called with this object.
 * Its types come from 'isacflow/plugin' (`import type { PluginApi } from 'isacflow/plugin'`).
 *
 *   export default ({ z, defineSolver }: PluginApi) => defineSolver({ name: 'my-solver', summary: '…', params: z.object({}).strict(), create: () => … });
 */
export const pluginApi = {
  z,
  inject,
  injectable,
  TOKENS,
  Rng,
  defineSolver,
  defineFusion,
  definePlacement,
  defineTracker,
  defineStage,
  definePlugin,
  optionError,
  IsacflowError,
};

export type PluginApi = typeof pluginApi;

import { inject, injectable } from 'inversify';
import { z } from 'zod';
import { IsacflowError, optionError } from './core/errors.js';
import { definePlugin, defineStage } from './core/plugin.js';
import { TOKENS } from './core/tokens.js';
import { Rng } from './math/rng.js';
import { defineSolver } from './solvers/solver.js';
import { defineSource } from './sources/source-types.js';
import { frameFromSource } from './sources/source-frame.js';

/**
 * What a plugin written outside this repository gets, so that it needs nothing installed: a module
 * whose default export is a function `(api) => manifest | manifest[]` is called with this object.
 *
 *   export default ({ z, defineSolver }) => defineSolver({ name: 'my-solver', summary: '…', params: z.object({}).strict(), create: () => … });
 */
export const pluginApi = {
  z,
  inject,
  injectable,
  TOKENS,
  Rng,
  defineSolver,
  defineStage,
  definePlugin,
  defineSource,
  frameFromSource,
  optionError,
  IsacflowError,
};

export type PluginApi = typeof pluginApi;

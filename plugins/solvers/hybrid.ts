import { createHybrid, hybridParams } from '../../src/solvers/hybrid-solver.js';
import { defineSolver } from '../../src/solvers/solver.js';

/**
 * Any global solver followed by any local one on its best candidates (e.g. de + bfgs).
 *
 * GA followed by a BFGS polish of its best candidates:
 * @example
 * ```yaml
 * isacflow: 1
 * name: hybrid
 * run: { trials: 20 }
 * stages:
 *   - { id: bench, uses: solver-benchmark, params: { problem: rastrigin-2, solver: hybrid, solverParams: { global: ga, local: bfgs } } }
 * ```
 */
export const hybrid = defineSolver({
  name: 'hybrid',
  summary:
    'Global solver (global, globalParams) then local polish (local, localParams) of its best `polish` candidates',
  params: hybridParams({ global: 'de', local: 'bfgs' }),
  create: (p, deps) => createHybrid('hybrid', p, deps),
});

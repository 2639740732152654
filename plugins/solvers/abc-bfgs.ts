import { createHybrid, hybridParams } from '../../src/solvers/hybrid-solver.js';
import { defineSolver } from '../../src/solvers/solver.js';

/**
 * The paper's ABC-BFGS (Section IV): ABC finds the peak, BFGS refines it. A preset of `hybrid`.
 *
 * The paper's ABC-BFGS with its defaults:
 * @example
 * ```yaml
 * isacflow: 1
 * name: abc-bfgs
 * run: { trials: 20 }
 * stages:
 *   - { id: bench, uses: solver-benchmark, params: { problem: rastrigin-2, solver: abc-bfgs, solverParams: {  } } }
 * ```
 */
export const abcBfgs = defineSolver({
  name: 'abc-bfgs',
  summary:
    "The paper's ABC-BFGS: artificial bee colony, then BFGS polish of its best candidates (hybrid preset)",
  params: hybridParams({ global: 'abc', local: 'bfgs' }),
  create: (p, deps) => createHybrid('abc-bfgs', p, deps),
});

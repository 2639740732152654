import { createHybrid, hybridParams } from '../../src/solvers/hybrid-solver.js';
import { defineSolver } from '../../src/solvers/solver.js';

/** The paper's ABC-BFGS (Section IV): ABC finds the peak, BFGS refines it. A preset of `hybrid`. */
export const abcBfgs = defineSolver({
  name: 'abc-bfgs',
  summary:
    "The paper's ABC-BFGS: artificial bee colony, then BFGS polish of its best candidates (hybrid preset)",
  params: hybridParams({ global: 'abc', local: 'bfgs' }),
  create: (p, deps) => createHybrid('abc-bfgs', p, deps),
});

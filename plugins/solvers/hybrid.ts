import { createHybrid, hybridParams } from '../../src/solvers/hybrid-solver.js';
import { defineSolver } from '../../src/solvers/solver.js';

/** Any global solver followed by any local one on its best candidates (e.g. de + bfgs). */
export const hybrid = defineSolver({
  name: 'hybrid',
  summary:
    'Global solver (global, globalParams) then local polish (local, localParams) of its best `polish` candidates',
  params: hybridParams({ global: 'de', local: 'bfgs' }),
  create: (p, deps) => createHybrid('hybrid', p, deps),
});

import { z } from 'zod';

/** Integer option >= min, with a default and its doc (the message names what is valid). */
export function intAtLeast(min: number, def: number, doc: string) {
  return z
    .number()
    .int(`must be an integer >= ${min}`)
    .min(min, `must be an integer >= ${min}`)
    .default(def)
    .describe(doc);
}

/** Probability in [0, 1]. */
export function probability(def: number, doc: string) {
  return z
    .number()
    .min(0, 'must be a probability in [0, 1]')
    .max(1, 'must be a probability in [0, 1]')
    .default(def)
    .describe(doc);
}

/** Number > 0. */
export function positive(def: number, doc: string) {
  return z.number().positive('must be a number > 0').default(def).describe(doc);
}

/** Number >= 0. */
export function nonNegative(def: number, doc: string) {
  return z.number().min(0, 'must be a number >= 0').default(def).describe(doc);
}

/** Local-solver stopping options shared by bfgs and tn. */
export const localStopParams = {
  maxIterations: intAtLeast(1, 200, 'outer iterations (each one line search)'),
  gtol: nonNegative(1e-8, 'stop when the projected gradient max_i |P(x − ∇f)_i − x_i| <= gtol'),
  ftol: nonNegative(
    1e-12,
    'stop when a step lowers f by <= ftol·max(|f_old|, |f_new|) (relative; no absolute floor, so f → 0 keeps going)',
  ),
};

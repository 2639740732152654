/**
 * One error type for everything a user can act on. `kind` says what went wrong,
 * `where` says where (file:line:col, stage id, trial/frame), `hint` what would be valid.
 * The CLI prints `format()` without a stack; `--debug` shows the stack.
 */
export type ErrorKind =
  | 'invalid-pipeline'
  | 'invalid-scenario'
  | 'invalid-option'
  | 'unknown-plugin'
  | 'plugin-load-failed'
  | 'refused-chain'
  | 'stage-failed'
  | 'singular-fim'
  | 'resume-mismatch'
  | 'limit'
  | 'non-finite'
  | 'io';

export interface Problem {
  /** file:line:col, or '' when there is no file. */
  where: string;
  /** dot path of the offending key, e.g. `stages[2].params.maxIterations`. */
  path: string;
  message: string;
}

/**
 * The brand of every isacflow error. `Symbol.for` gives one symbol per process, so an error made
 * by another copy of this module (a plugin loaded by path gets its own copy of errors.js, where
 * `instanceof` is false) is still recognised by `IsacflowError.is()`.
 */
const BRAND: unique symbol = Symbol.for('isacflow.error') as never;

export class IsacflowError extends Error {
  readonly kind: ErrorKind;
  readonly problems: Problem[];
  readonly [BRAND] = true;

  /** True for an isacflow error from any copy of this module; use instead of `instanceof`. */
  static is(e: unknown): e is IsacflowError {
    return (
      e !== null &&
      typeof e === 'object' &&
      (e as Record<symbol, unknown>)[BRAND] === true &&
      typeof (e as { kind?: unknown }).kind === 'string' &&
      Array.isArray((e as { problems?: unknown }).problems)
    );
  }

  constructor(kind: ErrorKind, problems: Problem[] | string, options?: { cause?: unknown }) {
    const list = typeof problems === 'string' ? [{ where: '', path: '', message: problems }] : problems;
    super(formatProblems(list), options);
    this.name = 'IsacflowError';
    this.kind = kind;
    this.problems = list;
  }
}

export function formatProblems(problems: Problem[]): string {
  return problems.map((p) => [p.where, p.path, p.message].filter((s) => s.length > 0).join('  ')).join('\n');
}

/** Throw an `invalid-option` error naming the owner (solver, stage, plugin) and the option. */
export function optionError(owner: string, option: string, message: string): IsacflowError {
  return new IsacflowError('invalid-option', [{ where: '', path: `${owner}.${option}`, message }]);
}

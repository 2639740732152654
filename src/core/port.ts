/**
 * Typed keys of the dataflow. A {@link Port} names one field of `frame.data` and carries the type
 * of its value (at compile time as a type parameter, at run time as a type name for the chain check
 * and the docs); a {@link RecordKey} names one field of the frame record (records.jsonl).
 */

/** A typed key of `frame.data`: what one stage adds and later stages read. */
export interface Port<T> {
  readonly kind: 'port';
  /** field name in `frame.data` */
  readonly key: string;
  /** type name of the value (e.g. 'EchoTensor[]'); the loader refuses a chain where two ports of one key disagree */
  readonly type: string;
  /** one line for `isacflow list` and docs/records.md */
  readonly doc: string;
  /** never set: carries T for the type checker */
  readonly __value?: T;
}

/** A typed key of the frame record: `record[key][resultKey]` (see StageContext.record). */
export interface RecordKey<T> {
  readonly kind: 'record';
  /** field name in the frame record */
  readonly key: string;
  /** type name of one entry (the value under one result key) */
  readonly type: string;
  readonly doc: string;
  readonly __value?: T;
}

/** What a stage manifest's `reads`/`adds` accept: a port, or (old style, untyped) a field name. */
export type PortRef = Port<any> | string; // eslint-disable-line @typescript-eslint/no-explicit-any

/** What a stage manifest's `records` accept: a record key, or (old style) a field name. */
export type RecordRef = RecordKey<any> | string; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The value type a port or record key carries. */
export type PortValue<P> = P extends Port<infer T> ? T : P extends RecordKey<infer T> ? T : never;

/** Type name of an untyped (string) port: it matches a port of any type. */
export const UNTYPED = 'unknown';

/**
 * Declares a typed key of `frame.data`.
 *
 * @example
 * ```ts
 * import { port } from 'isacflow';
 *
 * // a stage that adds per-AP noise powers and a later stage that reads them
 * export const NoisePowers = port<number[]>('noisePowers', { type: 'number[]', doc: 'σ̂² per AP' });
 * ```
 */
export function port<T>(key: string, meta: { type?: string; doc?: string } = {}): Port<T> {
  if (!/^[A-Za-z_$][\w$]*$/.test(key))
    throw new Error(`port key '${key}' must be an identifier (letters, digits, _ or $)`);
  return Object.freeze({ kind: 'port', key, type: meta.type ?? UNTYPED, doc: meta.doc ?? '' });
}

/**
 * Declares a typed key of the frame record. A stage writes it with `ctx.record(Key, value)`; the
 * value lands at `record[key][resultKey]`.
 *
 * @example
 * ```ts
 * import { recordKey } from 'isacflow';
 *
 * export const GainRecord = recordKey<{ gainDb: number }>('gain', { type: '{ gainDb: number }', doc: 'the gain applied' });
 * ```
 */
export function recordKey<T>(key: string, meta: { type?: string; doc?: string } = {}): RecordKey<T> {
  if (!/^[A-Za-z_$][\w$]*$/.test(key))
    throw new Error(`record key '${key}' must be an identifier (letters, digits, _ or $)`);
  return Object.freeze({ kind: 'record', key, type: meta.type ?? UNTYPED, doc: meta.doc ?? '' });
}

/**
 * The field name of a port or record key (a string is its own name).
 *
 * @example
 * ```ts
 * import { keyOf, Echoes } from 'isacflow';
 *
 * keyOf(Echoes); // 'echoes'
 * keyOf('echoes'); // 'echoes'
 * ```
 */
export function keyOf(p: PortRef | RecordRef): string {
  return typeof p === 'string' ? p : p.key;
}

/**
 * The type name of a port or record key (`'unknown'` for a plain string).
 *
 * @example
 * ```ts
 * import { typeOf, Echoes } from 'isacflow';
 *
 * typeOf(Echoes); // 'EchoTensor[]'
 * ```
 */
export function typeOf(p: PortRef | RecordRef): string {
  return typeof p === 'string' ? UNTYPED : p.type;
}

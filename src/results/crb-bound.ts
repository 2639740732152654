import type { FrameRecord } from '../core/frame.js';
import { QUANTITIES, type BoundSummary, type Quantity } from './summary-types.js';

/** record.crb field holding each quantity's bound (a standard deviation, or √trace). */
export const CRB_FIELDS: Readonly<Record<Quantity, string>> = {
  position: 'sqrtTrP',
  velocity: 'sqrtTrVelXY',
  speed: 'stdSpeed',
  heading: 'stdHeading',
};

function isBoundEntry(x: unknown): boolean {
  return x !== null && typeof x === 'object' && QUANTITIES.some((q) => CRB_FIELDS[q] in (x as object));
}

/** Every array of per-target bound objects below `crb`, by its dot path ("crb.exact", "exact"). */
function boundPaths(
  crb: unknown,
  prefix = '',
  depth = 0,
  out = new Map<string, unknown[]>(),
): Map<string, unknown[]> {
  if (Array.isArray(crb)) {
    if (prefix !== '' && crb.some(isBoundEntry)) out.set(prefix, crb);
    return out;
  }
  if (crb === null || typeof crb !== 'object' || depth > 3) return out;
  for (const [k, v] of Object.entries(crb))
    boundPaths(v, prefix === '' ? k : `${prefix}.${k}`, depth + 1, out);
  return out;
}

/** The result keys (stage ids or variant branches) of `record.crb[resultKey][mode]` in a record. */
export function boundResultKeys(crb: unknown): string[] {
  return [...boundPaths(crb).keys()].filter((p) => p.includes('.')).map((p) => p.slice(0, p.indexOf('.')));
}

/**
 * Whether the records hold bounds under more than one result key (several crb-evaluator stages, or
 * one after a stage with variants): then series are named `<mode>@<resultKey>`, else `<mode>`.
 */
export function manyBoundKeys(records: readonly FrameRecord[]): boolean {
  const keys = new Set<string>();
  for (const r of records) for (const k of boundResultKeys(r.crb)) keys.add(k);
  return keys.size > 1;
}

/**
 * Finds the bound series in a record's `crb` (layout `crb[resultKey][mode]`, docs/records.md): named
 * by the mode ("exact") or, when `many` result keys occur in the run (see manyBoundKeys), by
 * "mode@resultKey" ("exact@optimal"). Records of the earlier layout (`crb[mode]`, `crb["mode@branch"]`)
 * keep their names.
 */
export function boundSeries(crb: unknown, many = false): Map<string, unknown[]> {
  const out = new Map<string, unknown[]>();
  for (const [path, entries] of boundPaths(crb)) {
    const dot = path.indexOf('.');
    if (dot < 0) out.set(path, entries);
    else {
      const key = path.slice(0, dot);
      const mode = path.slice(dot + 1);
      out.set(many ? `${mode}@${key}` : mode, entries);
    }
  }
  return out;
}

function isSingularEntry(x: unknown): boolean {
  return x !== null && typeof x === 'object' && (x as { singular?: unknown }).singular === true;
}

function singularPaths(crb: unknown, prefix = '', depth = 0, out: string[] = []): string[] {
  if (Array.isArray(crb)) {
    if (prefix !== '' && crb.length > 0 && crb.every(isSingularEntry)) out.push(prefix);
    return out;
  }
  if (crb === null || typeof crb !== 'object' || depth > 3) return out;
  for (const [k, v] of Object.entries(crb))
    singularPaths(v, prefix === '' ? k : `${prefix}.${k}`, depth + 1, out);
  return out;
}

/**
 * Series under `crb` whose every entry is a singular report (`{ singular: true, reason }`), e.g. the
 * exact bound with a single AP: they carry no number, so boundSeries does not list them. Named as
 * boundSeries names them.
 */
export function singularOnlySeries(crb: unknown, many = false): string[] {
  return singularPaths(crb).map((path) => {
    const dot = path.indexOf('.');
    if (dot < 0) return path;
    const mode = path.slice(dot + 1);
    return many ? `${mode}@${path.slice(0, dot)}` : mode;
  });
}

/**
 * The ARMSE-comparable bound of each series over the records of one point: for each quantity,
 * the mean over targets k of √(mean over frames of b_k²), b = the per-target field of CRB_FIELDS.
 * Non-finite bound values (e.g. singular FIM reported as Infinity or null) are left out;
 * `singular` counts the (target, frame) entries left out because their FIM is singular.
 */
export function summariseBounds(
  records: readonly FrameRecord[],
  names: readonly string[],
  many = false,
): Record<string, BoundSummary> {
  const out: Record<string, BoundSummary> = {};
  const found = records.map((r) => boundSeries(r.crb, many));
  for (const name of names) {
    let frames = 0;
    let singular = 0;
    const ss: Record<Quantity, number[]> = { position: [], velocity: [], speed: [], heading: [] };
    const cc: Record<Quantity, number[]> = { position: [], velocity: [], speed: [], heading: [] };
    for (const f of found) {
      const entries = f.get(name);
      if (!entries) continue;
      frames++;
      entries.forEach((e, k) => {
        if (e === null || typeof e !== 'object') return;
        if (
          isSingularEntry(e) ||
          QUANTITIES.every((q) => !Number.isFinite((e as Record<string, unknown>)[CRB_FIELDS[q]]))
        ) {
          singular++;
          return;
        }
        for (const q of QUANTITIES) {
          const b = (e as Record<string, unknown>)[CRB_FIELDS[q]];
          if (typeof b !== 'number' || !Number.isFinite(b)) continue;
          ss[q][k] = (ss[q][k] ?? 0) + b * b;
          cc[q][k] = (cc[q][k] ?? 0) + 1;
        }
      });
    }
    if (frames === 0) continue;
    const s: BoundSummary = { frames, singular, position: null, velocity: null, speed: null, heading: null };
    for (const q of QUANTITIES) {
      let acc = 0;
      let used = 0;
      for (let k = 0; k < cc[q].length; k++) {
        const c = cc[q][k];
        if (c === undefined || c === 0) continue;
        acc += Math.sqrt((ss[q][k] as number) / c);
        used++;
      }
      s[q] = used === 0 ? null : acc / used;
    }
    out[name] = s;
  }
  return out;
}

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

/**
 * Finds the bound series in a record's `crb`: every array of per-target bound objects, named by
 * its dot path below `crb` ("exact"; "exact.optimal" when a stage writes one per variant).
 */
export function boundSeries(crb: unknown, prefix = '', depth = 0, out = new Map<string, unknown[]>()): Map<string, unknown[]> {
  if (Array.isArray(crb)) {
    if (prefix !== '' && crb.some(isBoundEntry)) out.set(prefix, crb);
    return out;
  }
  if (crb === null || typeof crb !== 'object' || depth > 3) return out;
  for (const [k, v] of Object.entries(crb)) boundSeries(v, prefix === '' ? k : `${prefix}.${k}`, depth + 1, out);
  return out;
}

function isSingularEntry(x: unknown): boolean {
  return x !== null && typeof x === 'object' && (x as { singular?: unknown }).singular === true;
}

/**
 * Series under `crb` whose every entry is a singular report (`{ singular: true, reason }`), e.g. the
 * exact bound with a single AP: they carry no number, so boundSeries does not list them.
 */
export function singularOnlySeries(crb: unknown, prefix = '', depth = 0, out: string[] = []): string[] {
  if (Array.isArray(crb)) {
    if (prefix !== '' && crb.length > 0 && crb.every(isSingularEntry)) out.push(prefix);
    return out;
  }
  if (crb === null || typeof crb !== 'object' || depth > 3) return out;
  for (const [k, v] of Object.entries(crb)) singularOnlySeries(v, prefix === '' ? k : `${prefix}.${k}`, depth + 1, out);
  return out;
}

/**
 * The ARMSE-comparable bound of each series over the records of one point: for each quantity,
 * the mean over targets k of √(mean over frames of b_k²), b = the per-target field of CRB_FIELDS.
 * Non-finite bound values (e.g. singular FIM reported as Infinity or null) are left out;
 * `singular` counts the (target, frame) entries left out because their FIM is singular.
 */
export function summariseBounds(records: readonly FrameRecord[], names: readonly string[]): Record<string, BoundSummary> {
  const out: Record<string, BoundSummary> = {};
  const found = records.map((r) => boundSeries(r.crb));
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
        if (isSingularEntry(e) || QUANTITIES.every((q) => !Number.isFinite((e as Record<string, unknown>)[CRB_FIELDS[q]]))) {
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

/**
 * The first NaN or ±Infinity in a value a stage produced, as a dot path below `path` (e.g.
 * `estimates[1].position[0]`), or undefined when every number is finite. Walks numbers, typed
 * arrays, arrays and plain objects (depth-limited); other objects (class instances with methods,
 * Maps) are walked by their own enumerable fields.
 */
export function findNonFinite(value: unknown, path: string, depth = 0): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : `${path} = ${value}`;
  if (value === null || typeof value !== 'object' || depth > 12) return undefined;
  if (ArrayBuffer.isView(value)) {
    const i =
      value instanceof Float64Array
        ? firstNonFinite64(value)
        : value instanceof Float32Array
          ? firstNonFinite32(value)
          : -1;
    return i < 0 ? undefined : `${path}[${i}] = ${(value as Float64Array | Float32Array)[i]}`;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const r = findNonFinite(value[i], `${path}[${i}]`, depth + 1);
      if (r) return r;
    }
    return undefined;
  }
  if (value instanceof Map) {
    for (const [k, v] of value) {
      const r = findNonFinite(v, `${path}.${String(k)}`, depth + 1);
      if (r) return r;
    }
    return undefined;
  }
  for (const k of Object.keys(value)) {
    const r = findNonFinite((value as Record<string, unknown>)[k], path ? `${path}.${k}` : k, depth + 1);
    if (r) return r;
  }
  return undefined;
}

/**
 * What a stage added to a frame that is not finite: the frame.data fields it declares (`adds`) and
 * the record entries it wrote (new or replaced), timings aside. Undefined when all is finite.
 */
export function nonFiniteOutput(
  data: Record<string, unknown>,
  adds: readonly string[],
  record: Record<string, unknown>,
  recordBefore: ReadonlyMap<string, unknown>,
): string | undefined {
  for (const k of adds) {
    if (!Object.hasOwn(data, k)) continue;
    const r = findNonFinite(data[k], `data.${k}`);
    if (r) return r;
  }
  for (const k of Object.keys(record)) {
    if (k === 'timings') continue;
    const v = record[k];
    if (recordBefore.get(k) === v) continue;
    const r = findNonFinite(v, `record.${k}`);
    if (r) return r;
  }
  return undefined;
}

/**
 * Index of the first non-finite element of a, or −1. x·0 is ±0 for a finite x and NaN for NaN and
 * ±Infinity, so a sum of x·0 is 0 exactly when every element is finite; only then is the index sought.
 */
function firstNonFinite64(a: Float64Array): number {
  const n = a.length;
  const n4 = n - (n & 3);
  let s = timesZeroSum(a, n4);
  for (let i = n4; i < n; i++) s += a[i]! * 0;
  if (s === 0) return -1;
  for (let j = 0; j < n; j++) {
    const x = a[j]!;
    if (x - x !== 0) return j;
  }
  return -1;
}

/**
 * Σ a[i]·0 over i < n4 (n4 a multiple of 4), four products per step so that the additions do not wait
 * on each other (a frame's echoes are 2M numbers). Nothing follows the loop but the return: the first
 * call, on a big array, is compiled on-stack inside the loop, and code after a loop that had never run
 * by then had no type feedback, so that cached code left the optimised path at the loop's end on every
 * later call (1286 deoptimisations in a 40-trial fig9 run, when this loop was inside firstNonFinite64).
 */
function timesZeroSum(a: Float64Array, n4: number): number {
  let s = 0;
  for (let i = 0; i < n4; i += 4) s += a[i]! * 0 + a[i + 1]! * 0 + (a[i + 2]! * 0 + a[i + 3]! * 0);
  return s;
}

/** The first non-finite element of a Float32Array, or −1 (no stage's hot output is one: a plain scan). */
function firstNonFinite32(a: Float32Array): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    if (x - x !== 0) return i;
  }
  return -1;
}

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
    if (value instanceof Float64Array || value instanceof Float32Array) {
      const a = value;
      for (let i = 0; i < a.length; i++) {
        const x = a[i] as number;
        // x - x is 0 for a finite x and NaN for NaN and ±Infinity: one test per element.
        if (x - x !== 0) return `${path}[${i}] = ${x}`;
      }
    }
    return undefined;
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

/** Dot paths where two plain JSON-like values differ (leaves; arrays of different length as a whole). */
export function differingKeys(a: unknown, b: unknown, prefix = ''): string[] {
  if (a === b) return [];
  const obj = (v: unknown): v is Record<string, unknown> =>
    v !== null && typeof v === 'object' && !Array.isArray(v);
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    return a.flatMap((x, i) => differingKeys(x, b[i], `${prefix}[${i}]`));
  }
  if (obj(a) && obj(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => differingKeys(a[k], b[k], prefix ? `${prefix}.${k}` : k));
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [prefix || '(whole pipeline)'];
}

const short = (v: unknown) => {
  const s = v === undefined ? '(absent)' : JSON.stringify(v);
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
};

function at(v: unknown, path: string): unknown {
  let cur = v;
  for (const part of path.match(/[^.[\]]+/g) ?? []) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** "run.trials: 3 -> 4; scenario.snr.db: 10 -> 5" (at most `max` keys). */
export function describeDifferences(before: unknown, after: unknown, max = 8): string {
  const keys = differingKeys(before, after);
  const shown = keys.slice(0, max).map((k) => `${k}: ${short(at(before, k))} -> ${short(at(after, k))}`);
  return shown.join('; ') + (keys.length > max ? `; and ${keys.length - max} more key(s)` : '');
}

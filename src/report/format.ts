/** Number formatting shared by the text tables and the HTML report. */

/** 4 significant digits; exponent form outside [1e-4, 1e6); '—' for null / non-finite. */
export function formatNumber(x: number | null | undefined, digits = 4): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  if (x === 0) return '0';
  if (Number.isInteger(x) && Math.abs(x) < 1e6) return String(x);
  const a = Math.abs(x);
  if (a >= 1e6 || a < 1e-4) return x.toExponential(digits - 1);
  return x.toPrecision(digits);
}

/** A fraction as a percentage with one decimal ('2.5 %'). */
export function formatPercent(fraction: number | null | undefined): string {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return '—';
  return `${(100 * fraction).toFixed(1)} %`;
}

/** '[lo, hi]' or '—'. */
export function formatInterval(iv: readonly [number, number] | null | undefined, digits = 4): string {
  return iv ? `[${formatNumber(iv[0], digits)}, ${formatNumber(iv[1], digits)}]` : '—';
}

/** A sweep value as a table cell. */
export function formatValue(v: unknown): string {
  if (typeof v === 'number') return formatNumber(v, 6);
  if (typeof v === 'string') return v;
  return JSON.stringify(v) ?? '';
}

import { QUANTITY_UNITS, type Quantity } from '../results/summary-types.js';

/** Axis titles with units for the sweep keys researchers use most. */
const KNOWN_KEYS: Record<string, string> = {
  'scenario.snr.db': 'SNR (dB)',
  'scenario.snr.referenceRangeM': 'reference range (m)',
  'scenario.system.subcarriers': 'subcarriers N_c',
  'scenario.system.symbols': 'OFDM symbols M',
  'scenario.system.carrierHz': 'carrier frequency (Hz)',
  'scenario.system.subcarrierSpacingHz': 'subcarrier spacing (Hz)',
  'run.trials': 'trials',
  x: 'x (m)',
  y: 'y (m)',
  frame: 'frame index',
};

/** Legend labels of sweep-point values for the keys researchers use most. */
const POINT_LABELS: Record<string, (v: string) => string> = {
  'scenario.snr.db': (v) => `SNR ${v} dB`,
  'stages.placement.radiusM': (v) => `ε = ${v} m`,
  'stages.fusion.solverParams.popSize': (v) => `popsize ${v}`,
  'stages.fusion.solverParams.epochs': (v) => `${v} epochs`,
  'run.frames': (v) => `${v} frames`,
};

/**
 * A readable legend label for one sweep-point value: "SNR 10 dB" for scenario.snr.db, else the last
 * part of the key with its unit ("radiusM = 10 m" → "radiusM = 10 m", "solver = pso").
 */
export function pointLabel(key: string, value: unknown): string {
  const v =
    typeof value === 'string'
      ? value
      : typeof value === 'number'
        ? String(value).replace('-', '−')
        : JSON.stringify(value);
  const known = POINT_LABELS[key];
  if (known) return known(v);
  const last = key.split('.').pop() ?? key;
  const unit = /\(([^)]+)\)$/.exec(keyTitle(key))?.[1];
  return `${last} = ${v}${unit ? ` ${unit}` : ''}`;
}

const STAT_NAMES: Record<string, string> = {
  armse: 'ARMSE',
  rmse: 'RMSE',
  mean: 'mean error',
  median: 'median error',
  outlierRate: 'outlier rate',
  armseImprovementPct: 'ARMSE improvement',
  medianImprovementPct: 'median improvement',
};

/** Title of a sweep key or data column; units guessed from a trailing Db/M/Hz/S suffix. */
export function keyTitle(key: string): string {
  const known = KNOWN_KEYS[key];
  if (known) return known;
  const last = key.split('.').pop() ?? key;
  const unit = /(?:^|[a-z])(db)$/i.test(last)
    ? 'dB'
    : /Hz$/.test(last)
      ? 'Hz'
      : /[a-z]M$/.test(last)
        ? 'm'
        : /[a-z]S$/.test(last)
          ? 's'
          : '';
  return unit ? `${key} (${unit})` : key;
}

const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** Title of a summary statistic path (armse.position → "Position ARMSE (m)"). */
export function statTitle(path: string): string {
  const parts = path.split('.');
  if (path === 'missRate') return 'miss rate (fraction)';
  if (parts[0] === 'crb' && parts.length === 2) {
    const q = parts[1] as Quantity;
    return `${cap(q)} √CRB${QUANTITY_UNITS[q] ? ` (${QUANTITY_UNITS[q]})` : ''}`;
  }
  if (path === 'latency') return 'processing time per frame (ms)';
  if (parts[0] === 'field') {
    const f = parts.slice(1).join('.');
    if (f === 'timings.*') return 'processing time per stage (ms)';
    return parts[1] === 'timings' || parts[1] === 'latencyMs' ? `${f} (ms)` : f;
  }
  if (parts[0] === 'paired' && parts.length === 3)
    return `${cap(parts[2] as string)} ${STAT_NAMES[parts[1] as string] ?? parts[1]} (%)`;
  if (parts.length === 2) {
    const [stat, q] = parts as [string, string];
    const unit = stat === 'outlierRate' ? 'fraction' : (QUANTITY_UNITS[q as Quantity] ?? '');
    return `${cap(q)} ${STAT_NAMES[stat] ?? stat}${unit ? ` (${unit})` : ''}`;
  }
  return path;
}

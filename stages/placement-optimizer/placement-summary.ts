import type { FrameRecord } from '../../src/plugin.js';

interface Acc {
  n: number;
  initial: number;
  continuous: number;
  final: number;
  reduction: number;
}

function isEntry(v: unknown): v is {
  strategy: string;
  objectiveInitial: number | null;
  objectiveContinuous: number | null;
  objective: number | null;
  reductionPct: number | null;
} {
  return v !== null && typeof v === 'object' && 'objective' in v && 'strategy' in v;
}

/**
 * Plain-text summary of the placement records: per sweep point and strategy (variant), the mean
 * worst-case objective of the Initial layout, of the continuous and of the integer solution, and
 * the mean reduction in percent.
 */
export function summarizePlacement(records: readonly FrameRecord[]): string {
  const groups = new Map<string, Acc>();
  for (const r of records) {
    const pl = r.placement;
    if (pl === null || typeof pl !== 'object') continue;
    // record.placement[resultKey] (records before issue 17: flat outside variant branches)
    const entries: Array<[string, unknown]> = isEntry(pl)
      ? [[pl.strategy, pl]]
      : Object.entries(pl as Record<string, unknown>);
    const point = JSON.stringify(r.point);
    for (const [name, e] of entries) {
      if (!isEntry(e) || e.objective === null || e.objectiveInitial === null) continue;
      // result key (variant or stage id) and, where it differs, the strategy
      const label = name === e.strategy ? name : `${name} (${e.strategy})`;
      const key = `${point === '{}' ? '' : `${point} `}${label}`;
      const a = groups.get(key) ?? { n: 0, initial: 0, continuous: 0, final: 0, reduction: 0 };
      a.n++;
      a.initial += e.objectiveInitial;
      a.continuous += e.objectiveContinuous ?? NaN;
      a.final += e.objective;
      a.reduction += e.reductionPct ?? NaN;
      groups.set(key, a);
    }
  }
  if (groups.size === 0) return '';
  const lines = ['placement (means over frames): objective Initial -> continuous -> integer, reduction'];
  for (const [k, a] of groups) {
    lines.push(
      `  ${k}: ${(a.initial / a.n).toFixed(4)} -> ${(a.continuous / a.n).toFixed(4)} -> ${(a.final / a.n).toFixed(4)}, reduction ${(a.reduction / a.n).toFixed(1)} % (${a.n} frames)`,
    );
  }
  return lines.join('\n');
}

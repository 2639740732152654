import type { PluginLookup, StageManifest } from './plugin.js';
import { keyOf, typeOf, UNTYPED, type PortRef, type RecordRef } from './port.js';

/** What the stages of a registry say about one port or record key. */
interface KeyInfo {
  key: string;
  type: string;
  doc: string;
  writers: string[];
  readers: string[];
}

function collect(
  stages: readonly StageManifest[],
  pick: (m: StageManifest) => readonly (PortRef | RecordRef)[],
  readers?: (m: StageManifest) => readonly PortRef[],
): KeyInfo[] {
  const out = new Map<string, KeyInfo>();
  const info = (p: PortRef | RecordRef): KeyInfo => {
    const key = keyOf(p);
    let i = out.get(key);
    if (!i) out.set(key, (i = { key, type: UNTYPED, doc: '', writers: [], readers: [] }));
    if (i.type === UNTYPED) i.type = typeOf(p);
    if (!i.doc && typeof p !== 'string') i.doc = p.doc;
    return i;
  };
  for (const m of stages) for (const p of pick(m)) info(p).writers.push(m.name);
  if (readers) for (const m of stages) for (const p of readers(m)) info(p).readers.push(m.name);
  return [...out.values()].sort((a, b) => a.key.localeCompare(b.key));
}

const cell = (s: string): string => s.replace(/\|/g, '\\|');

/**
 * The record layout and the dataflow ports of every stage in a registry, as Markdown: one table of
 * record keys (who writes them, the type of one entry, what it holds) and one of `frame.data`
 * ports (type, who adds and who reads them). Generated from the stage manifests and the ports
 * they declare, so a user's stage plugin appears beside the built-in ones.
 *
 * @example
 * ```ts
 * import { builtinRegistry, recordsDoc } from 'isacflow';
 *
 * console.log(recordsDoc(builtinRegistry()));
 * ```
 */
export function recordsDoc(registry: PluginLookup): string {
  const stages = registry
    .names('stage')
    .map((n) => registry.manifest('stage', n) as unknown as StageManifest);
  const records = collect(stages, (m) => m.records ?? []);
  const ports = collect(
    stages,
    (m) => m.adds,
    (m) => m.reads,
  );
  const lines = [
    '## Layout',
    '',
    'One JSON object per frame in `records.jsonl`. Fixed fields: `point` (the sweep point), `trial`, `frame`, `seed`,',
    '`truth` (the targets: `position` [m], `velocity` { `speed` [m/s], `heading` [rad] }), `timings` (ms per stage id,',
    '`<stage id>.<branch>` inside variant branches).',
    '',
    'Every stage writes its results as `record[key][resultKey]`, where `resultKey` is the variant branch',
    '(e.g. `sfo`, or `initial/sfo` after two stages with variants) or, outside any branch, the stage id — the same',
    'layout with and without variants, so a dot path such as `profile.*.location.detected` works in both.',
    '(Before this layout, some stages wrote `record[key]` flat unless the frame was branched and crb-evaluator',
    'wrote `crb[mode]` / `crb["mode@branch"]`; the summary still reads those crb records.)',
    '',
    '## Record keys',
    '',
    '| key | written by | one entry (type) | what |',
    '|---|---|---|---|',
    ...records.map(
      (r) => `| \`${r.key}\` | ${r.writers.join(', ')} | \`${cell(r.type)}\` | ${cell(r.doc)} |`,
    ),
    '',
    '## Ports (`frame.data`, never serialised)',
    '',
    '| port | type | added by | read by | what |',
    '|---|---|---|---|---|',
    ...ports.map(
      (p) =>
        `| \`${p.key}\` | \`${cell(p.type)}\` | ${p.writers.join(', ') || '-'} | ${p.readers.join(', ') || '-'} | ${cell(p.doc)} |`,
    ),
    '',
  ];
  return lines.join('\n');
}

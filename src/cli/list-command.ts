import { resolve } from 'node:path';
import { builtinRegistry } from '../builtins.js';
import { IsacflowError } from '../core/errors.js';
import { paramDocs } from '../core/param-docs.js';
import type { PluginKind, StageManifest } from '../core/plugin.js';
import { keyOf } from '../core/port.js';
import { recordsDoc } from '../core/records-doc.js';
import { loadPluginModule } from '../core/pipeline-loader.js';

const KINDS: PluginKind[] = ['stage', 'solver', 'fusion', 'placement', 'tracker', 'source'];

export async function listCommand(
  kind: string | undefined,
  plugins: string[],
  opts: { records?: boolean } = {},
): Promise<void> {
  const registry = builtinRegistry();
  for (const p of plugins) {
    try {
      await loadPluginModule(p, resolve('.'), registry);
    } catch (e) {
      throw new IsacflowError('plugin-load-failed', [
        { where: `--plugin ${p}`, path: '', message: (e as Error).message },
      ]);
    }
  }
  if (opts.records) {
    process.stdout.write(`${recordsDoc(registry)}\n`);
    return;
  }
  if (kind && !KINDS.includes(kind as PluginKind)) {
    throw new IsacflowError('invalid-option', `unknown kind '${kind}' (kinds: ${KINDS.join(', ')})`);
  }
  const out: string[] = [];
  for (const k of KINDS) {
    if (kind && k !== kind) continue;
    const names = registry.names(k);
    if (names.length === 0) continue;
    out.push(`${k === 'stage' ? 'STAGES' : `${k.toUpperCase()} PLUGINS`}`);
    for (const name of names) {
      const m = registry.manifest(k, name);
      const origin = registry.origin.get(`${k}:${name}`);
      out.push(`  ${name}${origin && origin !== 'builtin' ? `  (from ${origin})` : ''}`);
      out.push(`      ${m.summary}`);
      if (m.kind === 'stage') {
        const s = m as unknown as StageManifest;
        out.push(
          `      reads: ${s.reads.map(keyOf).join(', ') || '-'}   adds: ${s.adds.map(keyOf).join(', ') || '-'}${s.records?.length ? `   records: ${s.records.map(keyOf).join(', ')}` : ''}`,
        );
      }
      const frameData = keepsFrameDataNote(m.kind, m.releasesFrameData);
      if (frameData) out.push(`      ${frameData}`);
      for (const p of paramDocs(m.params)) {
        const def = p.default !== undefined ? ` = ${JSON.stringify(p.default)}` : '';
        const unit = p.unit ? ` [${p.unit}]` : '';
        const cons = p.constraints ? ` (${p.constraints})` : '';
        out.push(`      - ${p.name}: ${p.type}${def}${unit}${cons}${p.doc ? ` — ${p.doc}` : ''}`);
      }
    }
    out.push('');
  }
  process.stdout.write(out.join('\n') + '\n');
}

/**
 * What `list` says of a stage or fusion scheme that does not declare releasesFrameData: its pipelines
 * get fresh frame buffers every frame (README, "Frame buffers"). Undefined when it declares it.
 */
export function keepsFrameDataNote(kind: PluginKind, releases: unknown): string | undefined {
  if (releases === true || typeof releases === 'function') return undefined;
  if (kind === 'stage')
    return 'keeps frame data (no releasesFrameData): its pipelines get fresh frame buffers every frame';
  if (kind === 'fusion')
    return 'keeps frame data (no releasesFrameData): fusion-solver pipelines with it get fresh frame buffers every frame';
  return undefined;
}

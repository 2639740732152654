import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { builtinRegistry } from '../builtins.js';
import { IsacflowError } from '../core/errors.js';
import { loadPipeline } from '../core/pipeline-loader.js';
import { constructionProblems } from '../core/stage-factory.js';
import type { QueuePolicy } from '../sources/bounded-queue.js';
import { streamSession } from '../sources/stream-session.js';

export interface StreamCommandOptions {
  set: string[];
  source?: string;
  out?: string;
  queue?: string;
  policy?: string;
}

/**
 * --source: `tcp://HOST:PORT`, `tcp:PORT`, `stdin` (or `-`), `npy:DIR` or an existing folder,
 * `simulated`, or a mapping `{ uses: NAME, params: {...} }`.
 */
export function parseSourceOption(text: string): { uses: string; params: Record<string, unknown> } {
  const t = text.trim();
  const tcp = /^tcp:(?:\/\/)?(?:\[?([^\]]*?)\]?:)?(\d+)$/.exec(t);
  if (tcp) return { uses: 'tcp', params: { ...(tcp[1] ? { host: tcp[1] } : {}), port: Number(tcp[2]) } };
  if (t === 'stdin' || t === '-') return { uses: 'stdin', params: {} };
  if (t === 'simulated') return { uses: 'simulated', params: {} };
  if (t.startsWith('npy:')) return { uses: 'npy', params: { path: t.slice(4) } };
  if (t.startsWith('{')) {
    const v = parseYaml(t) as { uses?: unknown; params?: unknown };
    if (v && typeof v.uses === 'string')
      return { uses: v.uses, params: (v.params ?? {}) as Record<string, unknown> };
  }
  if (existsSync(t) && statSync(t).isDirectory()) return { uses: 'npy', params: { path: t } };
  throw new IsacflowError('invalid-option', [
    {
      where: `--source ${text}`,
      path: '',
      message:
        'must be tcp://HOST:PORT, tcp:PORT, stdin, npy:DIR (or a recording folder), simulated, or { uses: NAME, params: {...} }',
    },
  ]);
}

function timestamp(): string {
  return new Date().toISOString().replace(/[:.]/g, '-').replace('T', '_').slice(0, 19);
}

export async function streamCommand(file: string, o: StreamCommandOptions): Promise<void> {
  const registry = builtinRegistry();
  let source: { uses: string; params: Record<string, unknown> } | undefined;
  if (o.source) source = parseSourceOption(o.source);
  // --source of the same kind as the pipeline's keeps the pipeline's other params (e.g. the sidecar)
  if (source) {
    const { readFileSync } = await import('node:fs');
    const own = (
      parseYaml(readFileSync(file, 'utf8')) as {
        source?: { uses?: string; params?: Record<string, unknown> };
      } | null
    )?.source;
    if (own?.uses === source.uses)
      source = { uses: source.uses, params: { ...(own.params ?? {}), ...source.params } };
  }
  const resolved = await loadPipeline(file, {
    sets: o.set,
    registry,
    tryConstruct: (p) => constructionProblems(p, registry),
    ...(source ? { source } : {}),
  });
  const queue = o.queue === undefined ? 8 : Number(o.queue);
  if (!Number.isInteger(queue) || queue < 1)
    throw new IsacflowError('invalid-option', [
      { where: `--queue ${o.queue}`, path: '', message: 'must be a whole number of frames >= 1' },
    ]);
  const policy = (o.policy ?? 'block') as QueuePolicy;
  if (policy !== 'block' && policy !== 'drop-oldest')
    throw new IsacflowError('invalid-option', [
      {
        where: `--policy ${o.policy}`,
        path: '',
        message: "must be 'block' (the sender waits) or 'drop-oldest' (old frames are dropped and counted)",
      },
    ]);
  const out = o.out ?? join('runs', `${resolved.spec.name}-stream-${timestamp()}`);

  const interrupt = new AbortController();
  const hard = new AbortController();
  const onSigint = () => {
    if (!interrupt.signal.aborted) {
      process.stderr.write(
        '\nisacflow stream: interrupted; finishing the frames already received (Ctrl-C again: stop after the current frame)\n',
      );
      interrupt.abort();
    } else hard.abort();
  };
  process.on('SIGINT', onSigint);
  try {
    const result = await streamSession(resolved, {
      out,
      queue,
      policy,
      signal: interrupt.signal,
      hardStop: hard.signal,
      onLine: (line) => process.stdout.write(line + '\n'),
      onStatus: (m) => process.stderr.write(`isacflow stream: ${m}\n`),
      command: [
        'isacflow',
        'stream',
        file,
        ...o.set.flatMap((s) => ['--set', s]),
        ...(o.source ? ['--source', o.source] : []),
        ...(o.out ? ['--out', o.out] : []),
      ],
    });
    for (const t of result.summaries ?? []) process.stderr.write(`\n${t}\n`);
    const s = result.stats;
    const ms = (x: number | null) => (x === null ? 'n/a' : `${x.toFixed(1)} ms`);
    process.stderr.write(
      `isacflow stream: ${s.frames} frame(s) processed, ${s.dropped} dropped (queue ${s.queueCapacity}, ${s.policy}); latency p50 ${ms(s.latencyMs.p50)}, p95 ${ms(s.latencyMs.p95)}; sustained ${s.framesPerSecond === null ? 'n/a' : `${s.framesPerSecond.toFixed(2)} frames/s`}\nrun folder: ${resolve(result.folder.dir)}\n`,
    );
    if (result.error) throw result.error;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameRecord } from '../core/frame.js';
import { parseRecords } from '../results/read-records.js';

export interface Manifest {
  name: string;
  description?: string;
  started: string;
  finished?: string;
  seed: number;
  pipelineHash: string;
  pipelineFile: string;
  versions: { isacflow: string; node: string; plugins: Array<{ spec: string; resolved: string; names: string[] }> };
  command: string[];
  workers: number;
  trialsPerPoint: number;
  frames: number;
  points: Array<Record<string, unknown>>;
  resumed?: string[];
}

/** The run folder of shared/spec/results.md. records.jsonl is appended as frames complete. */
export class RunFolder {
  constructor(readonly dir: string) {
    mkdirSync(join(dir, 'plots'), { recursive: true });
  }

  path(name: string): string {
    return join(this.dir, name);
  }

  writeManifest(m: Manifest): void {
    writeFileSync(this.path('manifest.json'), JSON.stringify(m, null, 2) + '\n');
  }

  readManifest(): Manifest | undefined {
    const p = this.path('manifest.json');
    return existsSync(p) ? (JSON.parse(readFileSync(p, 'utf8')) as Manifest) : undefined;
  }

  appendRecords(records: readonly FrameRecord[]): void {
    if (records.length === 0) return;
    appendFileSync(this.path('records.jsonl'), records.map((r) => JSON.stringify(r)).join('\n') + '\n');
  }

  /** Records already on disk; a torn last line (killed mid-write) is dropped. */
  readRecords(): FrameRecord[] {
    const p = this.path('records.jsonl');
    return existsSync(p) ? parseRecords(readFileSync(p, 'utf8'), p).records : [];
  }

  rewriteRecords(records: readonly FrameRecord[]): void {
    writeFileSync(this.path('records.jsonl'), records.map((r) => JSON.stringify(r) + '\n').join(''));
  }

  write(name: string, text: string | Uint8Array): void {
    writeFileSync(this.path(name), text);
  }
}

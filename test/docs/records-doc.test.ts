import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { builtinRegistry } from '../../src/builtins.js';
import { defineStage } from '../../src/core/plugin.js';
import { port, recordKey } from '../../src/core/port.js';
import { Echoes } from '../../src/core/ports.js';
import { recordsDoc } from '../../src/core/records-doc.js';
import { recordsMarkdown } from '../../scripts/records-doc.js';

const root = join(import.meta.dirname, '..', '..');

describe('docs/records.md and isacflow list --records', () => {
  it('docs/records.md is what `npm run docs:records` generates from the manifests, ports and record types', async () => {
    expect(readFileSync(join(root, 'docs/records.md'), 'utf8')).toBe(await recordsMarkdown());
  }, 180_000);

  it('the record entry types come with their fields and TSDoc (e.g. placement.reductionPct)', async () => {
    const md = readFileSync(join(root, 'docs/records.md'), 'utf8');
    expect(md).toContain('| `reductionPct` | `number \\| null` | 100 (1 − objective / objectiveInitial) |');
    expect(md).toMatch(/\| `estimates` \| fusion-solver, tracker \| `StateEstimate\[\]` \|/);
  });

  it("a user's stage plugin appears with its typed ports and record keys, and a string-keyed one too", () => {
    const r = builtinRegistry();
    class S {
      process(): void {}
    }
    const Gains = port<number[]>('gains', { type: 'number[]', doc: 'gain per AP' });
    const GainRecord = recordKey<{ gainDb: number }>('gain', {
      type: '{ gainDb: number }',
      doc: 'the gain applied',
    });
    r.register(
      defineStage({
        name: 'my-gain',
        summary: 's',
        params: z.object({}).strict(),
        reads: [Echoes],
        adds: [Gains],
        records: [GainRecord],
        stage: S,
      }),
      'test',
    );
    r.register(
      defineStage({
        name: 'old-style',
        summary: 's',
        params: z.object({}).strict(),
        reads: ['gains'],
        adds: [],
        records: ['legacy'],
        stage: S,
      }),
      'test',
    );
    const md = recordsDoc(r);
    expect(md).toContain('| `gain` | my-gain | `{ gainDb: number }` | the gain applied |');
    expect(md).toContain('| `legacy` | old-style | `unknown` |  |');
    expect(md).toContain('| `gains` | `number[]` | my-gain | old-style | gain per AP |');
    expect(md).toMatch(
      /\| `echoes` \| `EchoTensor\[\]` \| echo-generator \| cp-decomposer, echo-recorder, fft-detector, my-gain \|/,
    );
  });

  it('isacflow list --records prints the layout and the tables', () => {
    const out = execFileSync(process.execPath, [join(root, 'bin/isacflow.js'), 'list', '--records'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(out).toContain('## Record keys');
    expect(out).toMatch(/\| `associationCheck` \| association-check \| `AssociationCheckRecord` \|/);
  }, 60_000);
});

/**
 * The README's "Running pipelines" commands, run as a user would (the CLI as a process, from the
 * repository folder), in the README's order: each must succeed. Only the run folders are moved to a
 * temporary folder (`out/qs` -> <tmp>/qs; a run without --out gets one) and `schema` writes there.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const repo = join(import.meta.dirname, '..', '..');
const tmp = mkdtempSync(join(tmpdir(), 'isacflow-readme-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Splits a shell command line (single quotes only, as the README uses) and drops its comment. */
function words(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  let any = false;
  for (const ch of line) {
    if (quoted) {
      if (ch === "'") quoted = false;
      else cur += ch;
    } else if (ch === "'") {
      quoted = true;
      any = true;
    } else if (ch === '#' && cur === '' && !any) break;
    else if (ch === ' ') {
      if (cur !== '' || any) out.push(cur);
      cur = '';
      any = false;
    } else cur += ch;
  }
  if (cur !== '' || any) out.push(cur);
  return out;
}

function readmeBlock(heading: string): string[] {
  const text = readFileSync(join(repo, 'README.md'), 'utf8');
  const at = text.indexOf(`\n## ${heading}\n`);
  expect(at, `README section "${heading}"`).toBeGreaterThan(0);
  const block = /```sh\n([\s\S]*?)```/.exec(text.slice(at));
  return (block?.[1] ?? '').split('\n').filter((l) => l.startsWith('npx isacflow '));
}

describe("the README's commands", () => {
  it('"Running pipelines": every line runs as written, in order', () => {
    const lines = readmeBlock('Running pipelines');
    expect(lines.length).toBeGreaterThanOrEqual(8);
    let n = 0;
    for (const line of lines) {
      const args = words(line)
        .slice(2)
        .map((a) => (a === 'out/qs' ? join(tmp, 'qs') : a));
      if (args[0] === 'run' && !args.includes('--out') && !args.includes('--resume'))
        args.push('--out', join(tmp, `run-${++n}`));
      if (args[0] === 'schema') args.push('--out', join(tmp, 'schema.json'));
      const r = spawnSync(process.execPath, [join(repo, 'bin', 'isacflow.js'), ...args], {
        cwd: repo,
        encoding: 'utf8',
        timeout: 240_000,
      });
      expect(r.status, `${line}\n${r.stdout}\n${r.stderr}`).toBe(0);
    }
    expect(existsSync(join(tmp, 'qs', 'summary.json'))).toBe(true);
    expect(existsSync(join(tmp, 'schema.json'))).toBe(true);
  }, 900_000);
});

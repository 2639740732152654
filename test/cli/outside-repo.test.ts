import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const bin = resolve('bin', 'isacflow.js');
const repoPipelines = resolve('pipelines');

function isacflow(args: string[], cwd: string): { stdout: string; stderr: string; code: number } {
  try {
    const stdout = execFileSync(process.execPath, [bin, ...args], { cwd, stdio: 'pipe', encoding: 'utf8' });
    return { stdout, stderr: '', code: 0 };
  } catch (e) {
    const x = e as { stdout?: string; stderr?: string; status?: number };
    return { stdout: x.stdout ?? '', stderr: x.stderr ?? '', code: x.status ?? 1 };
  }
}

describe('the isacflow command from a folder outside the repository', () => {
  it('validate, list, run (bundled scenario by name) and init work wherever the current folder is', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'isacflow-cwd-'));
    // no tsconfig.json, no package.json, no node_modules here
    const v = isacflow(['validate', join(repoPipelines, 'quickstart.yaml')], cwd);
    expect(v.stderr.replace(/^isacflow: dist\/ is missing.*\n/, '')).toBe('');
    expect(v.stdout).toMatch(/quickstart\.yaml: valid — 3 sweep point\(s\)/);

    expect(isacflow(['list', 'tracker'], cwd).stdout).toMatch(/kalman-cv/);

    writeFileSync(
      join(cwd, 'p.yaml'),
      `isacflow: 1\nname: here\nscenario: isacflow/scenarios/paper-default.yaml\nrun: { trials: 1, frames: 1 }\nstages:\n  - { id: echoes, uses: echo-generator }\n  - { id: crb, uses: crb-evaluator }\n`,
    );
    const r = isacflow(['run', 'p.yaml', '--out', 'out', '--quiet'], cwd);
    expect(r.code, r.stderr).toBe(0);
    const rec = JSON.parse(readFileSync(join(cwd, 'out', 'records.jsonl'), 'utf8').split('\n')[0]!) as {
      truth: unknown[];
    };
    expect(rec.truth).toHaveLength(3); // the paper's three targets, from the scenario shipped with isacflow

    const bad = isacflow(['validate', 'missing.yaml'], cwd);
    expect(bad.code).toBe(1);
    expect(bad.stderr).not.toMatch(/ at .*\.(js|ts):\d+/); // an error message, not a stack trace

    const init = isacflow(['init', 'study'], cwd);
    expect(init.code, init.stderr).toBe(0);
    expect(existsSync(join(cwd, 'study', 'pipeline.yaml'))).toBe(true);
    expect(isacflow(['validate', join('study', 'pipeline.yaml')], cwd).stdout).toMatch(/valid/);
  }, 300_000);
});

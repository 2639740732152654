import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinRegistry } from '../../src/builtins.js';
import { keepsFrameDataNote } from '../../src/cli/list-command.js';

describe('isacflow list and frame buffers (releasesFrameData)', () => {
  it('says nothing of a built-in stage or fusion scheme: all declare it', () => {
    const registry = builtinRegistry();
    for (const kind of ['stage', 'fusion'] as const)
      for (const name of registry.names(kind))
        expect(
          keepsFrameDataNote(kind, registry.manifest(kind, name).releasesFrameData),
          name,
        ).toBeUndefined();
  });

  it('names a user stage without it, and what that costs', () => {
    const out = execFileSync(
      process.execPath,
      [
        resolve('bin', 'isacflow.js'),
        'list',
        'stage',
        '--plugin',
        resolve('test/fixtures/plugins/my-stage.js'),
      ],
      { stdio: 'pipe', encoding: 'utf8' },
    );
    const block = out.slice(out.indexOf('  my-stage'));
    expect(block.split('\n').slice(0, 4).join('\n')).toMatch(
      /keeps frame data \(no releasesFrameData\): its pipelines get fresh frame buffers every frame/,
    );
    expect(out.slice(0, out.indexOf('  my-stage'))).not.toMatch(/keeps frame data/);
    expect(keepsFrameDataNote('fusion', undefined)).toMatch(/fusion-solver pipelines with it/);
    expect(keepsFrameDataNote('solver', undefined)).toBeUndefined();
  });
});

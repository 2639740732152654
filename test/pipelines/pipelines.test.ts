import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadWithBuiltins } from '../../src/builtins.js';
import { finishRun } from '../../src/runner/finish-run.js';
import { runPipeline } from '../../src/runner/run.js';
import { streamLivePipeline } from '../sources/live-pipeline.js';

/**
 * Every pipeline in pipelines/ validates, and runs end to end on a tiny setting (1 trial, the
 * first sweep point only, 1 frame) writing records, summary, plots and the report — so the
 * examples in the README stay true.
 */
const dir = join(process.cwd(), 'pipelines');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .sort();
const out = mkdtempSync(join(tmpdir(), 'isacflow-pipelines-'));

describe('pipelines/', () => {
  it('has the quickstart and one pipeline per paper figure', () => {
    expect(files).toContain('quickstart.yaml');
  });

  for (const f of files) {
    it(`${f} validates and runs on a tiny setting`, async () => {
      // a live feed (source: tcp) runs through isacflow stream with a test sender on 127.0.0.1;
      // replay.yaml replays the recording record.yaml (sorted before it) writes
      if (/source:\s*\{\s*uses:\s*tcp\b/.test(readFileSync(join(dir, f), 'utf8'))) {
        const live = await loadWithBuiltins(join(dir, f), ['source.params.port=0']);
        const r = await streamLivePipeline(live, join(out, f));
        expect(r.error).toBeUndefined();
        expect(r.records.length).toBe(1);
        expect(existsSync(join(out, f, 'summary.json'))).toBe(true);
        return;
      }
      const resolved = await loadWithBuiltins(join(dir, f), ['run.trials=1', 'run.frames=1']);
      resolved.points = resolved.points.slice(0, 1);
      const result = await runPipeline(resolved, { out: join(out, f), workers: 1 });
      expect(result.executed).toBe(1);
      const fin = await finishRun(resolved, result.folder);
      expect(fin.records).toBe(1);
      for (const name of [
        'records.jsonl',
        'summary.json',
        'summary.csv',
        'manifest.json',
        'pipeline.resolved.yaml',
      ]) {
        expect(existsSync(join(out, f, name))).toBe(true);
      }
      if (resolved.spec.outputs.report && fin.plots.length > 0) {
        const html = readFileSync(join(out, f, 'report.html'), 'utf8');
        expect(html).toContain('<svg');
        // heatmaps are one raster image each (fig8 and crb-map were 7.2 and 3.7 MB with a rect per cell);
        // the grids do not depend on trials, so this is the full-size report's figure weight
        expect(Buffer.byteLength(html)).toBeLessThan(1.5e6);
      }
      expect(fin.plots.length).toBe(resolved.spec.outputs.plots.length);
      for (const svgPath of fin.plots) {
        const svg = readFileSync(svgPath, 'utf8');
        // no text cut short by Vega's label/title limits
        expect(svg.match(/<text[^>]*>[^<]*…[^<]*<\/text>/g) ?? [], svgPath).toEqual([]);
      }
    }, 300_000);
  }
});

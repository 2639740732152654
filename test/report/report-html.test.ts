import { describe, expect, it } from 'vitest';
import { renderPlot } from '../../src/report/plot.js';
import { escapeHtml, prefixSvgIds, renderReportHtml } from '../../src/report/report-html.js';
import { fig9Summary } from './fixtures.js';

describe('report.html', () => {
  it('is one self-contained page with the tables, inlined SVG, manifest, YAML and extra sections', async () => {
    const summary = fig9Summary(10);
    const rows = [];
    for (let x = 0; x <= 100; x += 50)
      for (let y = 0; y <= 100; y += 50) rows.push({ x, y, series: '', value: 1 + x + y });
    const heat = await renderPlot(
      { kind: 'heatmap', x: 'x', y: 'y', value: 'armse.position', name: 'map' },
      { rows, warnings: [] },
    );
    const heat2 = await renderPlot(
      { kind: 'heatmap', x: 'x', y: 'y', value: 'armse.position', name: 'map2' },
      { rows, warnings: [] },
    );
    const yaml = 'isacflow: 1\nname: fig9 <armse> & "co"\nstages:\n  - { id: crb, uses: crb-evaluator }\n';
    const html = renderReportHtml({
      title: 'Fig. 9 — ARMSE vs SNR',
      description: 'SFO vs lattice.\n\nSecond paragraph <b>not bold</b>.',
      pipelineYaml: yaml,
      summary,
      figures: [
        { name: heat.name, svg: heat.svg, caption: 'CRB map' },
        { name: heat2.name, svg: heat2.svg },
      ],
      manifest: {
        seed: 2024,
        hash: 'sha256:abc',
        versions: { isacflow: '0.1.0', node: 'v20.20.2' },
        start: '2025-01-01T00:00:00Z',
      },
      sections: [
        {
          title: 'Paper vs ours',
          text: 'Claimed: 44 % (location), 41.4 % (velocity).',
          table: {
            title: 'Improvement of SFO over lattice',
            columns: ['metric', 'paper', 'ours'],
            rows: [['location', '44 %', '62.8 %']],
          },
        },
      ],
    });
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    // self-contained: no scripts, links, external URLs other than SVG namespaces
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import/i);
    const urls = [...html.matchAll(/https?:\/\/[^\s"')]+/g)].map((m) => m[0]);
    expect(urls.every((u) => u.startsWith('http://www.w3.org/'))).toBe(true);
    // YAML escaped, verbatim otherwise
    expect(html).toContain(`<pre><code>${escapeHtml(yaml)}</code></pre>`);
    expect(html).toContain('name: fig9 &lt;armse&gt; &amp; &quot;co&quot;');
    expect(html).toContain('Second paragraph &lt;b&gt;not bold&lt;/b&gt;.');
    // figures inlined, with ids made unique between the two heatmaps (both define gradient_0)
    expect(html.match(/<svg /g)?.length).toBe(2);
    expect(html).toContain('id="f0-gradient_0"');
    expect(heat2.svg).toBe(heat.svg); // same ids in both figures: the page must rename them
    expect(html).toContain('url(#f0-gradient_0)');
    expect(html).toContain('url(#f1-gradient_0)');
    expect(html).not.toContain('id="gradient_0"');
    expect(html).toContain('Figure 1: CRB map');
    // summary tables: caption per quantity, the paired table, the field table
    for (const cap of [
      'Position error (m)',
      'Velocity error (m/s)',
      'Paired comparison (same frames)',
      'Record fields',
    ]) {
      expect(html).toContain(`<caption>${cap}</caption>`);
    }
    expect(html).toMatch(/<td>sfo vs lattice<\/td>/);
    expect(html).toMatch(/<td class="num">0\.3000<\/td>/); // √CRB at −20 dB: 0.03·10 m
    // manifest and extra section
    expect(html).toContain('<dt>seed</dt><dd>2024</dd>');
    expect(html).toContain('{&quot;isacflow&quot;:&quot;0.1.0&quot;,&quot;node&quot;:&quot;v20.20.2&quot;}');
    expect(html).toContain('<h2>Paper vs ours</h2>');
    expect(html).toContain('<td class="num">62.8 %</td>');
  });

  it('prefixSvgIds rewrites ids and their references only', () => {
    const svg =
      '<?xml version="1.0"?><svg><defs><clipPath id="c1"><rect/></clipPath></defs><g clip-path="url(#c1)"><use xlink:href="#c1"/><a href="#top"/></g></svg>';
    expect(prefixSvgIds(svg, 'p')).toBe(
      '<svg><defs><clipPath id="p-c1"><rect/></clipPath></defs><g clip-path="url(#p-c1)"><use xlink:href="#p-c1"/><a href="#top"/></g></svg>',
    );
  });
});

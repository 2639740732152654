import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Summary } from '../results/summary-types.js';
import { summaryTables, type Table } from './summary-table.js';

/** A figure to inline: the SVG text of a rendered plot. */
export interface ReportFigure {
  name: string;
  svg: string;
  caption?: string;
}

/**
 * An extra section a caller adds (e.g. the paper's claimed numbers beside ours). `text` is escaped
 * (blank lines separate paragraphs); `table` is rendered like the summary tables; `html` is
 * inserted as is and must come from trusted code, never from user input.
 */
export interface ReportSection {
  title: string;
  text?: string;
  table?: Table;
  html?: string;
}

export interface ReportInput {
  title: string;
  description?: string;
  /** pipeline.resolved.yaml text */
  pipelineYaml: string;
  summary?: Summary;
  figures?: readonly ReportFigure[];
  /** manifest.json facts (name, seed, hash, versions, times, command line) */
  manifest?: Readonly<Record<string, unknown>>;
  sections?: readonly ReportSection[];
  /** tables to show instead of summaryTables(summary) */
  tables?: readonly Table[];
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
}

/**
 * Makes the ids of an SVG unique within a page (`id="x"` → `id="<prefix>-x"`, and every
 * `url(#x)` / `href="#x"` reference), so inlined figures cannot capture each other's gradients
 * or clip paths. Drops an XML declaration.
 */
export function prefixSvgIds(svg: string, prefix: string): string {
  const ids = new Set<string>();
  for (const m of svg.matchAll(/\sid="([^"]+)"/g)) ids.add(m[1] as string);
  let out = svg.replace(/^<\?xml[^>]*>\s*/, '');
  if (ids.size === 0) return out;
  out = out.replace(/(\sid=")([^"]+)"/g, (all, pre: string, id: string) =>
    ids.has(id) ? `${pre}${prefix}-${id}"` : all,
  );
  out = out.replace(/url\(#([^)]+)\)/g, (all, id: string) => (ids.has(id) ? `url(#${prefix}-${id})` : all));
  out = out.replace(/((?:xlink:)?href=")#([^"]+)"/g, (all, pre: string, id: string) =>
    ids.has(id) ? `${pre}#${prefix}-${id}"` : all,
  );
  return out;
}

function tableHtml(t: Table): string {
  const cls = (i: number): string =>
    (t.align?.[i] ?? (i === 0 ? 'left' : 'right')) === 'right' ? ' class="num"' : '';
  const head = t.columns.map((c, i) => `<th${cls(i)}>${escapeHtml(c)}</th>`).join('');
  const body = t.rows
    .map((r) => `<tr>${t.columns.map((_, i) => `<td${cls(i)}>${escapeHtml(r[i] ?? '')}</td>`).join('')}</tr>`)
    .join('\n');
  return [
    `<table>`,
    `<caption>${escapeHtml(t.title)}</caption>`,
    `<thead><tr>${head}</tr></thead>`,
    `<tbody>\n${body}\n</tbody>`,
    `</table>`,
    t.note ? `<p class="note">${escapeHtml(t.note)}</p>` : '',
  ].join('\n');
}

function factValue(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

function textHtml(text: string): string {
  return text
    .split(/\n\s*\n/)
    .map((p) => `<p>${escapeHtml(p.trim())}</p>`)
    .join('\n');
}

const STYLE = `
body { font-family: "DejaVu Sans", Verdana, sans-serif; margin: 2rem auto; max-width: 1200px; padding: 0 1rem; color: #222; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; } h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: 1rem 0 0.3rem; font-size: 0.85rem; }
caption { text-align: left; font-weight: bold; padding-bottom: 0.3rem; }
th, td { padding: 0.2rem 0.6rem; border-bottom: 1px solid #e3e3e3; text-align: left; white-space: nowrap; }
th { border-bottom: 1px solid #888; } .num { text-align: right; font-variant-numeric: tabular-nums; }
.note { font-size: 0.8rem; color: #555; margin-top: 0; }
figure { margin: 1.5rem 0; } figure svg { max-width: 100%; height: auto; } figcaption { font-size: 0.85rem; color: #444; }
pre { background: #f6f6f6; padding: 0.8rem; overflow-x: auto; font-size: 0.8rem; }
dl.facts { display: grid; grid-template-columns: max-content auto; gap: 0.2rem 1rem; font-size: 0.9rem; }
dl.facts dt { font-weight: bold; } dl.facts dd { margin: 0; font-family: monospace; word-break: break-all; }
`;

/**
 * One self-contained report page: title, description, run facts, figures (SVG inlined), summary
 * tables, extra sections and the resolved pipeline YAML. No external assets, no scripts; the
 * same input gives the same bytes.
 */
export function renderReportHtml(input: ReportInput): string {
  const parts: string[] = [];
  parts.push(`<h1>${escapeHtml(input.title)}</h1>`);
  if (input.description) parts.push(textHtml(input.description));
  if (input.manifest && Object.keys(input.manifest).length > 0) {
    parts.push('<h2>Run</h2>');
    const facts = Object.entries(input.manifest).map(
      ([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(factValue(v))}</dd>`,
    );
    parts.push(`<dl class="facts">\n${facts.join('\n')}\n</dl>`);
  }
  if (input.figures && input.figures.length > 0) {
    parts.push('<h2>Figures</h2>');
    input.figures.forEach((f, i) => {
      parts.push(
        `<figure id="fig-${escapeHtml(f.name)}">\n${prefixSvgIds(f.svg, `f${i}`)}\n<figcaption>Figure ${i + 1}: ${escapeHtml(
          f.caption ?? f.name,
        )} (plots/${escapeHtml(f.name)}.svg, .png)</figcaption>\n</figure>`,
      );
    });
  }
  const tables = input.tables ?? (input.summary ? summaryTables(input.summary) : []);
  if (tables.length > 0) {
    parts.push('<h2>Summary</h2>');
    for (const t of tables) parts.push(tableHtml(t));
  }
  for (const s of input.sections ?? []) {
    parts.push(`<h2>${escapeHtml(s.title)}</h2>`);
    if (s.text) parts.push(textHtml(s.text));
    if (s.table) parts.push(tableHtml(s.table));
    if (s.html) parts.push(s.html);
  }
  parts.push('<h2>Pipeline (resolved)</h2>');
  parts.push(`<pre><code>${escapeHtml(input.pipelineYaml)}</code></pre>`);
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(input.title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    ...parts,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** Writes report.html (creating its folder); returns the path. */
export async function writeReportHtml(path: string, input: ReportInput): Promise<string> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, renderReportHtml(input));
  return path;
}

/**
 * Every TSDoc `@example` is compiled: TypeScript blocks (```ts) are type-checked against the public
 * entry point (`import … from 'isacflow'`), YAML blocks (```yaml, whole pipelines) are loaded and
 * their stages constructed as `isacflow validate` would. And every built-in stage and plugin
 * manifest, and every function of the public API modules below, has an example.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { loadWithBuiltins } from '../../src/builtins.js';
import { IsacflowError } from '../../src/core/errors.js';

const root = join(import.meta.dirname, '..', '..');

/** Files whose manifests need no example (none today). */
const SKIP = new Set<string>([]);

/** Modules of the public API whose exported functions must each carry an @example. */
const PUBLIC_MODULES = [
  'src/core/port.ts',
  'src/core/stage-context.ts',
  'src/core/record-entries.ts',
  'src/core/records-doc.ts',
  'src/core/plugin.ts',
  'src/solvers/solver.ts',
  'src/builtins.ts',
];

interface Example {
  file: string;
  line: number;
  lang: 'ts' | 'yaml';
  code: string;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(root, dir))) {
    const rel = `${dir}/${name}`;
    if (statSync(join(root, rel)).isDirectory()) out.push(...sourceFiles(rel));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(rel);
  }
  return out;
}

const commentText = (c: string | ts.NodeArray<ts.JSDocComment> | undefined): string =>
  typeof c === 'string' ? c : (c ?? []).map((p) => p.text).join('');

/** The fenced code blocks of the @example tags of a node. */
function examplesOf(node: ts.Node, sf: ts.SourceFile, file: string): Example[] {
  const out: Example[] = [];
  for (const tag of ts.getJSDocTags(node)) {
    if (tag.tagName.text !== 'example') continue;
    const text = commentText(tag.comment);
    const line = sf.getLineAndCharacterOfPosition(tag.getStart(sf)).line + 1;
    for (const m of text.matchAll(/```(ts|typescript|yaml)\n([\s\S]*?)```/g)) {
      out.push({ file, line, lang: m[1] === 'yaml' ? 'yaml' : 'ts', code: m[2] as string });
    }
  }
  return out;
}

const MANIFEST_CALLS = new Set(['defineStage', 'defineSolver', 'definePlugin']);

interface Scan {
  examples: Example[];
  /** manifests and public functions without an example, as file:line name */
  missing: string[];
}

function scan(): Scan {
  const examples: Example[] = [];
  const missing: string[] = [];
  const files = [...sourceFiles('src'), ...sourceFiles('stages'), ...sourceFiles('plugins')];
  for (const file of files) {
    const sf = ts.createSourceFile(
      file,
      readFileSync(join(root, file), 'utf8'),
      ts.ScriptTarget.ES2022,
      true,
    );
    const isPublic = PUBLIC_MODULES.includes(file);
    const visit = (node: ts.Node): void => {
      const found = examplesOf(node, sf, file);
      examples.push(...found);
      const where = `${file}:${sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1}`;
      if (ts.isVariableStatement(node) && !SKIP.has(file)) {
        for (const d of node.declarationList.declarations) {
          const init = d.initializer;
          if (
            init &&
            ts.isCallExpression(init) &&
            ts.isIdentifier(init.expression) &&
            MANIFEST_CALLS.has(init.expression.text) &&
            found.length === 0
          ) {
            missing.push(`${where} manifest ${d.name.getText(sf)}`);
          }
        }
      }
      const exported =
        ts.canHaveModifiers(node) &&
        (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
      if (isPublic && exported && ts.isFunctionDeclaration(node) && found.length === 0)
        missing.push(`${where} function ${node.name?.text}`);
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return { examples, missing };
}

const { examples, missing } = scan();
const dir = mkdtempSync(join(tmpdir(), 'isacflow-examples-'));

describe('TSDoc @example blocks', () => {
  it('every built-in stage and plugin manifest and every public API function has an @example', () => {
    expect(missing).toEqual([]);
    expect(examples.filter((e) => e.lang === 'yaml').length).toBeGreaterThanOrEqual(20);
    expect(examples.filter((e) => e.lang === 'ts').length).toBeGreaterThanOrEqual(10);
  });

  it('the TypeScript examples type-check against the public entry point', () => {
    // 'isacflow' is the package's public entry point: src/index.ts once it exists, else the plugin API
    // (until src/index.ts exists: the plugin API's named exports plus the composition root)
    const js = (f: string) => `'${join(root, f).replace(/\.ts$/, '.js')}'`;
    const shim = join(dir, 'isacflow.ts');
    writeFileSync(
      shim,
      existsSync(join(root, 'src/index.ts'))
        ? `export * from ${js('src/index.ts')};\n`
        : `export * from ${js('src/plugin-api.ts')};\nexport { builtinRegistry, loadWithBuiltins } from ${js('src/builtins.ts')};\n`,
    );
    const files = examples
      .filter((e) => e.lang === 'ts')
      .map((e, i) => {
        const f = join(dir, `example-${i}.ts`);
        // each example is a module of its own; `declare const` stands in for the values it talks about
        writeFileSync(f, `${e.code}\nexport {};\n`);
        return { f, e };
      });
    const program = ts.createProgram([shim, ...files.map((x) => x.f)], {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      strict: true,
      noUncheckedIndexedAccess: true,
      experimentalDecorators: true,
      skipLibCheck: true,
      noEmit: true,
      types: ['node'],
      typeRoots: [join(root, 'node_modules/@types')],
      baseUrl: dir,
      paths: { isacflow: [shim] },
    });
    const problems: string[] = [];
    for (const { f, e } of files) {
      const sf = program.getSourceFile(f);
      for (const d of [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)]) {
        const line =
          d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0;
        problems.push(
          `${e.file}:${e.line} (example line ${line}): ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`,
        );
      }
    }
    expect(problems).toEqual([]);
  }, 240_000);

  it('the YAML examples are pipelines that load and construct', async () => {
    const problems: string[] = [];
    for (const [i, e] of examples.filter((x) => x.lang === 'yaml').entries()) {
      const f = join(dir, `example-${i}.yaml`);
      writeFileSync(f, e.code);
      try {
        await loadWithBuiltins(f);
      } catch (err) {
        const msg = err instanceof IsacflowError ? err.message.replaceAll(f, 'example') : String(err);
        problems.push(`${relative(root, join(root, e.file))}:${e.line}: ${msg}`);
      }
    }
    expect(problems).toEqual([]);
  }, 120_000);
});

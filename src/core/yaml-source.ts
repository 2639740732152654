import { readFileSync } from 'node:fs';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { IsacflowError, type Problem } from './errors.js';
import type { PathKey } from './zod-problems.js';

/**
 * A parsed YAML file that remembers where every key and value stands, so that any problem
 * found later can be reported as `file:line:col`.
 */
export class YamlSource {
  readonly file: string;
  readonly text: string;
  readonly doc: Document;
  private readonly lines = new LineCounter();

  constructor(file: string, text: string) {
    this.file = file;
    this.text = text;
    this.doc = parseDocument(text, { lineCounter: this.lines, prettyErrors: false, uniqueKeys: true });
  }

  static read(file: string, displayName = file): YamlSource {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new IsacflowError('io', [{ where: displayName, path: '', message: `cannot read file: ${(e as Error).message}` }]);
    }
    return new YamlSource(displayName, text);
  }

  /** Syntax errors of the document, as problems with positions. */
  syntaxProblems(): Problem[] {
    return this.doc.errors.map((e) => ({
      where: this.pos(e.pos[0]),
      path: '',
      message: `YAML syntax: ${e.message.split('\n')[0]}`,
    }));
  }

  /** The document as plain JS (only meaningful when syntaxProblems() is empty). */
  toJS(): unknown {
    return this.doc.toJS({ maxAliasCount: 1000 });
  }

  /** `file:line:col` of an offset. */
  pos(offset: number): string {
    const { line, col } = this.lines.linePos(offset);
    return `${this.file}:${line}:${col}`;
  }

  /**
   * Location of the value at `path` (or, with `key`, of the key itself); when the path does not
   * exist, the location of its deepest existing ancestor.
   */
  locate(path: readonly PathKey[], key = false): string {
    let node: unknown = this.doc.contents;
    let best: number | undefined = rangeStart(node);
    for (let i = 0; i < path.length; i++) {
      const k = path[i] as PathKey;
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(k));
        if (!pair) break;
        const last = i === path.length - 1;
        if (last && key) {
          best = rangeStart(pair.key) ?? best;
          node = undefined;
          break;
        }
        node = pair.value;
        best = rangeStart(node) ?? rangeStart(pair.key) ?? best;
      } else if (isSeq(node) && typeof k === 'number') {
        const item = node.items[k];
        if (item === undefined) break;
        node = item;
        best = rangeStart(node) ?? best;
      } else {
        break;
      }
    }
    return best === undefined ? this.file : this.pos(best);
  }
}

function rangeStart(node: unknown): number | undefined {
  const n = node as Node | undefined;
  return n && Array.isArray(n.range) ? n.range[0] : undefined;
}

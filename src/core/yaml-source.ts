import { readFileSync } from 'node:fs';
import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  visit,
  type Document,
  type Node,
} from 'yaml';
import { forbiddenKeyMessage, isForbiddenKey } from './dot-path.js';
import { IsacflowError, type Problem } from './errors.js';
import { readUserFile, type FileLimits, type UserFileKind } from './user-file.js';
import type { PathKey } from './zod-problems.js';

/** Most aliases a document may expand to (a larger count is an "alias bomb"). */
export const MAX_ALIAS_COUNT = 1000;

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
      throw new IsacflowError('io', [
        { where: displayName, path: '', message: `cannot read file: ${(e as Error).message}` },
      ]);
    }
    return new YamlSource(displayName, text);
  }

  /**
   * Reads a user's pipeline or scenario file safely (regular file, size cap, timeout; see
   * user-file.ts). A file that cannot be read gives a problem at `where` (e.g. the `scenario:`
   * key that names it) and no source.
   */
  static async readUser(
    file: string,
    displayName: string,
    kind: UserFileKind,
    where: string,
    limits?: FileLimits,
  ): Promise<YamlSource | Problem> {
    try {
      return new YamlSource(displayName, await readUserFile(file, kind, limits));
    } catch (e) {
      const reason =
        (e as NodeJS.ErrnoException).code === 'ENOENT'
          ? `${kind} file not found: ${displayName}`
          : `${kind} file ${displayName}: ${(e as Error).message}`;
      return { where: where || displayName, path: kind === 'scenario' ? 'scenario' : '', message: reason };
    }
  }

  /** Syntax errors of the document, as problems with positions. */
  syntaxProblems(): Problem[] {
    return this.doc.errors.map((e) => ({
      where: this.pos(e.pos[0]),
      path: '',
      message: `YAML syntax: ${e.message.split('\n')[0]}`,
    }));
  }

  /**
   * Problems of the document's structure that would make its plain-JS form unsafe or wrong, each
   * at its position: reserved keys (__proto__, prototype, constructor), keys that are mappings or
   * lists, aliases whose anchor is not set before them.
   */
  structureProblems(): Problem[] {
    const out: Problem[] = [];
    visit(this.doc, {
      Pair: (_, pair) => {
        const k = pair.key;
        if (isScalar(k)) {
          const name = String(k.value);
          if (isForbiddenKey(name))
            out.push({ where: this.at(k), path: '', message: forbiddenKeyMessage(name) });
        } else if (k !== null && k !== undefined && !isAlias(k)) {
          out.push({
            where: this.at(k),
            path: '',
            message: 'a key must be a plain name, not a list or mapping',
          });
        }
      },
      Alias: (_, alias) => {
        if (!alias.resolve(this.doc)) {
          out.push({
            where: this.at(alias),
            path: '',
            message: `unresolved alias *${alias.source}: set the anchor &${alias.source} before it`,
          });
        }
      },
    });
    return out;
  }

  /** The document as plain JS, or the problem that prevents it (an alias bomb), located. */
  toJSChecked(): { value: unknown } | { problem: Problem } {
    try {
      return { value: this.doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) };
    } catch (e) {
      let first: Node | undefined;
      visit(this.doc, {
        Alias: (_, a) => {
          first ??= a as unknown as Node;
          return visit.BREAK;
        },
      });
      const reason = /alias/i.test((e as Error).message)
        ? `aliases expand to more than ${MAX_ALIAS_COUNT} nodes (an alias bomb?): write the values out or use fewer aliases`
        : `cannot be read as data: ${(e as Error).message.split('\n')[0]}`;
      return { problem: { where: first ? this.at(first) : this.file, path: '', message: reason } };
    }
  }

  /** The document as plain JS (only meaningful when syntaxProblems() is empty). */
  toJS(): unknown {
    return this.doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  }

  /** `file:line:col` of an offset. */
  pos(offset: number): string {
    const { line, col } = this.lines.linePos(offset);
    return `${this.file}:${line}:${col}`;
  }

  private at(node: unknown): string {
    const s = rangeStart(node);
    return s === undefined ? this.file : this.pos(s);
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
        const pair = node.items.find(
          (p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(k),
        );
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

import { closeSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import type { FrameRecord } from '../core/frame.js';

/** Reads a records.jsonl file line by line, synchronously, from the start. */
class LineCursor {
  private readonly fd: number;
  private readonly buf = Buffer.alloc(1 << 20);
  private readonly decoder = new StringDecoder('utf8'); // a character split between reads is kept whole
  private rest = '';
  private eof = false;
  private readonly lines: string[] = [];

  constructor(file: string) {
    this.fd = openSync(file, 'r');
  }

  /** The next line that is not blank, or undefined at the end. */
  next(): string | undefined {
    for (;;) {
      const line = this.lines.shift();
      if (line !== undefined) {
        if (line.trim() !== '') return line;
        continue;
      }
      if (this.eof) {
        const last = this.rest;
        this.rest = '';
        return last.trim() !== '' ? last : undefined;
      }
      const n = readSync(this.fd, this.buf, 0, this.buf.length, null);
      if (n === 0) {
        this.eof = true;
        continue;
      }
      const parts = (this.rest + this.decoder.write(this.buf.subarray(0, n))).split('\n');
      this.rest = parts.pop() ?? '';
      this.lines.push(...parts);
    }
  }

  close(): void {
    closeSync(this.fd);
  }
}

/**
 * The `count` records of a records.jsonl file (checked by a streamed read before: valid records,
 * a torn last line left out) as a read-only array that holds none of them: reading index i parses
 * line i from the file, in sequence (a pass over the records is a pass over the file; going back
 * starts again from the top). Array methods (map, filter, flatMap, some, reduce, for..of, [0])
 * work as on an array, so a stage's `summarize` and the plots that read raw records keep only
 * what they compute, not the records: memory does not grow with the trials.
 */
export function recordList(file: string, count: number): readonly FrameRecord[] {
  let cursor: LineCursor | undefined;
  let at = -1; // index of `current`
  let current: FrameRecord | undefined;
  let first: FrameRecord | undefined;
  const read = (i: number): FrameRecord | undefined => {
    if (i < 0 || i >= count) return undefined;
    if (i === 0 && first) return first;
    if (i === at) return current;
    if (!cursor || i < at) {
      cursor?.close();
      cursor = new LineCursor(file);
      at = -1;
    }
    while (at < i) {
      const line = cursor.next();
      if (line === undefined) throw new Error(`records.jsonl ended before record ${i + 1} of ${count}`);
      current = JSON.parse(line) as FrameRecord;
      at++;
    }
    if (at === count - 1) {
      cursor.close(); // the end of a pass: release the file
      cursor = undefined;
      at = -1;
      const last = current;
      if (i === 0) first = last;
      return last;
    }
    if (i === 0) first = current;
    return current;
  };
  const index = (p: string | symbol): number | undefined => {
    if (typeof p !== 'string' || !/^(?:0|[1-9]\d*)$/.test(p)) return undefined;
    return Number(p);
  };
  return new Proxy([] as FrameRecord[], {
    get(target, p, receiver) {
      if (p === 'length') return count;
      const i = index(p);
      if (i !== undefined) return read(i);
      return Reflect.get(target, p, receiver);
    },
    has(target, p) {
      const i = index(p);
      if (i !== undefined) return i < count;
      return Reflect.has(target, p);
    },
    set() {
      return false; // read-only
    },
  });
}

import { readFile } from 'node:fs/promises';
import type { FrameRecord } from '../core/frame.js';
import { IsacflowError } from '../core/errors.js';

export interface ReadRecordsResult {
  records: FrameRecord[];
  /** 1 when the last line was cut off (a killed run) and skipped */
  truncated: number;
}

const isCount = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/**
 * A parsed line of records.jsonl must be a frame record: an object with `point` (object),
 * `trial` and `frame` (non-negative integers). Anything else is an 'io' error naming `where`.
 */
export function checkRecord(value: unknown, where: string): FrameRecord {
  const r = value as Partial<FrameRecord> | null;
  const missing: string[] = [];
  if (r === null || typeof r !== 'object' || Array.isArray(r)) missing.push('a JSON object');
  else {
    if (r.point === null || typeof r.point !== 'object' || Array.isArray(r.point))
      missing.push('point (object)');
    if (!isCount(r.trial)) missing.push('trial (integer >= 0)');
    if (!isCount(r.frame)) missing.push('frame (integer >= 0)');
  }
  if (missing.length)
    throw new IsacflowError('io', [
      { where, path: '', message: `not a frame record: needs ${missing.join(', ')}` },
    ]);
  return r as FrameRecord;
}

/**
 * Parses records.jsonl text: one JSON object per line, blank lines ignored. A malformed last line
 * without a trailing newline is what a killed run leaves behind: it is skipped and counted; a
 * malformed line anywhere else, or a line that is not a frame record, is an 'io' error naming the
 * file and line.
 */
export function parseRecords(text: string, file = 'records.jsonl'): ReadRecordsResult {
  const lines = text.split('\n');
  const records: FrameRecord[] = [];
  let truncated = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).trim();
    if (line === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      if (i === lines.length - 1) {
        truncated = 1;
        continue;
      }
      throw new IsacflowError('io', [
        { where: `${file}:${i + 1}`, path: '', message: `not a JSON record: ${(e as Error).message}` },
      ]);
    }
    records.push(checkRecord(value, `${file}:${i + 1}`));
  }
  return { records, truncated };
}

/** Reads a records.jsonl file (see parseRecords). */
export async function readRecords(path: string): Promise<ReadRecordsResult> {
  return parseRecords(await readFile(path, 'utf8'), path);
}

export interface Deduplicated {
  records: FrameRecord[];
  /** records dropped because an identical (point, trial, frame) record came earlier */
  duplicates: number;
  /** (point, trial, frame) keys whose copies differ beyond timings */
  conflicts: string[];
}

/**
 * One record per (point, trial, frame): later copies are dropped and counted. Copies that differ
 * in anything but `timings` are conflicts (two different runs wrote into one folder).
 */
export function dedupeRecords(records: readonly FrameRecord[]): Deduplicated {
  const seen = new Map<string, string>();
  const out: FrameRecord[] = [];
  const conflicts: string[] = [];
  let duplicates = 0;
  for (const r of records) {
    const key = `${JSON.stringify(r.point)} trial ${r.trial} frame ${r.frame}`;
    const body = JSON.stringify({ ...r, timings: undefined });
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, body);
      out.push(r);
    } else {
      duplicates++;
      if (first !== body && !conflicts.includes(key)) conflicts.push(key);
    }
  }
  return { records: out, duplicates, conflicts };
}

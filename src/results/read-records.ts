import { readFile } from 'node:fs/promises';
import type { FrameRecord } from '../core/frame.js';
import { IsacflowError } from '../core/errors.js';

export interface ReadRecordsResult {
  records: FrameRecord[];
  /** 1 when the last line was cut off (a killed run) and skipped */
  truncated: number;
}

/**
 * Parses records.jsonl text: one JSON object per line, blank lines ignored. A malformed last line
 * without a trailing newline is what a killed run leaves behind: it is skipped and counted; a
 * malformed line anywhere else is an 'io' error naming the file and line.
 */
export function parseRecords(text: string, file = 'records.jsonl'): ReadRecordsResult {
  const lines = text.split('\n');
  const records: FrameRecord[] = [];
  let truncated = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).trim();
    if (line === '') continue;
    try {
      records.push(JSON.parse(line) as FrameRecord);
    } catch (e) {
      if (i === lines.length - 1) {
        truncated = 1;
        continue;
      }
      throw new IsacflowError('io', [{ where: `${file}:${i + 1}`, path: '', message: `not a JSON record: ${(e as Error).message}` }]);
    }
  }
  return { records, truncated };
}

/** Reads a records.jsonl file (see parseRecords). */
export async function readRecords(path: string): Promise<ReadRecordsResult> {
  return parseRecords(await readFile(path, 'utf8'), path);
}

import type { FrameRecord } from './frame.js';
import { keyOf, type RecordKey } from './port.js';

/**
 * The entries of one record key in a frame record, as [result key, value] pairs: every stage writes
 * `record[key][resultKey]` (StageContext.record), so a reader gets one entry per stage or variant.
 *
 * @example
 * ```ts
 * import { recordEntries, Records, type FrameRecord } from 'isacflow';
 *
 * declare const record: FrameRecord;
 * for (const [variant, estimates] of recordEntries(record, Records.estimates)) {
 *   console.log(variant, estimates.length);
 * }
 * ```
 */
export function recordEntries<T>(record: FrameRecord, key: RecordKey<T> | string): Array<[string, T]> {
  const v = record[keyOf(key)];
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return [];
  return Object.entries(v as Record<string, T>);
}

import { describe, expect, it } from 'vitest';
import { reusedBuffer } from '../../src/math/scratch.js';

describe('reusedBuffer', () => {
  it('hands the same storage back, exactly `length` long, growing it when a call needs more', () => {
    const a = reusedBuffer('test/scratch', 100);
    expect(a.length).toBe(100);
    a[0] = 7;
    const b = reusedBuffer('test/scratch', 40); // a smaller request: a view on the same storage
    expect(b.length).toBe(40);
    expect(b.buffer).toBe(a.buffer);
    expect(b[0]).toBe(7); // stale data: callers overwrite or clear
    const c = reusedBuffer('test/scratch', 1000); // larger: a new buffer, kept from now on
    expect(c.length).toBe(1000);
    expect(c.buffer).not.toBe(a.buffer);
    expect(reusedBuffer('test/scratch', 100).buffer).toBe(c.buffer);
    expect(reusedBuffer('test/other', 100).buffer).not.toBe(c.buffer); // names do not share
  });
});

import { describe, expect, it } from 'vitest';
import { formatDuration, formatTable, ProgressBar } from '../../src/report/progress.js';

function fakeStream(isTTY: boolean) {
  const out: string[] = [];
  return { out, stream: { isTTY, columns: 100, write: (s: string) => out.push(s) } };
}

describe('progress bar', () => {
  it('draws nothing on a TTY for a run shorter than 1 s', () => {
    const { out, stream } = fakeStream(true);
    let t = 0;
    const bar = new ProgressBar({ total: 10, stream, now: () => t });
    for (let i = 0; i < 10; i++) {
      t += 50;
      bar.tick();
    }
    bar.finish();
    expect(out).toEqual([]);
  });

  it('draws in place after 1 s with count, rate and time left, throttled, and ends the line', () => {
    const { out, stream } = fakeStream(true);
    let t = 0;
    const bar = new ProgressBar({ total: 400, stream, now: () => t, label: 'fig9' });
    for (let i = 0; i < 200; i++) {
      t += 10; // 100 trials/s
      bar.tick();
    }
    // first draw at t = 1000 ms, then at most every 100 ms: t = 1000, 1100, ..., 2000 → 11 draws
    expect(out.length).toBe(11);
    const last = out[out.length - 1] as string;
    expect(last.startsWith('\rfig9 [')).toBe(true);
    expect(last).toContain('200/400 trials');
    expect(last).toContain('100/s');
    expect(last).toContain('2s left'); // 200 left at 100/s
    expect(last.endsWith('\x1b[K')).toBe(true);
    t += 2000;
    bar.update(400);
    bar.finish();
    const fin = out[out.length - 1] as string;
    expect(fin).toBe(`\rfig9 [${'#'.repeat(30)}] 400/400 trials  100/s  4s\x1b[K\n`);
    bar.tick();
    bar.finish();
    expect(out[out.length - 1]).toBe(fin); // nothing after finish
  });

  it('off a TTY prints only one final line, and only for runs over 1 s', () => {
    const long = fakeStream(false);
    let t = 0;
    const bar = new ProgressBar({ total: 5, stream: long.stream, now: () => t, unit: 'frames' });
    for (let i = 0; i < 5; i++) {
      t += 500;
      bar.tick();
    }
    bar.finish();
    expect(long.out).toEqual(['[##############################] 5/5 frames  2.0/s  3s\n']);
    const short = fakeStream(false);
    const b2 = new ProgressBar({ total: 5, stream: short.stream, now: () => 0 });
    b2.update(5);
    b2.finish();
    expect(short.out).toEqual([]);
  });

  it('formats durations', () => {
    expect(formatDuration(45_000)).toBe('45s');
    expect(formatDuration(185_000)).toBe('3m05s');
    expect(formatDuration(3_720_000)).toBe('1h02m');
    expect(formatDuration(Infinity)).toBe('?');
  });
});

describe('formatTable', () => {
  it('aligns columns: text left, numbers right, widths from the widest cell', () => {
    const s = formatTable({
      title: 'Position error (m)',
      columns: ['variant', 'n', 'ARMSE'],
      rows: [
        ['sfo', '200', '0.02912'],
        ['lattice', '20', '1.5'],
      ],
      align: ['left', 'right', 'right'],
      note: 'note',
    });
    expect(s).toBe(
      [
        'Position error (m)',
        'variant    n    ARMSE',
        '-------  ---  -------',
        'sfo      200  0.02912',
        'lattice   20      1.5',
        'note',
        '',
      ].join('\n'),
    );
  });

  it('counts code points, so √ and − do not break alignment', () => {
    const s = formatTable({
      title: 't',
      columns: ['a', 'b'],
      rows: [
        ['√CRB', '−20'],
        ['x', '5'],
      ],
    });
    const lines = s.split('\n');
    expect(lines[3]).toBe('√CRB  −20');
    expect(lines[4]).toBe('x       5');
  });
});

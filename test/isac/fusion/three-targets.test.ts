import { describe, expect, it } from 'vitest';
import {
  fuseFrame,
  fusionRegistry,
  median,
  observedFrame,
  scenarioOf,
  targetErrors,
  THREE_RANDOM,
} from './chain.js';

const registry = fusionRegistry();

describe('three random targets in the paper area (Section V set-up)', () => {
  it('SFO is not worse than the lattice on the same frames (paired; median over targets and trials)', () => {
    // Each frame goes through the whole chain once (echoes, CP, association); both schemes fuse the
    // same observations. Association/CP bias errors (tens of cm at 0 dB) hit both alike, so per
    // frame either can win by chance; pooled over 3 targets x 4 trials the lattice's 1 m grid
    // (RMS 0.41 m) is what separates them. Velocity likewise (lattice grid 1 m/s x 0.01 rad).
    for (const db of [0, 10]) {
      const sc = scenarioOf({ db, targets: THREE_RANDOM });
      const sfo: number[] = [];
      const lat: number[] = [];
      const sfoV: number[] = [];
      const latV: number[] = [];
      for (let trial = 0; trial < 4; trial++) {
        const f = observedFrame(sc, 'three-targets', trial, registry);
        fuseFrame(f, { scheme: 'sfo' }, 'sfo', registry);
        fuseFrame(f, { scheme: 'lattice' }, 'lattice', registry);
        expect(f.record.estimates!.sfo).toHaveLength(3);
        for (const e of targetErrors(f, 'sfo')) {
          sfo.push(e.position);
          sfoV.push(e.velocity);
        }
        for (const e of targetErrors(f, 'lattice')) {
          lat.push(e.position);
          latV.push(e.velocity);
        }
      }
      expect(median(sfo)).toBeLessThanOrEqual(median(lat));
      expect(median(sfoV)).toBeLessThanOrEqual(median(latV));
    }
  });
});

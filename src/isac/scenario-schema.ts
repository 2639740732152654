import { z } from 'zod';
import { defaultScenario } from './default-scenario.js';
import type { Scenario, Target } from './scenario-types.js';

const D = defaultScenario();
const isPow2 = (n: number) => Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;
const finite = (what: string) => z.number({ error: `must be a number (${what})` }).finite();
const positive = (what: string) => finite(what).positive({ error: `must be > 0 (${what})` });
/** A number within [lo, hi]: bounds that keep the model's arithmetic finite (no overflow to Infinity or NaN). */
const bounded = (what: string, lo: number, hi: number, unit = '') =>
  finite(what)
    .min(lo, { error: `must be >= ${lo}${unit} (${what})` })
    .max(hi, { error: `must be <= ${hi}${unit} (${what}): larger values overflow the model's arithmetic` });
/** Largest |coordinate| of an AP or target, m. */
export const MAX_COORDINATE_M = 1e6;
const coord = (what: string) => bounded(what, -MAX_COORDINATE_M, MAX_COORDINATE_M, ' m');
const vec2 = z.tuple([coord('x, m'), coord('y, m')], { error: 'must be a point [x, y] in metres' });
/** Largest target speed, m/s. */
export const MAX_SPEED_MS = 1e4;
/** Largest |SNR|, dB: 10^(150/10) keeps every power and norm far from overflow. */
export const MAX_SNR_DB = 150;
const range2 = (what: string, lo: number, hi: number) =>
  z
    .tuple([bounded(what, lo, hi), bounded(what, lo, hi)], { error: `must be a range [min, max] (${what})` })
    .refine((r) => r[0] <= r[1], { error: `min must not exceed max (${what})` });

const pow2Count = (what: string) =>
  z
    .number({ error: `must be a number (${what})` })
    .int({ error: `must be an integer (${what})` })
    .max(65_536, { error: `must be at most 65536 (${what})` })
    .refine(isPow2, { error: `must be a power of two for the FFT (${what}), e.g. 64, 128, 256` });

export const systemSchema = z
  .object({
    carrierHz: positive('carrier frequency f_c, Hz')
      .max(1e12, { error: 'must be <= 1e12 Hz (carrier frequency f_c)' })
      .default(D.system.carrierHz)
      .describe('carrier frequency f_c')
      .meta({ unit: 'Hz' }),
    subcarrierSpacingHz: positive('subcarrier spacing Δf, Hz')
      .max(1e10, { error: 'must be <= 1e10 Hz (subcarrier spacing Δf)' })
      .default(D.system.subcarrierSpacingHz)
      .describe('subcarrier spacing Δf')
      .meta({ unit: 'Hz' }),
    subcarriers: pow2Count('subcarriers N_c').default(D.system.subcarriers).describe('subcarriers N_c'),
    symbols: pow2Count('OFDM symbols M').default(D.system.symbols).describe('OFDM symbols per frame M'),
    symbolDurationS: positive('OFDM symbol duration T, s')
      .max(1, { error: 'must be <= 1 s (OFDM symbol duration T)' })
      .default(D.system.symbolDurationS)
      .describe('OFDM symbol duration incl. CP, T')
      .meta({ unit: 's' }),
    antennaSpacingWavelengths: positive('antenna spacing d_r/λ')
      .max(1e3, { error: 'must be <= 1000 (antenna spacing d_r/λ)' })
      .default(D.system.antennaSpacingWavelengths)
      .describe('antenna spacing d_r/λ'),
  })
  .strict();

export const apSchema = z
  .object({
    position: vec2,
    antennas: z
      .number({ error: 'must be a number (antennas N_A)' })
      .int({ error: 'must be a whole number of antennas' })
      .min(1, { error: 'must be at least 1 antenna' })
      .max(65_536, { error: 'must be at most 65536 antennas' }),
  })
  .strict();

export const velocitySchema = z
  .object({
    speed: bounded('speed, m/s', 0, MAX_SPEED_MS, ' m/s'),
    heading: bounded('heading θ_u, rad', -1000, 1000, ' rad'),
  })
  .strict();

export const targetSchema = z.object({ position: vec2, velocity: velocitySchema }).strict();

export const randomTargetsSchema = z
  .object({
    count: z
      .number({ error: 'must be a number (count)' })
      .int({ error: 'must be a whole number' })
      .min(1, { error: 'must be at least 1 target' })
      .max(1000, { error: 'must be at most 1000 targets' }),
    area: z.tuple([vec2, vec2], { error: 'must be two opposite corners [[x0, y0], [x1, y1]]' }),
    speed: range2('speed, m/s', 0, MAX_SPEED_MS).default([90, 120]),
    heading: range2('heading, rad', -1000, 1000).default([0, Math.PI]),
  })
  .strict();

export const snrSchema = z
  .object({
    db: bounded('SNR, dB', -MAX_SNR_DB, MAX_SNR_DB, ' dB')
      .default(D.snr.db)
      .describe('echo SNR per antenna per resource element at the reference range')
      .meta({ unit: 'dB' }),
    referenceRangeM: positive('reference range, m')
      .max(MAX_COORDINATE_M, { error: `must be <= ${MAX_COORDINATE_M} m (reference range)` })
      .default(D.snr.referenceRangeM)
      .meta({ unit: 'm' }),
    pathLoss: z.enum(['radar', 'none'], { error: "must be 'radar' or 'none'" }).default(D.snr.pathLoss),
  })
  .strict();

const baseFields = {
  system: systemSchema.prefault({}),
  aps: z
    .array(apSchema, { error: 'must be a list of APs { position: [x, y], antennas: N }' })
    .min(1, { error: 'must list at least one AP' })
    .default(D.aps),
  snr: snrSchema.prefault({}),
  seed: z
    .number({ error: 'must be an integer seed' })
    .int({ error: 'must be an integer seed' })
    .default(D.seed),
};

const fixedTargets = z
  .array(targetSchema, {
    error:
      'must be a list of targets { position: [x, y], velocity: { speed, heading } } or { random: { count, area, speed, heading } }',
  })
  .min(1, { error: 'must list at least one target' })
  .default(D.targets as Target[]);
const randomTargets = z.object({ random: randomTargetsSchema }).strict();

/**
 * The scenario schema. `targets` is either a fixed list or `{ random: ... }`; the shape of the
 * input chooses which, so that errors inside either form are reported precisely.
 */
export const scenarioSchema = z
  .object({ ...baseFields, targets: z.union([fixedTargets, randomTargets]) })
  .strict()
  .superRefine(crossChecks);

function crossChecks(s: z.infer<typeof scenarioSchema>, ctx: z.RefinementCtx): void {
  // Cross-field checks: a target on an AP makes every bound and model singular.
  if (Array.isArray(s.targets)) {
    s.targets.forEach((t, u) => {
      s.aps.forEach((ap, l) => {
        if (Math.hypot(t.position[0] - ap.position[0], t.position[1] - ap.position[1]) < 1e-3) {
          ctx.addIssue({
            code: 'custom',
            path: ['targets', u, 'position'],
            message: `target ${u} sits on AP ${l}: move it away (range must be > 0)`,
          });
        }
      });
    });
  } else {
    const [a, b] = s.targets.random.area;
    if (a[0] > b[0] || a[1] > b[1]) {
      ctx.addIssue({
        code: 'custom',
        path: ['targets', 'random', 'area'],
        message: `area min corner ${JSON.stringify(a)} exceeds max corner ${JSON.stringify(b)}: give [[xmin, ymin], [xmax, ymax]]`,
      });
    } else if (a[0] === b[0] || a[1] === b[1]) {
      ctx.addIssue({
        code: 'custom',
        path: ['targets', 'random', 'area'],
        message: `area ${JSON.stringify([a, b])} has zero width or height: every target would be drawn on one line (give [[xmin, ymin], [xmax, ymax]] with xmin < xmax, ymin < ymax)`,
      });
    }
    s.aps.forEach((ap, l) => {
      if (
        ap.position[0] >= a[0] &&
        ap.position[0] <= b[0] &&
        ap.position[1] >= a[1] &&
        ap.position[1] <= b[1]
      ) {
        ctx.addIssue({
          code: 'custom',
          path: ['targets', 'random', 'area'],
          message: `AP ${l} at ${JSON.stringify(ap.position)} lies inside the random target area: a target could be drawn on it`,
        });
      }
    });
  }
}

/** Parse a scenario object (defaults = paper); throws ZodError on invalid input. */
export function parseScenario(input: unknown): Scenario {
  return scenarioSchemaFor(input).parse(input ?? {}) as Scenario;
}

const fixedScenario = z
  .object({ ...baseFields, targets: fixedTargets })
  .strict()
  .superRefine(crossChecks);
const randomScenario = z
  .object({ ...baseFields, targets: randomTargets })
  .strict()
  .superRefine(crossChecks);

/** Truth-free frames (a recording or live feed without truth): `targets` may be empty (the default). */
const truthFreeScenario = z
  .object({
    ...baseFields,
    targets: z
      .array(targetSchema, {
        error: 'must be a list of targets (may be empty: the frame source has no truth)',
      })
      .default([]),
  })
  .strict()
  .superRefine(crossChecks);

/**
 * The schema variant matching the input's `targets` form (fixed list or `{ random }`); with
 * `truthFree` (the pipeline's frame source has no truth) a fixed list may be empty.
 */
export function scenarioSchemaFor(input: unknown, opts: { truthFree?: boolean } = {}): z.ZodType<Scenario> {
  const t = (input as { targets?: unknown } | undefined)?.targets;
  const isRandom = t !== null && typeof t === 'object' && !Array.isArray(t);
  if (opts.truthFree && !isRandom) return truthFreeScenario as unknown as z.ZodType<Scenario>;
  return (isRandom ? randomScenario : fixedScenario) as unknown as z.ZodType<Scenario>;
}

/** Keys valid at a path of the scenario, for did-you-mean. */
export function scenarioKeysAt(path: readonly (string | number)[]): string[] {
  const p = path.filter((k) => typeof k === 'string');
  const tops: Record<string, string[]> = {
    '': Object.keys(scenarioSchema.shape),
    system: Object.keys(systemSchema.shape),
    snr: Object.keys(snrSchema.shape),
    aps: Object.keys(apSchema.shape),
    targets: [...Object.keys(targetSchema.shape), 'random'],
    'targets.velocity': Object.keys(velocitySchema.shape),
    'targets.random': Object.keys(randomTargetsSchema.shape),
  };
  return tops[p.join('.')] ?? [];
}

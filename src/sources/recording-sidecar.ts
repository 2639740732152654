import { z } from 'zod';
import { apSchema, snrSchema, systemSchema, targetSchema } from '../isac/scenario-schema.js';

/** File names inside a recording folder (docs/frame-format.md). */
export const SIDECAR_FILE = 'recording.json';
export const FRAME_TABLE_FILE = 'frames.jsonl';
export const RECORDING_FORMAT = 'isacflow-recording';

/** One frame of a recording: where its tensor is and what is known about it. */
export const frameEntrySchema = z
  .object({
    file: z
      .string()
      .min(1)
      .optional()
      .describe(
        "layout 'frames': the .npy file of this frame (shape (L, N_A, N_c, M)), relative to the folder",
      ),
    index: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe(
        "layout 'array': the index along the first axis of the (F, L, N_A, N_c, M) array (default: the entry's position)",
      ),
    trial: z.number().int().min(0).default(0),
    frame: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe('frame index within the trial (default: the entry position among the frames of its trial)'),
    truth: z.array(targetSchema).optional().describe('true targets at this frame, when known'),
    aps: z
      .array(apSchema)
      .min(1)
      .optional()
      .describe("this frame's AP layout, when it differs from the header's"),
    point: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('sweep point of the recording run (written by echo-recorder)'),
    pointKey: z
      .string()
      .optional()
      .describe(
        'key of the random streams of the recording run (written by echo-recorder; replay reuses it)',
      ),
  })
  .strict();

export const sidecarSchema = z
  .object({
    format: z.literal(RECORDING_FORMAT, { error: `must be '${RECORDING_FORMAT}'` }),
    version: z.literal(1, { error: 'must be 1 (the recording format version)' }),
    layout: z.enum(['frames', 'array'], {
      error: "must be 'frames' (one .npy per frame) or 'array' (one (F, L, N_A, N_c, M) .npy)",
    }),
    array: z.string().min(1).optional().describe("layout 'array': the .npy file, relative to the folder"),
    system: systemSchema.describe('system parameters (scenario.system)'),
    aps: z
      .array(apSchema)
      .min(1, { error: 'must list at least one AP' })
      .describe(
        "AP geometry (scenario.aps); N_A of the tensors = the largest antenna count, rows beyond an AP's own antennas are zero",
      ),
    snr: snrSchema.partial().optional().describe('nominal SNR (only the CRB stages use it)'),
    seed: z
      .number()
      .int()
      .optional()
      .describe('root seed of the run that recorded it (replay uses it unless run.seed is given)'),
    frames: z
      .array(frameEntrySchema)
      .optional()
      .describe(
        `the frame table; when absent it is read from ${FRAME_TABLE_FILE} (one entry per line), or for layout 'array' F frames of trial 0`,
      ),
    description: z.string().optional(),
    writer: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('who wrote it (echo-recorder: isacflow version, pid)'),
  })
  .strict();

export type Sidecar = z.infer<typeof sidecarSchema>;
export type FrameEntry = z.infer<typeof frameEntrySchema>;

import { createHash } from 'node:crypto';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { inject, injectable } from 'inversify';
import { z } from 'zod';
import {
  defineStage,
  Echoes,
  type Frame,
  IsacflowError,
  type Stage,
  type StageContext,
  TOKENS,
} from '../../src/plugin.js';
import { packageVersion } from '../../src/package-root.js';
import type { EchoTensor } from '../../src/isac/echo-model.js';
import type { Ap } from '../../src/isac/scenario-types.js';
import { writeNpy } from '../../src/sources/npy-file.js';
import { resolveUserPath } from '../../src/sources/npy-source.js';
import {
  FRAME_TABLE_FILE,
  RECORDING_FORMAT,
  SIDECAR_FILE,
  type FrameEntry,
  type Sidecar,
} from '../../src/sources/recording-sidecar.js';

export const echoRecorderParams = z
  .object({
    path: z
      .string({ error: 'must be the recording folder to write' })
      .min(1)
      .describe('recording folder (relative to the working directory; ~ is the home folder)'),
    dtype: z
      .enum(['complex128', 'complex64'])
      .default('complex128')
      .describe('complex128 keeps every bit (a replay gives identical estimates); complex64 halves the size'),
    overwrite: z
      .boolean()
      .default(false)
      .describe('replace a recording an earlier run left in the folder (else that is refused)'),
  })
  .strict();

export type EchoRecorderParams = z.infer<typeof echoRecorderParams>;

/** Folders this process (any stage instance of it) has claimed: later frames join them. */
const claimed = new Set<string>();

function sameAps(a: readonly Ap[], b: readonly Ap[]): boolean {
  return (
    a.length === b.length &&
    a.every(
      (x, l) =>
        x.antennas === b[l]!.antennas &&
        x.position[0] === b[l]!.position[0] &&
        x.position[1] === b[l]!.position[1],
    )
  );
}

/**
 * Writes the echo tensors of every frame it sees as a recording (docs/frame-format.md): one
 * (L, N_A, N_c, M) .npy per frame, recording.json (system, AP geometry, root seed) and one line per
 * frame in frames.jsonl (trial, frame, the truth when known, the sweep point and its stream key), so
 * the npy source replays the run with identical estimates. Worker threads of one run append to the
 * same folder; a folder an earlier run wrote is refused unless overwrite is set.
 */
@injectable()
export class EchoRecorderStage implements Stage {
  private readonly dir: string;
  private header: Sidecar | undefined;
  private readonly written = new Set<string>();

  constructor(@inject(TOKENS.StageParams) private readonly params: EchoRecorderParams) {
    this.dir = resolveUserPath(params.path);
  }

  process(frame: Frame, ctx: StageContext): void {
    const echoes = frame.data.echoes as EchoTensor[] | undefined;
    if (!Array.isArray(echoes))
      throw new IsacflowError('stage-failed', [
        {
          where: '',
          path: ctx.stageId,
          message:
            'echo-recorder: frame.data.echoes is missing (put an echo-generator stage or a frame source before it)',
        },
      ]);
    const header = this.headerFor(frame, ctx);
    const sys = frame.scenario.system;
    if (sys.subcarriers !== header.system.subcarriers || sys.symbols !== header.system.symbols) {
      throw new IsacflowError('stage-failed', [
        {
          where: '',
          path: ctx.stageId,
          message: `echo-recorder: this frame has N_c = ${sys.subcarriers}, M = ${sys.symbols} but ${this.dir} records N_c = ${header.system.subcarriers}, M = ${header.system.symbols}: record each system in its own folder`,
        },
      ]);
    }
    const keyHash =
      frame.pointKey === '{}'
        ? ''
        : `-${createHash('sha256').update(frame.pointKey).digest('hex').slice(0, 8)}`;
    const file = `frame-t${String(frame.trial).padStart(6, '0')}-f${String(frame.frame).padStart(6, '0')}${keyHash}.npy`;
    if (this.written.has(file)) return; // another variant branch of the same frame
    this.written.add(file);
    const na = Math.max(...frame.aps.map((a) => a.antennas));
    const { subcarriers: nc, symbols: m } = sys;
    const chunks: Float64Array[] = [];
    echoes.forEach((t, l) => {
      if (t.nc !== nc || t.m !== m || t.na !== frame.aps[l]!.antennas) {
        throw new IsacflowError('stage-failed', [
          {
            where: '',
            path: ctx.stageId,
            message: `echo-recorder: AP ${l}'s tensor is ${t.na} x ${t.nc} x ${t.m}, expected ${frame.aps[l]!.antennas} x ${nc} x ${m}`,
          },
        ]);
      }
      chunks.push(t.data);
      if (t.na < na) chunks.push(new Float64Array(2 * (na - t.na) * nc * m)); // rows beyond the AP's antennas: zero
    });
    writeNpy(join(this.dir, file), [echoes.length, na, nc, m], chunks, this.params.dtype);
    const entry: FrameEntry & { frame: number } = {
      file,
      trial: frame.trial,
      frame: frame.frame,
      ...(frame.truth.length ? { truth: frame.truth } : {}),
      ...(sameAps(frame.aps, header.aps) ? {} : { aps: frame.aps }),
      point: { ...frame.point },
      pointKey: frame.pointKey,
    };
    appendFileSync(join(this.dir, FRAME_TABLE_FILE), JSON.stringify(entry) + '\n');
  }

  /** The folder's recording.json: written once per process, checked against later frames. */
  private headerFor(frame: Frame, ctx: StageContext): Sidecar {
    if (this.header) return this.header;
    const path = join(this.dir, SIDECAR_FILE);
    const header: Sidecar = {
      format: RECORDING_FORMAT,
      version: 1,
      layout: 'frames',
      system: frame.scenario.system,
      aps: frame.aps,
      snr: frame.scenario.snr,
      ...(ctx.rootSeed !== undefined ? { seed: ctx.rootSeed } : {}),
      writer: { isacflow: packageVersion(), stage: ctx.stageId, pid: process.pid },
    };
    if (!claimed.has(this.dir)) {
      mkdirSync(this.dir, { recursive: true });
      if (existsSync(path)) {
        let pid: unknown;
        try {
          pid = (JSON.parse(readFileSync(path, 'utf8')) as Sidecar).writer?.pid;
        } catch {
          pid = undefined;
        }
        if (pid !== process.pid) {
          if (!this.params.overwrite) {
            throw new IsacflowError('stage-failed', [
              {
                where: '',
                path: ctx.stageId,
                message: `echo-recorder: ${this.dir} already holds a recording from an earlier run; give another path, or overwrite: true to replace it`,
              },
            ]);
          }
          // the earlier recording's frame files, then its sidecar and frame table
          const table = join(this.dir, FRAME_TABLE_FILE);
          if (existsSync(table)) {
            for (const line of readFileSync(table, 'utf8').split('\n')) {
              const file = /"file":"([^"/\\]+\.npy)"/.exec(line)?.[1];
              if (file) rmSync(join(this.dir, file), { force: true });
            }
          }
          for (const f of [SIDECAR_FILE, FRAME_TABLE_FILE]) rmSync(join(this.dir, f), { force: true });
        }
      }
      claimed.add(this.dir);
    }
    if (!existsSync(path)) {
      // write-then-rename: another worker thread may write the same header at the same time
      const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
      writeFileSync(tmp, JSON.stringify(header, null, 2) + '\n');
      renameSync(tmp, path);
    }
    this.header = header;
    return header;
  }
}

/**
 * Record ten simulated frames for replay with the npy source (pipelines/replay.yaml):
 * @example
 * ```yaml
 * isacflow: 1
 * name: record
 * run: { trials: 1, frames: 10 }
 * stages:
 *   - { id: echoes, uses: echo-generator }
 *   - { id: recorder, uses: echo-recorder, params: { path: recordings/demo, overwrite: true } }
 * ```
 */
export const echoRecorder = defineStage({
  name: 'echo-recorder',
  summary:
    "Writes every frame's echo tensors as a recording (NumPy .npy + recording.json + frames.jsonl; docs/frame-format.md) for the npy source to replay",
  params: echoRecorderParams,
  reads: [Echoes],
  adds: [],
  releasesFrameData: true,
  stage: EchoRecorderStage,
});

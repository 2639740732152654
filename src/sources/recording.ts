import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IsacflowError, type Problem } from '../core/errors.js';
import { zodProblems } from '../core/zod-problems.js';
import type { EchoTensor } from '../isac/echo-model.js';
import type { Ap } from '../isac/scenario-types.js';
import { NpyFile, NpyFileError } from './npy-file.js';
import { formatShape } from './npy-format.js';
import {
  FRAME_TABLE_FILE,
  frameEntrySchema,
  SIDECAR_FILE,
  sidecarSchema,
  type FrameEntry,
  type Sidecar,
} from './recording-sidecar.js';
import type { SourcedFrame } from './source-frame.js';

/** A frame of the table with its trial/frame numbers filled in. */
export interface RecordedFrame extends FrameEntry {
  frame: number;
  /** position in the table */
  position: number;
}

function io(message: string, path = ''): IsacflowError {
  return new IsacflowError('io', [{ where: '', path, message }]);
}

/** Expected (L, N_A, N_c, M) of a frame: N_A = the largest antenna count. */
export function frameShape(sidecar: Sidecar, aps: readonly Ap[]): [number, number, number, number] {
  return [
    aps.length,
    Math.max(...aps.map((a) => a.antennas)),
    sidecar.system.subcarriers,
    sidecar.system.symbols,
  ];
}

/**
 * A recording folder (docs/frame-format.md): recording.json, the frame table (inline or
 * frames.jsonl) and the .npy files. Opening validates the sidecar and every file header (shape,
 * dtype, byte order, size) against it; tensors are read one frame at a time with positioned reads.
 */
export class Recording {
  private readonly files = new Map<string, NpyFile>();

  private constructor(
    readonly dir: string,
    readonly sidecar: Sidecar,
    readonly frames: RecordedFrame[],
  ) {}

  get sidecarPath(): string {
    return join(this.dir, SIDECAR_FILE);
  }

  get hasTruth(): boolean {
    return this.frames.length > 0 && this.frames.every((f) => f.truth !== undefined);
  }

  static open(dir: string): Recording {
    const sidecarPath = join(dir, SIDECAR_FILE);
    if (!existsSync(dir))
      throw io(
        `recording folder not found: ${dir} (a folder holding ${SIDECAR_FILE} and .npy files, as written by echo-recorder)`,
      );
    if (!existsSync(sidecarPath))
      throw io(
        `${sidecarPath}: no sidecar here (a recording folder holds ${SIDECAR_FILE}; see docs/frame-format.md)`,
      );
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(sidecarPath, 'utf8'));
    } catch (e) {
      throw io(`${sidecarPath}: not valid JSON: ${(e as Error).message}`);
    }
    const parsed = sidecarSchema.safeParse(raw);
    if (!parsed.success) {
      throw new IsacflowError(
        'io',
        zodProblems(parsed.error, []).map((p: Problem) => ({ ...p, where: sidecarPath })),
      );
    }
    const sidecar = parsed.data;
    let entries: FrameEntry[] | undefined = sidecar.frames;
    if (!entries) {
      const tablePath = join(dir, FRAME_TABLE_FILE);
      if (existsSync(tablePath)) entries = readFrameTable(tablePath);
      else if (sidecar.layout === 'frames')
        throw io(
          `${sidecarPath}: no 'frames' list and no ${FRAME_TABLE_FILE} beside it: list the frame files`,
        );
    }
    const rec = new Recording(dir, sidecar, []);
    if (!entries) {
      const arr = rec.open(rec.arrayFile());
      entries = Array.from({ length: arr.shape[0] ?? 0 }, (_, k) => ({ index: k, trial: 0 }));
    }
    rec.frames.push(...numberFrames(entries));
    rec.validate();
    return rec;
  }

  private arrayFile(): string {
    if (!this.sidecar.array)
      throw io(
        `${this.sidecarPath}: layout 'array' needs 'array': the .npy file of shape (F, L, N_A, N_c, M)`,
      );
    return this.sidecar.array;
  }

  private open(name: string): NpyFile {
    let f = this.files.get(name);
    if (!f) {
      try {
        f = NpyFile.open(join(this.dir, name));
      } catch (e) {
        if (e instanceof NpyFileError) throw io(e.message);
        throw e;
      }
      this.files.set(name, f);
    }
    return f;
  }

  apsOf(f: RecordedFrame): Ap[] {
    return f.aps ?? this.sidecar.aps;
  }

  /** Checks every file header against the sidecar (no tensor data is read). */
  private validate(): void {
    const { layout } = this.sidecar;
    if (layout === 'array') {
      const name = this.arrayFile();
      const arr = this.open(name);
      const shape = frameShape(this.sidecar, this.sidecar.aps);
      const file = join(this.dir, name);
      if (arr.header.fortranOrder)
        throw io(
          `${file}: byte 8: fortran_order is True; the (F, L, N_A, N_c, M) array must be in C order so that each frame is contiguous (or write one file per frame)`,
        );
      if (arr.shape.length !== 5 || shape.some((d, k) => arr.shape[k + 1] !== d)) {
        throw io(
          `${file}: byte 8: shape ${formatShape(arr.shape)} but the sidecar says (F, ${shape.join(', ')}) = (F, L APs, N_A max antennas, N_c subcarriers, M symbols)`,
        );
      }
      this.frames.forEach((f) => {
        const idx = f.index ?? f.position;
        if (idx >= (arr.shape[0] as number))
          throw io(
            `${file}: frame ${f.position} (trial ${f.trial}, frame ${f.frame}) has index ${idx} but the array holds ${arr.shape[0]} frame(s)`,
          );
        const s = frameShape(this.sidecar, this.apsOf(f));
        if (s.some((d, k) => d !== shape[k]))
          throw io(
            `${this.sidecarPath}: frame ${f.position}: its AP layout needs shape (${s.join(', ')}) but the array's frames are (${shape.join(', ')})`,
          );
      });
      return;
    }
    this.frames.forEach((f) => {
      if (!f.file)
        throw io(
          `${this.sidecarPath}: frame ${f.position} (trial ${f.trial}, frame ${f.frame}) has no 'file' (layout 'frames')`,
        );
      const npy = this.open(f.file);
      const s = frameShape(this.sidecar, this.apsOf(f));
      if (npy.shape.length !== 4 || s.some((d, k) => npy.shape[k] !== d)) {
        throw io(
          `${join(this.dir, f.file)}: byte 8: frame ${f.position} (trial ${f.trial}, frame ${f.frame}): shape ${formatShape(npy.shape)} but the sidecar says (${s.join(', ')}) = (L APs, N_A max antennas, N_c subcarriers, M symbols)`,
        );
      }
    });
  }

  /** Reads the tensors of frame `k` of the table (positioned reads of that frame only). */
  read(k: number): SourcedFrame {
    const f = this.frames[k];
    if (!f) throw new Error(`recording ${this.dir}: no frame ${k}`);
    const aps = this.apsOf(f);
    const [L, NA, NC, M] = frameShape(this.sidecar, aps);
    const name = this.sidecar.layout === 'array' ? this.arrayFile() : (f.file as string);
    const npy = this.open(name);
    const base = this.sidecar.layout === 'array' ? (f.index ?? f.position) * L * NA * NC * M : 0;
    const echoes: EchoTensor[] = [];
    try {
      if (npy.header.fortranOrder) {
        // column-major (e.g. MATLAB): element (l, p, n, m) at l + L (p + N_A (n + N_c m)); read the frame, then gather
        const all = npy.readComplex(0, L * NA * NC * M);
        aps.forEach((ap, l) => {
          const data = new Float64Array(2 * ap.antennas * NC * M);
          let o = 0;
          for (let p = 0; p < ap.antennas; p++)
            for (let n = 0; n < NC; n++)
              for (let m = 0; m < M; m++, o += 2) {
                const src = 2 * (l + L * (p + NA * (n + NC * m)));
                data[o] = all[src] as number;
                data[o + 1] = all[src + 1] as number;
              }
          echoes.push({ na: ap.antennas, nc: NC, m: M, data, noiseVariance: Number.NaN });
        });
      } else {
        aps.forEach((ap, l) => {
          const data = npy.readComplex(base + l * NA * NC * M, ap.antennas * NC * M);
          echoes.push({ na: ap.antennas, nc: NC, m: M, data, noiseVariance: Number.NaN });
        });
      }
    } catch (e) {
      if (e instanceof NpyFileError)
        throw io(`${e.message} (frame ${k}: trial ${f.trial}, frame ${f.frame})`);
      throw e;
    }
    return {
      trial: f.trial,
      frame: f.frame,
      echoes,
      ...(f.truth ? { truth: f.truth } : {}),
      ...(f.aps ? { aps: f.aps } : {}),
      ...(f.point ? { point: f.point } : {}),
      ...(f.pointKey !== undefined ? { pointKey: f.pointKey } : {}),
      origin: join(this.dir, name),
    };
  }

  close(): void {
    for (const f of this.files.values()) f.close();
    this.files.clear();
  }
}

/** frames.jsonl: one frame entry per line; a torn last line (a killed recorder) is ignored. */
function readFrameTable(path: string): FrameEntry[] {
  const lines = readFileSync(path, 'utf8').split('\n');
  const out: FrameEntry[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch (e) {
      if (i === lines.length - 1) return; // torn last line
      throw io(`${path}:${i + 1}: not valid JSON: ${(e as Error).message}`);
    }
    const r = frameEntrySchema.safeParse(v);
    if (!r.success)
      throw new IsacflowError(
        'io',
        zodProblems(r.error, []).map((p) => ({ ...p, where: `${path}:${i + 1}` })),
      );
    out.push(r.data);
  });
  return out;
}

/** Fills in frame numbers (position among the frames of the same trial and point) and sorts by (trial, point, frame). */
function numberFrames(entries: FrameEntry[]): RecordedFrame[] {
  const counters = new Map<string, number>();
  const out = entries.map((e, position) => {
    const k = `${e.trial}#${e.pointKey ?? ''}`;
    const n = counters.get(k) ?? 0;
    counters.set(k, n + 1);
    return { ...e, frame: e.frame ?? n, position };
  });
  out.sort(
    (a, b) =>
      a.trial - b.trial ||
      (a.pointKey ?? '').localeCompare(b.pointKey ?? '') ||
      a.frame - b.frame ||
      a.position - b.position,
  );
  return out;
}

import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FrameRecord } from '../../src/core/frame.js';
import { chain, tempDir, writePipeline, recordSimulated } from './helpers.js';
import { connectTo, encode, wireFrames, write } from './sender.js';

const hasNumpy = (() => {
  try {
    execFileSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const dir = tempDir('stream-cli');
const recording = join(dir, 'recording');
let recorded: FrameRecord[] = [];
let live = '';

beforeAll(async () => {
  recorded = await recordSimulated(dir, recording, { trials: 1, frames: 3, seed: 9 });
  live = writePipeline(dir, 'live', {
    source: {
      uses: 'tcp',
      params: { port: 0, sidecar: join(recording, 'recording.json'), acceptTimeoutS: 60 },
    },
    stages: chain('auto'),
  });
}, 120_000);

interface Cli {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  port: Promise<number>;
  exit: Promise<number | null>;
}

/** Starts `isacflow stream` as a user would; resolves the port it prints on stderr. */
function startStream(args: string[]): Cli {
  const child = spawn(process.execPath, ['bin/isacflow.js', 'stream', ...args], {
    cwd: process.cwd(),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  const port = new Promise<number>((res, rej) => {
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /listening on tcp:\/\/[^:]+:(\d+)/.exec(err);
      if (m) res(Number(m[1]));
    });
    child.once('exit', () => rej(new Error(`isacflow exited before listening:\n${err}`)));
  });
  port.catch(() => undefined);
  const exit = new Promise<number | null>((res) => child.once('exit', (code) => res(code)));
  return { child, stdout: () => out, stderr: () => err, port, exit };
}

const ndjson = (text: string) =>
  text
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { frame: number; latencyMs: number; estimates: Record<string, unknown> });

describe('isacflow stream (command line)', () => {
  it('README recipe: stream, then the example Node sender: one NDJSON line per frame, identical estimates, latency on stderr', async () => {
    const out = join(dir, 'run-node-sender');
    const cli = startStream([live, '--out', out]);
    const port = await cli.port;
    execFileSync(process.execPath, ['docs/examples/send-frames.mjs', recording, `127.0.0.1:${port}`], {
      stdio: 'pipe',
    });
    expect(await cli.exit).toBe(0);
    const lines = ndjson(cli.stdout());
    expect(lines.map((l) => l.frame)).toEqual([0, 1, 2]);
    expect(lines.map((l) => l.estimates.fusion)).toEqual(recorded.map((r) => r.estimates?.fusion));
    expect(lines.every((l) => l.latencyMs > 0)).toBe(true);
    expect(cli.stderr()).toMatch(
      /3 frame\(s\) processed, 0 dropped \(queue 8, block\); latency p50 [\d.]+ ms, p95 [\d.]+ ms; sustained [\d.]+ frames\/s/,
    );
    for (const f of [
      'records.jsonl',
      'summary.json',
      'manifest.json',
      'stream.json',
      'pipeline.resolved.yaml',
    ])
      expect(existsSync(join(out, f)), f).toBe(true);
  }, 120_000);

  it.skipIf(!hasNumpy)(
    'the example Python sender gives the same estimates',
    async () => {
      const cli = startStream([live, '--out', join(dir, 'run-py-sender')]);
      const port = await cli.port;
      execFileSync('python3', ['docs/examples/send_frames.py', recording, `127.0.0.1:${port}`], {
        stdio: 'pipe',
      });
      expect(await cli.exit).toBe(0);
      expect(ndjson(cli.stdout()).map((l) => l.estimates.fusion)).toEqual(
        recorded.map((r) => r.estimates?.fusion),
      );
    },
    120_000,
  );

  it('Ctrl-C (SIGINT) ends cleanly: the frames received so far are processed and written, exit code 0', async () => {
    const out = join(dir, 'run-sigint');
    const cli = startStream([live, '--out', out]);
    const port = await cli.port;
    const s = await connectTo(port);
    const frames = wireFrames(recording);
    await write(s, Buffer.concat([encode(frames[0]!), encode(frames[1]!)]));
    // wait for both frames to come out, then interrupt while the sender stays connected
    while (ndjson(cli.stdout()).length < 2) await new Promise((r) => setTimeout(r, 50));
    cli.child.kill('SIGINT');
    expect(await cli.exit).toBe(0);
    s.destroy();
    expect(cli.stderr()).toMatch(/interrupted/);
    expect(cli.stderr()).toMatch(/2 frame\(s\) processed/);
    expect(readFileSync(join(out, 'records.jsonl'), 'utf8').trim().split('\n')).toHaveLength(2);
    expect(JSON.parse(readFileSync(join(out, 'stream.json'), 'utf8'))).toMatchObject({
      frames: 2,
      stoppedBy: 'interrupt',
    });
    expect(existsSync(join(out, 'summary.json'))).toBe(true);
  }, 120_000);

  it('stdin: `sender | isacflow stream --source stdin`; a bad frame gives exit code 1 with the error, after the good frames', async () => {
    const out = join(dir, 'run-stdin');
    const frames = wireFrames(recording);
    const bad = encode(frames[1]!).subarray(0, 5000);
    const cli = startStream([
      live,
      '--source',
      `{ uses: stdin, params: { sidecar: ${join(recording, 'recording.json')} } }`,
      '--out',
      out,
    ]);
    cli.child.stdin!.end(Buffer.concat([encode(frames[0]!), bad]));
    expect(await cli.exit).toBe(1);
    expect(ndjson(cli.stdout())).toHaveLength(1);
    expect(cli.stderr()).toMatch(
      /stdin: frame 1, stream byte \d+: the sender stopped after \d+ of 1572864 payload bytes/,
    );
    expect(readFileSync(join(out, 'records.jsonl'), 'utf8').trim().split('\n')).toHaveLength(1);
  }, 120_000);
});

import { PassThrough } from 'node:stream';
import { Worker } from 'node:worker_threads';

/**
 * The socket side of the tcp source runs on its own thread, so that bytes keep arriving while the
 * chain computes on the main thread (its stages are synchronous CPU work): frames that complete in
 * the meantime wait in the bounded queue, where `drop-oldest` can drop them. Under `block` the
 * receiver pauses the socket and TCP pushes back on the sender. Plain JavaScript (an eval worker),
 * so it needs no loader.
 */
const RECEIVER = `
const { parentPort, workerData } = require('node:worker_threads');
const net = require('node:net');
let socket;
const server = net.createServer((s) => {
  if (socket) { s.end('isacflow: one sender at a time\\n'); return; }
  socket = s;
  parentPort.postMessage({ type: 'connection', remote: s.remoteAddress + ':' + s.remotePort });
  s.on('data', (c) => {
    const ab = c.buffer.slice(c.byteOffset, c.byteOffset + c.length);
    parentPort.postMessage({ type: 'data', chunk: ab }, [ab]);
  });
  s.on('end', () => parentPort.postMessage({ type: 'end' }));
  s.on('error', (e) => parentPort.postMessage({ type: 'error', message: e.message }));
  s.on('close', () => parentPort.postMessage({ type: 'close' }));
});
server.on('error', (e) => parentPort.postMessage({ type: 'listen-error', message: e.message }));
server.listen(workerData.port, workerData.host, () => {
  const a = server.address();
  parentPort.postMessage({ type: 'listening', address: a.address, port: a.port });
});
parentPort.on('message', (m) => {
  if (m === 'pause') { if (socket) socket.pause(); }
  else if (m === 'resume') { if (socket) socket.resume(); }
  else if (m === 'stop') { if (socket) socket.destroy(); server.close(); parentPort.close(); }
});
`;

export interface ReceiverEvents {
  listening(address: string, port: number): void;
  listenError(message: string): void;
  /** a sender connected: its bytes arrive on `input` */
  connection(remote: string, input: PassThrough): void;
}

/** Starts the receiver thread; returns a stop function. */
export function startTcpReceiver(host: string, port: number, on: ReceiverEvents): () => void {
  const worker = new Worker(RECEIVER, { eval: true, workerData: { host, port } });
  const input = new PassThrough();
  const pause = input.pause.bind(input);
  const resume = input.resume.bind(input);
  input.pause = () => {
    worker.postMessage('pause');
    return pause();
  };
  input.resume = () => {
    worker.postMessage('resume');
    return resume();
  };
  let stopped = false;
  worker.on(
    'message',
    (m: {
      type: string;
      chunk?: ArrayBuffer;
      message?: string;
      remote?: string;
      address?: string;
      port?: number;
    }) => {
      if (stopped) return;
      switch (m.type) {
        case 'listening':
          on.listening(m.address as string, m.port as number);
          break;
        case 'listen-error':
          on.listenError(m.message as string);
          break;
        case 'connection':
          on.connection(m.remote as string, input);
          break;
        case 'data':
          input.write(Buffer.from(m.chunk as ArrayBuffer));
          break;
        case 'end':
        case 'close':
          if (!input.writableEnded) input.end();
          break;
        case 'error':
          input.destroy(new Error(m.message));
          break;
      }
    },
  );
  worker.on('error', (e) => {
    if (!stopped) on.listenError(`receiver thread failed: ${e.message}`);
  });
  return () => {
    if (stopped) return;
    stopped = true;
    worker.postMessage('stop');
    void worker.terminate();
  };
}

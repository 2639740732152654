export type QueuePolicy = 'block' | 'drop-oldest';

/**
 * A bounded queue between a frame producer (socket, file reader) and the processing chain.
 * Policy `block`: when full the producer waits (`space()`; a socket is paused, so TCP pushes back
 * on the sender). Policy `drop-oldest`: a new frame evicts the oldest waiting one; `dropped` counts
 * them. `close(error?)` ends the stream: queued items are still delivered, then the error (if any).
 */
export class BoundedQueue<T> implements AsyncIterable<T> {
  dropped = 0;
  /** largest number of items waiting at once */
  highWater = 0;
  private readonly items: T[] = [];
  private closed = false;
  private error: unknown;
  private takers: Array<() => void> = [];
  private spaceWaiters: Array<() => void> = [];

  constructor(
    readonly capacity: number,
    readonly policy: QueuePolicy,
    private readonly onDrop?: (item: T) => void,
  ) {
    if (!(capacity >= 1)) throw new Error('queue capacity must be at least 1');
  }

  get length(): number {
    return this.items.length;
  }

  get full(): boolean {
    return this.items.length >= this.capacity;
  }

  /** Adds an item; under `drop-oldest` a full queue drops its oldest item first. Under `block` the caller must wait for space() first. */
  offer(item: T): void {
    if (this.closed) return;
    if (this.full) {
      if (this.policy === 'drop-oldest') {
        const old = this.items.shift() as T;
        this.dropped++;
        this.onDrop?.(old);
      }
    }
    this.items.push(item);
    this.highWater = Math.max(this.highWater, this.items.length);
    this.wake();
  }

  /** Resolves when the queue has room (or is closed). */
  space(): Promise<void> {
    if (!this.full || this.closed) return Promise.resolve();
    return new Promise((res) => this.spaceWaiters.push(res));
  }

  close(error?: unknown): void {
    if (this.closed) return;
    this.closed = true;
    this.error = error;
    this.wake();
    for (const w of this.spaceWaiters.splice(0)) w();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private wake(): void {
    for (const t of this.takers.splice(0)) t();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (;;) {
      if (this.items.length > 0) {
        const item = this.items.shift() as T;
        for (const w of this.spaceWaiters.splice(0)) w();
        yield item;
        continue;
      }
      if (this.closed) {
        if (this.error !== undefined) throw this.error;
        return;
      }
      await new Promise<void>((res) => this.takers.push(res));
    }
  }
}

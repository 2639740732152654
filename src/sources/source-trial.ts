import { Observable, type OperatorFunction, of } from 'rxjs';
import { IsacflowError } from '../core/errors.js';
import type { Frame, FrameRecord } from '../core/frame.js';
import type { FrameRequest, FrameSource } from './source-types.js';

/**
 * Runs frames pulled one at a time from an (async) iterable through `chain`: the next frame is read
 * only after the previous one has passed every stage, so at most one frame's tensors are in memory
 * (RxJS has no back-pressure of its own; concatMap would buffer every frame read ahead).
 */
export function pullThrough(
  frames: Iterable<Frame> | AsyncIterable<Frame>,
  chain: OperatorFunction<Frame, FrameRecord>,
): Observable<FrameRecord> {
  return new Observable<FrameRecord>((sub) => {
    let stopped = false;
    const it =
      Symbol.asyncIterator in frames
        ? (frames as AsyncIterable<Frame>)[Symbol.asyncIterator]()
        : (frames as Iterable<Frame>)[Symbol.iterator]();
    (async () => {
      for (;;) {
        if (stopped) break;
        const r = await it.next();
        if (r.done || stopped) break;
        await new Promise<void>((res, rej) => {
          of(r.value)
            .pipe(chain)
            .subscribe({ next: (rec) => sub.next(rec), error: rej, complete: res });
        });
      }
      sub.complete();
    })().catch((e) => sub.error(e));
    return () => {
      stopped = true;
      void it.return?.();
    };
  });
}

/** The records of one trial of a non-simulated source (Engine.trial$). */
export function sourceTrial$(
  source: FrameSource,
  req: FrameRequest,
  chain: OperatorFunction<Frame, FrameRecord>,
): Observable<FrameRecord> {
  if (source.info().live) {
    throw new IsacflowError(
      'invalid-pipeline',
      `source '${source.name}' is a live feed: process it with 'isacflow stream PIPELINE' (isacflow run takes recorded or simulated frames)`,
    );
  }
  return pullThrough(source.trial(req), chain);
}

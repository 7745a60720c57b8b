import { Signal, waitFor, type Op } from '../../../kernel/process.js';
import type { DesignPorts } from '../../design-ports.js';

/** An API refusal or failure (NovaApiError and the like carry an HTTP `status`); anything else is a bug. */
export function isApiError(err: unknown): boolean {
  return err instanceof Error && 'status' in err;
}

export interface PoolResult {
  ok: boolean[];
  finishedAtMs: number[];
}

/**
 * A `concurrent.futures.ThreadPoolExecutor(max_workers=width)` over `items`, each run as a process of the poller
 * pod (they all die with it). An item whose op throws an API error counts as failed (`future.result()` raising).
 */
export function* runPool<T>(ports: DesignPorts, name: string, items: readonly T[], width: number,
  run: (item: T) => Op<boolean>): Op<PoolResult> {
  const result: PoolResult = { ok: items.map(() => false), finishedAtMs: items.map(() => Number.POSITIVE_INFINITY) };
  if (items.length === 0) return result;
  const done = new Signal();
  let next = 0;
  let workers = Math.max(1, Math.min(width, items.length));
  const worker = function* (): Op<void> {
    while (next < items.length) {
      const i = next++;
      try {
        result.ok[i] = yield* run(items[i] as T);
      } catch (err) {
        if (!isApiError(err)) throw err;
        result.ok[i] = false;
      }
      result.finishedAtMs[i] = ports.clock.now();
    }
    workers--;
    done.notify();
  };
  const count = workers;
  for (let w = 0; w < count; w++) ports.spawn(`${name}#${w}`, 'external', worker());
  while (workers > 0) yield* waitFor(done);
  return result;
}

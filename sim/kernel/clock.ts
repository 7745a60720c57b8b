import type { ActorOptions, AnyActorLogic } from 'xstate';
import type { Timer } from './event-queue.js';
import type { Kernel } from './kernel.js';

/** xstate's two-method clock (not exported by name from the package). */
export type Clock = NonNullable<ActorOptions<AnyActorLogic>['clock']>;

/**
 * xstate's `Clock` on the kernel's queue, so delayed transitions (`after`) of actors fire in simulated time and
 * in a fixed order (xstate's own SimulatedClock leaves ties undefined; ours breaks them by insertion order).
 */
export class KernelClock implements Clock {
  constructor(private readonly kernel: Kernel) {}

  setTimeout(fn: (...args: unknown[]) => void, timeout: number): Timer {
    return this.kernel.after(timeout, () => fn());
  }

  clearTimeout(id: unknown): void {
    this.kernel.cancel(id as Timer);
  }
}

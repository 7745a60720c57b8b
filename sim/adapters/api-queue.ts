import type { World } from '../world.js';

/** Parallel API workers (nova-api's worker processes); calls beyond them wait: mass evacuation queues. */
const API_WORKERS = 8;

/**
 * A finite-rate Nova API: each call takes a drawn service time on the earliest free worker. Only in-cluster
 * recovery calls go through it (served HTTP requests are answered at once).
 */
export class ApiQueue {
  private readonly freeAt: number[] = new Array<number>(API_WORKERS).fill(0);

  constructor(private readonly world: World) {}

  /** Delay from now until a call issued now has been served. */
  delay(): number {
    const now = this.world.kernel.now;
    let best = 0;
    for (let i = 1; i < this.freeAt.length; i++) if (this.freeAt[i]! < this.freeAt[best]!) best = i;
    const start = Math.max(now, this.freeAt[best]!);
    const end = start + this.world.draw('nova', this.world.config.nova.apiCallMs);
    this.freeAt[best] = end;
    return end - now;
  }
}

import { describe, expect, it } from 'vitest';
import { createActor, setup } from 'xstate';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { Kernel } from '../../../sim/kernel/kernel.js';
import { KernelClock } from '../../../sim/kernel/clock.js';
import { Rng } from '../../../sim/kernel/rng.js';
import { park, ProcessRunner, type Op } from '../../../sim/kernel/process.js';

describe('kernel', () => {
  it('fires events in time order, ties in insertion order', () => {
    const k = new Kernel();
    const seen: string[] = [];
    k.at(20, () => seen.push('b'));
    k.at(10, () => seen.push('a'));
    k.at(20, () => seen.push('c'));
    k.at(20, () => k.at(20, () => seen.push('e')));
    k.at(20, () => seen.push('d'));
    k.run(100);
    expect(seen).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(k.now).toBe(100);
  });

  it('skips cancelled events and stops at the bound time', () => {
    const k = new Kernel();
    const seen: number[] = [];
    const t = k.at(5, () => seen.push(5));
    k.at(7, () => seen.push(7));
    k.at(50, () => seen.push(50));
    k.cancel(t);
    expect(k.run(10)).toBe('until');
    expect(seen).toEqual([7]);
    expect(k.nextAt()).toBe(50);
  });

  it('a runaway loop hits the event bound as IHASIM_SIM_BOUND', () => {
    const k = new Kernel(1000);
    const loop = (): void => void k.after(1, loop);
    loop();
    expect(() => k.run(1e9)).toThrow(/exceeded 1000 events/);
  });

  it('drives xstate delayed transitions in simulated time (KernelClock)', () => {
    const k = new Kernel();
    const machine = setup({}).createMachine({ initial: 'armed', states: { armed: { after: { 30000: 'fired' } }, fired: {} } });
    const actor = createActor(machine, { clock: new KernelClock(k) }).start();
    k.run(29_999);
    expect(actor.getSnapshot().value).toBe('armed');
    k.run(30_000);
    expect(actor.getSnapshot().value).toBe('fired');
  });
});

describe('a parked process', () => {
  function* parker(until: number, changed: () => boolean, woke: (number | null)[]): Op<void> {
    woke.push(yield* park(until, changed));
  }

  it('wakes after the event that changed what it watches, at that time, without events of its own', () => {
    const k = new Kernel();
    let power = 'off';
    const woke: (number | null)[] = [];
    new ProcessRunner(k).spawn('poll', null, parker(60_000, () => power !== 'off', woke));
    k.at(10_000, () => undefined);
    k.at(25_000, () => (power = 'on'));
    k.run(100_000);
    expect(woke).toEqual([25_000]);
    expect(k.processed).toBe(3); // the spawn and the two events: no timer fired at 60 s
  });

  it('returns null at its time when nothing changed', () => {
    const k = new Kernel();
    const woke: (number | null)[] = [];
    new ProcessRunner(k).spawn('poll', null, parker(60_000, () => false, woke));
    k.run(100_000);
    expect(woke).toEqual([null]);
  });

  it('is forgotten when killed', () => {
    const k = new Kernel();
    let power = 'off';
    const woke: (number | null)[] = [];
    const runner = new ProcessRunner(k);
    const p = runner.spawn('poll', null, parker(60_000, () => power !== 'off', woke));
    k.at(5_000, () => runner.kill(p));
    k.at(25_000, () => (power = 'on'));
    k.run(100_000);
    expect(woke).toEqual([]);
  });
});

describe('rng', () => {
  it('same seed, same numbers; forks depend on name only, not on draw order', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    expect([a.float(), a.float()]).toEqual([b.float(), b.float()]);
    const forkAfterDraws = a.fork('nova').float();
    expect(new Rng(42).fork('nova').float()).toBe(forkAfterDraws);
    expect(new Rng(42).fork('guest').float()).not.toBe(forkAfterDraws);
  });

  it('fork seeds are those every recorded run was drawn from', () => {
    const r = new Rng(-12345);
    expect(['', 'nova', 'compute-01@301234', 'ids', 'x'.repeat(40)].map((n) => r.fork(n).seed))
      .toEqual([1642808137, -475006180, 720313106, 2029883702, -869584642]);
    expect(new Rng(42).fork('fencing').seed).toBe(580842408);
  });

  it("draws what pure-rand's xoroshiro128+ and uniformFloat64 draw from the same seed", () => {
    for (const seed of [0, 1, -1, 42, 0x7fffffff, -0x80000000, 580842408, 123456789]) {
      const ours = new Rng(seed);
      const theirs = xoroshiro128plus(seed);
      const theirFloats = xoroshiro128plus(seed);
      const ourFloats = new Rng(seed);
      for (let i = 0; i < 200; i++) {
        expect(ours.uint32()).toBe(theirs.next() >>> 0);
        expect(ourFloats.float()).toBe(uniformFloat64(theirFloats));
      }
    }
  });

  it('a scratch Rng that becomes a numbered fork draws what that fork draws', () => {
    const parent = new Rng(77);
    const scratch = new Rng(0);
    for (const at of [0, 301_234, 301_234, 1_800_000, 12.5]) {
      const fork = parent.forkNumbered('compute-07@', at);
      scratch.becomeNumberedFork(parent, 'compute-07@', at);
      expect(scratch.seed).toBe(fork.seed);
      expect([scratch.float(), scratch.draw({ kind: 'lognormal', median: 800, p99: 3000 })])
        .toEqual([fork.float(), fork.draw({ kind: 'lognormal', median: 800, p99: 3000 })]);
    }
  });

  it('a numbered fork is the fork of the name with the number written out, for any number', () => {
    const r = new Rng(-12345);
    for (const n of [0, 7, 10, 99, 100, 301_234, 1_800_000, 2 ** 31, Number.MAX_SAFE_INTEGER, 12.5, -3, 1e21, NaN]) {
      expect(r.forkNumbered('compute-01@', n).seed).toBe(r.fork(`compute-01@${n}`).seed);
    }
  });

  it('distributions land where they should', () => {
    const r = new Rng(7);
    const draws = Array.from({ length: 20000 }, () => r.draw({ kind: 'lognormal', median: 30_000, p99: 90_000 })).sort((x, y) => x - y);
    expect(draws[10000]! / 30_000).toBeCloseTo(1, 1);
    expect(draws[19800]! / 90_000).toBeCloseTo(1, 1);
    const u = Array.from({ length: 1000 }, () => r.draw({ kind: 'uniform', min: 1000, max: 4000 }));
    expect(Math.min(...u)).toBeGreaterThanOrEqual(1000);
    expect(Math.max(...u)).toBeLessThan(4000);
    expect(r.draw({ kind: 'normal', mean: -5, sd: 0 })).toBe(0);
  });
});

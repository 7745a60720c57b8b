import { describe, expect, it } from 'vitest';
import { IhasimError } from '../../../../harness/errors.js';
import { RealtimeDriver } from '../../../../harness/serve/realtime.js';
import { buildWorld } from '../../../../sim/build-world.js';
import { serveSpec } from '../../../support/serve-scenario.js';

/** A wall clock the test moves by hand. */
function fakeClock(startMs = 1_700_000_000_000) {
  let now = startMs;
  return { now: () => now, tick: (ms: number) => void (now += ms) };
}

function setup(speed = 10) {
  const world = buildWorld(serveSpec(), { seed: 1 });
  const clock = fakeClock();
  const driver = new RealtimeDriver({ world, speed, clock: clock.now, tickMs: 0 });
  return { world, clock, driver };
}

describe('RealtimeDriver', () => {
  it('maps wall time to sim time at the given speed, from the wall time of its start', () => {
    const { world, clock, driver } = setup(10);
    expect(driver.epochMs).toBe(1_700_000_000_000);
    expect(driver.advance()).toBe(0);
    clock.tick(1_500);
    expect(driver.target()).toBe(15_000);
    expect(driver.advance()).toBe(15_000);
    expect(world.kernel.now).toBe(15_000);
  });

  it('fires the events due up to the sim time, and no later ones', () => {
    const { world, clock, driver } = setup(1);
    const fired: number[] = [];
    world.kernel.at(400, () => fired.push(400));
    world.kernel.at(900, () => fired.push(900));
    clock.tick(500);
    driver.advance();
    expect(fired).toEqual([400]);
    clock.tick(500);
    driver.advance();
    expect(fired).toEqual([400, 900]);
  });

  it('freezes at the scenario duration and stays there', () => {
    const { world, clock, driver } = setup(1000);
    clock.tick(world.spec.durationMs); // 1000× past the end
    expect(driver.advance()).toBe(world.spec.durationMs);
    expect(driver.frozen).toBe('ended');
    clock.tick(60_000);
    expect(driver.advance()).toBe(world.spec.durationMs);
  });

  it('survives an event that throws: records it, drops the event, runs the rest', () => {
    const { world, clock, driver } = setup(1);
    const fired: number[] = [];
    world.kernel.at(100, () => {
      throw new Error('boom');
    });
    world.kernel.at(200, () => fired.push(200));
    clock.tick(300);
    expect(driver.advance()).toBe(300);
    expect(fired).toEqual([200]);
    expect(driver.errors).toEqual([expect.objectContaining({ atMs: 100, code: 'IHASIM_INTERNAL', message: 'boom' })]);
    expect(driver.errorTotal).toBe(1);
    expect(driver.frozen).toBeNull();
  });

  it('freezes on a runaway kernel (IHASIM_SIM_BOUND) instead of spinning', () => {
    const { world, clock, driver } = setup(1);
    world.kernel.at(50, () => {
      throw new IhasimError('IHASIM_SIM_BOUND', 'too many events');
    });
    clock.tick(100);
    driver.advance();
    expect(driver.frozen).toBe('error');
    expect(driver.errors[0]?.code).toBe('IHASIM_SIM_BOUND');
  });

  it('notifies listeners after each advance; a re-entrant advance returns at once', () => {
    const { clock, driver } = setup(2);
    const seen: number[] = [];
    const off = driver.onAdvance((now) => {
      seen.push(now);
      expect(driver.advance()).toBe(now);
    });
    clock.tick(100);
    driver.advance();
    off();
    clock.tick(100);
    driver.advance();
    expect(seen).toEqual([200]);
  });

  it('stop() freezes the world where it is', () => {
    const { clock, driver } = setup(1);
    clock.tick(100);
    driver.advance();
    driver.stop();
    clock.tick(100);
    expect(driver.advance()).toBe(100);
    expect(driver.frozen).toBe('stopped');
  });

  it('refuses a speed that is not a positive number', () => {
    const world = buildWorld(serveSpec(), { seed: 1 });
    expect(() => new RealtimeDriver({ world, speed: 0, tickMs: 0 })).toThrow(/speed/);
    expect(() => new RealtimeDriver({ world, speed: Number.NaN, tickMs: 0 })).toThrow(/speed/);
  });

  it('advances from its own timer when given a period', async () => {
    const world = buildWorld(serveSpec(), { seed: 1 });
    const clock = fakeClock();
    const driver = new RealtimeDriver({ world, speed: 1, clock: clock.now, tickMs: 5 });
    clock.tick(1_000);
    await new Promise((r) => setTimeout(r, 30));
    expect(world.kernel.now).toBe(1_000);
    driver.stop();
  });
});

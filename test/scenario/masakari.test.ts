import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../harness/scenario/index.js';
import { runScenario } from '../../harness/run/run-scenario.js';
import { resolveMasakari } from '../../sim/recovery/designs/masakari/config.js';
import { DEFAULT_CONFIG } from '../../sim/config.js';
import { cli } from '../support/cli-in-process.js';

/**
 * The Masakari design (sim/recovery/designs/masakari) on the simulated world, through `ihasim run`'s machinery.
 * Each test names the upstream function whose behaviour it checks.
 */
const dir = join(import.meta.dirname, '../../scenarios');
type Rec = { t: number; type: string; entity: string; [k: string]: unknown };
const S = 1000;

async function run(file: string, seed?: number) {
  const spec = await loadScenario(join(dir, file));
  const { report, world } = runScenario(spec, { trace: true, ...(seed === undefined ? {} : { seed }) });
  return { report, recs: world.trace.records as unknown as Rec[] };
}
const all = (recs: Rec[], type: string, pred: (r: Rec) => boolean = () => true) => recs.filter((r) => r.type === type && pred(r));
const first = (recs: Rec[], type: string, pred?: (r: Rec) => boolean) => all(recs, type, pred)[0];

/**
 * The bounds of each phase of `masakari-host-power-loss` (one host powered off at 2m, defaults), from the
 * defaults' arithmetic (README "Masakari: where the time goes"):
 * - report: Pacemaker declares the remote node lost within remote-monitor interval + timeout; the next host monitor
 *   cycle comes within monitoring_interval; `crm_mon` and one `ipmitool power status` (off at the first try) take
 *   under a second; the API sleeps up to notification_delay_max before the insert.
 * - disable: the services list and the disable, which blocks up to rpc_response_timeout while Nova still
 *   believes the service up.
 * - evacuate: DisableComputeServiceTask sleeps wait_period_after_service_update, then the server list.
 */
function bounds() {
  const m = resolveMasakari({});
  const pcmk = DEFAULT_CONFIG.pacemaker.remoteMonitorIntervalMs + DEFAULT_CONFIG.pacemaker.remoteMonitorTimeoutMs;
  return {
    reportMax: pcmk + m.monitor.intervalMs + 1 * S + m.api.notificationDelayMaxMs + m.api.checkToInsertMs,
    disableMax: 60 * S + 2 * S,
    sleepMin: m.engine.waitAfterServiceUpdateMs,
    sleepMax: m.engine.waitAfterServiceUpdateMs + 2 * S,
  };
}

describe('masakari-host-power-loss: auto recovery with the upstream defaults, phases where the defaults put them', () => {
  it('20 seeds: report ≤ Pacemaker detection + monitoring_interval + 5 s, disable ≤ 60 s, then 180 s, then every instance evacuated and back', async () => {
    const b = bounds();
    for (let seed = 1; seed <= 20; seed++) {
      const { report, recs } = await run('masakari-host-power-loss.yaml', seed);
      const why = `seed ${seed}: ${report.replay}`;
      expect(report.exitCode, why).toBe(0);
      const created = first(recs, 'masakari.notification.created')!;
      expect(created.t - 120 * S, why).toBeLessThanOrEqual(b.reportMax);
      const disabled = first(recs, 'nova.service.update', (r) => r.entity === 'compute-01' && r.status === 'disabled')!;
      expect(disabled.reason, why).toBe('Masakari detected host failed.');
      expect(disabled.forcedDown, why).toBe(false);
      expect(disabled.t - created.t, why).toBeLessThanOrEqual(b.disableMax);
      const evacuations = all(recs, 'nova.evacuate.accepted', (r) => r.from === 'compute-01');
      const firstEvacuation = Math.min(...evacuations.map((r) => r.t));
      expect(firstEvacuation - disabled.t, why).toBeGreaterThanOrEqual(b.sleepMin);
      expect(firstEvacuation - disabled.t, why).toBeLessThanOrEqual(b.sleepMax);
      expect(new Set(evacuations.map((r) => r.entity)).size, why).toBe(6);
      expect(report.instances.filter((i) => i.outcome === 'recovered').length, why).toBe(6);
    }
  });

  it('host_failure_recovery_threads (3): the 4th evacuation waits until one of the first three is confirmed', async () => {
    const { recs } = await run('masakari-host-power-loss.yaml');
    const accepted = all(recs, 'nova.evacuate.accepted').map((r) => r.t).sort((a, b) => a - b);
    const confirmed = all(recs, 'masakari.vmove.succeeded').map((r) => r.t).sort((a, b) => a - b);
    expect(accepted).toHaveLength(6);
    expect(accepted[3]!).toBeGreaterThanOrEqual(confirmed[0]!);
    expect(accepted[2]! - accepted[0]!).toBeLessThan(2 * S);
  });

  it('the failed host stays disabled and on maintenance: later monitors\' reports are refused 409', async () => {
    const { recs } = await run('masakari-host-power-loss.yaml');
    const posted = all(recs, 'masakari.monitor.posted').map((r) => r.status);
    expect(posted.filter((s) => s === 202).length).toBeGreaterThanOrEqual(1);
    expect(posted.filter((s) => s === 409).length).toBeGreaterThanOrEqual(1);
    expect(all(recs, 'nova.service.update', (r) => r.entity === 'compute-01' && r.status === 'enabled')).toEqual([]);
  });
});

describe('masakari-reserved-host (get_rh_flow)', () => {
  it('enables the reserved host and evacuates every instance onto it', async () => {
    const { report, recs } = await run('masakari-reserved-host.yaml');
    expect(report.exitCode).toBe(0);
    expect(first(recs, 'nova.service.update', (r) => r.entity === 'compute-06' && r.status === 'enabled')).toBeDefined();
    const to = all(recs, 'nova.evacuate.scheduled').map((r) => r.to);
    expect(to).toHaveLength(6);
    expect(new Set(to)).toEqual(new Set(['compute-06']));
  });
});

describe('masakari-reboot-fencing-unknown (LP#1858762: _handle_notification_type_host ignores UNKNOWN for good)', () => {
  it('every monitor reads the power back on after the reboot fence: UNKNOWN, ignored, nothing evacuated, recovery-bounded', async () => {
    const { report, recs } = await run('masakari-reboot-fencing-unknown.yaml');
    expect(report.exitCode).toBe(0);
    const stopped = all(recs, 'masakari.notification.created', (r) => r.event === 'STOPPED');
    expect(stopped.map((r) => r.hostStatus)).toEqual(['UNKNOWN']);
    expect(first(recs, 'masakari.notification.ignored')).toBeDefined();
    expect(all(recs, 'nova.evacuate.accepted')).toEqual([]);
    expect(report.violations.map((v) => v.invariant)).toContain('recovery-bounded');
  });
});

describe('masakari-duplicate-notifications (LP#1961110 / LP#2028450: ha/api.py without a coordination backend)', () => {
  it('two posts pass the duplicate check: two notifications on two engines, two flows, 12 evacuations, nothing runs twice', async () => {
    const { report, recs } = await run('masakari-duplicate-notifications.yaml');
    expect(report.exitCode).toBe(0);
    const created = all(recs, 'masakari.notification.created');
    expect(created).toHaveLength(2);
    const engines = new Set(all(recs, 'masakari.notification.running').slice(0, 2).map((r) => r.engine));
    expect(engines.size).toBe(2);
    expect(all(recs, 'nova.evacuate.accepted')).toHaveLength(12);
    expect(report.violations).toEqual([]);
  });

  it('with coordinationBackend: tooz the second post gets 409 duplicate: one notification', async () => {
    const spec = structuredClone(await loadScenario(join(dir, 'masakari-duplicate-notifications.yaml')));
    spec.recovery.options = { ...spec.recovery.options, coordinationBackend: 'tooz' };
    const { world } = runScenario(spec, { trace: true });
    const recs = world.trace.records as unknown as Rec[];
    expect(all(recs, 'masakari.notification.created')).toHaveLength(1);
  });
});

describe('masakari-reevacuate-rebuild (_evacuate_and_confirm resets a task_state in flight)', () => {
  it('the retried notification resets rebuilding instances to error and evacuates them again: on zed, a double run', async () => {
    const { report, recs } = await run('masakari-reevacuate-rebuild.yaml');
    expect(report.exitCode).toBe(0);
    expect(all(recs, 'masakari.notification.retry').length).toBeGreaterThanOrEqual(1);
    expect(all(recs, 'masakari.reset-state', (r) => r.taskState === 'rebuilding').length).toBeGreaterThanOrEqual(1);
    expect(report.violations.map((v) => v.invariant)).toContain('no-double-run');
  });
});

describe('bad Masakari config: exit 3 with the key path and the range', () => {
  const variant = async (extra: string) => {
    const { readFileSync, writeFileSync, mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const text = readFileSync(join(dir, 'masakari-host-power-loss.yaml'), 'utf8')
      .replace('recovery: { policy: masakari, instanceFilter: all }', `recovery: { policy: masakari, instanceFilter: all, ${extra} }`);
    const file = join(mkdtempSync(join(tmpdir(), 'masakari-')), 'bad.yaml');
    writeFileSync(file, text);
    return cli(['validate', file]);
  };

  it('an unknown knob', async () => {
    const r = await variant('monitoringIntervall: 30s');
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/recovery\.monitoringIntervall: unknown key `monitoringIntervall`/);
  });

  it('an integer out of bounds', async () => {
    const r = await variant('hostFailureRecoveryThreads: 0');
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/recovery\.hostFailureRecoveryThreads: too small \(expected a number ≥ 1, found 0\)/);
  });

  it('a duration out of bounds', async () => {
    const r = await variant('monitoringInterval: 0s');
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/monitoringInterval: expected a duration from 1s to 1h, found 0s/);
  });

  it('a reserved-host method without reserved hosts', async () => {
    const r = await variant('segments: [{ name: s, recoveryMethod: auto_priority }]');
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/recovery\.segments\[0\]\.reservedHosts: recoveryMethod auto_priority needs at least one reserved host, found none/);
  });
});

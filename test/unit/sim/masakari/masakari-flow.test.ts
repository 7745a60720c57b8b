import { describe, expect, it } from 'vitest';
import { masakariOn, NOVA_MS } from './fake-ports.js';

const COMPUTES = ['compute-1', 'compute-2', 'compute-3', 'compute-9'];
const S = 1000;

/** compute-1 dies at `at` with instances vm-1..n on it; the run goes on until `until`. */
function hostLoss(recovery: Record<string, unknown>, n = 4, at = 90 * S, until = 900 * S) {
  const env = masakariOn(COMPUTES, recovery);
  for (let i = 1; i <= n; i++) env.cloud.addInstance({ uuid: `vm-${i}`, host: 'compute-1' });
  env.design.start();
  env.cloud.kernel.at(at, () => env.cloud.hostDies('compute-1'));
  env.cloud.kernel.run(until);
  return env;
}

describe('Masakari auto recovery of a powered-off host (engine/drivers/taskflow/host_failure.py get_auto_flow)', () => {
  it('detects at the next monitor cycle, disables with the reason (never forces down), sleeps 180 s, evacuates all', () => {
    const { cloud, design } = hostLoss({ coordinationBackend: 'tooz' });
    const created = cloud.events('masakari.notification.created');
    expect(created).toHaveLength(1);
    // Monitors cycle every 60 s (+ the 200 ms view): the cycle after the loss at 90 s starts at 120.4 s.
    expect(created[0]!.at).toBeGreaterThan(120 * S);
    expect(created[0]!.at).toBeLessThan(122 * S);
    expect(created[0]!.fields['hostStatus']).toBe('NORMAL');
    const disable = cloud.novaCalls.find((c) => c.call === 'disable')!;
    expect(disable.args).toEqual(['compute-1', 'Masakari detected host failed.']);
    const evacuations = cloud.novaCalls.filter((c) => c.call === 'evacuate');
    expect(evacuations.map((c) => c.args[0]).sort()).toEqual(['vm-1', 'vm-2', 'vm-3', 'vm-4']);
    // DisableComputeServiceTask: wait_period_after_service_update (180 s) between the disable and any evacuation.
    expect(evacuations[0]!.at - disable.at).toBeGreaterThanOrEqual(180 * S);
    expect(evacuations[0]!.at - disable.at).toBeLessThan(181 * S);
    expect([...cloud.instances.values()].every((i) => i.host === 'compute-9' && !i.locked)).toBe(true);
    expect(design.db.notifications[0]!.status).toBe('finished');
    expect(design.db.hosts.get('compute-1')!.onMaintenance).toBe(true);
  });

  it('evacuates host_failure_recovery_threads (3) instances at a time: the 4th starts when one is confirmed', () => {
    const { cloud } = hostLoss({ coordinationBackend: 'tooz' });
    const at = cloud.novaCalls.filter((c) => c.call === 'evacuate').map((c) => c.at).sort((a, b) => a - b);
    expect(at[2]! - at[0]!).toBeLessThan(1 * S);
    // The fake's rebuild takes 30 s and confirmation polls every verify_interval (1 s).
    expect(at[3]! - at[0]!).toBeGreaterThanOrEqual(30 * S);
  });

  it('a disabled segment ignores the notification (MasakariManager.process_notification, FailoverSegmentDisabled)', () => {
    const { cloud, design } = hostLoss({ coordinationBackend: 'tooz', segments: [{ name: 's', enabled: false }] });
    expect(design.db.notifications.map((n) => n.status)).toEqual(['ignored']);
    expect(cloud.novaCalls.filter((c) => c.call === 'disable' || c.call === 'evacuate')).toEqual([]);
  });

  it('host_status UNKNOWN (the BMC still says on) is ignored for good: nothing is evacuated (LP#1858762)', () => {
    const env = masakariOn(COMPUTES, { coordinationBackend: 'tooz' });
    env.cloud.addInstance({ uuid: 'vm-1', host: 'compute-1' });
    env.design.start();
    env.cloud.kernel.at(90 * S, () => env.cloud.hostDies('compute-1', false));
    env.cloud.kernel.run(3 * 3600 * S);
    expect(env.design.db.notifications.map((n) => [n.payload.hostStatus, n.status])).toEqual([['UNKNOWN', 'ignored']]);
    expect(env.cloud.novaCalls.filter((c) => c.call === 'evacuate' || c.call === 'disable')).toEqual([]);
    // _is_poweroff: 1 + ipmi_retry_max (3) tries, ipmi_retry_interval (10 s) apart, by every monitor once.
    // Three monitors (compute-2, -3, -9) each ask 4 times.
    const first = env.cloud.bmcCalls.filter((c) => c.at < 200 * S);
    expect(first.length).toBe(3 * 4);
    expect(first.filter((c) => c.at < 125 * S).length).toBe(3);
    expect(env.cloud.bmcCalls.length).toBe(first.length);
  });

  it('disable_ipmi_check reports NORMAL without asking the BMC', () => {
    const { cloud, design } = hostLoss({ coordinationBackend: 'tooz', disableIpmiCheck: true });
    expect(cloud.bmcCalls).toEqual([]);
    expect(design.db.notifications[0]!.payload.hostStatus).toBe('NORMAL');
  });

  it('no quorum: the monitors skip their cycles and report nothing', () => {
    const env = masakariOn(COMPUTES, { coordinationBackend: 'tooz' });
    env.design.start();
    env.cloud.kernel.at(90 * S, () => { env.cloud.quorate = false; env.cloud.hostDies('compute-1'); });
    env.cloud.kernel.run(600 * S);
    expect(env.design.db.notifications).toEqual([]);
    expect(env.cloud.events('masakari.monitor.skip').length).toBeGreaterThan(0);
  });

  it('monitoring_samples: 2 needs two offline samples, one cycle later', () => {
    const one = hostLoss({ coordinationBackend: 'tooz' }).cloud.events('masakari.notification.created')[0]!.at;
    const two = hostLoss({ coordinationBackend: 'tooz', monitoringSamples: 2 }).cloud.events('masakari.notification.created')[0]!.at;
    expect(two - one).toBeGreaterThanOrEqual(60 * S);
    expect(two - one).toBeLessThan(61 * S);
  });
});

describe('host monitors on full cluster members (handle_host.py _check_hb_line, _check_host_status_by_crmadmin)', () => {
  it('monitorOnControllers: a controller cut from the cluster sleeps stonith_wait (30 s); one not in S_IDLE/S_NOT_DC skips its cycle', () => {
    const env = masakariOn(COMPUTES, { coordinationBackend: 'tooz', monitorOnControllers: true });
    env.cloud.controllers.push('controller-1');
    env.cloud.unreachable.add('controller-1');
    env.design.start();
    env.cloud.kernel.run(200 * S);
    const hb = env.cloud.events('masakari.monitor.hb-failed').filter((l) => l.entity === 'controller-1');
    expect(hb.length).toBeGreaterThan(0);
    expect(hb[0]!.fields['sleepMs']).toBe(30 * S);
    env.cloud.unreachable.delete('controller-1');
    env.cloud.dcState = 'S_TRANSITION_ENGINE';
    env.cloud.kernel.run(400 * S);
    expect(env.cloud.events('masakari.monitor.skip').some((l) => l.entity === 'controller-1' && String(l.fields['why']).includes('unstable'))).toBe(true);
  });

  it('a controller\'s monitor reports a compute failure like a compute\'s', () => {
    const env = masakariOn(['compute-1', 'compute-9'], { coordinationBackend: 'tooz', monitorOnControllers: true });
    env.cloud.controllers.push('controller-1');
    env.cloud.addInstance({ uuid: 'vm-1', host: 'compute-1' });
    env.design.start();
    env.cloud.kernel.at(90 * S, () => env.cloud.hostDies('compute-1'));
    env.cloud.kernel.run(900 * S);
    const reporters = new Set(env.cloud.events('masakari.monitor.report').map((l) => l.fields['from']));
    expect(reporters).toEqual(new Set(['compute-9', 'controller-1']));
    expect(env.design.db.notifications[0]!.status).toBe('finished');
  });
});

describe('Masakari API (ha/api.py NotificationAPI)', () => {
  it('other monitors\' later reports are refused 409 (duplicate, then host on maintenance)', () => {
    const { cloud } = hostLoss({ coordinationBackend: 'tooz' });
    const posted = cloud.events('masakari.monitor.posted').map((l) => l.fields['status']);
    expect(posted.filter((s) => s === 202)).toHaveLength(1);
    expect(posted.filter((s) => s === 409)).toHaveLength(2);
  });

  it('without a coordination backend two monitors posting at once both pass the duplicate check (LP#1961110): two notifications, two flows', () => {
    // Every random draw is 0: the monitors' cycles are aligned and nobody's notification_delay_max sleep separates them.
    const { cloud, design } = hostLoss({});
    expect(design.db.notifications.length).toBe(3);
    const running = cloud.events('masakari.notification.running');
    expect(new Set(running.map((r) => r.fields['engine'])).size).toBeGreaterThan(1);
    expect(cloud.novaCalls.filter((c) => c.call === 'disable')).toHaveLength(3);
  });

  it('one engine serializes a host\'s duplicates (utils.synchronized is in-process): the second flow runs after the first and finds nothing left', () => {
    const { cloud, design } = hostLoss({ engines: 1 });
    expect(design.db.notifications.length).toBe(3);
    const disables = cloud.novaCalls.filter((c) => c.call === 'disable').map((c) => c.at);
    expect(disables).toHaveLength(3);
    // Each later flow starts only once the one before has ended (disable, 180 s, evacuations confirmed).
    expect(disables[1]! - disables[0]!).toBeGreaterThan(180 * S);
    expect(cloud.novaCalls.filter((c) => c.call === 'evacuate')).toHaveLength(4);
    expect(design.db.notifications.map((n) => n.status)).toEqual(['finished', 'finished', 'finished']);
  });

  it('a random notification_delay_max sleep a few seconds apart lets the later post see the first: 409 duplicate', () => {
    const env = masakariOn(COMPUTES, {});
    env.cloud.addInstance({ uuid: 'vm-1', host: 'compute-1' });
    env.design.start();
    env.cloud.kernel.at(90 * S, () => {
      env.cloud.hostDies('compute-1');
      env.cloud.randomQueue.push(0, 2000, 4000);
    });
    env.cloud.kernel.run(900 * S);
    expect(env.design.db.notifications.length).toBe(1);
  });
});

describe('Masakari engine retries (engine/manager.py _process_unfinished_notifications)', () => {
  it('a failed evacuation makes the notification error; the periodic task runs it once more, then failed', () => {
    const env = masakariOn(COMPUTES, { coordinationBackend: 'tooz' });
    env.cloud.addInstance({ uuid: 'vm-1', host: 'compute-1' });
    env.cloud.evacuationErrors.add('vm-1');
    env.design.start();
    env.cloud.kernel.at(90 * S, () => env.cloud.hostDies('compute-1'));
    env.cloud.kernel.run(3600 * S);
    const n = env.design.db.notifications[0]!;
    expect(n.status).toBe('failed');
    expect(env.cloud.novaCalls.filter((c) => c.call === 'disable')).toHaveLength(2);
    expect(env.cloud.events('masakari.notification.retry')).toHaveLength(1);
  });

  it('an instance whose rebuild is in flight (task_state set) is reset to error and evacuated again', () => {
    const env = masakariOn(COMPUTES, { coordinationBackend: 'tooz' });
    env.cloud.addInstance({ uuid: 'vm-1', host: 'compute-1', taskState: 'rebuilding' });
    env.design.start();
    env.cloud.kernel.at(90 * S, () => env.cloud.hostDies('compute-1'));
    env.cloud.kernel.run(900 * S);
    const calls = env.cloud.novaCalls.filter((c) => ['resetState', 'evacuate'].includes(c.call)).map((c) => [c.call, c.args[0]]);
    expect(calls).toEqual([['resetState', 'vm-1'], ['evacuate', 'vm-1']]);
    // Confirmed against the re-read (error) state: the hypervisor changed and vm_state went error → active.
    expect(env.design.db.notifications[0]!.status).toBe('finished');
  });

  it('an instance that was in ERROR is evacuated, stopped and reset to error', () => {
    const env = masakariOn(COMPUTES, { coordinationBackend: 'tooz' });
    env.cloud.addInstance({ uuid: 'vm-1', host: 'compute-1', vmState: 'error' });
    env.design.start();
    env.cloud.kernel.at(90 * S, () => env.cloud.hostDies('compute-1'));
    env.cloud.kernel.run(900 * S);
    const calls = env.cloud.novaCalls.filter((c) => ['resetState', 'evacuate', 'stop'].includes(c.call)).map((c) => c.call);
    expect(calls).toEqual(['evacuate', 'stop', 'resetState']);
    expect(env.cloud.instances.get('vm-1')!.vmState).toBe('error');
  });

  it('the failed host stays on maintenance: its next failure is refused (409) and never recovered', () => {
    const env = masakariOn(COMPUTES, { coordinationBackend: 'tooz' });
    env.cloud.addInstance({ uuid: 'vm-1', host: 'compute-1' });
    env.design.start();
    env.cloud.kernel.at(90 * S, () => env.cloud.hostDies('compute-1'));
    env.cloud.kernel.at(1200 * S, () => { env.cloud.online.set('compute-1', true); env.cloud.power.set('compute-1', 'on'); });
    env.cloud.kernel.at(1800 * S, () => env.cloud.hostDies('compute-1'));
    env.cloud.kernel.run(3600 * S);
    expect(env.design.db.notifications).toHaveLength(1);
    const refusedLater = env.cloud.events('masakari.monitor.posted').filter((l) => l.at > 1200 * S);
    expect(refusedLater.length).toBeGreaterThan(0);
    expect(refusedLater.every((l) => l.fields['status'] === 409)).toBe(true);
  });
});

describe('Masakari reserved hosts (get_rh_flow)', () => {
  const segments = (method: string, reservedHosts: string[]) =>
    [{ name: 's', recoveryMethod: method, hosts: ['compute-1', 'compute-2', 'compute-3'], reservedHosts }];

  it('reserved_host: enables the reserved host, clears reserved, evacuates onto it', () => {
    const { cloud, design } = hostLoss({ coordinationBackend: 'tooz', segments: segments('reserved_host', ['compute-9']) }, 2);
    expect(cloud.novaCalls.filter((c) => c.call === 'enable').map((c) => c.args[0])).toEqual(['compute-9']);
    expect(cloud.novaCalls.filter((c) => c.call === 'evacuate').map((c) => c.args[1])).toEqual([{ host: 'compute-9' }, { host: 'compute-9' }]);
    expect(design.db.hosts.get('compute-9')!.reserved).toBe(false);
    expect(design.db.notifications[0]!.status).toBe('finished');
  });

  it('rh_priority without a usable reserved host falls back to auto (ReservedHostsUnavailable → auto flow)', () => {
    const env = masakariOn(COMPUTES, { coordinationBackend: 'tooz', segments: segments('rh_priority', ['compute-9']) });
    env.cloud.addInstance({ uuid: 'vm-1', host: 'compute-1' });
    env.design.db.hosts.get('compute-9')!.onMaintenance = true;
    env.design.start();
    env.cloud.kernel.at(90 * S, () => env.cloud.hostDies('compute-1'));
    env.cloud.kernel.run(900 * S);
    expect(env.cloud.novaCalls.filter((c) => c.call === 'evacuate').map((c) => c.args[1])).toEqual([{}]);
    expect(env.design.db.notifications[0]!.status).toBe('finished');
  });

  it('auto_priority: a failed auto flow goes on with the reserved-host flow (a second disable + 180 s); the vmove failed in the auto flow still fails the notification', () => {
    const env = masakariOn(COMPUTES, { coordinationBackend: 'tooz', segments: segments('auto_priority', ['compute-9']) });
    env.cloud.addInstance({ uuid: 'vm-1', host: 'compute-1' });
    env.cloud.evacuationErrors.add('vm-1');
    env.cloud.destination = 'compute-2';
    env.design.start();
    env.cloud.kernel.at(90 * S, () => env.cloud.hostDies('compute-1'));
    env.cloud.kernel.at(400 * S, () => env.cloud.evacuationErrors.delete('vm-1'));
    env.cloud.kernel.run(1800 * S);
    const disables = env.cloud.novaCalls.filter((c) => c.call === 'disable');
    const evac = env.cloud.novaCalls.filter((c) => c.call === 'evacuate');
    expect(evac.map((c) => c.args[1])).toEqual([{}, { host: 'compute-9' }]);
    expect(evac[1]!.at - disables[1]!.at).toBeGreaterThanOrEqual(180 * S + NOVA_MS);
    expect(env.cloud.instances.get('vm-1')!.host).toBe('compute-9');
    // VMoveList.get_all_vmoves(notification_uuid) still holds the auto flow's FAILED row: the rh flow raises, the
    // notification is `error`; its one retry finds nothing left on the host (SkipHostRecoveryException): finished.
    expect(env.cloud.events('masakari.notification.error')).toHaveLength(1);
    expect(disables).toHaveLength(3);
    expect(env.design.db.notifications[0]!.status).toBe('finished');
  });
});

describe('Masakari catalogued defects (sim/recovery/designs/masakari/defects.ts)', () => {
  it('masakari-evacuate-unknown: the engine before LP#1858762\'s fix recovers a host whose power-off was not confirmed', () => {
    const env = masakariOn(COMPUTES, { coordinationBackend: 'tooz' });
    env.cloud.defects.add('masakari-evacuate-unknown');
    env.cloud.addInstance({ uuid: 'vm-1', host: 'compute-1' });
    env.design.start();
    env.cloud.kernel.at(90 * S, () => env.cloud.hostDies('compute-1', false));
    env.cloud.kernel.run(900 * S);
    expect(env.design.db.notifications[0]!.payload.hostStatus).toBe('UNKNOWN');
    expect(env.cloud.novaCalls.filter((c) => c.call === 'evacuate')).toHaveLength(1);
  });
});

/**
 * End to end: `ihasim inject --execute` runs one campaign against `ihasim serve` (in-process) whose world recovers
 * by itself, and its report is compared with what the served world's truth says happened.
 *
 * The campaign (the same for both designs):
 * - a tenant-network cut on compute-05 (iptables over SSH) for 2 s: canary-3's heartbeats stop, nothing recovers;
 * - rack r1 (compute-01..04, canary-1 and -2) loses power through IPMI for 15 s: Pacemaker (instanceha) fences the
 *   rack through the world's BMCs and evacuates its evacuable guests to rack r2; no-fence evacuates them once Nova
 *   sees the hosts down (a powered-off host runs nothing, so that evacuation is safe);
 * - nova-compute is killed over SSH on compute-05 (rack r2, canary-3) for 10 s (200 s simulated, longer than Nova's
 *   60 s service_down_time). Pacemaker does not fence for that (its remote connection to compute-05 is fine), so
 *   instanceha leaves canary-3 where it runs. no-fence mistakes the dead service for a dead host and evacuates
 *   canary-3 while its guest keeps running on compute-05: two canary-3 domains execute at once until the
 *   restarted nova-compute destroys the evacuated guest (nova/compute/manager.py `_destroy_evacuated_instances`).
 *
 * Every wait is bounded by a count of polls; no verdict depends on how fast the machine is.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateReport } from '../../../../reports/index.js';
import { cli } from '../../../support/cli-in-process.js';
import { startInjectCloud, withEnv, type InjectCloud, type InjectCloudDesign } from '../../../support/inject-cloud.js';

const CAMPAIGN = `  - { at: 500ms, kind: network-cut, target: compute-05, network: tenant, duration: 2s }
  - { at: 1s, kind: host-power-loss, rack: r1, duration: 15s }
  - { at: 3s, kind: nova-compute-crash, target: compute-05, duration: 10s }`;
// Rack r1 (4 hosts) and compute-05 are down at once: 5 hosts, all of az1 (maxAzFraction 1).
const LIMITS = `limits: { maxHostsDown: 5, maxAzFraction: 1, apiRatePerSecond: 50, pollInterval: 300ms, wallClockLimit: 2m }
settle: 5s
expect: { recoveryBound: 1m }
`;
// instanceha's campaign also lists domains with `virsh` over SSH: the powered-off rack's last listings must not
// read as a double run. no-fence's leaves virsh out, so that its double run is judged from the canaries' boot ids
// alone (no-double-run reports one finding per instance, and virsh would see the new domain before its first beat).
const OBSERVERS: Record<InjectCloudDesign, string> = { instanceha: 'observers: { virsh: true }\n', 'no-fence': '', external: '' };

interface InstanceTruth { name: string; truth: { executingOn: string[] } }
interface Report {
  verdict: string; exitCode: number; failures: string[]; metrics: { instancesLost: number; recovery: { count: number } };
  violations: { invariant: string; message: string; entities: string[] }[];
  unknown?: { invariant: string; why: string }[];
  instances: { name: string; outcome: string; fromHost: string | null; toHost: string | null }[];
}

const clouds: InjectCloud[] = [];
afterAll(async () => {
  for (const c of clouds) await c.serve.close();
});

async function control<T>(cloud: InjectCloud, path: string): Promise<T> {
  return (await (await fetch(`${cloud.serve.endpoints.control}${path}`)).json()) as T;
}

/** Runs the campaign against a served world of `design`, watching the truth while it runs. */
async function runCampaign(design: InjectCloudDesign) {
  const cloud = await startInjectCloud({ design, canaryHosts: ['compute-03', 'compute-04', 'compute-05'] });
  clouds.push(cloud);
  const file = cloud.campaign(CAMPAIGN, LIMITS + OBSERVERS[design]);
  const out = (name: string) => join(cloud.dir, name);
  // The most hosts each canary truly executed on at one moment, and the hosts seen powered off.
  const seen = { maxExecuting: new Map<string, string[]>(), poweredOff: new Set<string>(), tenantCut: false, done: false };
  const watching = (async () => {
    for (let i = 0; i < 1500 && !seen.done; i++) {
      const { instances } = await control<{ instances: InstanceTruth[] }>(cloud, '/instances');
      for (const inst of instances.filter((x) => x.name.startsWith('canary-'))) {
        if (inst.truth.executingOn.length > (seen.maxExecuting.get(inst.name)?.length ?? 0)) seen.maxExecuting.set(inst.name, inst.truth.executingOn);
      }
      for (const h of (await cloud.truth()).hosts) {
        if (h.power === 'off') seen.poweredOff.add(h.name);
        if (h.name === 'compute-05' && h.nicsDown.includes('tenant')) seen.tenantCut = true;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  const r = await withEnv(cloud.env, () => cli(['inject', file, '--execute', '--journal', out('run.jsonl'), '--history', out('history.jsonl'),
    '--report', out('report.json'), '--junit', out('junit.xml'), '--markdown', out('report.md'), '--html', out('report.html')]));
  seen.done = true;
  await watching;
  const report = JSON.parse(readFileSync(out('report.json'), 'utf8')) as Report;
  const history = readFileSync(out('history.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  // An invariant judged with no violation and not unknown passed (the report lists only what failed or was unknown).
  const check = (name: string) => {
    const messages = report.violations.filter((v) => v.invariant === name).map((v) => v.message);
    const unknown = (report.unknown ?? []).some((u) => u.invariant === name);
    return { status: messages.length ? 'fail' : unknown ? 'unknown' : 'pass', messages };
  };
  // What the served world itself judged from its truth (the simulator's checkers), for comparison.
  const served = await control<{ violations: { invariant: string; entities: string[] }[] }>(cloud, '/report');
  return { cloud, r, report, history, check, seen, out, served };
}

interface Heartbeat { kind: string; instance: string; bootId: string; host?: string }
/** The boot ids each host of a canary beat from, in the order first heard. */
function bootsOf(history: Record<string, unknown>[], instance: string): string[] {
  const beats = history.filter((o) => o['kind'] === 'heartbeat' && o['instance'] === instance) as unknown as Heartbeat[];
  return [...new Set(beats.map((b) => `${b.host}/${b.bootId}`))];
}

/** `ihasim judge` of the history with a 1 ms recovery bound: what recovery-bounded was judged from. */
async function judgedWithTinyBound(out: (name: string) => string): Promise<string> {
  const lines = readFileSync(out('history.jsonl'), 'utf8').trim().split('\n');
  lines[0] = JSON.stringify({ ...(JSON.parse(lines[0]!) as object), recoveryBoundMs: 1 });
  writeFileSync(out('history-1ms.jsonl'), `${lines.join('\n')}\n`);
  const r = await cli(['judge', out('history-1ms.jsonl')]);
  return r.out;
}

/** After the campaign: every host powered on, no tenant cut left, nova-compute running everywhere (polls bounded). */
async function expectAllUndone(cloud: InjectCloud) {
  let hosts: { name: string; power: string; nicsDown: string[]; services: { novaCompute: string } }[] = [];
  for (let i = 0; i < 100; i++) {
    hosts = (await cloud.truth()).hosts;
    if (hosts.every((h) => h.power === 'on' && h.services.novaCompute === 'running')) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(hosts.map((h) => [h.name, h.power, h.nicsDown, h.services.novaCompute]))
    .toEqual(hosts.map((h) => [h.name, 'on', [], 'running']));
}

describe('ihasim inject end to end: a rack power loss, a nova-compute kill and a tenant cut against a served cloud that recovers', () => {
  it('instanceha: the canaries of the lost rack are fenced, evacuated and heard again; the report and `ihasim judge` say PASS', { timeout: 120_000 }, async () => {
    const { cloud, r, report, history, check, seen, out, served } = await runCampaign('instanceha');
    expect([...seen.poweredOff].sort()).toEqual(expect.arrayContaining(['compute-01', 'compute-02', 'compute-03', 'compute-04']));
    expect(seen.tenantCut).toBe(true);
    // The truth: no canary ever executed twice, and the rack's canaries now run in rack r2.
    expect(seen.maxExecuting.size).toBe(3);
    expect([...seen.maxExecuting.values()].every((hosts) => hosts.length === 1)).toBe(true);
    const { instances } = await control<{ instances: InstanceTruth[] }>(cloud, '/instances');
    const where = Object.fromEntries(instances.filter((i) => i.name.startsWith('canary-')).map((i) => [i.name, i.truth.executingOn]));
    expect(where['canary-1']?.[0]).toMatch(/compute-0[56]/);
    expect(where['canary-2']?.[0]).toMatch(/compute-0[56]/);
    expect(where['canary-3']).toEqual(['compute-05']);

    expect(validateReport(report)).toEqual([]);
    // The served world's own judgement (its truth) finds nothing unsafe either: the live verdict agrees.
    expect(served.violations).toEqual([]);
    expect(check('recovery-bounded').status).toBe('pass');
    expect(check('no-double-run').status).toBe('pass');
    // Judged on the BMC's power-off readings of the rack: inject cannot see Pacemaker's fence history.
    expect(check('fence-before-evacuate').status).toBe('pass');
    expect(report.failures).toEqual([]);
    expect(report.verdict).toBe('pass');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/verdict: PASS \(exit 0\)/);
    // The canaries of the lost rack were heard again from a new boot in rack r2: recovery judged from heartbeats.
    for (const canary of ['canary-1', 'canary-2']) {
      const boots = bootsOf(history, canary);
      expect(boots.length).toBeGreaterThanOrEqual(2);
      expect(boots[0]).toMatch(/^compute-0[34]\//);
      expect(boots.at(-1)).toMatch(/^compute-0[56]\//);
    }
    expect(bootsOf(history, 'canary-3')).toHaveLength(1);
    // The report's instances say the same, from the heartbeats: canary-3 only lost its tenant network (same boot).
    const outcome = (name: string) => report.instances.find((i) => i.name === name);
    expect(outcome('canary-1')).toMatchObject({ outcome: 'recovered', fromHost: 'compute-03', toHost: where['canary-1']![0] });
    expect(outcome('canary-2')).toMatchObject({ outcome: 'recovered', fromHost: 'compute-04', toHost: where['canary-2']![0] });
    expect(outcome('canary-3')).toMatchObject({ outcome: 'self-healed', fromHost: 'compute-05', toHost: 'compute-05' });
    expect(report.metrics).toMatchObject({ instancesLost: 0, recovery: { count: 2 } });
    expect(await judgedWithTinyBound(out)).toMatch(/recovery-bounded.*canary-1 recovered after .*\(judged from canary heartbeats\)/);
    const evacuated = history.filter((o) => o['kind'] === 'evacuation').map((o) => o['instance']);
    expect(evacuated).toEqual(expect.arrayContaining(['canary-1', 'canary-2']));
    for (const f of ['junit.xml', 'report.md', 'report.html']) expect(readFileSync(out(f), 'utf8').length).toBeGreaterThan(100);
    const judged = await cli(['judge', out('history.jsonl')]);
    expect(judged.code).toBe(r.code);
    await expectAllUndone(cloud);
  });

  it('no-fence: the canary whose nova-compute was killed runs twice; the report says no-double-run FAIL from the canaries, exit 1', { timeout: 120_000 }, async () => {
    const { cloud, r, report, history, check, seen, out, served } = await runCampaign('no-fence');
    // The truth: canary-3 executed on compute-05 and on its evacuation target at once.
    expect(seen.maxExecuting.get('canary-3')).toEqual(expect.arrayContaining(['compute-05']));
    expect(seen.maxExecuting.get('canary-3')).toHaveLength(2);

    expect(validateReport(report)).toEqual([]);
    const doubleRun = check('no-double-run');
    expect(doubleRun.status).toBe('fail');
    expect(doubleRun.messages).toEqual([expect.stringMatching(/^canary-3 ran two boots at once: \S+ on compute-05 heard at t=.*, \S+ on compute-06 at t=/)]);
    // The live verdicts name the same unsafe acts as the served world's truth (of what a live history can judge:
    // no-split-writes needs to know who writes a disk, which only the truth does).
    const acts = (vs: { invariant: string; entities: string[] }[]) => [...new Set(vs.filter((v) => v.invariant !== 'no-split-writes').map((v) => `${v.invariant}: ${[v.entities[0], ...v.entities.slice(1).sort()].join(',')}`))].sort();
    expect(acts(report.violations)).toEqual(['fence-before-evacuate: canary-3,compute-05', 'no-double-run: canary-3,compute-05,compute-06']);
    expect(acts(served.violations)).toEqual(acts(report.violations));
    // The heartbeats behind it: canary-3 beat from compute-05 and, with another boot id, from compute-06.
    expect(bootsOf(history, 'canary-3').map((b) => b.split('/')[0])).toEqual(['compute-05', 'compute-06']);
    expect(report.verdict).toBe('fail');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/verdict: FAIL \(exit 1\)/);
    expect(readFileSync(out('junit.xml'), 'utf8')).toMatch(/<failure message="1 violation of no-double-run; first at [^"]*: canary-3 ran two boots at once[^"]*" type="no-double-run">/);
    expect(readFileSync(out('report.md'), 'utf8')).toContain('no-double-run: canary-3 ran two boots at once');
    const judged = await cli(['judge', out('history.jsonl')]);
    expect(judged.code).toBe(1);
    await expectAllUndone(cloud);
  });
});

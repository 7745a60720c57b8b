/**
 * Abort conditions of an executed campaign against `ihasim serve`, and the channels the other tests do not take:
 * Redfish power, and a guest panic through Nova's `trigger_crash_dump`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { injectCommand } from '../../../../harness/inject/inject-command.js';
import { cli } from '../../../support/cli-in-process.js';
import { startInjectCloud, withEnv, type InjectCloud } from '../../../support/inject-cloud.js';

let cloud: InjectCloud;

beforeAll(async () => {
  cloud = await startInjectCloud();
});

afterAll(async () => {
  await cloud?.serve.close();
});

const inject = (args: string[]) => withEnv(cloud.env, () => cli(['inject', ...args]));

async function host(name: string) {
  return (await cloud.truth()).hosts.find((h) => h.name === name)!;
}

async function control(path: string, body: unknown) {
  const r = await fetch(`${cloud.serve.endpoints.control}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(r.status).toBeLessThan(300);
}

/**
 * Waits (bounded by count) until Nova has seen a host go down and come back up: a host powered off for a moment
 * shows down in Nova only after service_down_time, which would otherwise land in the next test's campaign.
 */
async function novaSettled(name: string): Promise<void> {
  let sawDown = false;
  for (let i = 0; i < 400; i++) {
    const state = ((await host(name)) as unknown as { nova: { state: string } }).nova.state;
    if (state === 'down') sawDown = true;
    else if (sawDown) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

const journalTypes = (file: string) => readFileSync(file, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { type: string }).type);

describe('ihasim inject: abort conditions', () => {
  it('a canary silent beyond limits.canaryOutageBound aborts the campaign and undoes its faults', { timeout: 60_000 }, async () => {
    const journal = join(cloud.dir, 'canary.jsonl');
    const file = cloud.campaign(`  - { at: 200ms, kind: host-power-loss, target: compute-03, duration: 5m }`,
      'limits: { maxHostsDown: 2, maxAzFraction: 0.5, apiRatePerSecond: 50, pollInterval: 200ms, wallClockLimit: 2m, canaryOutageBound: 1500ms }\n');
    const r = await inject([file, '--execute', '--journal', journal]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/abort: canary canary-1 has been silent for \d+ s, beyond limits\.canaryOutageBound; undoing 1 active fault/);
    expect(r.out).toMatch(/verdict: FAIL \(exit 1\)\n {2}- aborted: canary canary-1/);
    expect(journalTypes(journal)).toEqual(['start', 'inject', 'injected', 'abort', 'undo', 'undone', 'end']);
    expect((await host('compute-03')).power).toBe('on');
    await novaSettled('compute-03');
  });

  it('a host outside the targets going down aborts the campaign and undoes its faults', { timeout: 60_000 }, async () => {
    const journal = join(cloud.dir, 'outside.jsonl');
    const file = cloud.campaign(`  - { at: 200ms, kind: nova-compute-stop, target: compute-01, duration: 5m }`,
      'limits: { maxHostsDown: 2, maxAzFraction: 0.5, apiRatePerSecond: 50, pollInterval: 200ms, wallClockLimit: 2m }\n');
    const running = inject([file, '--execute', '--journal', journal]);
    for (let i = 0; i < 300 && (await host('compute-01')).services.novaCompute !== 'stopped'; i++) await new Promise((res) => setTimeout(res, 50));
    await control('/faults', { kind: 'nova-compute-crash', target: 'compute-05' });
    const r = await running;
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/abort: compute-05, which no fault targets, went down \(Nova compute service down\)/);
    expect((await host('compute-01')).services.novaCompute).toBe('running');
    await control('/faults', { kind: 'nova-compute-start', target: 'compute-05' });
  });
});

describe('ihasim inject: an undo that does not read back', () => {
  it('aborts: nothing more is injected, the undo is retried, exit 1; the journal keeps the fault active for --restore', { timeout: 60_000 }, async () => {
    const journal = join(cloud.dir, 'unconfirmed.jsonl');
    const file = cloud.campaign(`  - { at: 200ms, kind: nova-compute-stop, target: compute-01, duration: 300ms }
  - { at: 3s, kind: host-power-loss, target: compute-02, duration: 1s }`);
    // A read-back command outside the served vocabulary exits 127: the undo runs but is never confirmed.
    writeFileSync(file, readFileSync(file, 'utf8').replace(/(  compute-01:\n(?:    .*\n)*?    ssh: .*\n)/,
      '$1    commands: { nova-compute-stop: { do: "systemctl stop nova-compute", undo: "systemctl start nova-compute", verify: "systemctl is-enabled nova-compute" } }\n'));
    const out: string[] = [];
    const code = await withEnv(cloud.env, () => injectCommand(file, { execute: true, journal }, (line) => out.push(line), { executor: { readBackAttempts: 2, readBackPauseMs: 50 } }));
    expect(code).toBe(1);
    expect(out.join('\n')).toMatch(/abort: the undo of f0-compute-01 was not confirmed; undoing 1 active fault/);
    const records = readFileSync(journal, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; id?: string });
    expect(records.some((r) => r.id === 'f1-compute-02')).toBe(false);
    expect(records.filter((r) => r.type === 'undone').map((r) => r.id)).toEqual(['f0-compute-01', 'f0-compute-01']);
    expect((await host('compute-01')).services.novaCompute).toBe('running');
  });
});

describe('ihasim inject: the wall-clock limit', () => {
  it('aborts at limits.wallClockLimit and undoes the faults still active', { timeout: 60_000 }, async () => {
    const file = cloud.campaign(`  - { at: 200ms, kind: nova-compute-stop, target: compute-02, duration: 5m }`,
      'limits: { maxHostsDown: 2, maxAzFraction: 0.5, apiRatePerSecond: 50, pollInterval: 200ms, wallClockLimit: 1500ms }\n');
    const r = await inject([file, '--execute', '--journal', join(cloud.dir, 'wall.jsonl')]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/abort: the wall-clock limit \(limits\.wallClockLimit\) was reached; undoing 1 active fault/);
    expect((await host('compute-02')).services.novaCompute).toBe('running');
  });
});

describe('ihasim inject: Redfish power and guest panic through Nova', () => {
  it('powers a host off and on through Redfish (ComputerSystem.Reset), read back from PowerState', { timeout: 60_000 }, async () => {
    // The earlier campaigns left guests down on this shared cloud (recovery is external): judge only the safety here.
    const file = cloud.campaign(`  - { at: 200ms, kind: host-power-loss, target: compute-02, duration: 2s }`, 'settle: 200ms\nexpect: { invariants: [no-double-run, fence-before-evacuate, opt-in-respected] }\n');
    const { port } = new URL(cloud.serve.endpoints.redfish.url);
    const text = readFileSync(file, 'utf8').replace(/(compute-02:[\s\S]*?bmc: )\{[^}]*\}/, `$1{ kind: redfish, address: 127.0.0.1, port: ${port}, username: admin, passwordEnv: IHASIM_TEST_BMC_PASSWORD, systemPath: /redfish/v1/Systems/compute-02, insecure: true }`);
    writeFileSync(file, text);
    const dry = await inject([file]);
    expect(dry.out).toMatch(/ok {4}bmc compute-02 \(redfish 127\.0\.0\.1:\d+\): power on/);
    const r = await inject([file, '--execute', '--journal', join(cloud.dir, 'redfish.jsonl')]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/undo f0-compute-02 \(scheduled\): BMC power on compute-02\n {2}confirmed: power on \(read back\)/);
    expect((await host('compute-02')).power).toBe('on');
    await novaSettled('compute-02');
  });

  it('panics a guest with Nova trigger_crash_dump (microversion 2.17); a one-shot fault has no undo', { timeout: 60_000 }, async () => {
    const journal = join(cloud.dir, 'panic.jsonl');
    const file = cloud.campaign(`  - { at: 200ms, kind: guest-panic, server: web-04 }`, 'settle: 200ms\n');
    const r = await inject([file, '--execute', '--journal', journal]);
    expect(r.out).toMatch(/inject f0-web-04: Nova trigger_crash_dump on server web-04/);
    expect(journalTypes(journal)).toEqual(['start', 'inject', 'injected', 'end']);
    expect(readFileSync(journal, 'utf8')).toMatch(/"type":"injected","at":"[^"]+","id":"f0-web-04","ok":true/);
    const instances = (await (await fetch(`${cloud.serve.endpoints.control}/instances`)).json()) as { instances: { name: string; truth: { domains: { state: string }[] } }[] };
    expect(instances.instances.find((i) => i.name === 'web-04')!.truth.domains.map((d) => d.state)).toContain('panicked');
  });
});

// Last: a panicked host leaves its guests down (recovery is external), which later campaigns would judge.
describe('ihasim inject: host faults over SSH', () => {
  it('cuts a network with iptables (chain IHASIM) and a kernel panic with sysrq; undoes both and reads them back', { timeout: 60_000 }, async () => {
    const journal = join(cloud.dir, 'ssh.jsonl');
    const file = cloud.campaign(`  - { at: 200ms, kind: network-cut, target: compute-05, network: storage, duration: 1500ms }
  - { at: 300ms, kind: host-kernel-panic, target: compute-04, duration: 1500ms }`, 'settle: 200ms\n');
    const seen = { cut: false, panicked: false };
    const running = inject([file, '--execute', '--journal', journal]);
    for (let i = 0; i < 100 && !(seen.cut && seen.panicked); i++) {
      const truth = (await cloud.truth()) as unknown as { hosts: { name: string; state: string; nicsDown: string[] }[] };
      if (truth.hosts.find((h) => h.name === 'compute-05')!.nicsDown.includes('storage')) seen.cut = true;
      if (truth.hosts.find((h) => h.name === 'compute-04')!.state !== 'running') seen.panicked = true;
      await new Promise((res) => setTimeout(res, 50));
    }
    const r = await running;
    expect(seen).toEqual({ cut: true, panicked: true });
    expect(r.out).toMatch(/undo f0-compute-05 \(scheduled\): ssh compute-05: iptables -F IHASIM \(read back: iptables -S IHASIM\)\n {2}confirmed/);
    expect(r.out).toMatch(/undo f1-compute-04 \(scheduled\): compute-04: wait for SSH, else BMC power on\/reset \(read back: power on\)\n {2}confirmed/);
    const truth = (await cloud.truth()) as unknown as { hosts: { name: string; power: string; nicsDown: string[] }[] };
    expect(truth.hosts.find((h) => h.name === 'compute-05')!.nicsDown).toEqual([]);
    expect(truth.hosts.find((h) => h.name === 'compute-04')!.power).toBe('on');
  });
});

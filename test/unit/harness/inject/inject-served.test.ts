/**
 * `ihasim inject` against `ihasim serve` (in-process): the served Keystone/Nova, an IPMI BMC and an SSH server per
 * compute stand in for a staging cloud, and the control API's truth shows what really happened to it.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateReport } from '../../../../reports/index.js';
import { cli } from '../../../support/cli-in-process.js';
import { BMC_SECRET, startInjectCloud, withEnv, type InjectCloud } from '../../../support/inject-cloud.js';

let cloud: InjectCloud;

beforeAll(async () => {
  cloud = await startInjectCloud();
});

afterAll(async () => {
  await cloud?.serve.close();
});

/** What a fault could change on a host, for before/after comparisons. */
async function hostStates() {
  return (await cloud.truth()).hosts.map((h) => ({ name: h.name, power: h.power, services: h.services, nicsDown: (h as { nicsDown?: string[] }).nicsDown }));
}

const inject = (args: string[]) => withEnv(cloud.env, () => cli(['inject', ...args]));

describe('ihasim inject against ihasim serve', () => {
  it('dry run (the default): checks every channel read-only, prints each action with its undo, changes nothing', async () => {
    const file = cloud.campaign(`  - { at: 10s, kind: host-power-loss, target: compute-01, duration: 1m }
  - { at: 20s, kind: nova-compute-crash, target: compute-02, duration: 5s }
  - { at: 30s, kind: network-cut, target: compute-03, network: tenant, duration: 1m }`);
    const before = await hostStates();
    const r = await inject([file]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/ok {4}keystone: authenticated; Nova lists 6 nova-compute service\(s\)/);
    expect(r.out).toMatch(/ok {4}bmc compute-01 \(ipmi 127\.0\.0\.1:\d+\): power on/);
    expect(r.out).toMatch(/ok {4}canaries \(canary-\*\): 2 server\(s\): canary-1, canary-2/);
    expect(r.out).toMatch(/ok {4}ssh compute-02 \(root@127\.0\.0\.1:\d+\): session open \(hostname compute-02\)/);
    expect(r.out).toContain('+10s    host-power-loss on compute-01   [f0-compute-01]\n        do:   BMC power off compute-01\n        undo: at +1m10s: BMC power on compute-01');
    expect(r.out).toContain('do:   ssh compute-03: iptables -N IHASIM ; iptables -I INPUT -j IHASIM ; iptables -A IHASIM -i eth2 -j DROP');
    expect(r.out).toContain('undo: at +1m30s: ssh compute-03: iptables -F IHASIM (read back: iptables -S IHASIM)');
    expect(r.out).toMatch(/dry run: nothing was changed/);
    expect(await hostStates()).toEqual(before);
    expect(readdirSync(cloud.dir).filter((f) => f.endsWith('.jsonl'))).toEqual([]);
  });

  it('takes the cloud from the OS_* variables with `cloud: { env: true }`', async () => {
    const file = cloud.campaign(`  - { at: 10s, kind: host-power-loss, target: compute-01, duration: 1m }`);
    writeFileSync(file, readFileSync(file, 'utf8').replace('cloud: { name: ihasim }', 'cloud: { env: true }'));
    const r = await withEnv({ ...cloud.env, OS_CLIENT_CONFIG_FILE: '/nonexistent', ...cloud.serve.endpoints.env }, () => cli(['inject', file]));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/ok {4}keystone: authenticated/);
  });

  it('checks the SSH host key against ssh.hostKey when it is set', async () => {
    const file = cloud.campaign(`  - { at: 10s, kind: nova-compute-crash, target: compute-02, duration: 1m }`);
    const good = cloud.serve.endpoints.ssh!.hostKeyFingerprint;
    const withKey = (fp: string) => writeFileSync(file, readFileSync(file, 'utf8').replace(/(  compute-02:[\s\S]*?ssh: \{[^}]*?)( \})/, `$1, hostKey: "${fp}"$2`));
    withKey(good);
    expect((await inject([file])).code).toBe(0);
    writeFileSync(file, readFileSync(file, 'utf8').replace(good, `SHA256:${'A'.repeat(43)}`));
    const bad = await inject([file]);
    expect(bad.code).toBe(3);
    expect(bad.err).toMatch(/ssh compute-02 .*: ssh root@127\.0\.0\.1:\d+: .*(verification|Handshake)/i);
  });

  it('a failing read-only check stops the dry run with exit 3 and the reason, without the secret', async () => {
    const file = cloud.campaign(`  - { at: 10s, kind: host-power-loss, target: compute-01, duration: 1m }`);
    const r = await withEnv({ ...cloud.env, IHASIM_TEST_BMC_PASSWORD: 'wrong-password-123' }, () => cli(['inject', file]));
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/IHASIM_INJECT_PREFLIGHT.*nothing was changed/);
    expect(r.err).toMatch(/bmc compute-01 .*wrong password/);
    expect(r.err + r.out).not.toContain('wrong-password-123');
  });

  it('executes a power loss through IPMI and a nova-compute kill over SSH, undoes both, reads them back; --restore twice is harmless; no secret anywhere', { timeout: 90_000 }, async () => {
    const file = cloud.campaign(`  - { at: 500ms, kind: host-power-loss, target: compute-01, duration: 3s }
  - { at: 1s, kind: nova-compute-crash, target: compute-02, duration: 3s }`, 'observers: { virsh: true }\nexpect: { recoveryBound: 1m }\n');
    const out = (name: string) => join(cloud.dir, name);
    const seen = { off: false, novaStopped: false };
    const watching = (async () => {
      for (let i = 0; i < 400 && !(seen.off && seen.novaStopped); i++) {
        const hosts = await hostStates();
        if (hosts.find((h) => h.name === 'compute-01')!.power === 'off') seen.off = true;
        if (hosts.find((h) => h.name === 'compute-02')!.services.novaCompute === 'stopped') seen.novaStopped = true;
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const r = await inject([file, '--execute', '--journal', out('run.jsonl'), '--history', out('history.jsonl'),
      '--report', out('report.json'), '--junit', out('junit.xml'), '--markdown', out('report.md'), '--html', out('report.html')]);
    await watching;
    expect(seen).toEqual({ off: true, novaStopped: true });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/verdict: PASS \(exit 0\)/);
    expect(r.out).toMatch(/undo f0-compute-01 \(scheduled\): BMC power on compute-01\n {2}confirmed: power on \(read back\)/);
    expect(r.out).toMatch(/confirmed: read back: systemctl is-active nova-compute/);
    const after = await hostStates();
    expect(after.find((h) => h.name === 'compute-01')!.power).toBe('on');
    expect(after.find((h) => h.name === 'compute-02')!.services.novaCompute).toBe('running');

    const journal = readFileSync(out('run.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; id?: string; verified?: boolean });
    expect(journal.map((j) => `${j.type}${j.id ? ` ${j.id}` : ''}`)).toEqual([
      'start', 'inject f0-compute-01', 'injected f0-compute-01', 'inject f1-compute-02', 'injected f1-compute-02',
      'undo f0-compute-01', 'undone f0-compute-01', 'undo f1-compute-02', 'undone f1-compute-02', 'end',
    ]);
    expect(journal.filter((j) => j.type === 'undone').every((j) => j.verified)).toBe(true);
    const report = JSON.parse(readFileSync(out('report.json'), 'utf8')) as { kind: string; verdict: string; events: { type: string; entity: string }[] };
    expect(report).toMatchObject({ kind: 'run', scenario: 'served-staging', verdict: 'pass' });
    expect(validateReport(report)).toEqual([]);
    expect(report.events.filter((e) => e.type === 'power').map((e) => e.entity)).toContain('compute-01');
    const history = readFileSync(out('history.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { kind: string; source: string; state?: string; host?: string });
    expect(history[0]).toMatchObject({ kind: 'header', mode: 'inject', scenario: 'served-staging' });
    expect(history.some((o) => o.kind === 'power' && o.host === 'compute-01' && o.state === 'off')).toBe(true);
    // The canaries on compute-03 and -04 heartbeat to the campaign's collector; virsh over SSH sees their domains.
    expect(history.some((o) => o.kind === 'heartbeat' && (o as { instance?: string }).instance === 'canary-1')).toBe(true);
    expect(history.some((o) => o.kind === 'domain' && o.source === 'virsh' && o.host === 'compute-03')).toBe(true);
    expect(history[0]).toMatchObject({ judged: ['no-double-run', 'fence-before-evacuate', 'opt-in-respected', 'recovery-bounded', 'convergence', 'servers-placed'], instances: [{ name: 'canary-1', eligible: true }, { name: 'canary-2', eligible: true }] });
    // `ihasim judge` of the history gives the same verdict as the campaign.
    const judged = await cli(['judge', out('history.jsonl')]);
    expect(judged.code).toBe(0);
    expect(history.at(-1)).toMatchObject({ kind: 'end', settled: true });

    for (let i = 0; i < 2; i++) {
      const restore = await inject(['--restore', out('run.jsonl')]);
      expect(restore).toMatchObject({ code: 0, out: expect.stringMatching(/nothing is active/) });
    }
    expect(readFileSync(out('run.jsonl'), 'utf8').match(/"type":"restore"/g)).toHaveLength(2);

    const written = ['run.jsonl', 'history.jsonl', 'report.json', 'junit.xml', 'report.md', 'report.html'].map((f) => readFileSync(out(f), 'utf8'));
    for (const text of [...written, r.out, r.err]) expect(text).not.toContain(BMC_SECRET);
    expect(existsSync(out('report.html'))).toBe(true);
  });
});

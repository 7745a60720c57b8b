import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCampaign } from '../../../../harness/inject/campaign-load.js';
import { planActions } from '../../../../harness/inject/plan.js';
import { cli } from '../../../support/cli-in-process.js';

/**
 * A campaign whose BMC and SSH addresses are closed ports: a campaign refused at validation must fail with exit 3
 * and its own words, and never get as far as touching them (no journal, nothing in the directory).
 */
const INVENTORY = `inventory:
  compute-01: { allowed: true, rack: r1, az: az1, bmc: { kind: ipmi, address: 127.0.0.1, port: 9, username: admin, passwordEnv: NO_SUCH_VAR } }
  compute-02: { allowed: true, rack: r1, az: az1, bmc: { kind: ipmi, address: 127.0.0.1, port: 9, username: admin, passwordEnv: NO_SUCH_VAR } }
  compute-03: { allowed: true, rack: r2, az: az2, bmc: { kind: ipmi, address: 127.0.0.1, port: 9, username: admin, passwordEnv: NO_SUCH_VAR } }
  compute-04: { allowed: true, rack: r2, az: az2, bmc: { kind: ipmi, address: 127.0.0.1, port: 9, username: admin, passwordEnv: NO_SUCH_VAR } }
  compute-05: { allowed: false, rack: r2, az: az2, bmc: { kind: ipmi, address: 127.0.0.1, port: 9, username: admin, passwordEnv: NO_SUCH_VAR } }
`;

function campaignText(faults: string, extra = ''): string {
  return `ihasim: 1\nname: t\ncloud: { env: true }\n${INVENTORY}faults:\n${faults}\n${extra}`;
}

async function runInDir(text: string, flags: string[] = ['--execute']) {
  const dir = mkdtempSync(join(tmpdir(), 'ihasim-campaign-'));
  const file = join(dir, 'campaign.yaml');
  writeFileSync(file, text);
  const journal = join(dir, 'journal.jsonl');
  const r = await cli(['inject', file, '--journal', journal, ...flags]);
  return { ...r, dir, journal };
}

describe('ihasim inject: campaign validation (exit 3 before any action)', () => {
  it.each([
    ['an unknown limit, with a did-you-mean', `  - { at: 1m, kind: host-power-loss, target: compute-01, duration: 1m }`, 'limits: { maxHostDown: 1 }',
      'IHASIM_CAMPAIGN_INVALID', /limits\.maxHostDown: unknown key `maxHostDown` \(did you mean `maxHostsDown`\?\)/],
    ['a misspelt fault kind', `  - { at: 1m, kind: host-power-los, target: compute-01 }`, '',
      'IHASIM_CAMPAIGN_INVALID', /faults\[0\]\.kind: unknown value \(did you mean `host-power-loss`\?\)/],
    ['a target no host matches', `  - { at: 1m, kind: host-power-loss, target: compute-9 }`, '',
      'IHASIM_CAMPAIGN_INVALID', /faults\[0\]\.target: no inventory host matches target `compute-9`/],
    ['a bad duration', `  - { at: 1 minute, kind: host-power-loss, target: compute-01 }`, '',
      'IHASIM_CAMPAIGN_INVALID', /faults\[0\]\.at/],
    ['an SSH fault on a host without ssh', `  - { at: 1m, kind: nova-compute-crash, target: compute-01, duration: 1m }`, '',
      'IHASIM_CAMPAIGN_INVALID', /nova-compute-crash on compute-01 needs `ssh:`/],
    ['a host that is not allowed', `  - { at: 1m, kind: host-power-loss, target: compute-05, duration: 1m }`, '',
      'IHASIM_INJECT_REFUSED', /faults\[0\]: host-power-loss would hit compute-05, which is not allowed/],
    ['a rack power loss of more hosts than maxHostsDown', `  - { at: 1m, kind: host-power-loss, rack: r1, duration: 1m }`, '',
      'IHASIM_INJECT_REFUSED', /at 1m 2 hosts would be down at once \(compute-01, compute-02\), more than limits\.maxHostsDown 1/],
    ['overlapping faults over the AZ fraction', `  - { at: 1m, kind: host-power-loss, target: compute-03, duration: 5m }\n  - { at: 2m, kind: host-power-loss, target: compute-04, duration: 1m }`,
      'limits: { maxHostsDown: 3, maxAzFraction: 0.5 }', 'IHASIM_INJECT_REFUSED', /at 2m 2 of 3 hosts of az az2 would be down \(compute-03, compute-04\), more than limits\.maxAzFraction 0\.5/],
  ])('refuses %s', async (_name, faults, extra, code, message) => {
    const r = await runInDir(campaignText(faults, extra));
    expect(r.code).toBe(3);
    expect(r.err).toContain(`error[${code}]`);
    expect(r.err).toMatch(message);
    expect(r.err).toMatch(/campaign\.yaml:\d+/);
    expect(existsSync(r.journal)).toBe(false);
    expect(readdirSync(r.dir)).toEqual(['campaign.yaml']);
  });

  it('refuses an inline password without ever printing it, and says where credentials go', async () => {
    const text = campaignText(`  - { at: 1m, kind: host-power-loss, target: compute-01 }`)
      .replace('passwordEnv: NO_SUCH_VAR } }\n  compute-02', 'password: Hunter2-inline-XYZ } }\n  compute-02');
    const r = await runInDir(text);
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/inventory\.compute-01\.bmc\.password: inline secret `password` refused: credentials come only from an environment variable or a file; write `passwordEnv: VAR_NAME`/);
    expect(r.err + r.out).not.toContain('Hunter2-inline-XYZ');
  });

  it('refuses a BMC with both passwordEnv and passwordFile, and a cloud with neither name nor env', async () => {
    const text = campaignText(`  - { at: 1m, kind: host-power-loss, target: compute-01 }`)
      .replace('passwordEnv: NO_SUCH_VAR } }\n  compute-02', 'passwordEnv: A, passwordFile: /b } }\n  compute-02')
      .replace('cloud: { env: true }', 'cloud: { insecure: true }');
    const r = await runInDir(text);
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/inventory\.compute-01\.bmc: takes only one of `passwordEnv`, `passwordFile`/);
    expect(r.err).toMatch(/cloud: needs one of `name`, `env`/);
  });

  it('a fault without duration lasts to the end of the schedule; guest-panic has no undo', () => {
    const { campaign } = parseCampaign(campaignText(`  - { at: 1m, kind: host-power-loss, target: compute-01 }
  - { at: 2m, kind: host-power-loss, target: compute-03, duration: 3m }
  - { at: 30s, kind: guest-panic, server: web-01 }`, 'limits: { maxHostsDown: 2 }'));
    const actions = planActions(campaign);
    expect(actions.map((a) => [a.id, a.atMs, a.undoAtMs])).toEqual([['f2-web-01', 30_000, null], ['f0-compute-01', 60_000, 300_000], ['f1-compute-03', 120_000, 300_000]]);
  });
});

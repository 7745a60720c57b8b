/**
 * The mock BMC driven by the real Debian clients: `ipmitool -I lan|lanplus` (negotiated suite, -C 3, -C 17) and
 * the fence agents `fence_ipmilan` (v1.5 by default), `fence_ipmilan --lanplus`, `fence_ipmilanplus`.
 * Asserts exit codes, the output the clients document, and the power state the backend ends up in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIpmiServer, type IpmiServer } from '../../harness/serve/bmc/ipmi/index.js';
import { FakeBmcBackend } from '../support/fake-bmc-backend.js';
import { requireClient, runClient } from '../support/interop.js';

const ipmitool = requireClient('ipmitool', 'ipmitool');
const fenceIpmilan = requireClient('fence_ipmilan', 'fence-agents');
const fenceIpmilanplus = requireClient('fence_ipmilanplus', 'fence-agents');

/** Each client variant drives its own node, so the variants can run concurrently. */
const IPMITOOL_VARIANTS = {
  'lan (v1.5, MD5)': ['-I', 'lan'],
  'lan -A PASSWORD': ['-I', 'lan', '-A', 'PASSWORD'], // straight password: a shorter sequence below
  'lanplus (negotiated suite 17)': ['-I', 'lanplus'],
  'lanplus -C 3': ['-I', 'lanplus', '-C', '3'],
  'lanplus -C 17': ['-I', 'lanplus', '-C', '17'],
} as const;

/**
 * `powerDelayMs`: how long after an accepted action the backend changes power. Non-zero makes the agent poll
 * status (once a second); kept to one variant because each poll costs a second of suite time.
 */
const FENCE_VARIANTS = {
  'fence_ipmilan (lan)': { args: [] as string[], powerDelayMs: 300 },
  'fence_ipmilan --lanplus': { args: ['--lanplus'], powerDelayMs: 0 },
  fence_ipmilanplus: { args: [] as string[], powerDelayMs: 0 },
} as const;

/** ipmitool nodes change power this long after an action; the test waits for it. */
const POWER_DELAY_MS = 300;

let backend: FakeBmcBackend;
let server: IpmiServer;

beforeAll(async () => {
  const creds = { username: 'admin', password: 's3cret' };
  backend = new FakeBmcBackend(
    [
      ...Object.keys(IPMITOOL_VARIANTS).map((name) => ({ name, ...creds })),
      ...Object.entries(FENCE_VARIANTS).map(([name, v]) => ({ name, ...creds, powerDelayMs: v.powerDelayMs })),
      { name: 'refusals', ...creds },
    ],
    { powerDelayMs: POWER_DELAY_MS },
  );
  server = await startIpmiServer({ backend, basePort: 0 });
});

afterAll(async () => {
  await server?.close();
  backend?.dispose();
});

function port(node: string): string {
  return String(server.ports.get(node));
}

async function until(check: () => boolean, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  expect(check()).toBe(true);
}

ipmitool.describe('interop: ipmitool against the mock BMC', () => {
  const ipmi = (node: string, iface: readonly string[], password: string, ...cmd: string[]) =>
    runClient(ipmitool.path!, [...iface, '-H', '127.0.0.1', '-p', port(node), '-U', 'admin', '-P', password, '-N', '1', '-R', '1', ...cmd]);

  describe.concurrent('chassis power and mc info', () => {
    for (const [node, iface] of Object.entries(IPMITOOL_VARIANTS)) {
      it(`ipmitool ${node}: status, off, on, cycle, reset, chassis status, mc info`, async () => {
        const expectRun = async (cmd: string[], stdout: RegExp) => {
          const r = await ipmi(node, iface, 's3cret', ...cmd);
          expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
          expect(r.stdout).toMatch(stdout);
        };
        await expectRun(['chassis', 'power', 'status'], /^Chassis Power is on$/m);
        if (node === 'lan -A PASSWORD') {
          await expectRun(['chassis', 'power', 'off'], /^Chassis Power Control: Down\/Off$/m);
          await until(() => backend.power(node) === 'off');
          return;
        }
        await expectRun(['chassis', 'power', 'off'], /^Chassis Power Control: Down\/Off$/m);
        await until(() => backend.power(node) === 'off');
        await expectRun(['chassis', 'power', 'status'], /^Chassis Power is off$/m);
        await expectRun(['chassis', 'status'], /^System Power\s+: off$/m);
        await expectRun(['chassis', 'power', 'on'], /^Chassis Power Control: Up\/On$/m);
        await until(() => backend.power(node) === 'on');
        await expectRun(['chassis', 'power', 'cycle'], /^Chassis Power Control: Cycle$/m);
        await expectRun(['chassis', 'power', 'reset'], /^Chassis Power Control: Reset$/m);
        await expectRun(['mc', 'info'], /^IPMI Version\s+: 2\.0$/m);
        const actions = backend.actions.filter((a) => a.node === node).map((a) => `${a.via}:${a.action}`);
        expect(actions).toEqual(['ipmi:off', 'ipmi:on', 'ipmi:cycle', 'ipmi:reset']);
      });
    }
  });

  describe.concurrent('refusals', () => {
    it('lan: a wrong password never opens a session', async () => {
      const r = await ipmi('refusals', ['-I', 'lan'], 'wrong', 'chassis', 'power', 'off');
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('Activate Session error:\tInsufficient privilege level');
      expect(r.stderr).toContain('Error: Unable to establish IPMI v1.5 / RMCP session');
    });

    for (const suite of ['3', '17']) {
      it(`lanplus -C ${suite}: a wrong password never opens a session`, async () => {
        const r = await ipmi('refusals', ['-I', 'lanplus', '-C', suite], 'wrong', 'chassis', 'power', 'off');
        expect(r.code).toBe(1);
        expect(r.stderr).toContain('Error: Unable to establish IPMI v2 / RMCP+ session');
      });
    }

    it('lanplus: an unknown user is refused with "unauthorized name"', async () => {
      const r = await runClient(ipmitool.path!, ['-v', '-I', 'lanplus', '-H', '127.0.0.1', '-p', port('refusals'), '-U', 'root', '-P', 's3cret', 'chassis', 'power', 'status']);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('RAKP 2 message indicates an error : unauthorized name');
    });

    it('after all refusals no action reached the backend and no session is open', () => {
      expect(backend.actions.filter((a) => a.node === 'refusals')).toEqual([]);
      expect(server.activeSessionCount('refusals')).toBe(0);
    });
  });
});

/**
 * fence_ipmilan sleeps `power_wait` (2 s) after every on/off/cycle and 1 s between status polls; 0 keeps the
 * suite fast while polling still happens (each poll is a new ipmitool process, a natural interval).
 */
const FAST = ['--power-wait=0', '--stonith-status-sleep=0'];

function fenceSuite(label: string, check: typeof fenceIpmilan, variant: keyof typeof FENCE_VARIANTS): void {
  check.describe(`interop: ${label}`, () => {
    const node = variant;
    const run = (password: string, ...args: string[]) =>
      runClient(check.path!, ['-a', '127.0.0.1', '-u', port(node), '-l', 'admin', '-p', password, ...FENCE_VARIANTS[variant].args, ...args]);

    it(`${variant}: status, off, status, on, reboot, monitor${variant === 'fence_ipmilan --lanplus' ? ', reboot --method=cycle' : ''}`, async () => {
      expect(await run('s3cret', '-o', 'status')).toMatchObject({ code: 0, stdout: 'Status: ON\n' });
      expect(await run('s3cret', '-o', 'off', ...FAST)).toMatchObject({ code: 0, stdout: 'Success: Powered OFF\n' });
      expect(backend.power(node)).toBe('off');
      // fence-agents document exit code 2 for status "off".
      expect(await run('s3cret', '-o', 'status')).toMatchObject({ code: 2, stdout: 'Status: OFF\n' });
      expect(await run('s3cret', '-o', 'on', ...FAST)).toMatchObject({ code: 0, stdout: 'Success: Powered ON\n' });
      expect(backend.power(node)).toBe('on');
      expect(await run('s3cret', '-o', 'reboot', ...FAST)).toMatchObject({ code: 0, stdout: 'Success: Rebooted\n' });
      expect(await run('s3cret', '-o', 'monitor')).toMatchObject({ code: 0 });
      const expected = ['off', 'on', 'off', 'on'];
      if (variant === 'fence_ipmilan --lanplus') {
        // --method=cycle: a reboot is a single Chassis Control "cycle".
        expect(await run('s3cret', '-o', 'reboot', '--method=cycle', ...FAST)).toMatchObject({ code: 0, stdout: 'Success: Rebooted\n' });
        expected.push('cycle');
      }
      expect(backend.actions.filter((a) => a.node === node).map((a) => a.action)).toEqual(expected);
      await until(() => backend.power(node) === 'on');
    });

    it(`${variant}: a wrong password fails without touching the node`, async () => {
      const r = await runClient(check.path!, ['-a', '127.0.0.1', '-u', port('refusals'), '-l', 'admin', '-p', 'wrong', ...FENCE_VARIANTS[variant].args, '-o', 'off', ...FAST]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('Failed: Unable to obtain correct plug status or plug is not available');
      expect(backend.actions.filter((a) => a.node === 'refusals')).toEqual([]);
    });
  });
}

describe.concurrent('interop: fence agents against the mock BMC', () => {
  fenceSuite('fence_ipmilan (IPMI v1.5)', fenceIpmilan, 'fence_ipmilan (lan)');
  fenceSuite('fence_ipmilan --lanplus', fenceIpmilan, 'fence_ipmilan --lanplus');
  fenceSuite('fence_ipmilanplus', fenceIpmilanplus, 'fence_ipmilanplus');
});

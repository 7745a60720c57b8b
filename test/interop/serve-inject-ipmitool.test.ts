/**
 * Interop: the power loss `ihasim inject` takes through its own lanplus client is what Debian's `ipmitool -I
 * lanplus` reads from the same BMC (`power status` off during the fault, on after the undo). The client shares
 * the served BMC's codec, so a mistake both sides make would pass the other tests; ipmitool catches it.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { injectCommand } from '../../harness/inject/inject-command.js';
import { BMC_SECRET, startInjectCloud, withEnv, type InjectCloud } from '../support/inject-cloud.js';
import { requireClient, runClient } from '../support/interop.js';

const ipmitool = requireClient('ipmitool', 'ipmitool');

let cloud: InjectCloud;

beforeAll(async () => {
  if (ipmitool.path) cloud = await startInjectCloud();
});

afterAll(async () => {
  await cloud?.serve.close();
});

/** `ipmitool -I lanplus … power status` on compute-01's BMC; the password through `-E` (IPMI_PASSWORD), never argv. */
async function powerStatus(): Promise<string> {
  const port = cloud.serve.endpoints.nodes.find((n) => n.name === 'compute-01')!.ipmiPort!;
  const r = await runClient(ipmitool.path!, ['-I', 'lanplus', '-H', '127.0.0.1', '-p', String(port), '-U', 'admin', '-E', 'power', 'status'], { env: { IPMI_PASSWORD: BMC_SECRET } });
  return r.stdout.trim();
}

ipmitool.describe('interop: ipmitool sees the power loss ihasim inject takes', () => {
  it('off during the fault, on after the undo the campaign read back', { timeout: 60_000 }, async () => {
    expect(await powerStatus()).toBe('Chassis Power is on');
    const file = cloud.campaign(`  - { at: 200ms, kind: host-power-loss, target: compute-01, duration: 2500ms }`);
    const out: string[] = [];
    const running = withEnv(cloud.env, () => injectCommand(file, { execute: true, journal: `${cloud.dir}/ipmitool.jsonl` }, (l) => out.push(l)));
    for (let i = 0; i < 100 && !out.some((l) => l.startsWith('inject f0-compute-01')); i++) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 500));
    const duringFault = await powerStatus();
    expect(await running).toBe(0);
    expect(duringFault).toBe('Chassis Power is off');
    expect(await powerStatus()).toBe('Chassis Power is on');
  });
});

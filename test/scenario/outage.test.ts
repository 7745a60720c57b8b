import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario, parseScenario } from '../../harness/scenario/index.js';
import { runScenario } from '../../harness/run/run-scenario.js';
import { renderRun } from '../../harness/cli/terminal.js';
import type { RunReport } from '../../reports/report-types.js';

const dir = join(import.meta.dirname, '../../scenarios');
const run = async (file: string, seed?: number): Promise<RunReport> =>
  runScenario(await loadScenario(join(dir, file)), { trace: false, ...(seed !== undefined ? { seed } : {}) }).report;
const MIN = 60_000;

describe('outage is measured from the moment users lose the instance, whatever the cause', () => {
  it('a tenant-network cut of a rack: every guest on it is down for its users for the whole cut, never "unaffected"', async () => {
    const r = await run('rack-tenant-cut.yaml');
    const onR1 = r.instances.filter((o) => ['compute-01', 'compute-03', 'compute-05', 'compute-07'].includes(o.fromHost ?? ''));
    expect(onR1.length).toBe(12);
    for (const o of onR1) {
      expect(o.outcome).toBe('self-healed');
      expect(o.outageCause).toBe('tenant-network-cut');
      expect(o.outageMs).toBe(6 * MIN);
      expect(o.failedAtMs).toBe(2 * MIN);
    }
    expect(r.metrics.instancesAffected).toBe(12);
    expect(renderRun(r, { timeline: false })).toMatch(/outage: 12 instance\(s\) lost to their users; p50 6m00s, max 6m00s \(tenant-network-cut 12\)/);
  });

  it('the phases of every recovered instance add up to its downtime (library scenarios, 5 seeds each)', async () => {
    for (const file of ['rack-power-loss.yaml', 'mgmt-partition-fenced.yaml', 'host-hang-fenced.yaml', 'fenced-host-returns.yaml']) {
      for (let seed = 1; seed <= 5; seed++) {
        const r = await run(file, seed);
        for (const o of r.instances.filter((x) => x.phases && x.downtimeMs !== null)) {
          const p = o.phases!;
          const sum = (p.detectMs ?? 0) + (p.fenceMs ?? 0) + (p.markDownMs ?? 0) + (p.evacuateMs ?? 0) + (p.bootMs ?? 0);
          expect(sum, `${file} seed ${seed} ${o.name}`).toBe(o.downtimeMs);
        }
      }
    }
  });

  it('a mgmt partition: guests serve until their host is fenced, so detection costs their users nothing', async () => {
    const r = await run('mgmt-partition-fenced.yaml');
    const recovered = r.instances.filter((o) => o.outcome === 'recovered');
    expect(recovered.length).toBeGreaterThan(0);
    for (const o of recovered) {
      expect(o.outageCause).toBe('host-off');
      expect(o.phases!.detectMs).toBe(0);
      expect(o.downtimeMs).toBeGreaterThan(0);
    }
  });

  it('a storage outage: guests on shared storage stop serving (storage-unreachable), local-disk guests keep serving', () => {
    const spec = parseScenario(`ihasim: 1
name: storage-cut
duration: 15m
topology: { controllers: 3, computes: [{ name: "c{1..2}", vcpus: 8, ramMb: 16384, diskGb: 200 }] }
flavors: { f: { vcpus: 1, ramMb: 2048, diskGb: 10 } }
images: { i: { properties: {} } }
servers:
  - { name: shared-1, flavor: f, image: i, storage: shared, host: c1 }
  - { name: local-1, flavor: f, image: i, storage: local, host: c1 }
recovery: { policy: instanceha }
faults:
  - { at: 1m, kind: storage-outage, target: c1, duration: 3m }
`);
    const r = runScenario(spec).report;
    const shared = r.instances.find((o) => o.name === 'shared-1')!;
    expect(shared.outageCause).toBe('storage-unreachable');
    expect(shared.outageMs).toBe(3 * MIN);
    expect(r.instances.find((o) => o.name === 'local-1')).toBeUndefined();
  });

  it('an instance that serves again and is then lost again has two outages, both counted', async () => {
    const r = await run('tor-switch-failure.yaml');
    const onR1 = r.instances.filter((o) => o.outcome === 'recovered');
    expect(onR1.length).toBe(6);
    for (const o of onR1) {
      // First the switch (10 minutes, tenant-network-cut), then the fence the cluster still owed the host.
      expect(o.outages).toBe(2);
      expect(o.outageCause).toBe('host-off');
      expect(o.outageMs).toBe(10 * MIN + o.downtimeMs!);
      const p = o.phases!;
      expect(p.detectMs! + p.fenceMs! + p.markDownMs! + p.evacuateMs! + p.bootMs!).toBe(o.downtimeMs);
    }
    expect(r.violations.filter((v) => v.invariant === 'recovery-bounded').every((v) => v.message.includes('recovered after 10m00s'))).toBe(true);
  });
});

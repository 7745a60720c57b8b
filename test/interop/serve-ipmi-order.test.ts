/**
 * Interop: `power off` then `power on` sent back to back in one ipmitool session (`ipmitool exec`, the batch form
 * of `ipmitool shell`) to each BMC of the served world. A BMC carries out actions in the order it received them,
 * so every host ends on, having gone off first, whatever latencies the world drew.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { startServe } from '../../harness/serve/serve.js';
import { requireClient, runClient } from '../support/interop.js';
import { serveSpec } from '../support/serve-scenario.js';

const ipmitool = requireClient('ipmitool', 'ipmitool');

ipmitool.describe('interop: ipmitool power off; power on in one session against serve', () => {
  it('every host ends on, after going off', { timeout: 120_000 }, async () => {
    // A wall clock the test moves: the world stands still while ipmitool talks, then runs 10 sim minutes.
    let wall = Date.UTC(2025, 0, 1);
    const serve = await startServe({ spec: serveSpec(), clock: () => wall, tickMs: 0 });
    try {
      const batch = join(mkdtempSync(join(tmpdir(), 'ihasim-ipmi-order-')), 'cmds');
      writeFileSync(batch, 'chassis power off\nchassis power on\n');
      const runs = serve.endpoints.nodes.map((n) =>
        runClient(ipmitool.path!, ['-I', 'lanplus', '-H', '127.0.0.1', '-p', String(n.ipmiPort), '-U', n.username, '-P', n.password, 'exec', batch], { timeoutMs: 60_000 }));
      for (const r of await Promise.all(runs)) expect(r.code, r.stderr).toBe(0);
      wall += 600_000;
      serve.session.advance();
      const hosts = serve.world.hostList.map((h) => h.name);
      expect(hosts.filter((h) => !serve.world.hosts.get(h)!.poweredOn)).toEqual([]);
      for (const h of hosts) {
        const seq = serve.world.trace.records.filter((r) => r.entity === h && (r.type === 'host.power_off' || r.type === 'host.power_on')).map((r) => r.type);
        expect(seq).toEqual(['host.power_off', 'host.power_on']);
      }
    } finally {
      await serve.close();
    }
  });
});

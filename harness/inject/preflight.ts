/**
 * The read-only checks before a campaign (dry run or not): Keystone accepts the credentials and Nova answers,
 * each target's BMC reports its power status, each SSH target opens a session. Nothing here changes the cloud.
 */
import { IhasimError, type ErrorDetail } from '../errors.js';
import type { Connections } from './executor.js';
import type { Action } from './plan.js';
import { expandBraces } from '../scenario/braces.js';
import { listSome, matchPattern } from '../scenario/name-match.js';

/** Hosts whose BMC / SSH the actions use (undo steps included: a panic's undo is a BMC reset). */
function channelsUsed(actions: readonly Action[]): { bmc: Set<string>; ssh: Set<string> } {
  const bmc = new Set<string>();
  const ssh = new Set<string>();
  for (const a of actions) {
    for (const s of [a.do, a.undo]) {
      if (s?.channel === 'bmc') bmc.add(s.host);
      if (s?.channel === 'ssh') ssh.add(s.host);
      if (s?.channel === 'panic-recover') bmc.add(s.host);
    }
  }
  return { bmc, ssh };
}

/** Runs every check, prints one line per check, and throws IHASIM_INJECT_PREFLIGHT listing every failure. */
export async function preflight(conns: Connections, actions: readonly Action[], log: (line: string) => void): Promise<void> {
  const problems: ErrorDetail[] = [];
  const check = async (what: string, fn: () => Promise<string>) => {
    try {
      log(`  ok    ${what}: ${await fn()}`);
    } catch (err) {
      const message = conns.redactor.text(err instanceof Error ? err.message : String(err));
      log(`  FAIL  ${what}: ${message}`);
      problems.push({ message: `${what}: ${message}` });
    }
  };
  await check('keystone', async () => {
    const os = await conns.openstack();
    await os.authenticate();
    const services = await os.services();
    return `authenticated; Nova lists ${services.length} nova-compute service(s)`;
  });
  const patterns = conns.campaign.canaries.servers;
  if (patterns.length > 0) {
    await check(`canaries (${patterns.join(', ')})`, async () => {
      const names = (await (await conns.openstack()).servers()).map((s) => s.name);
      const hit = [...new Set(patterns.flatMap((p) => expandBraces(p).flatMap((q) => matchPattern(q, names))))].sort();
      if (hit.length === 0) throw new Error('no server in Nova matches');
      return `${hit.length} server(s): ${listSome(hit, 5)}`;
    });
  }
  const { bmc, ssh } = channelsUsed(actions);
  for (const host of [...bmc].sort()) {
    const entry = conns.campaign.hosts.get(host)!.bmc!;
    await check(`bmc ${host} (${entry.kind} ${entry.address}:${entry.port})`, async () => `power ${await conns.powerOf(host).status()}`);
  }
  for (const host of [...ssh].sort()) {
    const entry = conns.campaign.hosts.get(host)!.ssh!;
    await check(`ssh ${host} (${entry.user}@${entry.address}:${entry.port})`, async () => {
      const r = await conns.sshOf(host).exec('hostname');
      return `session open (hostname ${r.stdout.trim() || '?'})`;
    });
  }
  if (problems.length) throw new IhasimError('IHASIM_INJECT_PREFLIGHT', `${problems.length} read-only check(s) failed; nothing was changed`, problems);
}

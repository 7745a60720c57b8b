/**
 * What the read-only commands of a served compute print, from the world's truth: `virsh list --all` (the
 * domains that truly exist on the host, libvirt's layout), `ip -o link` (the NICs and their networks),
 * `systemctl is-active`. Pure functions of the world.
 */
import type { ComputeHost } from '../../../sim/infra/compute-host.js';
import type { World } from '../../../sim/world.js';
import type { CommandOutput } from './firewall.js';
import { ADMIN_NIC, NIC_NETWORKS, type ServiceName } from './vocabulary.js';

/** libvirt's domain name, as Nova's `OS-EXT-SRV-ATTR:instance_name` shows it (nova-server-view.ts). */
export function libvirtName(uuid: string): string {
  return `instance-${uuid.replace(/-/g, '').slice(0, 8)}`;
}

/** libvirt's state words (`virsh domstate`) for the simulated guest states. */
const VIRSH_STATE: Readonly<Record<string, string>> = {
  booting: 'running', running: 'running', panicked: 'crashed', hung: 'running', paused: 'paused', shutoff: 'shut off',
};

/** `virsh list --all`: active domains get an id (in start order), inactive ones `-`, like libvirt. */
export function virshList(host: ComputeHost): string {
  const rows = [...host.domains.values()].sort((a, b) => a.startedAtMs - b.startedAtMs);
  const lines = [' Id   Name                State', '------------------------------------'];
  let id = 0;
  for (const d of rows) {
    const state = d.frozen ? 'running' : (VIRSH_STATE[d.state] ?? d.state);
    const active = state !== 'shut off';
    lines.push(` ${(active ? String(++id) : '-').padEnd(4)} ${libvirtName(d.instance.uuid).padEnd(19)} ${state}`);
  }
  return `${lines.join('\n')}\n\n`;
}

/** A stable locally administered MAC per host and NIC. */
function mac(host: ComputeHost, nicIndex: number): string {
  const b = [0x52, 0x54, 0x00, (host.index >> 8) & 0xff, host.index & 0xff, nicIndex];
  return b.map((x) => x.toString(16).padStart(2, '0')).join(':');
}

/**
 * `ip -o link`: `lo`, the admin NIC SSH arrives on, then one NIC per world network, each with an `alias` naming
 * the network. A NIC shows DOWN when `ip link set … down` took it down or a scenario's `nic-down` holds it
 * (an iptables cut leaves the link up, as it would).
 */
export function ipLinkList(world: World, host: ComputeHost, linksDown: ReadonlySet<string>, cutByFirewall: ReadonlySet<string>): string {
  const lines = ['1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\\    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00'];
  const nics: [string, string, boolean][] = [[ADMIN_NIC, 'admin (ssh)', true]];
  for (const [nic, network] of Object.entries(NIC_NETWORKS)) {
    const heldDownElsewhere = !world.nets.nicUp(host.name, network) && !cutByFirewall.has(nic);
    nics.push([nic, network, !linksDown.has(nic) && !heldDownElsewhere]);
  }
  nics.forEach(([nic, alias, up], i) => {
    const flags = up ? '<BROADCAST,MULTICAST,UP,LOWER_UP>' : '<BROADCAST,MULTICAST>';
    lines.push(`${i + 2}: ${nic}: ${flags} mtu 1500 qdisc mq state ${up ? 'UP' : 'DOWN'} mode DEFAULT group default qlen 1000\\    link/ether ${mac(host, i)} brd ff:ff:ff:ff:ff:ff\\    alias ${alias}`);
  });
  return `${lines.join('\n')}\n`;
}

/** `systemctl is-active <unit>`: `active` exits 0; anything else exits 3, as systemd does. */
export function isActive(host: ComputeHost, service: ServiceName): CommandOutput {
  let state: string;
  if (service === 'pacemaker_remote') state = host.pacemakerRemote ? 'active' : 'inactive';
  else state = { running: 'active', held: 'active', starting: 'activating', stopped: 'inactive' }[host.novaCompute];
  return { exit: state === 'active' ? 0 : 3, stdout: `${state}\n`, stderr: '' };
}

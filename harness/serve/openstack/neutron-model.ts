/**
 * The network the world's instances sit on, as a minimal Neutron would hold it: one shared tenant network
 * (`private`) with one IPv4 subnet, and one port per instance. Nothing here is stored: every id, MAC and IP is
 * derived from the instance uuid, so Neutron's ports and Nova's `addresses` always agree, across requests and
 * evacuations (the port follows the instance; `binding:host_id` is the instance's host as Nova sees it).
 */
import { createHash } from 'node:crypto';
import type { InstanceRecord, NovaControl } from '../../../sim/nova/records.js';

export const NETWORK_NAME = 'private';
export const SUBNET_CIDR = '10.0.0.0/16';
export const GATEWAY_IP = '10.0.0.1';
/** The availability zone of Neutron's agents (separate from Nova's AZs, as in a real cloud). */
export const NETWORK_AZ = 'nova';

/** A stable UUID (v4-shaped) from a seed. */
export function derivedUuid(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export const NETWORK_ID = derivedUuid('neutron:network:private');
export const SUBNET_ID = derivedUuid('neutron:subnet:private-subnet');
export const SECURITY_GROUP_ID = derivedUuid('neutron:security-group:default');

export interface PortRecord {
  id: string;
  instance: InstanceRecord;
  mac: string;
  ip: string;
}

/** Host numbers usable in 10.0.0.0/16: .0.0 is the network, .0.1 the gateway, .255.255 the broadcast. */
const FIRST_HOST = 2;
const HOST_COUNT = 65_534 - FIRST_HOST;

function hashNumber(seed: string): number {
  return createHash('sha256').update(seed).digest().readUInt32BE(0);
}

function ipOf(hostNumber: number): string {
  return `10.0.${hostNumber >> 8}.${hostNumber & 255}`;
}

function macOf(uuid: string): string {
  const h = createHash('sha256').update(`neutron:mac:${uuid}`).digest('hex');
  return `fa:16:3e:${h.slice(0, 2)}:${h.slice(2, 4)}:${h.slice(4, 6)}`;
}

/**
 * One port per live instance. The IP is a hash of the uuid; a clash goes to the next free address, resolved in
 * uuid order so that the answer does not depend on the order the world lists instances in.
 */
export function instancePorts(nova: NovaControl): PortRecord[] {
  const live = nova.instances().filter((i) => i.vmState !== 'deleted').sort((a, b) => (a.uuid < b.uuid ? -1 : a.uuid > b.uuid ? 1 : 0));
  const taken = new Set<number>();
  return live.map((instance) => {
    let n = hashNumber(`neutron:ip:${instance.uuid}`) % HOST_COUNT;
    while (taken.has(n)) n = (n + 1) % HOST_COUNT;
    taken.add(n);
    return { id: derivedUuid(`neutron:port:${instance.uuid}`), instance, mac: macOf(instance.uuid), ip: ipOf(n + FIRST_HOST) };
  });
}

/** Nova's `addresses` of a server (`views/addresses.py`): `{network name: [{version, addr, OS-EXT-IPS:*}]}`. */
export function serverAddresses(port: PortRecord | undefined): Record<string, unknown> {
  if (!port) return {};
  return { [NETWORK_NAME]: [{ version: 4, addr: port.ip, 'OS-EXT-IPS:type': 'fixed', 'OS-EXT-IPS-MAC:mac_addr': port.mac }] };
}

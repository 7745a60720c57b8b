/**
 * The commands a served compute's SSH server understands: the exact strings `ihasim inject`'s executors send,
 * matched by anchored patterns (nothing is ever run on the real machine). `parseCommand` turns one into a
 * {@link HostCommand}; anything else is `null`, which the shell answers with exit status 127.
 *
 * NIC names map to the world's networks (see {@link NIC_NETWORKS}); `eth0` is the admin NIC SSH itself arrives
 * on, which the world does not model, so cutting the others never cuts the session that must undo the cut.
 */
import type { NetworkName } from '../../../sim/scenario-spec.js';

/** The host's NICs as `ip -o link` lists them: `eth1` carries mgmt, `eth2` tenant, `eth3` storage. */
export const NIC_NETWORKS: Readonly<Record<string, NetworkName>> = Object.freeze({ eth1: 'mgmt', eth2: 'tenant', eth3: 'storage' });

/** The admin NIC the SSH sessions arrive on: not one of the world's networks, never cut. */
export const ADMIN_NIC = 'eth0';

export type ServiceName = 'nova-compute' | 'pacemaker_remote';

/** How a daemon is stopped: gracefully (`systemctl stop`, `podman stop`) or killed (SIGKILL). */
export type StopMode = 'stop' | 'kill';

export type HostCommand =
  | { kind: 'service-stop'; service: ServiceName; mode: StopMode }
  | { kind: 'service-start'; service: ServiceName }
  | { kind: 'service-is-active'; service: ServiceName }
  | { kind: 'sysrq'; action: 'panic' | 'reboot' }
  | { kind: 'iptables-new-chain' }
  | { kind: 'iptables-hook'; builtin: 'INPUT' | 'OUTPUT' }
  | { kind: 'iptables-unhook'; builtin: 'INPUT' | 'OUTPUT' }
  | { kind: 'iptables-drop'; direction: 'in' | 'out'; nic: string }
  | { kind: 'iptables-flush' }
  | { kind: 'iptables-delete-chain' }
  | { kind: 'iptables-list' }
  | { kind: 'ip-link-set'; nic: string; up: boolean }
  | { kind: 'ip-link-list' }
  | { kind: 'hostname' }
  | { kind: 'boot-id' }
  | { kind: 'virsh-list' };

/** The chain ihasim's cuts live in, so that `iptables -F IHASIM` undoes exactly them. */
export const CHAIN = 'IHASIM';

type Rule = readonly [RegExp, (m: RegExpExecArray) => HostCommand];

const service = (name: string): ServiceName => (name === 'nova-compute' ? 'nova-compute' : 'pacemaker_remote');

/** Anchored patterns, in no particular order: at most one matches a normalized command. */
const RULES: readonly Rule[] = [
  [/^systemctl stop (nova-compute|pacemaker_remote)$/, (m) => ({ kind: 'service-stop', service: service(m[1]!), mode: 'stop' })],
  [/^systemctl kill -s (?:SIGKILL|KILL|9) nova-compute$/, () => ({ kind: 'service-stop', service: 'nova-compute', mode: 'kill' })],
  [/^pkill -9 -f nova-compute$/, () => ({ kind: 'service-stop', service: 'nova-compute', mode: 'kill' })],
  [/^pkill -9 -f pacemaker-remoted$/, () => ({ kind: 'service-stop', service: 'pacemaker_remote', mode: 'kill' })],
  [/^systemctl start (nova-compute|pacemaker_remote)$/, (m) => ({ kind: 'service-start', service: service(m[1]!) })],
  [/^systemctl is-active (nova-compute|pacemaker_remote)$/, (m) => ({ kind: 'service-is-active', service: service(m[1]!) })],
  [/^(?:podman|docker) (stop|kill) nova_compute$/, (m) => ({ kind: 'service-stop', service: 'nova-compute', mode: m[1] === 'kill' ? 'kill' : 'stop' })],
  [/^(?:podman|docker) start nova_compute$/, () => ({ kind: 'service-start', service: 'nova-compute' })],
  [/^echo ([cb]) ?> ?\/proc\/sysrq-trigger$/, (m) => ({ kind: 'sysrq', action: m[1] === 'c' ? 'panic' : 'reboot' })],
  [/^iptables -N IHASIM$/, () => ({ kind: 'iptables-new-chain' })],
  [/^iptables -I (INPUT|OUTPUT) -j IHASIM$/, (m) => ({ kind: 'iptables-hook', builtin: m[1] as 'INPUT' | 'OUTPUT' })],
  [/^iptables -D (INPUT|OUTPUT) -j IHASIM$/, (m) => ({ kind: 'iptables-unhook', builtin: m[1] as 'INPUT' | 'OUTPUT' })],
  [/^iptables -A IHASIM -(i|o) (eth\d+) -j DROP$/, (m) => ({ kind: 'iptables-drop', direction: m[1] === 'i' ? 'in' : 'out', nic: m[2]! })],
  [/^iptables -F IHASIM$/, () => ({ kind: 'iptables-flush' })],
  [/^iptables -X IHASIM$/, () => ({ kind: 'iptables-delete-chain' })],
  [/^iptables -S IHASIM$/, () => ({ kind: 'iptables-list' })],
  [/^ip link set (?:dev )?(eth\d+) (up|down)$/, (m) => ({ kind: 'ip-link-set', nic: m[1]!, up: m[2] === 'up' })],
  [/^ip -o link(?: show)?$/, () => ({ kind: 'ip-link-list' })],
  [/^hostname$/, () => ({ kind: 'hostname' })],
  [/^cat \/proc\/sys\/kernel\/random\/boot_id$/, () => ({ kind: 'boot-id' })],
  [/^virsh list --all$/, () => ({ kind: 'virsh-list' })],
];

/** Leading `sudo`, surrounding blanks and runs of blanks do not change a command's meaning. */
export function normalizeCommand(raw: string): string {
  return raw.trim().replace(/\s+/g, ' ').replace(/^sudo (?:-n )?/, '');
}

/** The command `raw` names, or null when it is not in the served vocabulary. */
export function parseCommand(raw: string): HostCommand | null {
  const cmd = normalizeCommand(raw);
  for (const [pattern, build] of RULES) {
    const m = pattern.exec(cmd);
    if (m) return build(m);
  }
  return null;
}

/** Whether a command changes the world (a fault or its undo), as opposed to reading it. */
export function isMutating(c: HostCommand): boolean {
  return !['service-is-active', 'iptables-list', 'ip-link-list', 'hostname', 'boot-id', 'virsh-list'].includes(c.kind);
}

/** The stderr line of a command outside the vocabulary (exit status 127, as a shell's "command not found"). */
export function notInVocabulary(raw: string): string {
  return `ihasim-serve: command not in the served vocabulary: ${raw.slice(0, 200)}\n`;
}

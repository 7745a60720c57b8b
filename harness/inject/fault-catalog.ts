/**
 * The fault kinds `ihasim inject` can take to a real cloud: the scenario kinds that make sense live (names as in
 * scenarios/README.md), plus `nova-compute-stop` (a clean stop, not a crash) and `network-cut` (iptables, so the
 * host keeps its link). Each has a channel (BMC, SSH or Nova), an undo, and a read-back of that undo.
 */

export const LIVE_FAULT_KINDS = [
  'host-power-loss',
  'host-kernel-panic',
  'nova-compute-crash',
  'nova-compute-stop',
  'pacemaker-remote-crash',
  'nic-down',
  'network-cut',
  'guest-panic',
] as const;

export type LiveFaultKind = (typeof LIVE_FAULT_KINDS)[number];

/** How a fault is injected. */
export type Channel = 'bmc' | 'ssh' | 'nova';

export interface CommandTemplate {
  /** Commands run in order, each in its own exec; the fault is in once the last one succeeded. */
  do: string[];
  undo?: string[];
  /** Exit status 0 (and, for an iptables listing, no rule left) means the undo took effect. */
  verify?: string;
}

/** How a verify command's output is read. */
export type VerifyRule = 'exit-0' | 'no-rules' | 'link-up';

export interface FaultKindInfo {
  channel: Channel;
  /** Needs `network:`. */
  needsNetwork: boolean;
  /** Default commands (SSH kinds). */
  commands?: CommandTemplate;
  verifyRule?: VerifyRule;
  /** The session dies with the host (sysrq): a lost connection after the command is success. */
  dropsSession?: boolean;
}

/**
 * Defaults are single commands a compute runs as is (and `ihasim serve`'s SSH vocabulary accepts, see
 * harness/serve/ssh/vocabulary.ts). network-cut and nic-down assume SSH arrives on a NIC the fault does not cut
 * (an admin NIC): otherwise no undo can reach the host; override `commands:` then.
 */
export const FAULT_KINDS_LIVE: Record<LiveFaultKind, FaultKindInfo> = {
  'host-power-loss': { channel: 'bmc', needsNetwork: false },
  'host-kernel-panic': {
    channel: 'ssh', needsNetwork: false, dropsSession: true,
    // The undo is a BMC reset when the host has not come back by itself (kdump and reboot, or hung).
    commands: { do: ['echo c > /proc/sysrq-trigger'] },
  },
  'nova-compute-crash': {
    channel: 'ssh', needsNetwork: false, verifyRule: 'exit-0',
    commands: { do: ['pkill -9 -f nova-compute'], undo: ['systemctl start nova-compute'], verify: 'systemctl is-active nova-compute' },
  },
  'nova-compute-stop': {
    channel: 'ssh', needsNetwork: false, verifyRule: 'exit-0',
    commands: { do: ['systemctl stop nova-compute'], undo: ['systemctl start nova-compute'], verify: 'systemctl is-active nova-compute' },
  },
  'pacemaker-remote-crash': {
    channel: 'ssh', needsNetwork: false, verifyRule: 'exit-0',
    commands: { do: ['pkill -9 -f pacemaker-remoted'], undo: ['systemctl start pacemaker_remote'], verify: 'systemctl is-active pacemaker_remote' },
  },
  'nic-down': {
    channel: 'ssh', needsNetwork: true, verifyRule: 'link-up',
    commands: { do: ['ip link set {iface} down'], undo: ['ip link set {iface} up'], verify: 'ip -o link' },
  },
  'network-cut': {
    channel: 'ssh', needsNetwork: true, verifyRule: 'no-rules',
    commands: {
      do: ['iptables -N IHASIM', 'iptables -I INPUT -j IHASIM', 'iptables -A IHASIM -i {iface} -j DROP'],
      undo: ['iptables -F IHASIM'],
      verify: 'iptables -S IHASIM',
    },
  },
  'guest-panic': { channel: 'nova', needsNetwork: false },
};

/** Default interface of each network (the layout of `ihasim serve`'s SSH hosts and of TripleO's default NIC configs). */
export const DEFAULT_INTERFACES = { mgmt: 'eth1', tenant: 'eth2', storage: 'eth3' } as const;

export type NetworkName = keyof typeof DEFAULT_INTERFACES;

/** Fills `{name}` placeholders; an unknown placeholder is left as is. */
export function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (all, key: string) => values[key] ?? all);
}

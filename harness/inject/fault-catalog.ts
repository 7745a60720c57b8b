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
  do: string;
  undo?: string;
  verify?: string;
}

export interface FaultKindInfo {
  channel: Channel;
  /** Whether the host stops running instances (counts toward maxHostsDown / maxAzFraction). */
  takesHostDown: boolean;
  /** Needs `network:`. */
  needsNetwork: boolean;
  /** Default commands (SSH kinds). */
  commands?: CommandTemplate;
}

/**
 * nic-down runs detached and brings the link back itself after the fault's duration: when the interface carries
 * the SSH session, no later command could. network-cut accepts SSH (tcp/22) before dropping, for the same reason.
 */
export const FAULT_KINDS_LIVE: Record<LiveFaultKind, FaultKindInfo> = {
  'host-power-loss': { channel: 'bmc', takesHostDown: true, needsNetwork: false },
  'host-kernel-panic': {
    channel: 'ssh', takesHostDown: true, needsNetwork: false,
    // The session dies with the kernel; the undo is a BMC reset when the host has not come back by itself.
    commands: { do: "nohup sh -c 'sleep 1; echo c > /proc/sysrq-trigger' >/dev/null 2>&1 &" },
  },
  'nova-compute-crash': {
    channel: 'ssh', takesHostDown: false, needsNetwork: false,
    commands: { do: 'pkill -9 -f nova-compute', undo: 'systemctl start nova-compute', verify: 'systemctl is-active nova-compute' },
  },
  'nova-compute-stop': {
    channel: 'ssh', takesHostDown: false, needsNetwork: false,
    commands: { do: 'systemctl stop nova-compute', undo: 'systemctl start nova-compute', verify: 'systemctl is-active nova-compute' },
  },
  'pacemaker-remote-crash': {
    channel: 'ssh', takesHostDown: false, needsNetwork: false,
    commands: { do: 'systemctl stop pacemaker_remote', undo: 'systemctl start pacemaker_remote', verify: 'systemctl is-active pacemaker_remote' },
  },
  'nic-down': {
    channel: 'ssh', takesHostDown: true, needsNetwork: true,
    commands: {
      do: "nohup sh -c 'ip link set {iface} down; sleep {seconds}; ip link set {iface} up' >/dev/null 2>&1 &",
      undo: 'ip link set {iface} up',
      verify: "ip link show {iface} | grep -q 'state UP'",
    },
  },
  'network-cut': {
    channel: 'ssh', takesHostDown: true, needsNetwork: true,
    commands: {
      do: 'iptables -N IHASIM 2>/dev/null; iptables -C INPUT -j IHASIM 2>/dev/null || iptables -I INPUT -j IHASIM; ' +
        'iptables -A IHASIM -i {iface} -p tcp --dport 22 -j ACCEPT; iptables -A IHASIM -i {iface} -j DROP',
      undo: 'iptables -F IHASIM',
      verify: "test -z \"$(iptables -S IHASIM | grep -v '^-N IHASIM')\"",
    },
  },
  'guest-panic': { channel: 'nova', takesHostDown: false, needsNetwork: false },
};

/** Default interface of each network (the layout of `ihasim serve`'s SSH hosts and of TripleO's default NIC configs). */
export const DEFAULT_INTERFACES = { mgmt: 'eth1', tenant: 'eth2', storage: 'eth3' } as const;

export type NetworkName = keyof typeof DEFAULT_INTERFACES;

/** Fills `{name}` placeholders; an unknown placeholder is left as is. */
export function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (all, key: string) => values[key] ?? all);
}

import { describe, expect, it } from 'vitest';
import { Firewall } from '../../../../../harness/serve/ssh/firewall.js';
import { isMutating, parseCommand } from '../../../../../harness/serve/ssh/vocabulary.js';

describe('served SSH vocabulary: the executors\' exact commands', () => {
  it.each([
    ['systemctl stop nova-compute', { kind: 'service-stop', service: 'nova-compute', mode: 'stop' }],
    ['systemctl kill -s SIGKILL nova-compute', { kind: 'service-stop', service: 'nova-compute', mode: 'kill' }],
    ['pkill -9 -f nova-compute', { kind: 'service-stop', service: 'nova-compute', mode: 'kill' }],
    ['systemctl start nova-compute', { kind: 'service-start', service: 'nova-compute' }],
    ['podman stop nova_compute', { kind: 'service-stop', service: 'nova-compute', mode: 'stop' }],
    ['podman kill nova_compute', { kind: 'service-stop', service: 'nova-compute', mode: 'kill' }],
    ['docker start nova_compute', { kind: 'service-start', service: 'nova-compute' }],
    ['systemctl stop pacemaker_remote', { kind: 'service-stop', service: 'pacemaker_remote', mode: 'stop' }],
    ['pkill -9 -f pacemaker-remoted', { kind: 'service-stop', service: 'pacemaker_remote', mode: 'kill' }],
    ['systemctl start pacemaker_remote', { kind: 'service-start', service: 'pacemaker_remote' }],
    ['echo c > /proc/sysrq-trigger', { kind: 'sysrq', action: 'panic' }],
    ['echo b > /proc/sysrq-trigger', { kind: 'sysrq', action: 'reboot' }],
    ['iptables -N IHASIM', { kind: 'iptables-new-chain' }],
    ['iptables -I INPUT -j IHASIM', { kind: 'iptables-hook', builtin: 'INPUT' }],
    ['iptables -I OUTPUT -j IHASIM', { kind: 'iptables-hook', builtin: 'OUTPUT' }],
    ['iptables -A IHASIM -i eth2 -j DROP', { kind: 'iptables-drop', direction: 'in', nic: 'eth2' }],
    ['iptables -A IHASIM -o eth3 -j DROP', { kind: 'iptables-drop', direction: 'out', nic: 'eth3' }],
    ['iptables -F IHASIM', { kind: 'iptables-flush' }],
    ['iptables -D INPUT -j IHASIM', { kind: 'iptables-unhook', builtin: 'INPUT' }],
    ['iptables -X IHASIM', { kind: 'iptables-delete-chain' }],
    ['iptables -S IHASIM', { kind: 'iptables-list' }],
    ['ip link set eth1 down', { kind: 'ip-link-set', nic: 'eth1', up: false }],
    ['ip link set eth1 up', { kind: 'ip-link-set', nic: 'eth1', up: true }],
    ['ip -o link', { kind: 'ip-link-list' }],
    ['hostname', { kind: 'hostname' }],
    ['cat /proc/sys/kernel/random/boot_id', { kind: 'boot-id' }],
    ['virsh list --all', { kind: 'virsh-list' }],
    ['systemctl is-active nova-compute', { kind: 'service-is-active', service: 'nova-compute' }],
    ['systemctl is-active pacemaker_remote', { kind: 'service-is-active', service: 'pacemaker_remote' }],
  ])('%s', (cmd, parsed) => {
    expect(parseCommand(cmd)).toEqual(parsed);
  });

  it('tolerates sudo and extra blanks, nothing more', () => {
    expect(parseCommand('  sudo  systemctl   stop nova-compute ')).toEqual({ kind: 'service-stop', service: 'nova-compute', mode: 'stop' });
  });

  it.each([
    'rm -rf /', 'systemctl stop nova-compute; rm -rf /', 'systemctl stop nova-compute && reboot', 'systemctl stop sshd',
    'iptables -A INPUT -i eth1 -j DROP', 'iptables -F', 'echo c > /proc/sysrq-trigger2', 'virsh list', 'bash', '', 'hostname -f',
    'pkill -9 -f nova-compute-extra', '$(hostname)',
  ])('refuses %j (not in the vocabulary: anchored, no shell syntax)', (cmd) => {
    expect(parseCommand(cmd)).toBeNull();
  });

  it('tells reads from writes', () => {
    expect(isMutating(parseCommand('virsh list --all')!)).toBe(false);
    expect(isMutating(parseCommand('iptables -S IHASIM')!)).toBe(false);
    expect(isMutating(parseCommand('iptables -F IHASIM')!)).toBe(true);
  });
});

describe('the IHASIM chain, as iptables keeps it', () => {
  it('cuts a NIC only once the chain is reached from the matching built-in chain', () => {
    const fw = new Firewall();
    fw.newChain();
    fw.drop({ direction: 'in', nic: 'eth1' });
    fw.drop({ direction: 'out', nic: 'eth2' });
    expect([...fw.cutNics()]).toEqual([]);
    fw.hook('INPUT');
    expect([...fw.cutNics()]).toEqual(['eth1']);
    fw.hook('OUTPUT');
    expect([...fw.cutNics()].sort()).toEqual(['eth1', 'eth2']);
    fw.flush();
    expect([...fw.cutNics()]).toEqual([]);
  });

  it('refuses as iptables does: no chain, existing chain, busy or non-empty chain', () => {
    const fw = new Firewall();
    expect(fw.drop({ direction: 'in', nic: 'eth1' })).toMatchObject({ exit: 1, stderr: 'iptables: No chain/target/match by that name.\n' });
    expect(fw.list().exit).toBe(1);
    expect(fw.newChain().exit).toBe(0);
    expect(fw.newChain()).toMatchObject({ exit: 1, stderr: 'iptables: Chain already exists.\n' });
    fw.hook('INPUT');
    fw.drop({ direction: 'in', nic: 'eth1' });
    expect(fw.deleteChain().stderr).toMatch(/Device or resource busy/);
    expect(fw.unhook('INPUT').exit).toBe(0);
    expect(fw.unhook('INPUT').stderr).toMatch(/Bad rule/);
    expect(fw.deleteChain().stderr).toMatch(/Directory not empty/);
    fw.flush();
    expect(fw.deleteChain().exit).toBe(0);
    expect(fw.empty).toBe(true);
  });
});

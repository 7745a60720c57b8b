import { describe, expect, it } from 'vitest';
import { ServeSession } from '../../../../../harness/serve/serve-session.js';
import { HostShell } from '../../../../../harness/serve/ssh/host-shell.js';
import { serveSpec } from '../../../../support/serve-scenario.js';

/** A session whose wall clock the test moves, and the shell of one compute. */
function setup(host = 'compute-01') {
  let wall = 1_700_000_000_000;
  const session = new ServeSession(serveSpec(), { speed: 10, clock: () => wall, tickMs: 0 });
  const shell = new HostShell(session, session.world.hosts.get(host)!);
  return { session, shell, h: session.world.hosts.get(host)!, tick: (ms: number) => void (wall += ms) };
}

describe('a served compute\'s shell against the world', () => {
  it('a kill of nova-compute is a nova-compute-crash fault; start undoes it and the service runs again', () => {
    const { session, shell, h, tick } = setup();
    expect(shell.run('pkill -9 -f nova-compute')).toEqual({ exit: 0, stdout: '', stderr: '' });
    expect(h.novaCompute).toBe('stopped');
    expect(session.faults.injected.map((f) => [f.kind, f.targets])).toEqual([['nova-compute-crash', ['compute-01']]]);
    expect(shell.run('systemctl start nova-compute').exit).toBe(0);
    expect(session.faults.injected[0]!.undoneAtMs).not.toBeNull();
    tick(60_000);
    session.advance();
    expect(h.novaCompute).toBe('running');
    expect(shell.run('systemctl is-active nova-compute')).toMatchObject({ exit: 0, stdout: 'active\n' });
  });

  it('an iptables DROP is a nic-down fault on that network only once the chain is hooked; -F heals exactly it', () => {
    const { session, shell } = setup();
    const nicUp = (net: 'mgmt' | 'tenant') => session.world.nets.nicUp('compute-01', net);
    shell.run('iptables -N IHASIM');
    shell.run('iptables -A IHASIM -i eth2 -j DROP');
    expect(nicUp('tenant')).toBe(true);
    shell.run('iptables -I INPUT -j IHASIM');
    expect(nicUp('tenant')).toBe(false);
    shell.run('ip link set eth1 down');
    expect(nicUp('mgmt')).toBe(false);
    shell.run('iptables -F IHASIM');
    expect(nicUp('tenant')).toBe(true);
    expect(nicUp('mgmt')).toBe(false);
    shell.run('ip link set eth1 up');
    expect(nicUp('mgmt')).toBe(true);
    expect(session.faults.injected.map((f) => [f.kind, f.network, f.undoneAtMs !== null])).toEqual([['nic-down', 'tenant', true], ['nic-down', 'mgmt', true]]);
  });

  it('a reboot forgets the chain and its cut', () => {
    const { session, shell, h, tick } = setup();
    for (const c of ['iptables -N IHASIM', 'iptables -I INPUT -j IHASIM', 'iptables -A IHASIM -i eth3 -j DROP']) shell.run(c);
    expect(session.world.nets.nicUp('compute-01', 'storage')).toBe(false);
    const bootId = shell.run('cat /proc/sys/kernel/random/boot_id').stdout;
    expect(shell.run('echo b > /proc/sysrq-trigger').drop).toBe(true);
    tick(600_000);
    session.advance();
    expect(h.alive).toBe(true);
    shell.followReboot();
    expect(session.world.nets.nicUp('compute-01', 'storage')).toBe(true);
    expect(shell.run('iptables -S IHASIM').exit).toBe(1);
    expect(shell.run('cat /proc/sys/kernel/random/boot_id').stdout).not.toBe(bootId);
  });

  it('a panic is host-kernel-panic and drops the session; pacemaker_remote stop is its crash', () => {
    const { session, shell, h } = setup();
    expect(shell.run('systemctl stop pacemaker_remote').exit).toBe(0);
    expect(h.pacemakerRemote).toBe(false);
    expect(shell.run('echo c > /proc/sysrq-trigger')).toMatchObject({ drop: true });
    expect(h.state).toBe('crashed');
    expect(session.faults.injected.map((f) => f.kind)).toEqual(['pacemaker-remote-crash', 'host-kernel-panic']);
  });

  it('answers 127 for anything else, refuses the admin NIC and unknown NICs, and never throws', () => {
    const { shell } = setup();
    expect(shell.run('reboot')).toEqual({ exit: 127, stdout: '', stderr: 'ihasim-serve: command not in the served vocabulary: reboot\n' });
    expect(shell.run('ip link set eth0 down')).toMatchObject({ exit: 1, stderr: expect.stringMatching(/admin NIC/) });
    expect(shell.run('ip link set eth9 down')).toMatchObject({ exit: 1, stderr: 'Cannot find device "eth9"\n' });
    expect(shell.run('\u0000'.repeat(10_000)).exit).toBe(127);
    expect(shell.run('ip -o link').stdout).toMatch(/eth1: .*state UP.*alias mgmt/);
  });

  it('logs every exec to the trace (the SSE stream)', () => {
    const { session, shell } = setup();
    shell.run('hostname');
    const rec = session.world.trace.records.find((r) => r.type === 'ssh.exec');
    expect(rec).toMatchObject({ entity: 'compute-01', command: 'hostname', exit: 0 });
  });
});

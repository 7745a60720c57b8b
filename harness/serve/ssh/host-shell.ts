/**
 * The shell of one served compute: runs a command of the served vocabulary (vocabulary.ts) against the world.
 * Every mutating command is a live fault or its undo (live-faults.ts), so it shows in `GET /faults`, is held and
 * released through sim/faults' holds, and is replayed like a fault posted to the control API:
 *
 * - stopping or killing nova-compute (systemctl, pkill, podman/docker) is `nova-compute-crash`; starting it
 *   undoes the crashes this shell caused, then `nova-compute-start`s it if it is still stopped;
 * - stopping or killing pacemaker_remote is `pacemaker-remote-crash` (the model's daemon is restarted by systemd
 *   a second later, whichever way it stopped);
 * - `echo c > /proc/sysrq-trigger` is `host-kernel-panic`, `echo b` is `host-reboot`: the session drops;
 * - an iptables DROP rule on a NIC, once its chain is reached, and `ip link set ethN down` are `nic-down` on the
 *   NIC's network (every link the world judges needs both directions, so `-i` and `-o` cut alike); flushing the
 *   chain (or `ip link set … up`) undoes exactly the faults this shell added. A reboot forgets both, as Linux does.
 */
import type { ComputeHost } from '../../../sim/infra/compute-host.js';
import type { NetworkName } from '../../../sim/scenario-spec.js';
import { hostBootId } from '../boot-ids.js';
import type { ServeSession } from '../serve-session.js';
import { Firewall, type CommandOutput } from './firewall.js';
import { ipLinkList, isActive, virshList } from './host-views.js';
import { ADMIN_NIC, isMutating, NIC_NETWORKS, normalizeCommand, notInVocabulary, parseCommand, type HostCommand, type ServiceName } from './vocabulary.js';

/** What a command answers; `drop`: the host went down under the session (panic, reboot), which ends without a status. */
export interface ShellResult extends CommandOutput {
  drop?: boolean;
}

const ok = (stdout = ''): ShellResult => ({ exit: 0, stdout, stderr: '' });
const fail = (exit: number, stderr: string): ShellResult => ({ exit, stdout: '', stderr: `${stderr}\n` });

export class HostShell {
  private firewall = new Firewall();
  private readonly linksDown = new Set<string>();
  /** The `nic-down` faults this shell holds, by network (one per network, whatever holds it: rule or link). */
  private readonly nicFaults = new Map<NetworkName, number>();
  /** The `nova-compute-crash` faults this shell injected and has not undone. */
  private novaComputeCrashes: number[] = [];
  private bootCount: number;

  constructor(
    private readonly session: ServeSession,
    readonly host: ComputeHost,
  ) {
    this.bootCount = host.bootCount;
  }

  /** Run one command (any string a client sent); never throws for bad input. */
  run(raw: string): ShellResult {
    this.session.advance();
    this.followReboot();
    const cmd = parseCommand(raw);
    let result: ShellResult;
    try {
      result = cmd ? this.execute(cmd) : { exit: 127, stdout: '', stderr: notInVocabulary(raw) };
    } catch (err) {
      // A fault the world refuses (e.g. one undone meanwhile through the control API) fails this command only.
      result = fail(1, `ihasim-serve: ${err instanceof Error ? err.message : String(err)}`);
    }
    this.session.world.emit('ssh.exec', this.host.name, { command: normalizeCommand(raw).slice(0, 200), exit: result.drop ? null : result.exit });
    return result;
  }

  /** iptables rules and `ip link` settings do not survive a reboot: once the host booted again, undo their faults. */
  followReboot(): void {
    if (this.host.bootCount === this.bootCount) return;
    this.bootCount = this.host.bootCount;
    this.firewall = new Firewall();
    this.linksDown.clear();
    this.reconcileNics();
  }

  private execute(cmd: HostCommand): ShellResult {
    if (isMutating(cmd) && this.session.driver.frozen !== null) {
      return fail(1, `ihasim-serve: the world is frozen (${this.session.driver.frozen}): no more faults`);
    }
    switch (cmd.kind) {
      case 'service-stop': return this.stopService(cmd.service);
      case 'service-start': return this.startService(cmd.service);
      case 'service-is-active': return isActive(this.host, cmd.service);
      case 'sysrq':
        this.inject({ kind: cmd.action === 'panic' ? 'host-kernel-panic' : 'host-reboot' });
        return { ...ok(), drop: true };
      case 'ip-link-set': return this.setLink(cmd.nic, cmd.up);
      case 'ip-link-list': return ok(ipLinkList(this.session.world, this.host, this.linksDown, this.firewall.cutNics()));
      case 'hostname': return ok(`${this.host.name}\n`);
      case 'boot-id': return ok(`${hostBootId(this.session.seed, this.host.name, this.host.bootCount)}\n`);
      case 'virsh-list': return ok(virshList(this.host));
      default: return this.iptables(cmd);
    }
  }

  private iptables(cmd: HostCommand): ShellResult {
    const fw = this.firewall;
    let out: CommandOutput;
    switch (cmd.kind) {
      case 'iptables-new-chain': out = fw.newChain(); break;
      case 'iptables-hook': out = fw.hook(cmd.builtin); break;
      case 'iptables-unhook': out = fw.unhook(cmd.builtin); break;
      case 'iptables-drop':
        if (cmd.nic === ADMIN_NIC) return adminNicRefused();
        out = fw.drop({ direction: cmd.direction, nic: cmd.nic });
        break;
      case 'iptables-flush': out = fw.flush(); break;
      case 'iptables-delete-chain': out = fw.deleteChain(); break;
      case 'iptables-list': return fw.list();
      default: return fail(127, `ihasim-serve: ${cmd.kind} is not an iptables command`);
    }
    this.reconcileNics();
    return out;
  }

  private setLink(nic: string, up: boolean): ShellResult {
    if (nic === ADMIN_NIC) return adminNicRefused();
    if (!Object.hasOwn(NIC_NETWORKS, nic)) return fail(1, `Cannot find device "${nic}"`);
    if (up) this.linksDown.delete(nic);
    else this.linksDown.add(nic);
    this.reconcileNics();
    return ok();
  }

  /** Make the world's NIC faults match what the chain and the links cut: inject the new cuts, undo the gone ones. */
  private reconcileNics(): void {
    const cut = this.firewall.cutNics();
    for (const nic of this.linksDown) cut.add(nic);
    for (const [nic, network] of Object.entries(NIC_NETWORKS)) {
      const held = this.nicFaults.get(network);
      if (cut.has(nic) && held === undefined) this.nicFaults.set(network, this.inject({ kind: 'nic-down', network }));
      if (!cut.has(nic) && held !== undefined) {
        this.nicFaults.delete(network);
        this.undo(held);
      }
    }
  }

  private stopService(service: ServiceName): ShellResult {
    if (service === 'pacemaker_remote') {
      if (this.host.pacemakerRemote) this.inject({ kind: 'pacemaker-remote-crash' });
      return ok();
    }
    if (this.host.novaCompute !== 'stopped') this.novaComputeCrashes.push(this.inject({ kind: 'nova-compute-crash' }));
    return ok();
  }

  private startService(service: ServiceName): ShellResult {
    // The model's pacemaker_remote is restarted by systemd a second after it stops: starting it is already done.
    if (service === 'pacemaker_remote') return ok();
    for (const id of this.novaComputeCrashes.splice(0)) this.undo(id);
    if (this.host.novaCompute === 'stopped') this.inject({ kind: 'nova-compute-start' });
    return ok();
  }

  /** Inject a fault on this host through the control API's path (same parsing, same record); returns its id. */
  private inject(fault: { kind: string; network?: NetworkName }): number {
    const body = { ...fault, target: this.host.name };
    return this.session.faults.inject(this.session.faults.parse(body), body).id;
  }

  /** Undo a fault this shell injected; one the control API undid already is left as it is. */
  private undo(id: number): void {
    const fault = this.session.faults.injected.find((f) => f.id === id);
    if (fault && fault.undoneAtMs === null) this.session.faults.heal({ id });
  }
}

function adminNicRefused(): ShellResult {
  return fail(1, `ihasim-serve: ${ADMIN_NIC} is the admin NIC this session arrives on; the served world does not model cutting it (cut eth1 mgmt, eth2 tenant or eth3 storage)`);
}

import type { Op } from '../../../kernel/process.js';
import type { ClusterView, DesignPorts } from '../../design-ports.js';
import type { ApiReply } from './api.js';
import type { MasakariConfig } from './config.js';
import type { HostStatus, NotificationPayload } from './db.js';

type Online = 'online' | 'offline';
type Stabilised = Online | '_being_collected' | '_uncertain';

/** POST /notifications as the monitor's client sees it. */
export type PostNotification = (hostname: string, generatedAtMs: number, payload: NotificationPayload) => Op<ApiReply>;

/**
 * masakari-monitors' host monitor on one node (hostmonitor/host_handler/handle_host.py `HandleHost`). On a
 * pacemaker-remote compute `_check_hb_line` answers "Works on pacemaker-remote" and the crmadmin check is skipped;
 * on a full cluster member (`clusterMember`: a controller) both apply.
 */
export class HostMonitor {
  /** hold_host_status.py `HostHoldStatus`: the last state reported (or first seen) per node. */
  private readonly held = new Map<string, Online>();
  /** `monitoring_data`: the last `monitoring_samples` states per node. */
  private readonly history = new Map<string, Online[]>();

  constructor(
    private readonly ports: DesignPorts,
    private readonly config: MasakariConfig['monitor'],
    readonly node: string,
    private readonly post: PostNotification,
    private readonly clusterMember = false,
  ) {}

  /** `monitor_hosts`: one cycle every `monitoring_interval`, whatever the cycle did. */
  *run(): Op<void> {
    for (;;) {
      yield* this.cycle();
      yield* this.ports.clock.sleep(this.config.intervalMs);
    }
  }

  /**
   * One pass. On a cluster member: a corosync heartbeat capture that fails (`_check_hb_line` returns 1: the node is
   * cut from the cluster) → sleep `stonith_wait` ("my host may be fenced by stonith"), then go on; crmadmin must
   * show S_IDLE or S_NOT_DC, else skip (`_check_host_status_by_crmadmin`). Then read the cluster as `cibadmin
   * --query` (or `crm_mon -X` with `restrict_to_remotes`) shows it here; no answer → skip (`_get_cib_xml` None,
   * "hostmonitor skips monitoring hosts."); no quorum → skip (`_check_host_status_by_cibadmin` returns 2).
   */
  *cycle(): Op<void> {
    if (this.clusterMember && !(yield* this.clusterMemberReady())) return;
    const view = yield* this.ports.cluster!.view(this.node);
    if (!view.reachable) return this.ports.log('masakari.monitor.skip', this.node, { why: 'cluster not reachable' });
    if (!view.quorate) return this.ports.log('masakari.monitor.skip', this.node, { why: "Pacemaker cluster doesn't have quorum." });
    yield* this.checkIfStatusChanged(this.watched(view));
  }

  /** `_check_hb_line` (1 → `stonith_wait`) and `_check_host_status_by_crmadmin` on a full cluster member. */
  private *clusterMemberReady(): Op<boolean> {
    let view = yield* this.ports.cluster!.view(this.node);
    if (!view.reachable) {
      this.ports.log('masakari.monitor.hb-failed', this.node, { sleepMs: this.config.stonithWaitMs });
      yield* this.ports.clock.sleep(this.config.stonithWaitMs);
      view = yield* this.ports.cluster!.view(this.node);
    }
    if (view.reachable && (view.dcState === 'S_IDLE' || view.dcState === 'S_NOT_DC')) return true;
    this.ports.log('masakari.monitor.skip', this.node, { why: `'${this.node}' is unstable state on cluster.` });
    return false;
  }

  /** `restrict_to_remotes`: `_check_host_status_by_crm_mon` keeps `type == 'remote'` nodes only. */
  private watched(view: ClusterView): ClusterView['nodes'] {
    return this.config.restrictToRemotes ? view.nodes.filter((n) => n.remote) : view.nodes;
  }

  /** `_update_monitoring_data` + `get_stabilised_host_status`. */
  private sample(name: string, current: Online): Stabilised {
    const h = this.history.get(name) ?? [];
    h.push(current);
    if (h.length > this.config.samples) h.shift();
    this.history.set(name, h);
    if (h.length < this.config.samples) return '_being_collected';
    return h.every((s) => s === h[0]) ? h[0]! : '_uncertain';
  }

  /** `_check_if_status_changed`: report a node only when its stabilised state differs from the one held. */
  private *checkIfStatusChanged(nodes: ClusterView['nodes']): Op<void> {
    for (const n of nodes) {
      if (n.name === this.node) continue; // "hostmonitor doesn't monitor itself."
      const current: Online = n.online ? 'online' : 'offline';
      const stabilised = this.sample(n.name, current);
      const old = this.held.get(n.name);
      if (old === undefined) {
        this.held.set(n.name, current); // "Recognized '%s' as a new member of cluster."
        continue;
      }
      if (stabilised === '_being_collected' || stabilised === old) continue;
      if (stabilised !== '_uncertain') {
        // An exception in `_make_event` leaves the held state as it was, so the next cycle tries again.
        if (!(yield* this.report(n.name, stabilised))) return;
        this.held.set(n.name, current);
      }
    }
  }

  /** `_make_event` and `SendNotification.send_notification`; false: `_make_event` raised. */
  private *report(hostname: string, status: Online): Op<boolean> {
    const hostStatus = status === 'online' ? 'NORMAL' : yield* this.offlineHostStatus(hostname);
    if (hostStatus === 'raised') return false;
    const payload: NotificationPayload = {
      event: status === 'online' ? 'STARTED' : 'STOPPED', clusterStatus: status === 'online' ? 'ONLINE' : 'OFFLINE', hostStatus,
    };
    this.ports.log('masakari.monitor.report', hostname, { from: this.node, event: payload.event, hostStatus });
    yield* this.send(hostname, this.ports.clock.now(), payload);
    return true;
  }

  /**
   * `_make_event` for an offline node: `disable_ipmi_check` → NORMAL; else `_is_poweroff` → NORMAL or UNKNOWN.
   * With `restrict_to_remotes` the stonith parameters are read from a CIB that was never fetched
   * (`ParseCibXml.get_stonith_ipmi_params` iterates `cib_tag = None`): a TypeError, caught in `monitor_hosts`.
   */
  private *offlineHostStatus(hostname: string): Op<HostStatus | 'raised'> {
    if (this.config.disableIpmiCheck) return 'NORMAL';
    if (this.config.restrictToRemotes) {
      this.ports.log('masakari.monitor.exception', this.node, { host: hostname, why: "TypeError: 'NoneType' object is not iterable (stonith params from an unread CIB)" });
      return 'raised';
    }
    return (yield* this.isPowerOff(hostname)) ? 'NORMAL' : 'UNKNOWN';
  }

  /**
   * `_is_poweroff`: `timeout <ipmi_timeout> ipmitool … power status`, 1 + `ipmi_retry_max` tries `ipmi_retry_interval`
   * apart; only "Power is off" counts.
   */
  private *isPowerOff(hostname: string): Op<boolean> {
    for (let retry = 0; ; retry++) {
      const reply = yield* this.ports.bmc.power(hostname, 'status', { protocol: 'ipmi', timeoutMs: this.config.ipmiTimeoutMs });
      if (reply.ok && reply.power === 'off') return true;
      if (retry >= this.config.ipmiRetryMax) return false;
      yield* this.ports.clock.sleep(this.config.ipmiRetryIntervalMs);
    }
  }

  /** masakarimonitors/ha/masakari.py `send_notification`: 400 and 409 are final; else up to `api_retry_max` retries. */
  private *send(hostname: string, generatedAtMs: number, payload: NotificationPayload): Op<void> {
    for (let retry = 0; ; retry++) {
      const reply = yield* this.post(hostname, generatedAtMs, payload);
      this.ports.log('masakari.monitor.posted', hostname, { from: this.node, status: reply.status });
      if (reply.status === 202 || reply.status === 400 || reply.status === 409) return;
      if (retry >= this.config.apiRetryMax) return;
      yield* this.ports.clock.sleep(this.config.apiRetryIntervalMs);
    }
  }
}

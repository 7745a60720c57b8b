/**
 * What the campaign sees of the cloud, polled under the API rate limit: Nova's compute services, every server
 * (host and states), evacuations, hypervisors; the BMC power of the targets; the canaries' heartbeats. Each poll
 * records what changed, and says whether an abort condition holds: a host outside the targets went down, the
 * control plane stopped answering, or a canary has been silent beyond the bound.
 */
import { expandBraces } from '../scenario/braces.js';
import { matchPattern } from '../scenario/name-match.js';
import type { Campaign } from './campaign.js';
import type { Heartbeat } from './canary-collector.js';
import type { Connections } from './executor.js';
import type { NovaServer, NovaService } from './openstack/openstack-client.js';
import type { Recorder } from './recorder.js';

interface CanaryState { name: string; lastMs: number; serving: boolean; bootId: string }

export class Observers {
  private readonly services = new Map<string, string>();
  private readonly baselineUp = new Set<string>();
  private readonly servers = new Map<string, string>();
  private readonly names = new Map<string, string>();
  private readonly migrations = new Set<string>();
  private readonly power = new Map<string, string>();
  private readonly hypervisors = new Map<string, string>();
  private readonly canaries = new Map<string, CanaryState>();
  /** libvirt domain name (Nova's `OS-EXT-SRV-ATTR:instance_name`) → server name. */
  private readonly domainNames = new Map<string, string>();
  /** Per host, the server names whose domain `virsh list` showed running last time. */
  private readonly running = new Map<string, Set<string>>();
  private failures = 0;
  private first = true;
  /** Canary server names (globs resolved against Nova's list). */
  private canaryNames = new Set<string>();
  readonly targets: ReadonlySet<string>;

  constructor(private readonly campaign: Campaign, private readonly conns: Connections, private readonly rec: Recorder) {
    this.targets = new Set(campaign.faults.map((f) => f.host).filter((h): h is string => h !== undefined));
  }

  /** A heartbeat arrived (collector callback). */
  heartbeat(h: Heartbeat): void {
    const name = this.names.get(h.uuid) ?? h.uuid;
    const t = this.rec.now();
    this.rec.add({ kind: 'heartbeat', source: 'canary', instance: name, bootId: h.bootId, ...(h.host ? { host: h.host } : {}) }, t);
    const c = this.canaries.get(h.uuid);
    if (!c || !c.serving) this.rec.add({ kind: 'serving', source: 'canary', instance: name, serving: true, ...(h.host ? { host: h.host } : {}) }, t);
    this.canaries.set(h.uuid, { name, lastMs: t, serving: true, bootId: h.bootId });
  }

  /** One round of polls; the reason to abort, or null. */
  async poll(): Promise<string | null> {
    const reason = (await this.pollNova()) ?? (await this.pollPower());
    if (this.campaign.observers.virsh) await this.pollVirsh();
    this.first = false;
    return reason ?? this.checkCanaries();
  }

  private async pollNova(): Promise<string | null> {
    try {
      const os = await this.conns.openstack();
      const services = await os.services();
      const servers = await os.servers();
      const migrations = await os.migrations();
      const hypervisors = await os.hypervisors();
      this.failures = 0;
      this.recordServers(servers);
      this.recordMigrations(migrations);
      this.recordHypervisors(hypervisors);
      return this.recordServices(services);
    } catch (err) {
      this.failures++;
      const why = this.conns.redactor.text(err instanceof Error ? err.message : String(err));
      if (this.failures >= this.campaign.limits.controlPlaneFailures) return `the control plane stopped answering: ${this.failures} consecutive failed polls (last: ${why})`;
      return null;
    }
  }

  private recordServices(services: readonly NovaService[]): string | null {
    let reason: string | null = null;
    for (const s of services) {
      const state = s.state === 'up' ? 'up' : 'down';
      if (this.first && state === 'up') this.baselineUp.add(s.host);
      const sig = `${state}/${s.status}/${s.forced_down === true}`;
      if (this.services.get(s.host) === sig) continue;
      this.services.set(s.host, sig);
      this.rec.add({ kind: 'nova-service', source: 'nova', host: s.host, state, status: s.status === 'disabled' ? 'disabled' : 'enabled', forcedDown: s.forced_down === true, disabledReason: (s as { disabled_reason?: string | null }).disabled_reason ?? null });
      if (state === 'down' && !this.targets.has(s.host) && this.baselineUp.has(s.host)) reason ??= `${s.host}, which no fault targets, went down (Nova compute service down)`;
    }
    return reason;
  }

  private recordServers(servers: NovaServer[]): void {
    if (this.first) {
      const all = servers.map((s) => s.name);
      this.canaryNames = new Set(this.campaign.canaries.servers.flatMap((p) => expandBraces(p).flatMap((q) => matchPattern(q, all))).sort());
    }
    for (const s of servers) {
      this.names.set(s.id, s.name);
      const domain = (s as { 'OS-EXT-SRV-ATTR:instance_name'?: string })['OS-EXT-SRV-ATTR:instance_name'];
      if (domain) this.domainNames.set(domain, s.name);
      const host = s['OS-EXT-SRV-ATTR:host'] ?? null;
      const vmState = s['OS-EXT-STS:vm_state'] ?? s.status.toLowerCase();
      const taskState = s['OS-EXT-STS:task_state'] ?? null;
      const sig = `${host}/${vmState}/${taskState}`;
      if (this.servers.get(s.id) === sig) continue;
      this.servers.set(s.id, sig);
      this.rec.add({ kind: 'nova-server', source: 'nova', instance: s.name, host, vmState, taskState });
    }
  }

  private recordMigrations(migrations: Record<string, unknown>[]): void {
    for (const m of migrations) {
      const id = String(m['uuid'] ?? m['id']);
      if (this.migrations.has(id)) continue;
      this.migrations.add(id);
      if (this.first || m['migration_type'] !== 'evacuation') continue; // evacuations from before the campaign are not ours
      const uuid = String(m['instance_uuid']);
      this.rec.add({ kind: 'evacuation', source: 'nova', instance: this.names.get(uuid) ?? uuid, fromHost: String(m['source_compute']), ...(m['dest_compute'] ? { target: String(m['dest_compute']) } : {}) });
    }
  }

  /** Hypervisors have no observation kind of their own: their state is kept for the report's timeline only. */
  private recordHypervisors(hypervisors: Record<string, unknown>[]): void {
    for (const h of hypervisors) this.hypervisors.set(String(h['hypervisor_hostname']), `${String(h['state'])}/${String(h['status'])}`);
  }

  private async pollPower(): Promise<string | null> {
    for (const host of this.targets) {
      if (!this.campaign.hosts.get(host)?.bmc) continue;
      let state: 'on' | 'off' | 'unknown';
      try {
        state = await this.conns.powerOf(host).status();
      } catch {
        state = 'unknown';
      }
      if (this.power.get(host) === state) continue;
      this.power.set(host, state);
      this.rec.add({ kind: 'power', source: 'bmc', host, state });
    }
    return null;
  }

  /**
   * `virsh list --all` on every inventory host with SSH: a domain that shows `running` where it did not is a
   * domain started there; one that no longer does is stopped. A host that does not answer (off, panicked) keeps
   * its last listing: its domains may still run for all the harness can tell.
   */
  private async pollVirsh(): Promise<void> {
    for (const [host, entry] of this.campaign.hosts) {
      if (!entry.ssh) continue;
      let listing: string;
      try {
        const r = await this.conns.sshOf(host).exec('virsh list --all');
        if (r.code !== 0) continue;
        listing = r.stdout;
      } catch {
        continue;
      }
      const now = new Set<string>();
      for (const line of listing.split('\n')) {
        const m = /^\s*(\d+|-)\s+(\S+)\s+(.+?)\s*$/.exec(line);
        if (m && m[3] === 'running') now.add(this.domainNames.get(m[2]!) ?? m[2]!);
      }
      const before = this.running.get(host) ?? new Set<string>();
      for (const name of now) if (!before.has(name)) this.rec.add({ kind: 'domain', source: 'virsh', phase: 'started', instance: name, host });
      for (const name of before) if (!now.has(name)) this.rec.add({ kind: 'domain', source: 'virsh', phase: 'stopped', instance: name, host });
      this.running.set(host, now);
    }
  }

  /** Marks canaries silent for two periods as not serving; the reason to abort when one is silent beyond the bound. */
  private checkCanaries(): string | null {
    const now = this.rec.now();
    const period = this.campaign.canaries.intervalMs;
    for (const c of this.canaries.values()) {
      const silent = now - c.lastMs;
      if (c.serving && silent > 2 * period) {
        c.serving = false;
        this.rec.add({ kind: 'serving', source: 'canary', instance: c.name, serving: false }, c.lastMs + period);
      }
      if (silent > this.campaign.limits.canaryOutageBoundMs) return `canary ${c.name} has been silent for ${Math.round(silent / 1000)} s, beyond limits.canaryOutageBound`;
    }
    return null;
  }

  /** Canary names Nova listed, and which of them ever sent a heartbeat. */
  canarySummary(): { expected: string[]; heard: string[] } {
    return { expected: [...this.canaryNames], heard: [...this.canaries.values()].map((c) => c.name) };
  }
}

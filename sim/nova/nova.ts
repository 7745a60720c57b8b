import type { ComputeHost } from '../infra/compute-host.js';
import type { Instance } from '../instance.js';
import type { World } from '../world.js';
import { ComputeService } from './compute-service.js';
import { rebuildAlive, startEvacuation, type Rebuild } from './evacuation.js';
import { evacuateRefusesTaskState, forceUpChecksEvacuations } from './release.js';
import { CLEANUP_STATUSES, Migrations } from './migrations.js';
import { Scheduler } from './scheduler.js';
import {
  NovaApiError,
  type AggregateRecord, type EvacuateRequest, type FlavorRecord, type HypervisorRecord, type ImageRecord,
  type InstanceRecord, type MigrationQuery, type MigrationRecord, type NovaControl, type ServerGroupRecord, type ServiceRecord,
} from './records.js';
import { renderFlavors, renderImages, renderAggregates, renderServerGroups, renderZones } from './catalog-views.js';
import { addHostToAggregate, instanceOr404, lockInstance, resetInstanceState, stopInstance, unlockInstance } from './admin-actions.js';

/** `GET /servers`' `name` (a substring) and `project_id` filters. */
function matches(i: Instance, filter: { name?: string; projectId?: string }): boolean {
  if (filter.name !== undefined && !i.nova.name.includes(filter.name)) return false;
  return filter.projectId === undefined || i.nova.projectId === filter.projectId;
}

/** The Nova services every controller runs (besides the API). */
const CONTROLLER_BINARIES = ['nova-scheduler', 'nova-conductor'] as const;

/**
 * Nova's control plane as the world runs it: the services table, instance records, migrations, the scheduler
 * and the API's semantics (its errors included). It acts on its *view*; the truth is in the hosts' domains.
 */
export class Nova implements NovaControl {
  readonly computeServices = new Map<string, ComputeService>();
  readonly migrationsTable: Migrations;
  readonly scheduler: Scheduler;
  /** Rebuilds of evacuations that have neither finished nor been refused (lost ones stay here, as in Nova). */
  readonly rebuilds = new Set<Rebuild>();
  /** Hosts added to the scenario's aggregates by `add_host` (Masakari's reserved hosts), by aggregate name. */
  readonly addedAggregateHosts = new Map<string, string[]>();

  constructor(private readonly world: World) {
    this.migrationsTable = new Migrations(() => world.ids.uuid());
    this.scheduler = new Scheduler({
      now: () => world.kernel.now,
      serviceUsable: (h) => this.usable(h),
      groupHosts: (i) => world.groupHosts(i),
      aggregateMetadata: (h) => world.aggregateMetadataOf(h),
    });
  }

  private get now(): number {
    return this.world.kernel.now;
  }

  /** ComputeFilter: Nova believes the service up, and it is enabled. */
  usable(host: ComputeHost): boolean {
    const svc = this.computeServices.get(host.name)!;
    return svc.status === 'enabled' && this.isUp(svc);
  }

  /** Service liveness: the servicegroup DB driver's `is_up`, from the last heartbeat (or forced down). */
  isUp(svc: ComputeService): boolean {
    return svc.isUp(this.now);
  }

  serviceRecord(svc: ComputeService): ServiceRecord {
    const rec = svc.record(this.now);
    rec.state = this.isUp(svc) ? 'up' : 'down';
    return rec;
  }

  services(filter: { host?: string; binary?: string } = {}): ServiceRecord[] {
    const out: ServiceRecord[] = [];
    for (const c of this.world.controllers.values()) {
      for (const binary of CONTROLLER_BINARIES) {
        if ((filter.host && filter.host !== c.name) || (filter.binary && filter.binary !== binary)) continue;
        out.push(c.serviceRecord(binary, this.now));
      }
    }
    if (filter.binary && filter.binary !== 'nova-compute') return out;
    if (filter.host !== undefined) {
      const svc = this.computeServices.get(filter.host);
      if (svc) out.push(this.serviceRecord(svc));
      return out;
    }
    for (const svc of this.computeServices.values()) out.push(this.serviceRecord(svc));
    return out;
  }

  private service(host: string, binary: string): ComputeService {
    const svc = binary === 'nova-compute' ? this.computeServices.get(host) : undefined;
    if (!svc) throw new NovaApiError(404, `Service ${binary} on host ${host} could not be found.`);
    return svc;
  }

  forceDown(host: string, binary: string, forcedDown: boolean): ServiceRecord {
    return this.change(this.service(host, binary), { forcedDown });
  }

  disable(host: string, binary: string, reason?: string): ServiceRecord {
    return this.change(this.service(host, binary), { status: 'disabled', disabledReason: reason ?? null });
  }

  enable(host: string, binary: string): ServiceRecord {
    return this.change(this.service(host, binary), { status: 'enabled', disabledReason: null });
  }

  updateService(uuid: string, change: { status?: 'enabled' | 'disabled'; disabledReason?: string; forcedDown?: boolean }): ServiceRecord {
    const svc = [...this.computeServices.values()].find((s) => s.uuid === uuid);
    if (!svc) throw new NovaApiError(404, `Service ${uuid} not found.`);
    return this.change(svc, { ...change, disabledReason: change.disabledReason ?? (change.status === 'enabled' ? null : undefined) });
  }

  private change(svc: ComputeService, c: { status?: 'enabled' | 'disabled'; disabledReason?: string | null; forcedDown?: boolean }): ServiceRecord {
    // Before anything is saved, and whether or not the service is forced down now: a body that also enables is
    // refused whole (services.py `ServiceController.update` / `_forced_down`).
    if (c.forcedDown === false) this.refuseForceUp(svc);
    if (c.status !== undefined) svc.status = c.status;
    if (c.disabledReason !== undefined) svc.disabledReason = c.disabledReason;
    if (c.forcedDown !== undefined) svc.forcedDown = c.forcedDown;
    if (c.forcedDown === true) {
      const inc = this.world.incidents.current(svc.host);
      if (inc && inc.markedDownAtMs === null) inc.markedDownAtMs = this.now;
    }
    svc.updatedAtMs = this.now;
    this.world.emit('nova.service.update', svc.host, { status: svc.status, forcedDown: svc.forcedDown, reason: svc.disabledReason });
    const host = this.world.hosts.get(svc.host);
    if (host) this.scheduler.touch(host);
    return this.serviceRecord(svc);
  }

  /**
   * `api/openstack/compute/services.py` `ServiceController._check_for_evacuations` (Nova ≥ 24.0.0, LP#1922053):
   * every request that sets forced_down=false on a compute with evacuations from it in status `done` is refused
   * with 400 (a "TODO 409" in Nova), until its nova-compute restarts and moves them to `completed`.
   */
  private refuseForceUp(svc: ComputeService): void {
    if (!forceUpChecksEvacuations(this.world.config.nova.release)) return;
    if (this.migrationsTable.anyFromSource(svc.host, 'done')) {
      throw new NovaApiError(400, `Unable to force up host ${svc.host} as \`done\` evacuation migration records remain associated with the host. Ensure the compute service has been restarted, allowing these records to move to \`completed\` before retrying this request.`);
    }
  }

  hypervisors(): HypervisorRecord[] {
    return this.world.hostList.map((h) => {
      const svc = this.computeServices.get(h.name)!;
      return {
        id: h.index + 1, uuid: this.world.ids.stable(`hypervisor:${h.name}`), hostname: h.name,
        state: this.isUp(svc) ? 'up' : 'down', status: svc.status,
        vcpus: h.spec.vcpus, vcpusUsed: h.vcpusUsed, memoryMb: h.spec.ramMb, memoryMbUsed: h.ramMbUsed,
        localGb: h.spec.diskGb, localGbUsed: h.diskGbUsed,
        runningVms: [...h.allocations].filter((i) => i.nova.host === h.name).length,
      };
    });
  }

  /**
   * Snapshots of the records. Metadata and tags are shared, not copied: they come from the frozen scenario and
   * nothing in the world changes them.
   */
  instances(filter: { host?: string; name?: string; projectId?: string } = {}): InstanceRecord[] {
    const out: InstanceRecord[] = [];
    // One loop per kind of pool (a host's set, or every instance): a loop over either kind could not be optimised
    // and made an iterator result per instance.
    if (filter.host !== undefined) {
      const onHost = this.world.hosts.get(filter.host)?.novaInstances;
      if (onHost) for (const i of onHost) if (i.nova.host === filter.host && matches(i, filter)) out.push({ ...i.nova });
    } else {
      for (const i of this.world.instances.values()) if (matches(i, filter)) out.push({ ...i.nova });
    }
    return out;
  }

  instance(uuid: string): InstanceRecord | undefined {
    const i = this.world.instances.get(uuid);
    return i ? { ...i.nova } : undefined;
  }

  server(uuid: string): InstanceRecord {
    return { ...instanceOr404(this.world, uuid).nova };
  }

  lock(uuid: string, reason?: string): void {
    lockInstance(this.world, uuid, reason);
  }

  unlock(uuid: string): void {
    unlockInstance(this.world, uuid);
  }

  resetState(uuid: string, state: 'error' | 'active'): void {
    resetInstanceState(this.world, uuid, state);
  }

  stop(uuid: string, asAdmin = true): void {
    stopInstance(this.world, uuid, asAdmin);
  }

  addHostToAggregate(aggregateId: number, host: string): AggregateRecord {
    return addHostToAggregate(this.world, this.aggregates(), aggregateId, host);
  }

  evacuate(uuid: string, request: EvacuateRequest): { migrationUuid: string } {
    const inst = this.world.instances.get(uuid);
    if (!inst) throw new NovaApiError(404, `Instance ${uuid} could not be found.`);
    this.checkEvacuable(inst, request);
    return { migrationUuid: startEvacuation(this.world, inst, request).uuid };
  }

  /**
   * `trigger_crash_dump` (nova/compute/api.py `API.trigger_crash_dump`): refused with 409 unless the vm_state is
   * one of `vm_states.ALLOW_TRIGGER_CRASH_DUMP` (active, paused, error here; rescued and resized do not exist in
   * the model) with no task in progress (`check_instance_state`) and Nova knows a host (`check_instance_host`:
   * InstanceNotReady). Served instances are never locked (the API serves no lock action). Then it is a cast to the
   * host's nova-compute, which injects an NMI into the domain it runs (libvirt `inject_nmi`): a guest kernel set
   * to panic on NMI panics, and its watchdog acts as configured. A cast nova-compute cannot take (not running,
   * cut from the message bus) is lost, as is an NMI for a domain that does not run there.
   */
  triggerCrashDump(uuid: string): void {
    const inst = this.world.instances.get(uuid);
    if (!inst) throw new NovaApiError(404, `Instance ${uuid} could not be found.`);
    const { vmState, taskState, host } = inst.nova;
    if (vmState !== 'active' && vmState !== 'paused' && vmState !== 'error') {
      throw new NovaApiError(409, `Cannot 'trigger_crash_dump' instance ${uuid} while it is in vm_state ${vmState}`);
    }
    if (taskState !== null) throw new NovaApiError(409, `Cannot 'trigger_crash_dump' instance ${uuid} while it is in task_state ${taskState}`);
    if (host === null) throw new NovaApiError(409, `Instance ${uuid} is not ready`);
    const h = this.world.hosts.get(host);
    const delivered = h !== undefined && h.alive && h.novaCompute === 'running' && this.world.reachesControlPlane(host);
    this.world.emit('nova.trigger-crash-dump', inst.name, { host, delivered });
    if (!delivered) return;
    for (const d of inst.domains) if (d.host === h && d.executing) this.world.guestEvent(d, 'PANIC');
  }

  private checkEvacuable(inst: Instance, request: EvacuateRequest): void {
    const { vmState, host } = inst.nova;
    if (vmState !== 'active' && vmState !== 'stopped' && vmState !== 'error') {
      throw new NovaApiError(409, `Cannot 'evacuate' instance ${inst.uuid} while it is in vm_state ${vmState}`);
    }
    // `check_instance_state` before zed: a rebuild in flight (task_state set) refuses a second evacuate.
    if (inst.nova.taskState !== null && evacuateRefusesTaskState(this.world.config.nova.release)) {
      throw new NovaApiError(409, `Cannot 'evacuate' instance ${inst.uuid} while it is in task_state ${inst.nova.taskState}`);
    }
    const source = host === null ? undefined : this.computeServices.get(host);
    if (!source) throw new NovaApiError(400, `Instance ${inst.uuid} has no host to evacuate from.`);
    if (this.isUp(source)) throw new NovaApiError(400, `Compute service of ${host} is still in use.`);
    if (request.host !== undefined) {
      if (!this.world.hosts.has(request.host)) throw new NovaApiError(404, `Compute host ${request.host} not found.`);
      if (request.host === host) throw new NovaApiError(400, `The target host can't be the same one.`);
    }
  }

  /** db/main/api.py `migration_get_all_by_filters`; `changes-since` keeps rows updated at or after it. */
  migrations(filter: MigrationQuery = {}): MigrationRecord[] {
    return this.migrationsTable.all().filter((m) =>
      (filter.changesSinceMs === undefined || m.updatedAtMs >= filter.changesSinceMs) &&
      (filter.host === undefined || m.sourceCompute === filter.host || m.destCompute === filter.host) &&
      (filter.status === undefined || m.status === filter.status) &&
      (filter.instanceUuid === undefined || m.instanceUuid === filter.instanceUuid) &&
      (filter.sourceCompute === undefined || m.sourceCompute === filter.sourceCompute) &&
      (filter.migrationType === undefined || m.migrationType === filter.migrationType),
    ).map((m) => ({ ...m }));
  }

  /**
   * An instance Nova shows `rebuilding` none of whose rebuilds can finish: each was consumed by a nova-compute that
   * has died since (or none is left). Nothing in Nova ends this; an operator does (`nova reset-state --active`,
   * then evacuate again).
   */
  rebuildLost(inst: Instance): boolean {
    return inst.nova.taskState === 'rebuilding' && !this.rebuildPending(inst);
  }

  /** A rebuild of `inst` is still waiting in a queue or running on a live nova-compute. */
  rebuildPending(inst: Instance): boolean {
    for (const r of this.rebuilds) if (r.inst === inst && rebuildAlive(this.world, r)) return true;
    return false;
  }

  /**
   * A rebuild of `inst` waits in the queue of a destination that is dead (the scheduler picked a host Nova still
   * believed up, e.g. a rack-mate not yet detected): it runs only if that host comes back.
   */
  rebuildWaitsOnDeadHost(inst: Instance): boolean {
    for (const r of this.rebuilds) if (r.inst === inst && r.consumedBy === null && r.dest !== null && !r.dest.alive) return true;
    return false;
  }

  /** Evacuations from `host` its restarting nova-compute must clean up. */
  pendingCleanup(host: string): MigrationRecord[] {
    const statuses = this.world.hasDefect('source-restart-skips-pre-migrating') ? (['accepted', 'done'] as const) : CLEANUP_STATUSES;
    return this.migrationsTable.fromSource(host, statuses);
  }

  flavors(): FlavorRecord[] {
    return renderFlavors(this.world.spec);
  }

  images(): ImageRecord[] {
    return renderImages(this.world.spec, this.world.ids);
  }

  aggregates(): AggregateRecord[] {
    return renderAggregates(this.world.spec, this.addedAggregateHosts);
  }

  serverGroups(): ServerGroupRecord[] {
    return renderServerGroups(this.world);
  }

  availabilityZones(): { name: string; hosts: string[]; available: boolean }[] {
    return renderZones(this.world);
  }
}

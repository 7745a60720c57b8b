import { Kernel } from '../../../../sim/kernel/kernel.js';
import { call, ProcessRunner, sleep, type Op } from '../../../../sim/kernel/process.js';
import { NovaApiError, type EvacuateRequest, type InstanceRecord, type ServiceRecord } from '../../../../sim/nova/records.js';
import type { BmcReply, ClusterView, DesignPorts, ProcessPlace } from '../../../../sim/recovery/design-ports.js';
import { resolveMasakari, type MasakariConfig } from '../../../../sim/recovery/designs/masakari/config.js';
import { MasakariDesign } from '../../../../sim/recovery/designs/masakari/masakari.js';

/** Every Nova call of the fake takes this long (a round trip). */
export const NOVA_MS = 100;

export interface FakeInstance {
  uuid: string;
  name: string;
  host: string;
  vmState: InstanceRecord['vmState'];
  taskState: InstanceRecord['taskState'];
  metadata: Record<string, string>;
  locked: boolean;
}

export interface LogLine {
  at: number;
  type: string;
  entity: string;
  fields: Record<string, unknown>;
}

/**
 * A small world behind the design's ports: a kernel, processes that die with their host, a Nova whose evacuations
 * finish `rebuildMs` after they are accepted (onto `destination`), BMCs and a Pacemaker view set by the test.
 */
export class FakeCloud {
  readonly kernel = new Kernel(5_000_000);
  readonly runner = new ProcessRunner(this.kernel);
  readonly log: LogLine[] = [];
  readonly novaCalls: { at: number; call: string; args: unknown[] }[] = [];
  readonly instances = new Map<string, FakeInstance>();
  readonly services = new Map<string, { status: 'enabled' | 'disabled'; reason: string | null; up: boolean }>();
  readonly power = new Map<string, 'on' | 'off'>();
  readonly online = new Map<string, boolean>();
  readonly bmcCalls: { at: number; host: string }[] = [];
  quorate = true;
  /** Full cluster members in the view (controllers), with the crmadmin state they show. */
  readonly controllers: string[] = [];
  dcState = 'S_NOT_DC';
  /** Nodes whose `crm_mon` gets no answer (cut from the cluster). */
  readonly unreachable = new Set<string>();
  rebuildMs = 30_000;
  destination = 'compute-9';
  /** Evacuations that fail in the conductor (vm_state error) instead of finishing. */
  readonly evacuationErrors = new Set<string>();
  defects = new Set<string>();
  /** uniform(min, max) answers min unless a value is queued. */
  readonly randomQueue: number[] = [];

  constructor(readonly computes: readonly string[]) {
    for (const h of computes) {
      this.services.set(h, { status: 'enabled', reason: null, up: true });
      this.power.set(h, 'on');
      this.online.set(h, true);
    }
  }

  addInstance(i: Partial<FakeInstance> & { uuid: string; host: string }): void {
    this.instances.set(i.uuid, { name: i.uuid, vmState: 'active', taskState: null, metadata: {}, locked: false, ...i });
  }

  /** The host dies: its processes stop, Pacemaker shows it offline, Nova will see its service down. */
  hostDies(host: string, powerOff = true): void {
    this.online.set(host, false);
    this.services.get(host)!.up = false;
    if (powerOff) this.power.set(host, 'off');
    for (const p of this.runner.running(`masakari-hostmonitor:${host}`)) this.runner.kill(p);
  }

  events(type: string): LogLine[] {
    return this.log.filter((l) => l.type === type);
  }

  record(name: string, uuid: string): InstanceRecord {
    const i = this.instances.get(uuid);
    if (!i) throw new NovaApiError(404, `Instance ${uuid} could not be found.`);
    return { uuid: i.uuid, name: i.name, host: i.host, vmState: i.vmState, taskState: i.taskState, metadata: { ...i.metadata },
      locked: i.locked } as unknown as InstanceRecord;
  }

  private nova<T>(name: string, args: unknown[], perform: () => T): Op<T> {
    return call(NOVA_MS, () => {
      this.novaCalls.push({ at: this.kernel.now, call: name, args });
      return perform();
    });
  }

  private serviceRecord(host: string): ServiceRecord {
    const s = this.services.get(host)!;
    return { host, binary: 'nova-compute', status: s.status, disabledReason: s.reason, state: s.up ? 'up' : 'down' } as ServiceRecord;
  }

  private evacuate(uuid: string, request: EvacuateRequest): { migrationUuid: string } {
    const i = this.instances.get(uuid)!;
    if (!['active', 'stopped', 'error'].includes(i.vmState)) throw new NovaApiError(409, `Cannot 'evacuate' instance ${uuid} while it is in vm_state ${i.vmState}`);
    if (this.services.get(i.host)!.up) throw new NovaApiError(400, `Compute service of ${i.host} is still in use.`);
    const wasStopped = i.vmState === 'stopped';
    i.taskState = 'rebuilding';
    const dest = request.host ?? this.destination;
    this.kernel.after(this.rebuildMs, () => {
      if (this.evacuationErrors.has(uuid)) {
        i.vmState = 'error';
        i.taskState = null;
        return;
      }
      i.host = dest;
      i.taskState = null;
      i.vmState = wasStopped ? 'stopped' : 'active';
    });
    return { migrationUuid: `m-${uuid}` };
  }

  ports(): DesignPorts {
    const nova = {
      services: (f: { host?: string } = {}) => this.nova('services', [f], () => [...this.services.keys()].filter((h) => !f.host || h === f.host).map((h) => this.serviceRecord(h))),
      forceDown: () => { throw new Error('Masakari never forces a service down'); },
      disable: (host: string, reason: string) => this.nova('disable', [host, reason], () => {
        const s = this.services.get(host)!;
        s.status = 'disabled';
        s.reason = reason;
        return this.serviceRecord(host);
      }),
      enable: (host: string) => this.nova('enable', [host], () => {
        this.services.get(host)!.status = 'enabled';
        return this.serviceRecord(host);
      }),
      servers: (host: string) => this.nova('servers', [host], () => [...this.instances.values()].filter((i) => i.host === host).map((i) => this.record('', i.uuid))),
      server: (uuid: string) => this.nova('server', [uuid], () => this.record('', uuid)),
      evacuate: (uuid: string, request: EvacuateRequest) => this.nova('evacuate', [uuid, request], () => this.evacuate(uuid, request)),
      lock: (uuid: string) => this.nova('lock', [uuid], () => { this.instances.get(uuid)!.locked = true; }),
      unlock: (uuid: string) => this.nova('unlock', [uuid], () => { this.instances.get(uuid)!.locked = false; }),
      resetState: (uuid: string, state: 'error' | 'active') => this.nova('resetState', [uuid, state], () => {
        const i = this.instances.get(uuid)!;
        i.vmState = state;
        i.taskState = null;
      }),
      stop: (uuid: string) => this.nova('stop', [uuid], () => {
        this.kernel.after(10_000, () => { this.instances.get(uuid)!.vmState = 'stopped'; });
      }),
      migrations: () => this.nova('migrations', [], () => []),
      aggregates: () => this.nova('aggregates', [], () => [{ id: 1, name: 'agg', az: null, hosts: ['compute-1'], metadata: {} }]),
      addHostToAggregate: (id: number, host: string) => this.nova('addHostToAggregate', [id, host], () => ({ id, name: 'agg', az: null, hosts: ['compute-1', host], metadata: {} })),
      flavors: () => this.nova('flavors', [], () => []),
      images: () => this.nova('images', [], () => []),
      hypervisors: () => this.nova('hypervisors', [], () => []),
    };
    const view = (from: string): ClusterView => ({
      reachable: !this.unreachable.has(from), quorate: this.quorate, dcState: this.dcState,
      nodes: [...this.controllers.map((name) => ({ name, remote: false, online: true })),
        ...this.computes.map((name) => ({ name, remote: true, online: this.online.get(name)! }))],
    });
    const self = this;
    return {
      nova: nova as unknown as DesignPorts['nova'],
      bmc: {
        power: (host: string) => call(300, (): BmcReply => {
          self.bmcCalls.push({ at: self.kernel.now, host });
          return { ok: true, power: self.power.get(host)! };
        }),
      },
      fenceAgent: { fence: () => { throw new Error('Masakari never fences'); } },
      cluster: {
        view: (from: string) => call(200, () => view(from)),
        attrd: undefined as never,
        managesNode: (host: string) => this.online.get(host)!,
        fence: () => { throw new Error('Masakari never fences'); },
        actingDcs: () => ['controller-1'],
      },
      notifier: { *notify() {} },
      clock: { now: () => this.kernel.now, sleep: (ms: number) => sleep(ms) },
      random: { uniform: (min: number) => this.randomQueue.shift() ?? min, draw: () => 0 },
      spawn: (name: string, _where: ProcessPlace, op: Op<unknown>) => { this.runner.spawn(name, null, op); },
      running: (name: string) => this.runner.running(name).length,
      lifecycle: {
        releaseNovaCompute: () => {}, novaComputeHeld: () => false, hosts: () => this.computes, recovered: () => {},
        node: (host: string) => ({ alive: this.online.get(host)!, state: 'running', bootCount: 1, novaCompute: 'running' }),
        serviceNow: (host: string) => this.serviceRecord(host),
      },
      log: (type: string, entity: string, fields: Record<string, unknown> = {}) => { this.log.push({ at: this.kernel.now, type, entity, fields }); },
      hasDefect: (name: string) => this.defects.has(name),
    };
  }
}

/** The design on a fake cloud of `computes`, config from a `recovery:` block (defaults filled). */
export function masakariOn(computes: readonly string[], recovery: Record<string, unknown> = {}): { cloud: FakeCloud; design: MasakariDesign; config: MasakariConfig } {
  const cloud = new FakeCloud(computes);
  const config = resolveMasakari(recovery);
  const design = new MasakariDesign(cloud.ports(), config);
  return { cloud, design, config };
}

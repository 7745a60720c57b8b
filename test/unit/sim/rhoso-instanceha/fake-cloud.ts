import { Kernel } from '../../../../sim/kernel/kernel.js';
import { call, ProcessRunner, sleep, type Op } from '../../../../sim/kernel/process.js';
import {
  NovaApiError, type AggregateRecord, type FlavorRecord, type ImageRecord, type InstanceRecord, type MigrationRecord,
  type ServiceRecord,
} from '../../../../sim/nova/records.js';
import type { BmcReply, DesignPorts, MigrationFilter } from '../../../../sim/recovery/design-ports.js';
import type { DesignResolveContext } from '../../../../sim/recovery/design.js';
import { rhosoInstanceHa } from '../../../../sim/recovery/designs/rhoso-instanceha/index.js';
import { RhosoInstanceHa, type RhosoPorts } from '../../../../sim/recovery/designs/rhoso-instanceha/poller.js';
import type { UdpPort } from '../../../../sim/recovery/designs/rhoso-instanceha/admit.js';

/** RHOSO's resolve reads only its own keys. */
const NO_CONTEXT = {} as DesignResolveContext;

/** Nova's report_interval and service_down_time. */
const REPORT_MS = 10_000;
const DOWN_MS = 60_000;

export interface FakeHost {
  name: string;
  zone: string;
  power: 'on' | 'off';
  /** nova-compute runs and heartbeats (false while the host is off or booting). */
  computeUp: boolean;
  /** Heartbeat phase within the 10 s report interval. */
  phaseMs: number;
  lastHeartbeatMs: number;
  forcedDown: boolean;
  status: 'enabled' | 'disabled';
  disabledReason: string | null;
  updatedAtMs: number;
  bmc: 'ok' | 'dead';
}

export interface FakeOptions {
  hosts?: number;
  serversPerHost?: number;
  /** Time from an accepted evacuate to the rebuild done on the destination. */
  rebuildMs?: number;
  /** Time from power on to nova-compute reporting. */
  bootMs?: number;
  /** Evacuations of these servers fail (migration `error`). */
  failingServers?: Set<string>;
  /** The API refuses (500) every evacuate of these servers. */
  refusedServers?: Set<string>;
  config?: Record<string, unknown>;
  aggregates?: AggregateRecord[];
  schedulerUp?: boolean;
}

export interface Logged {
  at: number;
  type: string;
  entity: string;
  fields?: Record<string, unknown>;
}

/**
 * A small cloud for unit tests of RHOSO InstanceHA: hosts that heartbeat every 10 s, BMCs, servers, evacuations that
 * finish after `rebuildMs` (migration `done`, then `completed` when the source's nova-compute starts again), Nova's
 * force-up refusal while `done` rows exist (`ServiceController._check_for_evacuations`).
 */
export class FakeCloud {
  readonly kernel = new Kernel(5_000_000);
  readonly runner = new ProcessRunner(this.kernel);
  readonly hosts = new Map<string, FakeHost>();
  readonly servers: InstanceRecord[] = [];
  readonly migrations: MigrationRecord[] = [];
  readonly log: Logged[] = [];
  readonly bmcCalls: { at: number; host: string; action: string }[] = [];
  readonly evacuateCalls: { at: number; uuid: string }[] = [];
  readonly flavors: FlavorRecord[] = [{ id: 'f1', name: 'm1.small', vcpus: 1, ramMb: 512, diskGb: 1, extraSpecs: {} }];
  readonly images: ImageRecord[] = [{ id: 'i1', name: 'cirros', sizeMb: 10, properties: {}, tags: [] }];
  aggregates: AggregateRecord[];
  schedulerUp: boolean;
  /** Share of Nova calls that fail with 503 (0: none). */
  novaDown = false;
  udp: UdpPort | undefined;
  readonly design: RhosoInstanceHa;
  private nextMigration = 1;

  constructor(readonly options: FakeOptions = {}) {
    const n = options.hosts ?? 4;
    for (let i = 1; i <= n; i++) {
      const name = `compute-${i}`;
      this.hosts.set(name, { name, zone: 'nova', power: 'on', computeUp: true, phaseMs: (i * 2_500) % REPORT_MS,
        lastHeartbeatMs: 0, forcedDown: false, status: 'enabled', disabledReason: null, updatedAtMs: 0, bmc: 'ok' });
      for (let j = 1; j <= (options.serversPerHost ?? 2); j++) this.addServer(`vm-${i}-${j}`, name);
    }
    this.aggregates = options.aggregates ?? [{ id: 1, name: 'ha', az: null, hosts: [...this.hosts.keys()], metadata: { evacuable: 'true' } }];
    this.schedulerUp = options.schedulerUp ?? true;
    const config = rhosoInstanceHa.resolve(options.config ?? {}, NO_CONTEXT);
    this.design = rhosoInstanceHa.create(this.ports(), config) as RhosoInstanceHa;
  }

  addServer(name: string, host: string): void {
    this.servers.push({ uuid: `uuid-${name}`, name, projectId: 'p', userId: 'u', flavor: 'f1', image: 'i1', host, az: 'nova',
      requestedAz: null, vmState: 'active', taskState: null, powerState: 1, metadata: {}, tags: [], storage: 'shared',
      serverGroup: null, createdAtMs: 0, updatedAtMs: 0 });
  }

  host(name: string): FakeHost {
    return this.hosts.get(name) as FakeHost;
  }

  /** Heartbeats up to now: the last report time of a running nova-compute. */
  private beat(h: FakeHost): void {
    if (!h.computeUp || h.power === 'off') return;
    const now = this.kernel.now;
    const last = now - ((now - h.phaseMs) % REPORT_MS + REPORT_MS) % REPORT_MS;
    if (last > h.lastHeartbeatMs) {
      h.lastHeartbeatMs = last;
      h.updatedAtMs = Math.max(h.updatedAtMs, last);
    }
  }

  service(h: FakeHost, id: number): ServiceRecord {
    this.beat(h);
    const up = !h.forcedDown && this.kernel.now - h.lastHeartbeatMs <= DOWN_MS;
    return { id, uuid: `svc-${h.name}`, binary: 'nova-compute', host: h.name, zone: h.zone, status: h.status,
      disabledReason: h.disabledReason, forcedDown: h.forcedDown, state: up ? 'up' : 'down', lastSeenUpMs: h.lastHeartbeatMs,
      updatedAtMs: h.updatedAtMs };
  }

  /** The host loses power now (its BMC keeps standby power unless `bmc: dead`). */
  powerLoss(name: string, at: number): void {
    this.kernel.at(at, () => {
      const h = this.host(name);
      this.beat(h);
      h.power = 'off';
      h.computeUp = false;
      this.log.push({ at, type: 'test.power-loss', entity: name, fields: { lastHeartbeatMs: h.lastHeartbeatMs } });
    });
  }

  private powerOn(h: FakeHost): void {
    if (h.power === 'on') return;
    h.power = 'on';
    this.kernel.after(this.options.bootMs ?? 120_000, () => {
      if (h.power !== 'on') return;
      this.design.hostBooted(h.name);
    });
  }

  /** `_destroy_evacuated_instances` at nova-compute start: the host's `done` (and in-flight) evacuations become completed. */
  startNovaCompute(name: string): void {
    const h = this.host(name);
    h.computeUp = true;
    h.phaseMs = this.kernel.now % REPORT_MS;
    for (const m of this.migrations) {
      if (m.sourceCompute === name && (m.status === 'done')) {
        m.status = 'completed';
        m.updatedAtMs = this.kernel.now;
      }
    }
    this.log.push({ at: this.kernel.now, type: 'test.nova-compute-start', entity: name });
  }

  private api<T>(perform: () => T): Op<T> {
    return call(100, () => {
      if (this.novaDown) throw new NovaApiError(503, 'Service Unavailable');
      return perform();
    });
  }

  private svcByHost(host: string): FakeHost {
    const h = this.hosts.get(host);
    if (!h) throw new NovaApiError(404, `no service ${host}`);
    return h;
  }

  private evacuate(uuid: string): { migrationUuid: string } {
    const s = this.servers.find((x) => x.uuid === uuid);
    if (!s) throw new NovaApiError(404, 'not found');
    if (this.options.refusedServers?.has(s.name)) throw new NovaApiError(500, 'Unexpected API Error');
    const src = this.svcByHost(s.host as string);
    if (this.service(src, 0).state === 'up') throw new NovaApiError(400, `Compute service of ${s.host} is still in use.`);
    if (s.taskState !== null) throw new NovaApiError(409, 'Cannot evacuate while in task_state rebuilding');
    const m: MigrationRecord = { id: this.nextMigration, uuid: `mig-${this.nextMigration++}`, instanceUuid: uuid,
      migrationType: 'evacuation', sourceCompute: s.host as string, destCompute: null, status: 'accepted',
      createdAtMs: this.kernel.now, updatedAtMs: this.kernel.now };
    this.migrations.push(m);
    this.evacuateCalls.push({ at: this.kernel.now, uuid });
    s.taskState = 'rebuilding';
    this.kernel.after(this.options.rebuildMs ?? 30_000, () => {
      if (this.options.failingServers?.has(s.name)) {
        m.status = 'error';
        s.taskState = null;
        s.vmState = 'error';
      } else {
        const dest = [...this.hosts.values()].find((h) => h.name !== s.host && h.power === 'on' && h.computeUp);
        s.host = dest?.name ?? s.host;
        s.taskState = null;
        s.vmState = 'active';
        m.status = 'done';
        m.destCompute = s.host;
      }
      m.updatedAtMs = this.kernel.now;
    });
    return { migrationUuid: m.uuid };
  }

  private bmc(host: string, action: 'off' | 'on' | 'status', timeoutMs: number, protocol: string): Op<BmcReply> {
    const h = this.host(host);
    if (h.bmc === 'dead') {
      return call(timeoutMs, () => {
        this.bmcCalls.push({ at: this.kernel.now, host, action });
        return { ok: false, error: 'timeout', detail: 'no answer' } as BmcReply;
      });
    }
    return call(200, () => {
      this.bmcCalls.push({ at: this.kernel.now, host, action });
      // Redfish answers a ForceOff of a system already off with 409 (a BMC that refuses a no-op reset).
      if (protocol === 'redfish' && action === 'off' && h.power === 'off') return { ok: false, error: 'refused', detail: '409 Conflict' } as BmcReply;
      if (action === 'off' && h.power === 'on') {
        h.power = 'off';
        h.computeUp = false;
      }
      if (action === 'on') this.powerOn(h);
      return { ok: true, power: h.power } as BmcReply;
    });
  }

  ports(): RhosoPorts {
    const self = this;
    const ids = (): Map<string, number> => new Map([...this.hosts.keys()].map((h, i) => [h, i + 1]));
    const ports: DesignPorts & { udp?: UdpPort } = {
      nova: {
        services: (filter) => this.api(() => {
          if (filter?.binary === 'nova-scheduler') {
            return [{ id: 99, uuid: 'sch', binary: 'nova-scheduler', host: 'controller-1', zone: 'internal', status: 'enabled',
              disabledReason: null, forcedDown: false, state: this.schedulerUp ? 'up' : 'down', lastSeenUpMs: 0, updatedAtMs: 0 } as ServiceRecord];
          }
          const id = ids();
          return [...this.hosts.values()].filter((h) => !filter?.host || h.name === filter.host).map((h) => this.service(h, id.get(h.name) as number));
        }),
        // RHOSO never calls it (fence_compute's loop); as the port says, services calls until down and disabled.
        pollUntilServiceOff: function* (host, gapMs, deadlineMs) {
          for (;;) {
            const [svc] = yield* ports.nova.services({ host, binary: 'nova-compute' });
            if (svc?.state === 'down' && svc.status === 'disabled') return true;
            if (self.kernel.now >= deadlineMs) return false;
            yield* sleep(gapMs);
          }
        },
        forceDown: (host, down) => this.api(() => {
          const h = this.svcByHost(host);
          if (!down && this.migrations.some((m) => m.sourceCompute === host && m.status === 'done')) {
            throw new NovaApiError(400, 'Unable to unset force_down: evacuations not completed');
          }
          h.forcedDown = down;
          h.updatedAtMs = this.kernel.now;
          return this.service(h, 0);
        }),
        disable: (host, reason) => this.api(() => {
          const h = this.svcByHost(host);
          h.status = 'disabled';
          h.disabledReason = reason;
          h.updatedAtMs = this.kernel.now;
          return this.service(h, 0);
        }),
        enable: (host) => this.api(() => {
          const h = this.svcByHost(host);
          h.status = 'enabled';
          h.disabledReason = null;
          h.updatedAtMs = this.kernel.now;
          return this.service(h, 0);
        }),
        servers: (host) => this.api(() => this.servers.filter((s) => s.host === host).map((s) => ({ ...s }))),
        server: (uuid) => this.api(() => ({ ...(this.servers.find((s) => s.uuid === uuid) as InstanceRecord) })),
        evacuate: (uuid) => this.api(() => this.evacuate(uuid)),
        lock: () => this.api(() => undefined),
        unlock: () => this.api(() => undefined),
        resetState: (uuid, state) => this.api(() => {
          const s = this.servers.find((x) => x.uuid === uuid) as InstanceRecord;
          s.vmState = state === 'error' ? 'error' : 'active';
          s.taskState = null;
        }),
        stop: () => this.api(() => undefined),
        migrations: (f: MigrationFilter) => this.api(() => this.migrations.filter((m) =>
          (!f.sourceCompute || m.sourceCompute === f.sourceCompute) && (!f.instanceUuid || m.instanceUuid === f.instanceUuid)
          && (f.changesSinceMs === undefined || m.updatedAtMs >= f.changesSinceMs)).map((m) => ({ ...m }))),
        aggregates: () => this.api(() => this.aggregates.map((a) => ({ ...a }))),
        addHostToAggregate: () => this.api(() => { throw new NovaApiError(400, 'unused'); }),
        flavors: () => this.api(() => this.flavors),
        images: () => this.api(() => this.images),
        hypervisors: () => this.api(() => []),
      },
      bmc: { power: (host, action, o) => this.bmc(host, action, o.timeoutMs, o.protocol) },
      fenceAgent: { fence: () => { throw new Error('RHOSO does not use fence agents'); } },
      notifier: { *notify() {} },
      clock: { now: () => this.kernel.now, sleep: (ms) => sleep(ms) },
      random: { uniform: (min) => min, draw: () => 0 },
      spawn: (name, _where, op) => void this.runner.spawn(name, null, op),
      running: (name) => this.runner.running(name).length,
      lifecycle: {
        releaseNovaCompute: (host) => self.startNovaCompute(host),
        novaComputeHeld: () => false,
        hosts: () => [...this.hosts.keys()],
        node: (host) => ({ alive: this.host(host).power === 'on', state: this.host(host).power === 'on' ? 'running' : 'off', bootCount: 1,
          novaCompute: this.host(host).computeUp ? 'running' : 'stopped' }),
        serviceNow: (host) => this.service(this.host(host), 0),
        recovered: (host) => void this.log.push({ at: this.kernel.now, type: 'test.recovered', entity: host }),
      },
      log: (type, entity, fields) => void this.log.push({ at: this.kernel.now, type, entity, ...(fields ? { fields } : {}) }),
      hasDefect: () => false,
    };
    Object.defineProperty(ports, 'udp', { get: () => self.udp, enumerable: true });
    return ports;
  }

  /** Kill every process of the pod (a pod restart loses its memory), then start it again. */
  restartPoller(): void {
    for (const p of [...this.runnerProcesses()]) this.runner.kill(p);
    this.design.start();
  }

  private runnerProcesses(): ReturnType<ProcessRunner['running']> {
    const names = new Set(['rhoso-instanceha:poller', 'rhoso-instanceha:worker']);
    const all = [...names].flatMap((n) => this.runner.running(n));
    const evac = [...this.hosts.keys()].flatMap((h) => [0, 1, 2, 3, 4, 5, 6, 7].flatMap((w) =>
      [0, 1, 2].flatMap((phase) => this.runner.running(`rhoso-instanceha:evacuate:${h}:${phase}#${w}`))));
    return [...all, ...evac];
  }

  start(): this {
    this.design.start();
    return this;
  }

  run(untilMs: number): this {
    this.kernel.run(untilMs);
    return this;
  }

  /** The last heartbeat of `host` before its (first) power loss. */
  lastBeatBeforeLoss(host: string): number {
    return this.events('test.power-loss', host)[0]?.fields?.['lastHeartbeatMs'] as number;
  }

  events(type: string, entity?: string): Logged[] {
    return this.log.filter((l) => l.type === type && (entity === undefined || l.entity === entity));
  }
}

import type { Domain } from './infra/domain.js';
import type { WatchdogAction } from './infra/guest-machine.js';
import type { InstanceRecord } from './nova/records.js';
import type { FlavorSpec, ImageSpec, ServerSpec } from './scenario-spec.js';

/** Milestones of one instance's outage and recovery, simulated ms (null until reached). */
export interface InstanceMilestones {
  /** It stopped serving because of a failure (host fault, fencing, guest crash). */
  failedAtMs: number | null;
  /** Host it was on when it failed. */
  failedOn: string | null;
  /**
   * What stopped it serving its users at failedAtMs: `host-off`, `host-crashed`, `host-hung`, `guest-panicked`,
   * `guest-hung`, `guest-paused`, `guest-shutoff`, `tenant-network-cut`, `storage-unreachable`, `domain-destroyed`.
   */
  outageCause: string | null;
  evacuateAcceptedAtMs: number | null;
  /** It serves again (a domain running) after failedAtMs. */
  recoveredAtMs: number | null;
  /** It was rebuilt from its image on a new host: local data lost. */
  dataLost: boolean;
  evacuations: number;
  /**
   * Earlier outages: an instance that served again and then stopped again (a host back from a switch failure,
   * then fenced) starts a new episode; failedAtMs/recoveredAtMs describe the latest one, these the ones before.
   */
  earlierOutages: number;
  earlierOutageMs: number;
  longestEarlierOutageMs: number;
}

/** What an instance takes from the scenario alone: the same objects for every seed (sim/build-world.ts). */
export interface ServerParts {
  readonly flavor: FlavorSpec;
  readonly image: ImageSpec;
  readonly watchdog: WatchdogAction;
  /** Servers alternate between the `admin` and `demo` projects. */
  readonly project: string;
}

/**
 * Shared by every instance without a domain: `addDomain` replaces it, never pushes into it. (Not frozen: a frozen
 * array's kind of elements takes `for...of` off its fast path in the hot loops over `domains`.)
 */
const NO_DOMAINS: Domain[] = [];

/**
 * An instance: Nova's record (its view: host, vm_state, task_state) and the truth (the domains that exist for it,
 * on any hypervisor). Invariants about "running" are judged on `domains`, never on `nova`.
 */
export class Instance {
  /** The domains that exist for it, oldest first (World.startDomain / destroyDomain add and remove them). */
  private domainList: Domain[] = NO_DOMAINS;
  /** Whether it served its users at the last truth change (outage edges are judged against this): the current truth. */
  wasServing = true;
  /** No host could take it when the world was built (Nova's NoValidHost at boot): it never served. */
  neverPlaced = false;
  /**
   * When a domain of it last started on each host (fence-before-evacuate compares fences against it): host names and
   * ms alternately, in one flat array rather than an array of pairs (one allocation per start instead of two).
   */
  private starts: (string | number)[] | null = null;
  readonly milestones: InstanceMilestones = {
    failedAtMs: null,
    failedOn: null,
    outageCause: null,
    evacuateAcceptedAtMs: null,
    recoveredAtMs: null,
    dataLost: false,
    evacuations: 0,
    earlierOutages: 0,
    earlierOutageMs: 0,
    longestEarlierOutageMs: 0,
  };

  constructor(
    readonly spec: ServerSpec,
    /** Shared by this server's instances in every seed (one field here rather than one per part). */
    private readonly parts: ServerParts,
    readonly nova: InstanceRecord,
  ) {}

  get flavor(): FlavorSpec {
    return this.parts.flavor;
  }

  get image(): ImageSpec {
    return this.parts.image;
  }

  get watchdog(): WatchdogAction {
    return this.parts.watchdog;
  }

  /** The truth: the domains that exist for it, on any hypervisor, oldest first. */
  get domains(): readonly Domain[] {
    return this.domainList;
  }

  addDomain(d: Domain): void {
    // `[d]` reserves one slot where a push into `[]` reserves 17: an instance has one domain at a time, nearly always,
    // and a world of hundreds of instances is built for every seed.
    if (this.domainList === NO_DOMAINS) this.domainList = [d];
    else this.domainList.push(d);
  }

  removeDomain(d: Domain): void {
    const list = this.domainList;
    const i = list.indexOf(d);
    if (i < 0) return;
    // Its last domain: back to the shared empty list, so that the next `addDomain` sizes a new one exactly (an
    // array emptied in place loses its slots and a push would reserve 17 again).
    if (list.length === 1) return void (this.domainList = NO_DOMAINS);
    // In place, as `splice` (which would also allocate the array of removed elements).
    for (let j = i + 1; j < list.length; j++) list[j - 1] = list[j]!;
    list.length--;
  }

  noteStart(host: string, atMs: number): void {
    const starts = this.starts;
    // Exactly sized at the first start, as `addDomain` (a push into `[]` reserves 17 slots).
    if (starts === null) return void (this.starts = [host, atMs]);
    const i = starts.indexOf(host);
    if (i >= 0) starts[i + 1] = atMs;
    else starts.push(host, atMs);
  }

  /** When a domain of it last started on `host` (undefined: never). */
  startedOn(host: string): number | undefined {
    const i = this.starts ? this.starts.indexOf(host) : -1;
    return i >= 0 ? (this.starts![i + 1] as number) : undefined;
  }

  get uuid(): string {
    return this.nova.uuid;
  }

  get name(): string {
    return this.nova.name;
  }

  executingCount(): number {
    let n = 0;
    for (const d of this.domainList) if (d.executing) n++;
    return n;
  }

  /** A domain runs and its users can reach it (`reachable` judges the host's tenant network and storage). */
  serving(reachable: (d: Domain) => boolean): boolean {
    for (const d of this.domainList) if (d.serving && reachable(d)) return true;
    return false;
  }

  /** Domains that write to the shared disk or volume now (local disks are per host: never shared). */
  writers(storageReachable: (host: string) => boolean): Domain[] {
    if (this.spec.storage === 'local') return [];
    return this.domainList.filter((d) => d.executing && storageReachable(d.host.name));
  }

  /** Where it truly executes (first executing domain), for convergence. */
  executingHost(): string | null {
    for (const d of this.domainList) if (d.executing) return d.host.name;
    return null;
  }
}

const WATCHDOG_ACTIONS: readonly string[] = ['disabled', 'none', 'pause', 'poweroff', 'reset', 'notify'] satisfies WatchdogAction[];

/** Watchdog action from flavor extra spec `hw:watchdog_action` and image property `hw_watchdog_action` (the image wins). */
export function watchdogActionOf(flavor: FlavorSpec, image: ImageSpec): WatchdogAction {
  const raw = image.properties['hw_watchdog_action'] ?? flavor.extraSpecs['hw:watchdog_action'] ?? 'disabled';
  return WATCHDOG_ACTIONS.includes(raw) ? (raw as WatchdogAction) : 'disabled';
}

import type { Timer } from '../kernel/event-queue.js';
import type { Instance } from '../instance.js';
import type { ComputeSpec } from '../scenario-spec.js';
import type { Domain } from './domain.js';
import { HOST_TABLE, type HostEvent, type HostState } from './host-machine.js';

/** Allocation ratios (Nova's view of capacity). */
export interface AllocationRatios {
  cpu: number;
  ram: number;
  disk: number;
}

/**
 * A compute node: the truth of its hardware, OS, services and executing domains, plus Nova's allocations on it
 * (placement's view, which the scheduler and `capacity-respected` use).
 */
export class ComputeHost {
  state: HostState = 'running';
  novaCompute: 'stopped' | 'held' | 'starting' | 'running' = 'running';
  pacemakerRemote = true;
  /** Mains power to the chassis: while it is lost the BMC (on standby power) cannot power the node on. */
  mains = true;
  /** Its outlets on the rack PDU are on (a PDU fencing level switches them off). */
  outletOn = true;
  /** The truth: domains on this hypervisor, by instance. */
  readonly domains = new Map<Instance, Domain>();
  /** Nova's view, indexed: the instances Nova places on this host (`GET /servers?host=` is a hot call). */
  readonly novaInstances = new Set<Instance>();
  /** Placement allocations: instances consuming resources here. */
  readonly allocations = new Set<Instance>();
  vcpusUsed = 0;
  ramMbUsed = 0;
  diskGbUsed = 0;
  bootTimer: Timer | null = null;
  /** Boots completed so far (a delayed action of one boot must not act on the next). */
  bootCount = 0;
  /** Truth: the last time the chassis actually powered off (what fence-before-evacuate is judged on). */
  poweredOffAtMs: number | null = null;
  /** Last time a fence device confirmed this host powered off. */
  fenceConfirmedAtMs: number | null = null;
  /** Rebuilds cast to this host's nova-compute while it was not running: RPC messages wait in its queue. */
  readonly queuedRebuilds: (() => void)[] = [];
  /** Made at the first use: only rebuilds of local-disk instances look at it, and hosts are built for every seed. */
  private images: Set<string> | null = null;

  constructor(
    readonly spec: ComputeSpec,
    readonly index: number,
    private readonly ratios: AllocationRatios,
  ) {}

  get name(): string {
    return this.spec.name;
  }

  /** Images cached on this hypervisor (rebuilds from image skip the download). */
  get imageCache(): Set<string> {
    return (this.images ??= new Set());
  }

  get poweredOn(): boolean {
    return this.state !== 'off';
  }

  /** OS up and not frozen: its services can act and talk. */
  get alive(): boolean {
    return this.state === 'running';
  }

  apply(event: HostEvent): readonly string[] | null {
    const step = HOST_TABLE.next(this.state, event);
    if (!step) return null;
    this.state = step.to as HostState;
    return step.actions;
  }

  freeRamMb(): number {
    return this.spec.ramMb * this.ratios.ram - this.ramMbUsed;
  }

  /** Would this instance fit under the allocation ratios? */
  fits(instance: Instance): boolean {
    const f = instance.flavor;
    const disk = instance.spec.storage === 'volume' ? 0 : f.diskGb;
    return (
      this.vcpusUsed + f.vcpus <= this.spec.vcpus * this.ratios.cpu &&
      this.ramMbUsed + f.ramMb <= this.spec.ramMb * this.ratios.ram &&
      this.diskGbUsed + disk <= this.spec.diskGb * this.ratios.disk
    );
  }

  /** Over the allocation ratios right now (what `capacity-respected` forbids). */
  overcommitted(): boolean {
    return (
      this.vcpusUsed > this.spec.vcpus * this.ratios.cpu ||
      this.ramMbUsed > this.spec.ramMb * this.ratios.ram ||
      this.diskGbUsed > this.spec.diskGb * this.ratios.disk
    );
  }

  allocate(instance: Instance): void {
    if (this.allocations.has(instance)) return;
    this.allocations.add(instance);
    this.adjust(instance, 1);
  }

  release(instance: Instance): void {
    if (!this.allocations.delete(instance)) return;
    this.adjust(instance, -1);
  }

  private adjust(instance: Instance, sign: 1 | -1): void {
    const f = instance.flavor;
    this.vcpusUsed += sign * f.vcpus;
    this.ramMbUsed += sign * f.ramMb;
    this.diskGbUsed += sign * (instance.spec.storage === 'volume' ? 0 : f.diskGb);
  }
}

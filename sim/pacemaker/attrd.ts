import { Signal } from '../kernel/process.js';

/** Pacemaker's attribute daemon (replicated among the cluster; one store is enough for the model). */
export class Attrd {
  /**
   * By attribute name, then node, in the order each node first got it (what a flat `node+name` map filtered by name
   * gave): no key string built per read and none split per `entries`, which NovaEvacuate calls on every monitor.
   */
  private readonly byName = new Map<string, Map<string, string>>();
  readonly signal = new Signal();

  constructor(private readonly onSet: (node: string, name: string, value: string) => void) {}

  get(node: string, name: string): string {
    return this.byName.get(name)?.get(node) ?? '';
  }

  set(node: string, name: string, value: string): void {
    let nodes = this.byName.get(name);
    if (!nodes) this.byName.set(name, (nodes = new Map()));
    nodes.set(node, value);
    this.onSet(node, name, value);
    this.signal.notify();
  }

  /** Nodes whose attribute `name` is set, with its value. */
  entries(name: string): [string, string][] {
    return [...(this.byName.get(name) ?? [])];
  }
}

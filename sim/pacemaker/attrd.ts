import { Signal } from '../kernel/process.js';

/** Pacemaker's attribute daemon (replicated among the cluster; one store is enough for the model). */
export class Attrd {
  private readonly values = new Map<string, string>();
  readonly signal = new Signal();

  constructor(private readonly onSet: (node: string, name: string, value: string) => void) {}

  get(node: string, name: string): string {
    return this.values.get(`${node}\u0000${name}`) ?? '';
  }

  set(node: string, name: string, value: string): void {
    this.values.set(`${node}\u0000${name}`, value);
    this.onSet(node, name, value);
    this.signal.notify();
  }

  /** Nodes whose attribute `name` is set, with its value. */
  entries(name: string): [string, string][] {
    const out: [string, string][] = [];
    for (const [key, value] of this.values) {
      const [node, attr] = key.split('\u0000') as [string, string];
      if (attr === name) out.push([node, value]);
    }
    return out;
  }
}

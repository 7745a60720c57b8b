/**
 * One line of the trace. `t` is simulated ms; `type` a stable dotted name (`host.power-off`,
 * `nova.evacuate.accepted`); `entity` the main subject; other fields are event specific.
 */
export interface TraceRecord {
  t: number;
  type: string;
  entity: string;
  [field: string]: unknown;
}

/** Collects trace records in emission order. Disabled traces cost one branch per emit. */
export class Trace {
  readonly records: TraceRecord[] = [];
  constructor(readonly enabled: boolean) {}

  emit(t: number, type: string, entity: string, fields?: Record<string, unknown>): void {
    if (!this.enabled) return;
    this.records.push(fields ? { t, type, entity, ...fields } : { t, type, entity });
  }

  /** JSONL with keys in emission order: byte-identical for the same seed. */
  toJsonl(): string {
    let out = '';
    for (const r of this.records) out += JSON.stringify(r) + '\n';
    return out;
  }
}

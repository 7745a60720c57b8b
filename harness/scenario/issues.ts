import { IhasimError, type ErrorCode, type ErrorDetail } from '../errors.js';
import { formatPath, type KeyPath, type YamlSource } from './yaml-source.js';

/** Class of a problem, from the most basic: a schema problem hides the semantic ones it may cause. */
export type IssueKind = 'schema' | 'semantic' | 'target';

const CODE: Record<IssueKind, ErrorCode> = {
  schema: 'IHASIM_SCENARIO_SCHEMA',
  semantic: 'IHASIM_SCENARIO_SEMANTIC',
  target: 'IHASIM_FAULT_TARGET',
};

const SUMMARY: Record<IssueKind, string> = {
  schema: 'does not match the scenario schema',
  semantic: 'is inconsistent',
  target: 'has faults whose targets cannot be resolved',
};

/** Extra fields of one problem. `key`: point at the key itself rather than its value. */
export interface IssueExtra {
  expected?: string;
  found?: string;
  hint?: string;
  key?: boolean;
}

/**
 * Collects every problem of a scenario with its position, so the user sees them all at once. The thrown
 * error's code is that of the most basic kind present (schema, then semantic, then target).
 */
export class Issues {
  private readonly details: ErrorDetail[] = [];
  private readonly kinds = new Set<IssueKind>();
  private readonly seen = new Set<string>();

  constructor(
    private readonly source: Pick<YamlSource, 'locate'>,
    private readonly file?: string,
  ) {}

  /** Records one problem at a key path. */
  add(kind: IssueKind, path: KeyPath, message: string, extra: IssueExtra = {}): void {
    const shown = formatPath(path);
    const id = `${shown}\u0000${message}`;
    if (this.seen.has(id)) return;
    this.seen.add(id);
    this.kinds.add(kind);
    const { key, ...rest } = extra;
    const detail: ErrorDetail = { ...this.source.locate(path, key), ...(shown ? { path: shown } : {}), message };
    for (const [k, v] of Object.entries(rest)) if (v !== undefined) Object.assign(detail, { [k]: v });
    this.details.push(detail);
  }

  /** Number of problems so far. */
  get count(): number {
    return this.details.length;
  }

  /** Throws one error carrying every problem, if there is any. */
  throwIfAny(): void {
    if (this.details.length === 0) return;
    const kind = (['schema', 'semantic', 'target'] as const).find((k) => this.kinds.has(k)) ?? 'schema';
    const n = this.details.length;
    const where = this.file ?? 'the scenario';
    const message = `${where} ${SUMMARY[kind]} (${n} problem${n === 1 ? '' : 's'})`;
    const byLine = [...this.details].sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity));
    throw new IhasimError(CODE[kind], message, byLine);
  }
}

import type { MigrationRecord, MigrationStatus } from './records.js';

/** Statuses in which the source's restart must destroy its local copy (Nova's `_destroy_evacuated_instances`). */
export const CLEANUP_STATUSES: readonly MigrationStatus[] = ['accepted', 'pre-migrating', 'done'];

/** The migrations table (evacuations only: the one kind instance HA creates). */
export class Migrations {
  private readonly rows: MigrationRecord[] = [];
  /**
   * Rows by source compute, kept as rows are created (a row's source never changes): each force-up looks for
   * `done` rows from its host, and scanning every row of a mass evacuation for each was most of its cost.
   */
  private readonly bySource = new Map<string, MigrationRecord[]>();

  constructor(private readonly newUuid: () => string) {}

  create(instanceUuid: string, source: string, now: number): MigrationRecord {
    const row: MigrationRecord = {
      id: this.rows.length + 1,
      uuid: this.newUuid(),
      instanceUuid,
      migrationType: 'evacuation',
      sourceCompute: source,
      destCompute: null,
      status: 'accepted',
      createdAtMs: now,
      updatedAtMs: now,
    };
    this.rows.push(row);
    const fromHost = this.bySource.get(source);
    if (fromHost) fromHost.push(row);
    else this.bySource.set(source, [row]);
    return row;
  }

  set(row: MigrationRecord, status: MigrationStatus, now: number): void {
    row.status = status;
    row.updatedAtMs = now;
  }

  all(): readonly MigrationRecord[] {
    return this.rows;
  }

  /** The rows from `host` in one of `statuses`, oldest first. */
  fromSource(host: string, statuses: readonly MigrationStatus[]): MigrationRecord[] {
    return (this.bySource.get(host) ?? []).filter((m) => statuses.includes(m.status));
  }

  /** Is any row from `host` in `status`? */
  anyFromSource(host: string, status: MigrationStatus): boolean {
    return this.bySource.get(host)?.some((m) => m.status === status) ?? false;
  }

  latestFor(instanceUuid: string): MigrationRecord | undefined {
    for (let i = this.rows.length - 1; i >= 0; i--) if (this.rows[i]!.instanceUuid === instanceUuid) return this.rows[i];
    return undefined;
  }
}

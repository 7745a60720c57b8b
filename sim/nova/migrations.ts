import type { MigrationRecord, MigrationStatus } from './records.js';

/** Statuses in which the source's restart must destroy its local copy (Nova's `_destroy_evacuated_instances`). */
export const CLEANUP_STATUSES: readonly MigrationStatus[] = ['accepted', 'pre-migrating', 'done'];

/** The migrations table (evacuations only: the one kind instance HA creates). */
export class Migrations {
  private readonly rows: MigrationRecord[] = [];

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
    return row;
  }

  set(row: MigrationRecord, status: MigrationStatus, now: number): void {
    row.status = status;
    row.updatedAtMs = now;
  }

  all(): readonly MigrationRecord[] {
    return this.rows;
  }

  fromSource(host: string, statuses: readonly MigrationStatus[]): MigrationRecord[] {
    return this.rows.filter((m) => m.sourceCompute === host && statuses.includes(m.status));
  }

  latestFor(instanceUuid: string): MigrationRecord | undefined {
    for (let i = this.rows.length - 1; i >= 0; i--) if (this.rows[i]!.instanceUuid === instanceUuid) return this.rows[i];
    return undefined;
  }
}

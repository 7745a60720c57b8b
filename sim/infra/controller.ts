import type { ServiceRecord } from '../nova/records.js';

/** A controller: a corosync/Pacemaker member that also runs Nova's API, scheduler and conductor. */
export class Controller {
  up = true;
  constructor(readonly name: string) {}

  serviceRecord(binary: 'nova-scheduler' | 'nova-conductor', now: number): ServiceRecord {
    const index = Number(this.name.split('-').pop());
    return {
      id: 100_000 + index * 2 + (binary === 'nova-conductor' ? 1 : 0),
      uuid: `00000000-0000-4000-8000-${String(index * 2 + (binary === 'nova-conductor' ? 1 : 0)).padStart(12, '0')}`,
      binary,
      host: this.name,
      zone: 'internal',
      status: 'enabled',
      disabledReason: null,
      forcedDown: false,
      state: this.up ? 'up' : 'down',
      lastSeenUpMs: this.up ? now : null,
      updatedAtMs: now,
    };
  }
}

/** The parts of `ihasim inject` that need no cloud: the token bucket, the journal, the control-plane abort. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCampaign } from '../../../../harness/inject/campaign-load.js';
import { Connections } from '../../../../harness/inject/executor.js';
import { activeFaults, Journal, readJournal } from '../../../../harness/inject/journal.js';
import { Observers } from '../../../../harness/inject/observers.js';
import type { OpenStackClient } from '../../../../harness/inject/openstack/openstack-client.js';
import { Recorder } from '../../../../harness/inject/recorder.js';
import { Redactor } from '../../../../harness/inject/secrets.js';
import { TokenBucket } from '../../../../harness/inject/token-bucket.js';

describe('TokenBucket', () => {
  it('lets a burst through, then no more than the rate: 10 requests at 2/s take 4 s after a burst of 2', async () => {
    let now = 0;
    const bucket = new TokenBucket(2, 2, () => now, async (ms) => void (now += ms));
    for (let i = 0; i < 10; i++) await bucket.take();
    expect(now).toBe(4_000);
  });
});

describe('inject journal', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ihasim-journal-'));
  const step = { channel: 'bmc' as const, host: 'compute-01', change: 'off' as const };
  const undo = { channel: 'bmc' as const, host: 'compute-01', change: 'on' as const };

  it('a fault is active from its announcement until an undo is read back; secrets are masked; a torn last line is skipped', () => {
    const path = join(dir, 'j.jsonl');
    const redactor = new Redactor();
    redactor.add('Sup3r-S3cret');
    const j = new Journal(path, redactor);
    j.append({ type: 'start', v: 1, at: 't', campaign: 'c', file: '/c.yaml', pid: 1 });
    j.append({ type: 'inject', at: 't', id: 'a', kind: 'host-power-loss', target: 'compute-01', do: step, undo, plannedUndoAt: null });
    j.append({ type: 'inject', at: 't', id: 'b', kind: 'host-power-loss', target: 'compute-02', do: { ...step, host: 'compute-02' }, undo: { ...undo, host: 'compute-02' }, plannedUndoAt: null });
    j.append({ type: 'undone', at: 't', id: 'a', ok: true, verified: false, detail: 'BMC said Sup3r-S3cret' });
    j.append({ type: 'undone', at: 't', id: 'b', ok: true, verified: true, detail: 'power on' });
    j.close();
    writeFileSync(path, '{"type":"undone","id":"a"', { flag: 'a' });
    const records = readJournal(path);
    expect(activeFaults(records).map((r) => r.id)).toEqual(['a']);
    expect(JSON.stringify(records)).not.toContain('Sup3r-S3cret');
  });

  it('refuses a file that is not a journal, with IHASIM_JOURNAL', () => {
    const path = join(dir, 'not.jsonl');
    writeFileSync(path, '{"type":"inject"}\n');
    expect(() => readJournal(path)).toThrow(/not an ihasim inject journal/);
    expect(() => readJournal(join(dir, 'missing.jsonl'))).toThrow(expect.objectContaining({ code: 'IHASIM_JOURNAL' }));
  });
});

describe('Observers: the control plane', () => {
  it('aborts after limits.controlPlaneFailures consecutive failed polls, not before; a good poll resets the count', async () => {
    const { campaign } = parseCampaign(`ihasim: 1
name: t
cloud: { env: true }
inventory:
  compute-01: { allowed: true }
faults:
  - { at: 1m, kind: guest-panic, server: web-01 }
limits: { controlPlaneFailures: 3 }
`);
    let fail = true;
    const fake = {
      services: async () => { if (fail) throw new Error('HTTP 503'); return []; },
      servers: async () => [], migrations: async () => [], hypervisors: async () => [],
    } as unknown as OpenStackClient;
    const conns = new Connections(campaign, new Redactor(), async () => fake);
    const observers = new Observers(campaign, conns, new Recorder(0, new Redactor(), undefined, () => 0));
    expect(await observers.poll()).toBeNull();
    expect(await observers.poll()).toBeNull();
    fail = false;
    expect(await observers.poll()).toBeNull();
    fail = true;
    expect(await observers.poll()).toBeNull();
    expect(await observers.poll()).toBeNull();
    expect(await observers.poll()).toMatch(/the control plane stopped answering: 3 consecutive failed polls \(last: HTTP 503\)/);
  });
});

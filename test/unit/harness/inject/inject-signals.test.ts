/**
 * A real `ihasim inject` process (bin/ihasim.js) against an in-process `ihasim serve`: Ctrl-C mid-campaign undoes
 * every active fault before exiting 130; after a SIGKILL nothing is undone, and `--restore JOURNAL` undoes it all
 * (and finds nothing the second time).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, spawnCli } from '../../../support/built-cli.js';
import { cli } from '../../../support/cli-in-process.js';
import { BMC_SECRET, startInjectCloud, withEnv, type InjectCloud } from '../../../support/inject-cloud.js';

let cloud: InjectCloud;

beforeAll(async () => {
  ensureBuilt();
  cloud = await startInjectCloud();
}, 300_000);

afterAll(async () => {
  await cloud?.serve.close();
});

/** Two long faults: compute-01 powered off, nova-compute stopped on compute-05 (another AZ). */
const LONG_FAULTS = `  - { at: 200ms, kind: host-power-loss, target: compute-01, duration: 10m }
  - { at: 400ms, kind: nova-compute-stop, target: compute-05, duration: 10m }`;

async function host(name: string) {
  return (await cloud.truth()).hosts.find((h) => h.name === name)!;
}

/** Spawns the campaign and resolves once both faults are in (the second `injected` line of the journal). */
async function startCampaign(journal: string) {
  const file = cloud.campaign(LONG_FAULTS);
  const p = spawnCli(['inject', file, '--execute', '--journal', journal], { env: cloud.env });
  await p.waitFor(/inject f1-compute-05/);
  for (let i = 0; i < 200 && (readFileSync(journal, 'utf8').match(/"type":"injected"/g) ?? []).length < 2; i++) await new Promise((r) => setTimeout(r, 50));
  expect((await host('compute-01')).power).toBe('off');
  expect((await host('compute-05')).services.novaCompute).toBe('stopped');
  return { p, file };
}

describe('ihasim inject: signals and --restore', () => {
  it('SIGINT mid-campaign undoes every active fault, newest first, reads each back, exits 130', { timeout: 90_000 }, async () => {
    const journal = join(cloud.dir, 'sigint.jsonl');
    const { p } = await startCampaign(journal);
    p.child.kill('SIGINT');
    const exit = await p.exit;
    expect(exit.code).toBe(130);
    expect(p.stdout()).toMatch(/abort: SIGINT received; undoing 2 active fault\(s\), newest first/);
    expect((await host('compute-01')).power).toBe('on');
    expect((await host('compute-05')).services.novaCompute).toBe('running');
    const undone = readFileSync(journal, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; id?: string; verified?: boolean }).filter((r) => r.type === 'undone');
    expect(undone.map((u) => [u.id, u.verified])).toEqual([['f1-compute-05', true], ['f0-compute-01', true]]);
    expect(p.stdout() + p.stderr()).not.toContain(BMC_SECRET);
  });

  it('after SIGKILL the faults stay; --restore undoes them and a second --restore finds nothing', { timeout: 90_000 }, async () => {
    const journal = join(cloud.dir, 'sigkill.jsonl');
    const { p, file } = await startCampaign(journal);
    p.child.kill('SIGKILL');
    expect((await p.exit).signal).toBe('SIGKILL');
    expect((await host('compute-01')).power).toBe('off');
    // Taking a host off the allow-list never blocks its undo.
    writeFileSync(file, readFileSync(file, 'utf8').replace(/(  compute-01:\n    allowed: )true/, '$1false'));
    expect(readFileSync(file, 'utf8')).toMatch(/ {2}compute-01:\n {4}allowed: false/);
    const first = await withEnv(cloud.env, () => cli(['inject', '--restore', journal]));
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/restore f1-compute-05 \(nova-compute-stop on compute-05\): confirmed[\s\S]*restore f0-compute-01 \(host-power-loss on compute-01\): confirmed: power on/);
    expect((await host('compute-01')).power).toBe('on');
    expect((await host('compute-05')).services.novaCompute).toBe('running');
    const second = await withEnv(cloud.env, () => cli(['inject', '--restore', journal]));
    expect(second).toMatchObject({ code: 0, out: expect.stringMatching(/nothing is active/) });
    expect(readFileSync(journal, 'utf8')).not.toContain(BMC_SECRET);
  });
});

/**
 * `ihasim check` as a real process: Ctrl-C and SIGTERM stop the search and report, and what was found is
 * printed before any file is written. Each test waits for the "checking …" line (printed once the signal
 * handlers are in place) before signalling, so no verdict depends on the machine's speed.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensureBuilt, spawnCli } from '../../support/built-cli.js';

const playground = join(import.meta.dirname, '../../../scenarios/check-6-computes.yaml');
const READY = /^checking check-6-computes/m;

let dir: string;
beforeAll(() => ensureBuilt());
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ihasim-check-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('ihasim check: signals', () => {
  // One thread here; test/unit/harness/check-jobs.test.ts stops two workers the same way.
  it('SIGTERM behaves like Ctrl-C: prints what was explored and exits 143', async () => {
    const p = spawnCli(['check', playground, '--runs', '100000000', '--jobs', '1']);
    await p.waitFor(READY);
    p.child.kill('SIGTERM');
    expect(await p.exit).toMatchObject({ code: 143 });
    expect(p.stdout()).toMatch(/^ihasim check check-6-computes: \d+ schedules in .*, stopped by SIGTERM$/m);
    expect(p.stdout()).toMatch(/no invariant violated in what was explored\./);
  });

  it('--json after Ctrl-C says it was interrupted, by which signal, and does not claim ok', async () => {
    const p = spawnCli(['check', playground, '--runs', '100000000', '--json']);
    await p.waitFor(READY);
    p.child.kill('SIGINT');
    expect(await p.exit).toMatchObject({ code: 130 });
    const json = JSON.parse(p.stdout());
    expect(json).toMatchObject({ ok: false, interrupted: true, signal: 'SIGINT', timeBudgetReached: false });
    expect(json.runs).toBeGreaterThanOrEqual(0);
  });

  it('--exhaustive stops on Ctrl-C and prints how much it explored', async () => {
    // About 1.4 million schedules: minutes of work, so the signal lands in the middle.
    const p = spawnCli(['check', playground, '--exhaustive', '--depth', '2', '--grid', '1m', '--jobs', '1']);
    await p.waitFor(READY);
    p.child.kill('SIGINT');
    expect(await p.exit).toMatchObject({ code: 130 });
    expect(p.stdout()).toMatch(/^ihasim check --exhaustive check-6-computes: explored \d+ schedules .*, stopped by Ctrl-C$/m);
    expect(p.stdout()).toMatch(/no invariant violated in what was explored\./);
  });
});

describe('ihasim check: the finding comes before the file', () => {
  it('when the counterexample scenario cannot be written, the counterexample and its replay line are still printed; exit 3', async () => {
    // The default target is ./check-6-computes.counterexample.yaml; a directory of that name is in the way.
    await mkdir(join(dir, 'check-6-computes.counterexample.yaml'));
    const args = ['check', playground, '--defect', 'evacuate-without-fencing', '--faults', 'host-power-loss', '--runs', '200', '--seed', '3'];
    const p = spawnCli(args, { cwd: dir });
    expect(await p.exit).toMatchObject({ code: 3 });
    expect(p.stdout()).toMatch(/^COUNTEREXAMPLE \(shrunk in \d+ steps to \d+ faults?\): HostPowerLoss/m);
    expect(p.stdout()).toMatch(/^faults:$/m);
    expect(p.stdout()).toMatch(/^replay: +npx ihasim check .* --seed 3 --path \S+ --faults host-power-loss --defect evacuate-without-fencing$/m);
    expect(p.stderr()).toMatch(/error\[IHASIM_OUTPUT_PATH\]: --out .*check-6-computes\.counterexample\.yaml: cannot write \(EISDIR/);
  });

  it('an --out in a missing directory is refused before searching, exit 3', async () => {
    const out = join(dir, 'missing', 'cx.yaml');
    const p = spawnCli(['check', playground, '--defect', 'trust-bmc-ok', '--out', out]);
    expect(await p.exit).toMatchObject({ code: 3 });
    expect(p.stderr()).toContain(`--out ${out}: cannot write (ENOENT`);
    expect(p.stdout()).toBe('');
  });
});

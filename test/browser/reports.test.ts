import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { renderHtml } from '../../reports/html.js';
import { parseScenario } from '../../harness/scenario/index.js';
import { runSeedReport } from '../../harness/run/run-scenario.js';
import { runSeeds } from '../../harness/run/run-seeds.js';
import { planCommand } from '../../harness/plan/plan-command.js';
import type { PlanFlags } from '../../harness/plan/plan-command.js';
import { compareCommand } from '../../harness/compare/compare-command.js';
import { artifactPath, LAUNCH_TIMEOUT_MS, launchChromium, requireChromium, watchedPage } from './chromium.js';

const chromium = requireChromium();
const dir = mkdtempSync(join(tmpdir(), 'ihasim-browser-'));
const RACK = 'scenarios/rack-power-loss.yaml';
const PLAN = 'scenarios/host-power-loss-fast-detection-forcedown.yaml';
let browser: Browser;

const spec = (file: string) => parseScenario(readFileSync(file, 'utf8'), file);

/** Opens a page, checks it loaded without a console error, screenshots it, counts elements matching each selector. */
async function open(file: string, shot: string, selectors: string[]): Promise<number[]> {
  const { page, errors } = await watchedPage(browser);
  await page.goto(`file://${file}`, { waitUntil: 'load' });
  await page.screenshot({ path: artifactPath(shot), fullPage: true });
  const counts = await Promise.all(selectors.map((s) => page.$$eval(s, (els) => els.length)));
  expect(errors).toEqual([]);
  await page.close();
  return counts;
}

chromium.describe('browser: HTML reports', () => {
  beforeAll(async () => { browser = await launchChromium(); }, LAUNCH_TIMEOUT_MS + 10_000);
  afterAll(async () => { await browser?.close(); });

  it('single run: loads with no console error; a lane per affected host, a bar per recovered instance, a working filter', async () => {
    const report = runSeedReport(spec(RACK), { seed: 7 });
    const file = join(dir, 'run.html');
    writeFileSync(file, renderHtml(report));
    const recovered = report.instances.filter((i) => i.outcome.startsWith('recovered') && i.phases).length;
    const [lanes, bars, marks] = await open(file, 'run.png', ['[data-series="lane"]', 'g[data-series="instance"]', '[data-series="mark"]']);
    expect(lanes).toBeGreaterThanOrEqual(8); // the rack's 8 hosts (and any fenced by the partition)
    expect(bars).toBe(recovered);
    expect(marks).toBeGreaterThan(lanes! * 3);
    const { page, errors } = await watchedPage(browser);
    await page.goto(`file://${file}`);
    const total = await page.$$eval('#timeline tbody tr', (rows) => rows.length);
    await page.type('#timeline-search', 'fence.start');
    const visible = await page.$$eval('#timeline tbody tr', (rows) => rows.filter((r) => !r.hasAttribute('hidden')).length);
    expect(visible).toBe(report.events.filter((e) => `${e.atMs} ${e.type} ${e.entity} ${e.message}`.toLowerCase().includes('fence.start')).length);
    expect(visible).toBeLessThan(total);
    await page.click('button[data-types="none"]');
    expect(await page.$eval('#timeline-shown', (e) => e.textContent)).toBe(`0 of ${total} events`);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('multi-seed: loads with no console error and draws the downtime curve', async () => {
    const file = join(dir, 'multi.html');
    writeFileSync(file, renderHtml(runSeeds(spec(RACK), 4)));
    const [curves] = await open(file, 'multi.png', ['path[data-series="cdf"]']);
    expect(curves).toBe(1);
  });

  it('plan: a CDF per point with the target line, a stacked bar per point, a tornado bar per varied key', async () => {
    const file = join(dir, 'plan.html');
    const flags = { vary: ['recovery.forceDown=true,false', 'config.pacemaker.remoteMonitorInterval=5s,20s'], seeds: 10, set: ['config.fencing.computeAgent=legacy-4.4'], target: 'p95 <= 2m', html: file, quiet: true } as unknown as PlanFlags;
    expect([0, 1, 2]).toContain(await planCommand(PLAN, flags, () => {}));
    const [curves, slo, rows, tornado, stacks] = await open(file, 'plan.png',
      ['path[data-series="cdf"]', '[data-series="slo"]', 'g[data-series="stack-row"]', 'rect[data-series="tornado"]', 'rect[data-series="stack"]']);
    expect(curves).toBe(4);
    expect(slo).toBe(1);
    expect(rows).toBe(4);
    expect(tornado).toBe(2);
    expect(stacks).toBeGreaterThanOrEqual(4 * 3);
  });

  it('compare: the designs side by side, then a CDF and a stacked bar per design', async () => {
    const file = join(dir, 'compare.html');
    expect(await compareCommand(['scenarios/compare/host-power-loss.yaml'], { designs: 'instanceha,masakari,rhoso-instanceha', seeds: 6, jobs: 1, html: file, quiet: true }, () => {})).toBe(0);
    const [rows, curves, stackRows] = await open(file, 'compare.png', ['table.compare tbody tr', 'path[data-series="cdf"]', 'g[data-series="stack-row"]']);
    expect(rows).toBe(3);
    expect(curves).toBe(3);
    expect(stackRows).toBe(3);
  });
});

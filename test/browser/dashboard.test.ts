import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServe, type ServeHandle } from '../../harness/serve/serve.js';
import { serveSpec } from '../support/serve-scenario.js';
import { artifactPath, LAUNCH_TIMEOUT_MS, launchChromium, requireChromium, watchedPage } from './chromium.js';

const chromium = requireChromium();
const TOKEN = 'dashboard-test-token';
let browser: Browser;
let serve: ServeHandle;

chromium.describe('browser: ihasim serve dashboard', () => {
  beforeAll(async () => {
    browser = await launchChromium();
    serve = await startServe({ spec: serveSpec(), speed: 10, controlToken: TOKEN });
  }, LAUNCH_TIMEOUT_MS + 10_000);
  afterAll(async () => {
    await browser?.close();
    await serve?.close();
  });

  it('shows every host, sends the token from #token=, and updates when a fault is injected', async () => {
    const { page, errors } = await watchedPage(browser, 1300);
    await page.goto(`${serve.endpoints.control}/dashboard#token=${TOKEN}`);
    await page.waitForFunction("document.querySelectorAll('tr[data-host]').length === 6", { timeout: 20_000 });
    expect(await page.$$eval('tr[data-host]', (rows) => rows.map((r) => r.getAttribute('data-host')))).toEqual(
      ['compute-01', 'compute-02', 'compute-03', 'compute-04', 'compute-05', 'compute-06']);
    expect(await page.$$eval('tr[data-instance]', (rows) => rows.length)).toBe(12);
    const r = await fetch(`${serve.endpoints.control}/faults`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ kind: 'host-power-loss', target: 'compute-02' }),
    });
    expect(r.status).toBe(201);
    await page.waitForFunction(`document.querySelector('tr[data-host="compute-02"]')?.getAttribute('data-power') === 'off'`, { timeout: 20_000 });
    await page.waitForSelector('li[data-fault="1"]', { timeout: 20_000 });
    await page.waitForSelector('#events tr[data-type="fault"]', { timeout: 20_000 });
    await page.screenshot({ path: artifactPath('dashboard.png'), fullPage: true });
    expect(errors).toEqual([]);
  });

  it('without the token the page loads but says the API refused it', async () => {
    const { page } = await watchedPage(browser);
    await page.goto(`${serve.endpoints.control}/dashboard`);
    await page.waitForFunction("/HTTP 401/.test(document.getElementById('state')?.textContent ?? '')", { timeout: 20_000 });
  });
});

/**
 * Browser tests drive Debian's chromium (apt-get install chromium) headless through puppeteer-core, which never
 * downloads a browser. Like the interop tests' `requireClient`: without chromium they skip with a message, and
 * under CI=true they fail.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { describe, it } from 'vitest';

export const CHROMIUM = process.env.IHASIM_CHROMIUM ?? '/usr/bin/chromium';

type DescribeFn = (name: string, body: () => void) => void;

/** `describe` when chromium is installed; else a skip with a message, or a failing test under CI=true. */
export function requireChromium(): { describe: DescribeFn } {
  if (existsSync(CHROMIUM)) return { describe: (name, body) => describe(name, body) };
  const message = `browser: ${CHROMIUM} not installed — install with apt-get install chromium`;
  if (process.env.CI === 'true') {
    return { describe: (name) => describe(name, () => it('requires chromium', () => { throw new Error(`${message} (CI=true: a missing browser fails the run)`); })) };
  }
  console.warn(`${message} — skipping`);
  return { describe: (name, body) => describe.skip(name, body) };
}

/** How long chromium may take to start; the browser tests' `beforeAll` hooks allow a little more. */
export const LAUNCH_TIMEOUT_MS = 150_000;

export async function launchChromium(): Promise<Browser> {
  // --no-sandbox: chromium refuses to run as root (CI runs as root) with its sandbox on.
  // A loaded CI machine (2 cores, the other test files running) can take over puppeteer's default 30 s to start
  // chromium: wait longer rather than fail the suite on start-up time (LAUNCH_TIMEOUT_MS, and the hooks' below).
  return puppeteer.launch({ executablePath: CHROMIUM, headless: true, timeout: LAUNCH_TIMEOUT_MS, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
}

/** A page that records every console error and uncaught exception. */
export async function watchedPage(browser: Browser, width = 1100): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage();
  await page.setViewport({ width, height: 900 });
  const errors: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  return { page, errors };
}

/** Where screenshots go (gitignored): test-artifacts/browser/. */
export function artifactPath(name: string): string {
  const dir = join(process.cwd(), 'test-artifacts', 'browser');
  mkdirSync(dir, { recursive: true });
  return join(dir, name);
}

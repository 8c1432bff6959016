import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

const SCREENSHOT_DIR = fileURLToPath(new URL('../screenshots/', import.meta.url));

// Flags for a quiet, reproducible headless run: no GPU, no background updates or sync traffic,
// and no QUIC, so every request goes only to the local servers under test.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export interface MobileBrowser {
  context: BrowserContext;
  page: Page;
  /** Uncaught exceptions and console errors seen so far, for a final "no errors" check. */
  pageErrors: string[];
  close(): Promise<void>;
}

/**
 * Launch Debian's Chromium as a 390×844 phone (zh-CN, Shanghai time) with a fresh profile, so no
 * localStorage or cookie survives from an earlier run. Set CHROMIUM_PATH to use another binary.
 */
export async function launchMobileBrowser(): Promise<MobileBrowser> {
  const userDataDir = await mkdtemp(path.join(tmpdir(), 'crm-e2e-chromium-'));

  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });

  const page = context.pages()[0] ?? (await context.newPage());
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(`console.error: ${message.text()}`);
  });

  return {
    context,
    page,
    pageErrors,
    async close() {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Save a full-viewport screenshot to e2e/screenshots/<name>.png and return its path. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);

  // Let Vant's transitions (toasts, dialogs, tab highlight) finish so the picture is stable.
  await page.waitForTimeout(400);
  await page.screenshot({ path: file });
  return file;
}

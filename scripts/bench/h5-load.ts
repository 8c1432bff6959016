import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { launchMobileBrowser } from '../../e2e/support/browser.js';

const distDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../h5/dist');

export interface AssetSizes {
  firstScreenJsGzipBytes: number;
  firstScreenCssGzipBytes: number;
  totalJsGzipBytes: number;
  totalCssGzipBytes: number;
  firstScreenFiles: string[];
}

export interface LoadTiming {
  largestContentfulPaintMs: number;
  domContentLoadedMs: number;
}

function gzipSize(file: string): number {
  return gzipSync(fs.readFileSync(file), { level: 9 }).length;
}

function listAssets(extension: string): string[] {
  const assetsDir = path.join(distDir, 'assets');
  return fs.readdirSync(assetsDir).filter((file) => file.endsWith(extension)).map((file) => path.join(assetsDir, file));
}

/**
 * Opens the workbench as a logged-in rep, records every script and stylesheet the page fetched up to
 * network idle, and sums their gzip sizes; the totals cover every built asset. Then reloads with a
 * mid-range phone profile (4× CPU slowdown, 9 Mbit/s, 100 ms round trip) and reads largest contentful paint.
 */
export async function measureH5(options: { baseUrl: string; sessionJson: string }): Promise<{ sizes: AssetSizes; timing: LoadTiming }> {
  const browser = await launchMobileBrowser();
  try {
    const { page, context } = browser;
    const fetched = new Set<string>();
    page.on('response', (response) => {
      const url = new URL(response.url());
      if (url.pathname.startsWith('/assets/') && /\.(js|css)$/.test(url.pathname)) fetched.add(url.pathname);
    });

    await page.goto(`${options.baseUrl}/open-in-app`);
    // Browser-side code is passed as text: the scripts are compiled without the DOM library.
    await page.evaluate(`localStorage.setItem('crm.session', ${JSON.stringify(options.sessionJson)})`);
    await page.goto(`${options.baseUrl}/`, { waitUntil: 'networkidle' });

    const firstScreenFiles = [...fetched].sort();
    const sizeOf = (extension: string) =>
      firstScreenFiles.filter((file) => file.endsWith(extension)).reduce((sum, file) => sum + gzipSize(path.join(distDir, file)), 0);
    const sizes: AssetSizes = {
      firstScreenJsGzipBytes: sizeOf('.js'),
      firstScreenCssGzipBytes: sizeOf('.css'),
      totalJsGzipBytes: listAssets('.js').reduce((sum, file) => sum + gzipSize(file), 0),
      totalCssGzipBytes: listAssets('.css').reduce((sum, file) => sum + gzipSize(file), 0),
      firstScreenFiles,
    };

    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 100,
      downloadThroughput: (9 * 1024 * 1024) / 8,
      uploadThroughput: (9 * 1024 * 1024) / 8,
    });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });

    await page.goto(`${options.baseUrl}/`, { waitUntil: 'networkidle' });
    const timing = (await page.evaluate(`new Promise((resolve) => {
      let largest = 0;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) largest = Math.max(largest, entry.startTime);
      }).observe({ type: 'largest-contentful-paint', buffered: true });
      setTimeout(() => {
        const navigation = performance.getEntriesByType('navigation')[0];
        resolve({ largestContentfulPaintMs: Math.round(largest), domContentLoadedMs: Math.round(navigation ? navigation.domContentLoadedEventEnd : 0) });
      }, 500);
    })`)) as LoadTiming;
    return { sizes, timing };
  } finally {
    await browser.close();
  }
}

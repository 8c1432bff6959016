import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { computeQuote, type QuoteLineTerms } from '../../shared/src/quote-rules.js';
import { describeMachine, formatTiming, summarize, timeRuns } from './quote-bench-kit.js';

/**
 * Recomputing a 500-line quote (a library's annual list), budget under 5 ms on the phone. Measured twice:
 * in Node, and in headless Chromium with the CPU slowed 4× (a mid-range phone), running shared/src/quote-rules.ts
 * bundled by esbuild for the browser as Vite bundles it for the H5.
 * Run: npx tsx scripts/bench/quote-recompute.ts
 */

const lineCount = 500;
const budgetMs = 5;

function libraryList(seed: number): QuoteLineTerms[] {
  return Array.from({ length: lineCount }, (_, index) => {
    const mix = (seed + index) * 2_654_435_761;
    return {
      listPriceFen: 1800 + (mix % 15_000),
      quantity: 1 + (mix % 12),
      discount: 5500 + (mix % 2000),
      floorDiscount: index % 3 === 0 ? 6000 : null,
    };
  });
}

console.log(`Quote recompute — ${describeMachine(`${lineCount} lines`)}`);

const lists = Array.from({ length: 50 }, (_, seed) => libraryList(seed));
const node = await timeRuns((run) => computeQuote(lists[run % lists.length]!), 2000, 200);
console.log(formatTiming('Node, computeQuote of 500 lines', node, budgetMs));

const bundle = await build({
  entryPoints: [new URL('../../shared/src/quote-rules.ts', import.meta.url).pathname],
  bundle: true,
  format: 'iife',
  globalName: 'quoteRules',
  target: 'es2020',
  minify: true,
  write: false,
});
const script = bundle.outputFiles[0]!.text;

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage();
  const session = await page.context().newCDPSession(page);
  await session.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  await page.addScriptTag({ content: script });
  const samples = await page.evaluate(
    ({ lists: inputs }) => {
      const rules = (globalThis as unknown as { quoteRules: { computeQuote: typeof computeQuote } }).quoteRules;
      for (let run = 0; run < 50; run += 1) rules.computeQuote(inputs[run % inputs.length]!);
      const timings: number[] = [];
      for (let run = 0; run < 500; run += 1) {
        const started = performance.now();
        rules.computeQuote(inputs[run % inputs.length]!);
        timings.push(performance.now() - started);
      }
      return timings;
    },
    { lists },
  );
  console.log(formatTiming('Chromium, 4× CPU slowdown, 500 lines', summarize(samples), budgetMs));
  console.log('(Chromium reduces performance.now() precision to 0.1 ms; figures are rounded to that.)');
} finally {
  await browser.close();
}

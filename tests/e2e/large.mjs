// Manual check (not a test): a large source in headless Chromium. Loads it through the
// file input, scores with LZ4, scrolls the table to the middle and the end, and prints
// load time, scoring rate and the page's memory as Chromium measures it.
//   node tests/e2e/large.mjs SOURCE.jsonl TARGET.jsonl
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { serve } from './server.mjs';

const [source, target] = process.argv.slice(2);
if (!source || !target) throw new Error('usage: node tests/e2e/large.mjs SOURCE.jsonl TARGET.jsonl');
const { server, url } = await serve(join(resolve(import.meta.dirname, '../..'), 'dist'));
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
page.on('pageerror', (error) => console.log('page error:', error.message));
await page.goto(url);
await page.waitForSelector('text=/\\d+ worker threads? ready/', { timeout: 30_000 });
let started = Date.now();
await page.setInputFiles('#source-file', source);
await page.waitForSelector('#source-summary', { timeout: 600_000 });
console.log(`loaded in ${(Date.now() - started) / 1000} s: ${(await page.textContent('#source-summary p')).trim()}`);
await page.setInputFiles('#target-file', target);
await page.waitForSelector('#target-summary');
await page.selectOption('#compressor', 'lz4');
await page.click('#score');
await page.waitForSelector('#run-summary', { timeout: 3_600_000 });
console.log((await page.textContent('#run-summary')).trim());
for (const where of ['middle', 'end']) {
  await page.evaluate((w) => {
    const table = document.querySelector('#results');
    table.scrollTop = w === 'end' ? table.scrollHeight : table.scrollHeight / 2;
  }, where);
  await page.waitForSelector('#results .row:not(.placeholder)');
  await page.waitForTimeout(300);
  const rank = await page.locator('#results .row:not(.placeholder) .rank').last().textContent();
  console.log(`scrolled to the ${where}: rows up to rank ${rank} shown`);
}
const bytes = await page.evaluate(async () => (await performance.measureUserAgentSpecificMemory()).bytes);
console.log(`page memory (measureUserAgentSpecificMemory): ${(bytes / 1e6).toFixed(0)} MB`);
await browser.close();
server.close();

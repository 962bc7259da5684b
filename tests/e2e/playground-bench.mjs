// Keystroke-to-update time of the NCD playground in Chromium, for texts of 1, 16 and 64 KB
// (x and y each): from a key press in x to the figures and the drawing of the new texts.
// Texts over 16 KB each update after a 400 ms pause in typing, which the figure includes.
// Prints figures, asserts nothing. Build first (scripts/build-web.sh).
//   node tests/e2e/playground-bench.mjs [--rounds N]
import { readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { serve } from './server.mjs';

const ROOT = resolve(import.meta.dirname, '../..');
const DEV = resolve(ROOT, '../shared/data/dev-5k/source.jsonl');
const rounds = Number(process.argv[process.argv.indexOf('--rounds') + 1]) || 7;
const corpus = readFileSync(existsSync(DEV) ? DEV : join(ROOT, 'www/example/source.jsonl'), 'utf8')
  .split('\n').filter(Boolean).map((line) => JSON.parse(line).text).join('\n');

const { server, url } = await serve(join(ROOT, 'dist'));
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage();
await page.goto(`${url}#/playground`);
await page.waitForSelector('#pair-lengths', { timeout: 30_000 });
const settled = () => page.waitForSelector('#pair-state:text("up to date")', { timeout: 60_000 });

for (const kb of [1, 16, 64]) {
  // Just under the size, so that the typed characters keep it there.
  const bytes = kb * 1024 - rounds - 8;
  await page.fill('#pair-x', corpus.slice(0, bytes));
  await page.fill('#pair-y', corpus.slice(bytes, 2 * bytes));
  await settled();
  await page.focus('#pair-x');
  await page.keyboard.press('End');
  const times = [];
  for (let i = 0; i < rounds; i++) {
    const started = await page.evaluate(() => performance.now());
    await page.keyboard.type('x');
    await settled();
    times.push(await page.evaluate((t) => performance.now() - t, started));
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  console.log(`${String(kb).padStart(2)} KB each: keystroke to update ${median.toFixed(0)} ms median (${times[0].toFixed(0)}-${times.at(-1).toFixed(0)} ms, ${rounds} keystrokes)`);
}
await browser.close();
server.close();

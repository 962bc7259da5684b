// Benchmark (not a test): browser scoring in headless Chromium against the native CLI,
// side by side on the same machine and files. Prints pairs/s and their ratio.
//   node tests/e2e/bench.mjs [source.jsonl target.jsonl]   (default: ../shared/data/dev-5k)
// Needs dist/ (scripts/build-web.sh) and target/release/zipfit.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { serve } from './server.mjs';

const ROOT = resolve(import.meta.dirname, '../..');
const DEV = resolve(ROOT, '../shared/data/dev-5k');
const source = process.argv[2] ?? join(DEV, 'source.jsonl');
const target = process.argv[3] ?? join(DEV, 'target.jsonl');
const count = (path) => readFileSync(path, 'utf8').split('\n').filter((l) => l.trim()).length;
const pairs = count(source) * count(target);

const { server, url } = await serve(join(ROOT, 'dist'));
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = await browser.newPage();
await page.goto(url);
await page.waitForSelector('text=/\\d+ worker threads ready/', { timeout: 30_000 });
const threads = (await page.textContent('.pool')).match(/(\d+)/)[1];
await page.setInputFiles('#source-file', source);
await page.waitForSelector('#source-summary');
await page.setInputFiles('#target-file', target);
await page.waitForSelector('#target-summary');

console.log(`${pairs} pairs (${source}), ${threads} threads in the browser and in the CLI`);
console.log(`${'compressor'.padEnd(12)} ${'browser pairs/s'.padStart(16)} ${'CLI pairs/s'.padStart(13)} ${'browser/CLI'.padStart(12)}`);
for (const [compressor, level] of [['gzip', 9], ['gzip', 1], ['lz4', 9]]) {
  await page.selectOption('#compressor', compressor);
  if (compressor === 'gzip') await page.selectOption('#level', String(level));
  await page.click('#score');
  await page.waitForSelector('#run-summary', { timeout: 600_000 });
  const summary = await page.textContent('#run-summary');
  const browserRate = Number(summary.match(/\(([\d,]+) pairs\/s\)/)[1].replaceAll(',', ''));
  const started = process.hrtime.bigint();
  execFileSync(join(ROOT, 'target/release/zipfit'), ['score', '--quiet', '-s', source, '-t', target, '-c', compressor,
    '-l', String(level), '-j', threads]);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cliRate = pairs / seconds;
  const name = compressor === 'lz4' ? 'lz4' : `gzip -${level}`;
  console.log(`${name.padEnd(12)} ${browserRate.toLocaleString('en').padStart(16)} ${Math.round(cliRate).toLocaleString('en').padStart(13)} ${(browserRate / cliRate).toFixed(2).padStart(12)}`);
}
await browser.close();
server.close();

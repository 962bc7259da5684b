// Benchmark (not a test): the reference Python code, the native CLI and the page in headless
// Chromium, side by side on the same machine, files and number of threads. Prints pairs/s,
// each one's ratio to the reference, and the CLI ranking's fidelity to the reference's.
//   node tests/e2e/bench.mjs [--source S] [--target T] [--runs gzip9,gzip1,lz4]
//                            [--no-reference] [--threads N] [--dist DIR]
// Defaults: ../shared/data/dev-5k, gzip -9, gzip -1 and LZ4, as many threads as the page gets.
// Needs dist/ (scripts/build-web.sh), target/release/zipfit, python3 with the lz4 package.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { serve } from './server.mjs';

const ROOT = resolve(import.meta.dirname, '../..');
const DEV = resolve(ROOT, '../shared/data/dev-5k');
const { values: opts } = parseArgs({
  options: {
    source: { type: 'string', default: join(DEV, 'source.jsonl') },
    target: { type: 'string', default: join(DEV, 'target.jsonl') },
    runs: { type: 'string', default: 'gzip9,gzip1,lz4' },
    reference: { type: 'boolean', default: true },
    'no-reference': { type: 'boolean', default: false },
    threads: { type: 'string' },
    dist: { type: 'string', default: join(ROOT, 'dist') },
  },
});
const withReference = opts.reference && !opts['no-reference'];
const runs = opts.runs.split(',').map((run) => {
  const match = run.match(/^(gzip)([1-9])$|^(lz4)$/);
  if (!match) throw new Error(`unknown run '${run}' (expected gzip1..gzip9 or lz4)`);
  return match[3] ? { compressor: 'lz4', level: 0, name: 'lz4' }
    : { compressor: 'gzip', level: Number(match[2]), name: `gzip -${match[2]}` };
});
const count = (path) => readFileSync(path, 'utf8').split('\n').filter((l) => l.trim()).length;
const sources = count(opts.source);
const targets = count(opts.target);
const pairs = sources * targets;

function timed(command, args) {
  const started = process.hrtime.bigint();
  execFileSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  return Number(process.hrtime.bigint() - started) / 1e9;
}

function scores(path) {
  return readFileSync(path, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l).score);
}

function ranks(values) {
  const order = values.map((_, i) => i).sort((a, b) => values[a] - values[b]);
  const result = new Array(values.length);
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && values[order[j + 1]] === values[order[i]]) j += 1;
    for (let k = i; k <= j; k += 1) result[order[k]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return result;
}

function spearman(a, b) {
  const [ra, rb] = [ranks(a), ranks(b)];
  const mean = (ra.length + 1) / 2;
  let cov = 0;
  let va = 0;
  let vb = 0;
  for (let i = 0; i < ra.length; i += 1) {
    cov += (ra[i] - mean) * (rb[i] - mean);
    va += (ra[i] - mean) ** 2;
    vb += (rb[i] - mean) ** 2;
  }
  return cov / Math.sqrt(va * vb);
}

const { server, url } = await serve(resolve(opts.dist));
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = await browser.newPage();
await page.goto(url);
await page.waitForSelector('text=/\\d+ worker threads? ready/', { timeout: 30_000 });
if (opts.threads) {
  await page.fill('#threads', opts.threads);
  await page.press('#threads', 'Enter');
  await page.waitForSelector(`text=/\\b${opts.threads} worker threads? ready/`, { timeout: 30_000 });
}
const threads = (await page.textContent('.pool')).match(/(\d+)/)[1];
let started = Date.now();
await page.setInputFiles('#source-file', opts.source);
await page.waitForSelector('#source-summary', { timeout: 600_000 });
const loadSeconds = (Date.now() - started) / 1000;
await page.setInputFiles('#target-file', opts.target);
await page.waitForSelector('#target-summary');

const tmp = mkdtempSync(join(tmpdir(), 'zipfit-bench-'));
console.log(`${sources.toLocaleString('en')} sources x ${targets} targets = ${pairs.toLocaleString('en')} pairs `
  + `(${opts.source}); ${threads} threads for each; the page loaded the source in ${loadSeconds} s`);
const columns = ['compressor', 'reference pairs/s', 'CLI pairs/s', 'CLI/ref', 'browser pairs/s', 'browser/ref',
  'browser/CLI', 'browser s', 'Spearman CLI~ref'];
const widths = [11, 18, 12, 8, 16, 12, 12, 10, 17];
const row = (cells) => console.log(cells.map((c, i) => String(c).padStart(widths[i])).join(' '));
row(columns);
for (const { compressor, level, name } of runs) {
  const refOut = join(tmp, 'ref.jsonl');
  const cliOut = join(tmp, 'cli.jsonl');
  const refSeconds = withReference
    ? timed('python3', [join(ROOT, 'tests/reference/zipfit_ref.py'), '--source', opts.source, '--target',
      opts.target, '--compressor', compressor, '--level', String(level), '--workers', threads, '--out', refOut])
    : NaN;
  const cliSeconds = timed(join(ROOT, 'target/release/zipfit'), ['score', '--quiet', '-s', opts.source, '-t',
    opts.target, '-c', compressor, '-l', String(level), '-j', threads, '--scores', cliOut]);

  await page.selectOption('#compressor', compressor);
  if (compressor === 'gzip') await page.selectOption('#level', String(level));
  started = Date.now();
  await page.click('#score');
  await page.waitForSelector('#run-summary', { timeout: 3_600_000 });
  const browserSeconds = (Date.now() - started) / 1000;
  const summary = await page.textContent('#run-summary');
  const browserRate = Number(summary.match(/\(([\d,]+) pairs\/s\)/)[1].replaceAll(',', ''));

  const refRate = pairs / refSeconds;
  const cliRate = pairs / cliSeconds;
  const fmt = (rate) => (Number.isFinite(rate) ? Math.round(rate).toLocaleString('en') : '-');
  const ratio = (rate) => (withReference ? `${(rate / refRate).toFixed(1)}x` : '-');
  const fidelity = withReference ? spearman(scores(refOut), scores(cliOut)).toFixed(6) : '-';
  row([name, fmt(refRate), fmt(cliRate), ratio(cliRate), fmt(browserRate), ratio(browserRate),
    `${(browserRate / cliRate).toFixed(2)}x`, browserSeconds.toFixed(1), fidelity]);
}
console.log('(browser pairs/s as the page reports it, scoring time only; "browser s" is the click-to-result '
  + 'time. The page\'s downloads equal the CLI\'s byte for byte: see tests/e2e/app.test.mjs.)');
rmSync(tmp, { recursive: true });
await browser.close();
server.close();

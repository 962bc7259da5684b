// Benchmark (not a test; prints figures, asserts nothing but that both formats give the
// same scores): the same records as JSONL and as Parquet (zstd), scored side by side by the
// CLI and by the page in headless Chromium, alternately, each run repeated; prints pairs/s
// per format and their ratio. With --read PATH, also times the page reading that Parquet
// file (footer, then the text column of each row group) and prints seconds per GB.
//   node tests/e2e/parquet-bench.mjs [--copies 20] [--runs lz4,gzip9] [--repeat 2] [--read FILE.parquet]
// Needs dist/ (scripts/build-web.sh), target/release/zipfit, .venv with pyarrow.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { serve } from './server.mjs';

const ROOT = resolve(import.meta.dirname, '../..');
const DEV = resolve(ROOT, '../shared/data/dev-5k');
const { values: opts } = parseArgs({
  options: {
    copies: { type: 'string', default: '20' },
    runs: { type: 'string', default: 'lz4,gzip9' },
    repeat: { type: 'string', default: '2' },
    read: { type: 'string' },
  },
});
const work = mkdtempSync(join(tmpdir(), 'zipfit-parquet-bench-'));
const lines = readFileSync(join(DEV, 'source.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const jsonl = join(work, 'source.jsonl');
const out = [];
for (let copy = 0; copy < Number(opts.copies); copy++) {
  for (const record of lines) out.push(JSON.stringify({ ...record, copy }));
}
writeFileSync(jsonl, out.join('\n') + '\n');
const parquet = join(work, 'source.parquet');
execFileSync(join(ROOT, '.venv/bin/python'), [join(ROOT, 'tests/e2e/parquet_files.py'), 'from-jsonl', jsonl, parquet, 'zstd', '10000']);
const target = join(DEV, 'target.jsonl');
const records = out.length;
const targets = readFileSync(target, 'utf8').split('\n').filter(Boolean).length;
console.log(`${records.toLocaleString('en')} records x ${targets} targets; JSONL ${(statSync(jsonl).size / 1e6).toFixed(0)} MB, `
  + `Parquet (zstd, row groups of 10,000) ${(statSync(parquet).size / 1e6).toFixed(0)} MB`);

const runs = opts.runs.split(',').map((run) => (run === 'lz4'
  ? { compressor: 'lz4', level: '0', name: 'lz4' }
  : { compressor: 'gzip', level: run.replace('gzip', ''), name: `gzip -${run.replace('gzip', '')}` }));
const rate = (text) => Number(text.match(/\(([\d,]+) pairs\/s/)[1].replaceAll(',', ''));
const best = (values) => Math.max(...values);

// The CLI, alternating formats.
const cli = (source, run) => {
  const scores = join(work, 'scores.jsonl');
  const result = spawnSync(join(ROOT, 'target/release/zipfit'), ['score', '-s', source, '-t', target,
    '-c', run.compressor, '-l', run.level, '--scores', scores], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(result.stderr);
  return { rate: rate(result.stderr), scores: readFileSync(scores, 'utf8') };
};
for (const run of runs) {
  const rates = { jsonl: [], parquet: [] };
  for (let i = 0; i < Number(opts.repeat); i++) {
    const a = cli(jsonl, run);
    const b = cli(parquet, run);
    if (a.scores !== b.scores) throw new Error(`${run.name}: the CLI's scores differ between JSONL and Parquet`);
    rates.jsonl.push(a.rate);
    rates.parquet.push(b.rate);
  }
  console.log(`CLI ${run.name}: JSONL ${best(rates.jsonl).toLocaleString('en')} pairs/s, Parquet `
    + `${best(rates.parquet).toLocaleString('en')} pairs/s, Parquet/JSONL ${(best(rates.parquet) / best(rates.jsonl)).toFixed(3)} `
    + `(best of ${opts.repeat})`);
}

// The page, alternating formats.
const { server, url } = await serve(join(ROOT, 'dist'));
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
await page.goto(url);
await page.waitForSelector('text=/\\d+ worker threads? ready/', { timeout: 30_000 });
await page.setInputFiles('#target-file', target);
await page.waitForSelector('#target-summary');
const load = async (source) => {
  const started = Date.now();
  await page.setInputFiles('#source-file', source);
  await page.waitForSelector(`#source-summary:has-text("${records.toLocaleString('en-US')} records")`, { timeout: 3_600_000 });
  return (Date.now() - started) / 1000;
};
const score = async (run) => {
  await page.selectOption('#compressor', run.compressor);
  if (run.compressor === 'gzip') await page.selectOption('#level', run.level);
  await page.click('#score');
  await page.waitForSelector('#run-summary', { timeout: 3_600_000 });
  return rate(await page.textContent('#run-summary'));
};
for (const run of runs) {
  const rates = { jsonl: [], parquet: [] };
  const reads = { jsonl: [], parquet: [] };
  for (let i = 0; i < Number(opts.repeat); i++) {
    for (const [kind, source] of [['jsonl', jsonl], ['parquet', parquet]]) {
      reads[kind].push(await load(source));
      rates[kind].push(await score(run));
    }
  }
  console.log(`page ${run.name}: JSONL ${best(rates.jsonl).toLocaleString('en')} pairs/s, Parquet `
    + `${best(rates.parquet).toLocaleString('en')} pairs/s, Parquet/JSONL ${(best(rates.parquet) / best(rates.jsonl)).toFixed(3)} `
    + `(best of ${opts.repeat}); reading the source: JSONL ${Math.min(...reads.jsonl).toFixed(2)} s, Parquet ${Math.min(...reads.parquet).toFixed(2)} s`);
}
if (opts.read) {
  const bytes = statSync(opts.read).size;
  const started = Date.now();
  await page.setInputFiles('#source-file', opts.read);
  await page.waitForSelector('#source-summary', { timeout: 3_600_000 });
  const seconds = (Date.now() - started) / 1000;
  console.log(`page: read ${opts.read} (${(bytes / 1e9).toFixed(2)} GB) in ${seconds.toFixed(1)} s, `
    + `${(seconds / (bytes / 1e9)).toFixed(1)} s per GB: ${(await page.textContent('#source-summary p')).trim()}`);
}
await browser.close();
server.close();
rmSync(work, { recursive: true });

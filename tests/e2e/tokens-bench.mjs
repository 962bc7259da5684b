// Benchmark (not a test; prints figures, asserts only that the page and the CLI agree):
// a token budget in a model's tokens, in headless Chromium. Scores a source of --records
// records (the development records repeated) against the development targets with LZ4,
// then, for each counter, loads it, cuts the run at --tokens model tokens and at twice
// that, and downloads the kept records, compared with `zipfit score --tokens` by SHA-256.
// Prints each step's time beside the run's scoring time, and the page's download with and
// without the built-in encodings.
//   node tests/e2e/tokens-bench.mjs [--records 1000000] [--tokens 1000000]
//                                   [--source PATH] [--counters cl100k_base,o200k_base,llama3]
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { serve } from './server.mjs';
import { openPage, writeRepeated } from './bench-common.mjs';

const ROOT = resolve(import.meta.dirname, '../..');
const DEV = resolve(ROOT, '../shared/data/dev-5k');
const DIST = join(ROOT, 'dist');
const { values: opts } = parseArgs({
  options: {
    records: { type: 'string', default: '1000000' },
    tokens: { type: 'string', default: '1000000' },
    source: { type: 'string' },
    counters: { type: 'string', default: 'cl100k_base,o200k_base,llama3' },
  },
});
const records = Number(opts.records);
const budget = Number(opts.tokens);
const work = mkdtempSync(join(tmpdir(), 'zipfit-tokens-'));
const seconds = (since) => (Date.now() - since) / 1000;
const sha256 = (path) => createHash('sha256').update(readFileSync(path)).digest('hex');
const mb = (bytes) => `${(bytes / 1e6).toFixed(2)} MB`;

// The page's download: the files the service worker keeps (its list, and itself); the
// encodings are fetched only when chosen.
const sw = readFileSync(join(DIST, 'sw.js'), 'utf8');
const files = JSON.parse(sw.match(/const FILES = (\[[\s\S]*?\]);/)[1]);
const pageBytes = files.reduce((sum, file) => sum + statSync(join(DIST, file)).size, statSync(join(DIST, 'sw.js')).size);
const encodingBytes = (name) => statSync(join(DIST, 'encodings', `${name}.tiktoken`)).size;
console.log(`page download: ${mb(pageBytes)} (${files.length + 1} files, of which the Wasm module `
  + `${mb(statSync(join(DIST, 'zipfit-web_bg.wasm')).size)}); with cl100k_base chosen `
  + `${mb(pageBytes + encodingBytes('cl100k_base'))}, with o200k_base ${mb(pageBytes + encodingBytes('o200k_base'))}, `
  + `with both ${mb(pageBytes + encodingBytes('cl100k_base') + encodingBytes('o200k_base'))}`);

const source = opts.source ?? join(tmpdir(), `zipfit-tokens-${records}.jsonl`);
if (!existsSync(source)) await writeRepeated(DEV, source, records);
const target = join(DEV, 'target.jsonl');
const tokenizers = join(work, 'tokenizers');
spawnSync(join(ROOT, '.venv/bin/python'), [join(ROOT, 'tests/reference/tokenizer_files.py'), tokenizers,
  join(DEV, 'source.jsonl')], { stdio: ['ignore', 'ignore', 'inherit'] });
const counters = opts.counters.split(',').map((name) => (name.endsWith('_base')
  ? { name, spec: name }
  : { name: `${name}-byte-level.json`, spec: join(tokenizers, `${name}-byte-level.json`), file: true }));
console.log(`source ${source}: ${mb(statSync(source).size)}, ${records.toLocaleString('en')} records; `
  + `82 targets; LZ4; budget ${budget.toLocaleString('en')} tokens`);

const { server, url } = await serve(DIST);
const { context, page } = await openPage(url, join(work, 'profile'));
await page.setInputFiles('#source-file', source);
await page.waitForSelector('#source-summary', { timeout: 3_600_000 });
await page.setInputFiles('#target-file', target);
await page.waitForSelector('#target-summary');
await page.selectOption('#compressor', 'lz4');
let started = Date.now();
await page.click('#score');
await page.waitForSelector('#run-summary', { timeout: 7_200_000 });
const summary = (await page.textContent('#run-summary')).trim();
const scoring = Number(summary.match(/in ([\d.]+) s/)[1]);
console.log(`page: ${summary}`);

const settled = (by) => page.waitForFunction(
  (text) => document.querySelector('#kept-summary[aria-busy="false"]')?.textContent.includes(text),
  by, { timeout: 3_600_000 });
const share = (s) => `${s.toFixed(2)} s, ${(100 * s / scoring).toFixed(1)} % of scoring`;
for (const counter of counters) {
  // Loading the counter, cut at a budget of one token (one window of records is counted).
  await page.selectOption('#budget-kind', 'tokens');
  await page.fill('#budget-value', '1');
  await settled('≈');
  started = Date.now();
  if (counter.file) await page.setInputFiles('#tokenizer-file', counter.spec);
  else await page.selectOption('#tokens', counter.name);
  await settled(`by ${counter.name}`);
  const load = seconds(started);
  // The budget: the records down to the cut are counted, in the worker's threads.
  started = Date.now();
  await page.fill('#budget-value', String(budget));
  await settled(`by ${counter.name}`);
  const first = seconds(started);
  const kept = (await page.textContent('#kept-summary')).trim();
  // Twice the budget: only the records past the first cut are counted.
  started = Date.now();
  await page.fill('#budget-value', String(2 * budget));
  await settled(`by ${counter.name}`);
  const more = seconds(started);
  await page.fill('#budget-value', String(budget));
  await settled(`by ${counter.name}`);

  const cliKept = join(work, 'cli.kept.jsonl');
  started = Date.now();
  const cli = spawnSync(join(ROOT, 'target/release/zipfit'), ['score', '-q', '-s', source, '-t', target, '-c', 'lz4',
    '--token-budget', String(budget), '--tokens', counter.spec, '-o', cliKept]);
  if (cli.status !== 0) throw new Error(`the CLI failed: ${cli.stderr}`);
  const cliSeconds = seconds(started);
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 3_600_000 }), page.click('#download-selected')]);
  const saved = join(work, download.suggestedFilename());
  await download.saveAs(saved);
  const same = sha256(saved) === sha256(cliKept);
  console.log(`${counter.name}: load and first window ${load.toFixed(2)} s; cut at ${budget.toLocaleString('en')} tokens ${share(first)} `
    + `(${kept}); at twice that ${share(more)}; kept download ${same ? 'equal to' : 'DIFFERENT from'} `
    + `the CLI's (CLI score + select ${cliSeconds.toFixed(1)} s)`);
  if (!same) process.exitCode = 1;
  rmSync(saved);
  // Back to the estimate, so the next counter starts alike.
  await page.selectOption('#tokens', 'bytes');
  await settled('≈');
}
await context.close();
server.close();
rmSync(work, { recursive: true });

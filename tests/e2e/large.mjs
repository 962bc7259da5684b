// Benchmark (not a test; prints figures, asserts only that the page and the CLI agree):
// a multi-gigabyte source in headless Chromium. Writes the source (development records
// repeated, each with a "copy" field, so every line differs) unless it exists, loads it
// through the file input, scores it, keeps the top percent, downloads the kept records
// and the scores, and compares both with the CLI's files by SHA-256. Prints load and
// scoring times and the page's memory (performance.measureUserAgentSpecificMemory(),
// which counts the page and its workers), sampled while it works.
// With --parquet CODEC, the same records are written as Parquet (CODEC, row groups of
// 100,000 rows) and that file is the source; the kept rows then are compared with
// pyarrow's Table.equals.
// --order input keeps the selection in input order (CLI and page), one pass over the file
// instead of one per 64 MiB window of kept lines in rank order.
//   node tests/e2e/large.mjs [--records 10000000] [--targets 10] [--compressor lz4]
//                            [--source PATH] [--keep-percent 10] [--parquet zstd]
//                            [--order rank|input]
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { serve } from './server.mjs';
import { openPage, rendererMemory, writeRepeated } from './bench-common.mjs';

const ROOT = resolve(import.meta.dirname, '../..');
const DEV = resolve(ROOT, '../shared/data/dev-5k');
const { values: opts } = parseArgs({
  options: {
    records: { type: 'string', default: '10000000' },
    targets: { type: 'string', default: '10' },
    compressor: { type: 'string', default: 'lz4' },
    source: { type: 'string', default: join(tmpdir(), 'zipfit-large.jsonl') },
    'keep-percent': { type: 'string', default: '10' },
    parquet: { type: 'string' },
    order: { type: 'string', default: 'rank' },
  },
});
const records = Number(opts.records);
const work = mkdtempSync(join(tmpdir(), 'zipfit-large-'));

const sha256 = (path) => new Promise((done, fail) => {
  const hash = createHash('sha256');
  createReadStream(path).on('data', (d) => hash.update(d)).on('end', () => done(hash.digest('hex'))).on('error', fail);
});
const mb = (bytes) => `${(bytes / 1e6).toFixed(0)} MB`;

const lineCount = existsSync(opts.source)
  ? null : (await writeRepeated(DEV, opts.source, records), records);
if (opts.parquet) {
  const parquet = `${opts.source}.${opts.parquet}.parquet`;
  if (!existsSync(parquet)) {
    const made = spawnSync(join(ROOT, '.venv/bin/python'), [join(ROOT, 'tests/e2e/parquet_files.py'), 'from-jsonl',
      opts.source, parquet, opts.parquet, '100000'], { stdio: 'inherit' });
    if (made.status !== 0) throw new Error('writing the Parquet source failed');
  }
  opts.source = parquet;
}
const kind = opts.parquet ? 'parquet' : 'jsonl';
const sourceBytes = statSync(opts.source).size;
const target = join(work, 'target.jsonl');
writeFileSync(target, readFileSync(join(DEV, 'target.jsonl'), 'utf8').split('\n').filter(Boolean)
  .slice(0, Number(opts.targets)).join('\n') + '\n');
console.log(`source ${opts.source}: ${mb(sourceBytes)}${lineCount ? `, ${records.toLocaleString('en')} records (written now)` : ''}; `
  + `${opts.targets} targets; ${opts.compressor}; keep the top ${opts['keep-percent']} % in ${opts.order} order`);

// The CLI first, for the files to compare with, its time and its peak memory.
const cliKept = join(work, `cli.kept.${kind}`);
const cliScores = join(work, 'cli.scores.csv');
let started = Date.now();
const cli = spawnSync('/usr/bin/time', ['-v', join(ROOT, 'target/release/zipfit'), 'score', '--quiet',
  '-s', opts.source, '-t', target, '-c', opts.compressor, '--top-percent', opts['keep-percent'],
  '--order', opts.order, '-o', cliKept, '--scores-csv', cliScores], { stdio: ['ignore', 'ignore', 'pipe'] });
if (cli.status !== 0) throw new Error(`the CLI failed: ${cli.stderr}`);
const timeOutput = cli.stderr.toString();
const cliRss = Number(timeOutput.match(/Maximum resident set size \(kbytes\): (\d+)/)?.[1] ?? 0) * 1024;
console.log(`CLI: ${((Date.now() - started) / 1000).toFixed(1)} s in all, peak memory ${mb(cliRss)}`);

const { server, url } = await serve(join(ROOT, 'dist'));
const { context, page } = await openPage(url, join(work, 'profile'), { gc: Boolean(process.env.GC) });

// Memory, sampled in the background until stopped; the peak is kept.
let peak = 0;
let sampling = true;
const sampler = (async () => {
  while (sampling) {
    const bytes = await page.evaluate(async () => (await performance.measureUserAgentSpecificMemory()).bytes).catch(() => 0);
    peak = Math.max(peak, bytes);
  }
})();
const memoryNow = async () => page.evaluate(async () => (await performance.measureUserAgentSpecificMemory()).bytes);
// Chromium's own figure below attributes the module's shared memory to the threads that
// use it, so it can count the same bytes more than once; rendererMemory() does not.
// The page's memory and where it is (the page, the scoring worker; Wasm memory counts in the worker).
const memoryWhere = async () => {
  if (process.env.GC) {
    await page.evaluate(() => gc());
    for (const worker of page.workers().filter((w) => w.url().endsWith('/worker.js'))) await worker.evaluate(() => gc());
  }
  const memory = await page.evaluate(async () => {
    const { bytes, breakdown } = await performance.measureUserAgentSpecificMemory();
    return { bytes, breakdown: breakdown.filter((b) => b.bytes > 1e6).map((b) => ({ bytes: b.bytes, types: b.types, scopes: b.attribution.map((a) => a.scope) })) };
  });
  const where = memory.breakdown.map((b) => `${mb(b.bytes)} ${b.scopes.join('+').replace('DedicatedWorkerGlobalScope', 'worker') || 'shared'} ${b.types.join('+')}`);
  const wasm = [];
  // Only the scoring worker: the pool's threads block in Atomics.wait and never answer.
  for (const worker of page.workers().filter((w) => w.url().endsWith('/worker.js'))) {
    const bytes = await worker.evaluate(() => self.wasmMemory?.buffer.byteLength).catch(() => undefined);
    if (bytes) wasm.push(mb(bytes));
  }
  return `${mb(memory.bytes)} (${where.join(', ')}; Wasm memory ${[...new Set(wasm)].join(', ')}); `
    + `renderer processes ${mb(rendererMemory())}`;
};

console.log(`page memory before any file: ${await memoryWhere()}`);
started = Date.now();
await page.setInputFiles('#source-file', opts.source);
await page.waitForSelector('#source-summary', { timeout: 3_600_000 });
console.log(`page: read in ${((Date.now() - started) / 1000).toFixed(1)} s: ${(await page.textContent('#source-summary p')).trim()}`);
await page.setInputFiles('#target-file', target);
await page.waitForSelector('#target-summary');
await page.selectOption('#compressor', opts.compressor);
started = Date.now();
await page.click('#score');
await page.waitForSelector('#run-summary', { timeout: 7_200_000 });
console.log(`page: ${(await page.textContent('#run-summary')).trim()} (${((Date.now() - started) / 1000).toFixed(1)} s click to result)`);
console.log(`page memory after scoring: ${await memoryWhere()}`);

await page.selectOption('#budget-kind', 'percent');
await page.fill('#budget-value', opts['keep-percent']);
await page.waitForSelector('#kept-summary[aria-busy="false"]', { timeout: 600_000 });
await page.selectOption('#output-order', opts.order);
for (const [button, expected] of [['download-selected', cliKept], ['download-scores-csv', cliScores]]) {
  started = Date.now();
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 3_600_000 }), page.click(`#${button}`)]);
  const saved = join(work, download.suggestedFilename());
  await download.saveAs(saved);
  const same = expected.endsWith('.parquet')
    ? spawnSync(join(ROOT, '.venv/bin/python'), [join(ROOT, 'tests/e2e/parquet_files.py'), 'equal', saved, expected]).status === 0
    : (await sha256(saved)) === (await sha256(expected));
  console.log(`page: ${download.suggestedFilename()} ${mb(statSync(saved).size)} in ${((Date.now() - started) / 1000).toFixed(1)} s, `
    + `${same ? 'equal to' : 'DIFFERENT from'} the CLI's; memory then ${await memoryWhere()}`);
  if (!same) process.exitCode = 1;
  rmSync(saved);
}
sampling = false;
await sampler;
console.log(`page memory: ${await memoryWhere()} at the end, ${mb(peak)} at the highest sample`);
// The page lets go of a download's object URL a minute after the download starts.
await new Promise((done) => setTimeout(done, 65_000));
console.log(`page memory 65 s later: ${await memoryWhere()}`);
await context.close();
server.close();
rmSync(work, { recursive: true });

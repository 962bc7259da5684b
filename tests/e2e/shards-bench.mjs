// Benchmark (not a test; prints figures): a source in shards in the page, beside the same
// records in one file. Writes RECORDS development records (repeated, each line
// different) as one JSONL file and as folders of 7 and 100 shards, then, each in a new
// browser profile and alternating, reads the source (the file, or the folder through the
// folder picker), scores it against TARGETS targets and prints the read time, the
// scoring speed the page reports, and the page's memory after scoring
// (performance.measureUserAgentSpecificMemory(), the page and its workers, and the tab's
// renderer processes' proportional set size).
//   node tests/e2e/shards-bench.mjs [--records 1000000] [--targets 5] [--compressor lz4] [--rounds 2]
import { createReadStream, createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { serve } from './server.mjs';
import { openPage, rendererMemory, writeRepeated } from './bench-common.mjs';

const ROOT = resolve(import.meta.dirname, '../..');
const DEV = resolve(ROOT, '../shared/data/dev-5k');
const { values: opts } = parseArgs({
  options: {
    records: { type: 'string', default: '1000000' },
    targets: { type: 'string', default: '5' },
    compressor: { type: 'string', default: 'lz4' },
    rounds: { type: 'string', default: '2' },
  },
});
const records = Number(opts.records);
const data = join(tmpdir(), `zipfit-shards-${records}`);
const one = join(data, 'one.jsonl');
const mb = (bytes) => `${(bytes / 1e6).toFixed(0)} MB`;

/** Cuts `one` into `count` shards of about equal records, in a folder. */
async function cut(count) {
  const folder = join(data, `shards-${count}`);
  if (existsSync(folder)) return folder;
  mkdirSync(folder, { recursive: true });
  const per = Math.ceil(records / count);
  let shard = -1;
  let out = null;
  let line = 0;
  for await (const text of createInterface({ input: createReadStream(one), crlfDelay: Infinity })) {
    if (line % per === 0) {
      if (out) await new Promise((done) => out.end(done));
      shard += 1;
      out = createWriteStream(join(folder, `train-${String(shard).padStart(5, '0')}-of-${String(count).padStart(5, '0')}.jsonl`));
    }
    if (!out.write(`${text}\n`)) await new Promise((done) => out.once('drain', done));
    line += 1;
  }
  await new Promise((done) => out.end(done));
  return folder;
}

mkdirSync(data, { recursive: true });
if (!existsSync(one)) await writeRepeated(DEV, one, records);
const sources = { 'one file': one, '7 shards': await cut(7), '100 shards': await cut(100) };
const target = join(data, 'target.jsonl');
writeFileSync(target, readFileSync(join(DEV, 'target.jsonl'), 'utf8').split('\n').filter(Boolean)
  .slice(0, Number(opts.targets)).join('\n') + '\n');
console.log(`${records.toLocaleString('en')} records, ${mb(statSync(one).size)}; ${opts.targets} targets; ${opts.compressor}`);

const { server, url } = await serve(join(ROOT, 'dist'));
const results = {};
const order = Object.keys(sources);
for (let round = 0; round < Number(opts.rounds); round += 1) {
  // Alternating: each round in the other order.
  for (const name of round % 2 === 0 ? order : [...order].reverse()) {
    const profile = mkdtempSync(join(tmpdir(), 'zipfit-profile-'));
    const { context, page } = await openPage(url, profile);
    const path = sources[name];
    let started = Date.now();
    await page.setInputFiles(path === one ? '#source-file' : '#source-folder', path);
    await page.waitForSelector('#source-summary', { timeout: 3_600_000 });
    const read = (Date.now() - started) / 1000;
    await page.setInputFiles('#target-file', target);
    await page.waitForSelector('#target-summary');
    await page.selectOption('#compressor', opts.compressor);
    started = Date.now();
    await page.click('#score');
    await page.waitForSelector('#run-summary', { timeout: 7_200_000 });
    const summary = (await page.textContent('#run-summary')).trim();
    const pairs = Number(summary.match(/\(([\d,]+) pairs\/s\)/)[1].replace(/,/g, ''));
    const memory = await page.evaluate(async () => (await performance.measureUserAgentSpecificMemory()).bytes);
    const renderer = rendererMemory();
    console.log(`${name}: read in ${read.toFixed(1)} s; ${summary}; memory ${mb(memory)}, renderer processes ${mb(renderer)}`);
    (results[name] ??= []).push({ pairs, memory, renderer });
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
server.close();
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const base = mean(results['one file'].map((r) => r.pairs));
for (const [name, runs] of Object.entries(results)) {
  const pairs = mean(runs.map((r) => r.pairs));
  console.log(`${name}: ${Math.round(pairs).toLocaleString('en')} pairs/s (${((pairs / base - 1) * 100).toFixed(1)} % against one file), `
    + `memory after scoring ${mb(mean(runs.map((r) => r.memory)))}, renderer processes ${mb(mean(runs.map((r) => r.renderer)))}`);
}

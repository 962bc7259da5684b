// Benchmark (not a test): the compression models alone, native and as Wasm in Chromium,
// side by side on the same pairs and one thread each, so that the page's gap to the CLI
// can be told apart from what surrounds the models (files, messages, threads).
//   node tests/e2e/engine.mjs [--source S] [--target T] [--sources N] [--runs gzip9,gzip1,lz4]
// Builds `engine_bench` (native) and crates/core/bench/wasm-engine (wasm32, no threads) in release mode.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const ROOT = resolve(import.meta.dirname, '../..');
const DEV = resolve(ROOT, '../shared/data/dev-5k');
const { values: opts } = parseArgs({
  options: {
    source: { type: 'string', default: join(DEV, 'source.jsonl') },
    target: { type: 'string', default: join(DEV, 'target.jsonl') },
    sources: { type: 'string', default: '1000' },
    runs: { type: 'string', default: 'gzip9,gzip1,lz4' },
    repeat: { type: 'string', default: '3' },
  },
});

const cargo = (args, env = {}) => execFileSync('cargo', args, {
  cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, ...env },
});
cargo(['build', '--release', '-p', 'zipfit-core', '--example', 'engine_bench']);
// The page's target features, without the shared memory and atomics its threads need.
cargo(['build', '--release', '-p', 'zipfit-wasm-engine', '--target', 'wasm32-unknown-unknown'],
  { RUSTFLAGS: '-C target-feature=+bulk-memory,+mutable-globals,+simd128' });
const native = join(ROOT, 'target/release/examples/engine_bench');
const wasm = readFileSync(join(ROOT, 'target/wasm32-unknown-unknown/release/zipfit_wasm_engine.wasm'));

const texts = (path) => readFileSync(path, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l).text);
const sources = texts(opts.source).slice(0, Number(opts.sources));
const targets = texts(opts.target);
const pairs = sources.length * targets.length;

const encoder = new TextEncoder();
const parts = [...sources, ...targets].map((text) => encoder.encode(text));
const buffer = new Uint8Array(parts.reduce((n, p) => n + 4 + p.length, 0));
let at = 0;
for (const part of parts) {
  new DataView(buffer.buffer).setUint32(at, part.length, true);
  buffer.set(part, at + 4);
  at += 4 + part.length;
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = await browser.newPage();
await page.goto('about:blank');
await page.evaluate(async ({ module, texts }) => {
  const { instance } = await WebAssembly.instantiate(new Uint8Array(module));
  const { alloc, pairs, memory } = instance.exports;
  const at = alloc(texts.length);
  new Uint8Array(memory.buffer, at, texts.length).set(texts);
  window.engine = { pairs: (sources, count, level) => pairs(at, texts.length, sources, count, level) };
}, { module: [...wasm], texts: [...buffer] });

console.log(`${sources.length} sources x ${targets.length} targets, one thread; microseconds per pair (best of ${opts.repeat})`);
console.log('| compressor | native | Wasm in Chromium | native / Wasm |');
console.log('|---|---|---|---|');
for (const run of opts.runs.split(',')) {
  const level = run === 'lz4' ? 0 : Number(run.replace('gzip', ''));
  let nativeBest = Infinity;
  let nativeSum;
  for (let i = 0; i < Number(opts.repeat); i += 1) {
    const out = execFileSync(native, [opts.source, opts.target, run, String(sources.length)], { encoding: 'utf8' });
    const [, us, sum] = out.match(/([\d.]+) us\/pair .*checksum (\d+)/);
    nativeBest = Math.min(nativeBest, Number(us));
    nativeSum = sum;
  }
  const { best, sum } = await page.evaluate(({ sources, count, level, repeat }) => {
    window.engine.pairs(sources, Math.min(count, 50), level); // warm up: the optimizing tier
    let best = Infinity;
    let sum;
    for (let i = 0; i < repeat; i += 1) {
      const started = performance.now();
      sum = window.engine.pairs(sources, count, level);
      best = Math.min(best, performance.now() - started);
    }
    return { best, sum: String(sum) };
  }, { sources: sources.length, count: sources.length, level, repeat: Number(opts.repeat) });
  const wasmUs = (best * 1000) / pairs;
  if (sum !== nativeSum) throw new Error(`${run}: Wasm checksum ${sum} differs from native ${nativeSum}`);
  console.log(`| ${run} | ${nativeBest.toFixed(3)} | ${wasmUs.toFixed(3)} | ${(nativeBest / wasmUs).toFixed(2)}x |`);
}
await browser.close();

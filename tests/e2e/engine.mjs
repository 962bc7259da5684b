// Benchmark (not a test): the compression models alone, native and as Wasm in Chromium,
// side by side on the same pairs and one thread each, so that the page's gap to the CLI
// can be told apart from what surrounds the models (files, messages, threads).
//   node tests/e2e/engine.mjs [--source S] [--target T] [--sources N] [--runs gzip9,gzip1,lz4]
// Builds `engine_bench` (native) and crates/core/bench/wasm-engine (wasm32 with the page's
// flags: atomics, std rebuilt, shared memory) in release mode. `--unshared` builds the Wasm
// without atomics and runs it on an unshared memory instead.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
    sources: { type: 'string', default: '1000' },
    runs: { type: 'string', default: 'gzip9,gzip1,lz4' },
    repeat: { type: 'string', default: '5' },
    unshared: { type: 'boolean', default: false },
  },
});

// liblz4's headers for wasm32, as scripts/wasm-env.sh sets them.
const WASM_CFLAGS = { CFLAGS_wasm32_unknown_unknown: `-isystem ${join(ROOT, 'crates/core/wasm-libc')}` };
const cargo = (args, env = {}) => execFileSync('cargo', args, {
  cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, ...env },
});
cargo(['build', '--release', '-p', 'zipfit-core', '--example', 'engine_bench']);
// The page's flags (.cargo/config.toml), or its target features without atomics. Each in
// its own target directory, so that neither rebuilds the other's std.
const wasmDir = join(ROOT, 'target', opts.unshared ? 'engine-unshared' : 'engine-shared');
cargo(['build', '--release', '-p', 'zipfit-wasm-engine', '--target', 'wasm32-unknown-unknown', '--target-dir', wasmDir],
  opts.unshared ? { ...WASM_CFLAGS, RUSTFLAGS: '-C target-feature=+bulk-memory,+mutable-globals,+simd128' }
    : { ...WASM_CFLAGS, CARGO_UNSTABLE_BUILD_STD: 'panic_abort,std' });
const native = join(ROOT, 'target/release/examples/engine_bench');
const wasm = readFileSync(join(wasmDir, 'wasm32-unknown-unknown/release/zipfit_wasm_engine.wasm'));

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

// A cross-origin isolated page, as shared memory needs.
const site = mkdtempSync(join(tmpdir(), 'zipfit-engine-'));
writeFileSync(join(site, 'index.html'), '<!doctype html><title>engine</title>');
const { server, url } = await serve(site);

// Microseconds per pair in a fresh browser (speed differs between browser processes by up
// to a third on this machine, so every round starts a new one), after one warm-up pass.
async function wasmRound(level) {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = await browser.newPage();
  await page.goto(url);
  const { ms, sum } = await page.evaluate(async ({ module, texts, shared, sources, level }) => {
    // As the page's module: 4 GiB at most (--max-memory in .cargo/config.toml).
    const imported = shared ? new WebAssembly.Memory({ initial: 32, maximum: 65536, shared: true }) : undefined;
    const { instance } = await WebAssembly.instantiate(new Uint8Array(module), shared ? { env: { memory: imported } } : {});
    const { alloc, pairs } = instance.exports;
    const memory = imported ?? instance.exports.memory;
    const at = alloc(texts.length);
    new Uint8Array(memory.buffer, at, texts.length).set(texts);
    pairs(at, texts.length, sources, sources, level); // warm up: V8's optimizing tier
    const started = performance.now();
    const sum = pairs(at, texts.length, sources, sources, level);
    return { ms: performance.now() - started, sum: String(sum) };
  }, { module: [...wasm], texts: [...buffer], shared: !opts.unshared, sources: sources.length, level });
  await browser.close();
  return { us: (ms * 1000) / pairs, sum };
}

function nativeRound(run) {
  const out = execFileSync(native, [opts.source, opts.target, run, String(sources.length)], { encoding: 'utf8' });
  const [, us, sum] = out.match(/([\d.]+) us\/pair .*checksum (\d+)/);
  return { us: Number(us), sum };
}

console.log(`${sources.length} sources x ${targets.length} targets, one thread, ${opts.unshared ? 'unshared' : 'shared'} Wasm memory; `
  + `microseconds per pair, best of ${opts.repeat} rounds (native and Wasm alternating)`);
console.log('| compressor | native | Wasm in Chromium | native / Wasm |');
console.log('|---|---|---|---|');
for (const run of opts.runs.split(',')) {
  const level = run === 'lz4' ? 0 : Number(run.replace('gzip', ''));
  let [nativeBest, wasmBest] = [Infinity, Infinity];
  for (let i = 0; i < Number(opts.repeat); i += 1) {
    const native = nativeRound(run);
    const wasm = await wasmRound(level);
    if (wasm.sum !== native.sum) throw new Error(`${run}: Wasm checksum ${wasm.sum} differs from native ${native.sum}`);
    nativeBest = Math.min(nativeBest, native.us);
    wasmBest = Math.min(wasmBest, wasm.us);
  }
  console.log(`| ${run} | ${nativeBest.toFixed(3)} | ${wasmBest.toFixed(3)} | ${(nativeBest / wasmBest).toFixed(2)}x |`);
}
server.close();
rmSync(site, { recursive: true });

// Benchmark (not a test; prints figures): what a first visit downloads. Serves dist/
// with scripts/serve.py (as a static host: Last-Modified, no compression), or with
// --host bare with tests/e2e/server.mjs (no validators: nothing can come from the
// browser's HTTP cache), and opens the
// page in a new profile, with the service worker allowed and then blocked, until the
// worker threads are ready and (when allowed) the offline cache is filled. Prints each
// file fetched from the network (not from the browser's cache), how many times, and the
// bytes received, as Chromium's network events count them (the page, its workers and
// the service worker).
//   node tests/e2e/first-load.mjs [--port 8093] [--host python|bare]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { serve } from './server.mjs';

const ROOT = resolve(import.meta.dirname, '../..');
const { values: opts } = parseArgs({
  options: { port: { type: 'string', default: '8093' }, host: { type: 'string', default: 'python' } },
});
let url = `http://127.0.0.1:${opts.port}/`;
let stop;
if (opts.host === 'bare') {
  const bare = await serve(join(ROOT, 'dist'));
  ({ url } = bare);
  stop = () => bare.server.close();
} else {
  const server = spawn('python3', [join(ROOT, 'scripts/serve.py'), '--port', opts.port], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((done) => server.stdout.once('data', done));
  stop = () => stop();
}

for (const serviceWorkers of ['allow', 'block']) {
  const profile = mkdtempSync(join(tmpdir(), 'zipfit-first-load-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    serviceWorkers,
  });
  const fetched = {};
  // Every request from the network, whoever made it (the page, a worker, the service worker).
  context.on('requestfinished', async (request) => {
    const response = await request.response();
    if (!response || response.fromServiceWorker() || response.status() === 304) return;
    const sizes = await request.sizes().catch(() => null);
    // A response from the browser's HTTP cache has no body on the wire (Chromium gives
    // no size, or a negative one).
    if (!sizes || sizes.responseBodySize <= 0) return;
    const name = new URL(request.url()).pathname.slice(1) || 'index.html';
    const entry = (fetched[name] ??= { times: 0, bytes: 0 });
    entry.times += 1;
    entry.bytes += sizes.responseBodySize;
  });
  const page = context.pages()[0] ?? await context.newPage();
  const started = Date.now();
  await page.goto(url);
  await page.waitForSelector('text=/\\d+ worker threads? ready/', { timeout: 120_000 });
  const ready = (Date.now() - started) / 1000;
  if (serviceWorkers === 'allow') await page.waitForSelector('text=/Ready to work offline/', { timeout: 120_000 });
  await new Promise((done) => setTimeout(done, 2000));
  const wasm = fetched['zipfit-web_bg.wasm'] ?? { times: 0, bytes: 0 };
  const total = Object.values(fetched).reduce((sum, f) => sum + f.bytes, 0);
  console.log(`service workers ${serviceWorkers}: threads ready after ${ready.toFixed(1)} s; `
    + `zipfit-web_bg.wasm downloaded ${wasm.times} time(s), ${(wasm.bytes / 1e6).toFixed(2)} MB; `
    + `${Object.keys(fetched).length} files, ${(total / 1e6).toFixed(2)} MB in all`);
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
stop();

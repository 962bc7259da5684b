// What the benchmarks share: large sources made from the development records, and the
// page opened in Chromium as a user has it.
import { createWriteStream, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

/**
 * Writes `records` JSONL records to `path`: the development source's records repeated,
 * each with a "copy" field, so that every line differs.
 */
export async function writeRepeated(dev, path, records) {
  const lines = readFileSync(join(dev, 'source.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  const out = createWriteStream(path);
  for (let i = 0; i < records;) {
    let chunk = '';
    for (const end = Math.min(records, i + 5000); i < end; i++) {
      chunk += `${JSON.stringify({ ...lines[i % lines.length], copy: Math.floor(i / lines.length) })}\n`;
    }
    if (!out.write(chunk)) await new Promise((done) => out.once('drain', done));
  }
  await new Promise((done) => out.end(done));
}

/**
 * Opens the page at `url` in headless Chromium with a persistent profile in `profile`, as
 * users have (in a private context the origin's private file system, where downloads
 * are written, is kept in memory), and waits for its workers. Downloads are Blobs.
 */
export async function openPage(url, profile, { gc = false } = {}) {
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      ...(gc ? ['--js-flags=--expose-gc'] : []),
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1400, height: 1000 },
    acceptDownloads: true,
  });
  await context.addInitScript(() => { delete window.showSaveFilePicker; });
  const page = context.pages()[0] ?? await context.newPage();
  page.on('pageerror', (error) => console.log('page error:', error.message));
  await page.goto(url);
  await page.waitForSelector('text=/\\d+ worker threads? ready/', { timeout: 30_000 });
  return { context, page };
}

/**
 * What the browser's renderer processes hold, as the system counts it: their proportional
 * set size (shared pages divided among the processes sharing them). The browser's own
 * process and its helpers are left out.
 */
export function rendererMemory() {
  let bytes = 0;
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer')) continue;
      const pss = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8').match(/^Pss:\s+(\d+) kB/m);
      bytes += Number(pss?.[1] ?? 0) * 1024;
    } catch {
      // The process ended meanwhile.
    }
  }
  return bytes;
}

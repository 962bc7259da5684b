// What every end-to-end test file shares: the built page served, Chromium launched, and
// the steps the tests take on the page (open it, load files, score, download, audit).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { serve } from './server.mjs';

export const ROOT = resolve(import.meta.dirname, '../..');
export const DIST = join(ROOT, 'dist');
export const CLI = join(ROOT, 'target/release/zipfit');
export const ARTIFACTS = join(ROOT, 'tests/artifacts');
export const EXAMPLE = join(ROOT, 'www/example');
export const DEV = resolve(ROOT, '../shared/data/dev-5k');
export const WORK = mkdtempSync(join(tmpdir(), 'zipfit-e2e-'));
export const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
export const CHROMIUM_FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

let server;
// The page's address and the browser, once launch() ran (live bindings for importers).
export let baseUrl;
export let browser;

/** Serves dist/ and starts Chromium: each test file's `before`. */
export async function launch() {
  assert.ok(existsSync(join(DIST, 'index.html')), 'build the page first (scripts/build-web.sh)');
  assert.ok(existsSync(CLI), 'build the CLI first (cargo build --release -p zipfit-cli)');
  mkdirSync(ARTIFACTS, { recursive: true });
  ({ server, url: baseUrl } = await serve(DIST));
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_FLAGS });
}

/** Each test file's `after`. */
export async function close() {
  await browser?.close();
  server?.close();
}

/**
 * Opens the page; records every request and page error. Downloads go through the
 * browser's download (a Blob) unless `picker` is given: headless Chromium has the File
 * System Access API but no one to answer its dialog, so it is removed, or replaced by
 * `picker` (a function run in the page).
 */
export async function open({ picker } = {}) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
  if (picker) await context.addInitScript(picker);
  else await context.addInitScript(() => { delete window.showSaveFilePicker; });
  const requests = [];
  context.on('request', (request) => requests.push(request.url()));
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(baseUrl);
  await page.waitForSelector('text=/\\d+ worker threads? ready/', { timeout: 30_000 });
  return { context, page, requests, errors };
}

export function cli(...args) {
  execFileSync(CLI, args, { stdio: ['ignore', 'ignore', 'inherit'] });
}

export async function download(page, buttonId) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click(`#${buttonId}`)]);
  const path = join(WORK, `${Date.now()}-${file.suggestedFilename()}`);
  await file.saveAs(path);
  return { name: file.suggestedFilename(), bytes: readFileSync(path) };
}

export async function loadFiles(page, source, target) {
  await page.setInputFiles('#source-file', source);
  await page.waitForSelector('#source-summary');
  await page.setInputFiles('#target-file', target);
  await page.waitForSelector('#target-summary');
}

/**
 * Scores with a method (at `level`, else the page's default for it: gzip 9, LZ4 0,
 * zstd 3) and waits for its run (one more in the list of runs).
 */
export async function score(page, compressor, level) {
  await page.selectOption('#compressor', compressor);
  if (level !== undefined && await page.isEnabled('#level')) await page.selectOption('#level', String(level));
  else if (level !== undefined) assert.equal(await page.inputValue('#level'), String(level), 'the one level offered');
  const runs = await page.locator('#runs > li').count();
  await page.click('#score');
  await page.waitForFunction((before) => document.querySelectorAll('#runs > li').length > before
    && document.querySelector('#run-summary'), runs, { timeout: 120_000 });
  return page.textContent('#run-summary');
}

/** Sets the budget and waits for the worker's counts for it. */
export async function setBudget(page, kind, value) {
  await page.selectOption('#budget-kind', kind);
  await page.fill('#budget-value', String(value));
  await settledCut(page);
}

/** Waits until the selection's figures are for the budget shown (the worker counts them). */
export async function settledCut(page) {
  await page.waitForSelector('#kept-summary[aria-busy="false"]');
}

/**
 * Runs axe-core in the page as it is, at desktop and at phone width, and fails on any
 * violation (every impact, not only critical and serious ones).
 */
export async function audit(page, view) {
  const size = page.viewportSize();
  for (const [width, height] of [[1400, 1000], [390, 844]]) {
    await page.setViewportSize({ width, height });
    if (!(await page.evaluate(() => typeof window.axe !== 'undefined'))) await page.evaluate(AXE);
    const { violations } = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
    const found = violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    assert.deepEqual(found, [], `accessibility violations in the ${view} view at ${width} px`);
    if (width < 600) {
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `the ${view} view is ${overflow} px wider than a ${width} px phone`);
      await page.screenshot({ path: join(ARTIFACTS, `phone-${view.replace(/\W+/g, '-')}.png`), fullPage: true });
    }
  }
  await page.setViewportSize(size);
}

export function assertSameBytes(actual, expectedPath, what) {
  const expected = readFileSync(expectedPath);
  assert.ok(actual.equals(expected), `${what}: ${actual.length} bytes from the page, ${expected.length} from the CLI`);
}

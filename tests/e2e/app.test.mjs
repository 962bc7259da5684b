// End-to-end tests of the built page (dist/) in Debian's Chromium, driven by Playwright.
// Files go in through the page's file inputs; every download is compared byte for byte
// with what the zipfit CLI writes for the same files and settings.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { serve } from './server.mjs';
import {
  launch, close, ROOT, DIST, CLI, ARTIFACTS, EXAMPLE, DEV, WORK, CHROMIUM_FLAGS, baseUrl, browser,
  open, cli, download, loadFiles, score, setBudget, settledCut, audit, assertSameBytes,
} from './page.mjs';

before(launch);
after(close);
test('scores, selections and downloads equal the CLI for gzip and LZ4', async () => {
  const { context, page, requests, errors } = await open();
  assert.equal(await page.evaluate(() => crossOriginIsolated), true, 'page must be cross-origin isolated');
  const threads = Number((await page.textContent('.pool')).match(/(\d+) worker threads?/)[1]);
  assert.ok(threads > 1, `expected more than one worker thread, got ${threads}`);

  await audit(page, 'start');
  const source = join(EXAMPLE, 'source.jsonl');
  const target = join(EXAMPLE, 'target.jsonl');
  await loadFiles(page, source, target);
  assert.match(await page.textContent('#source-summary'), /400 records/);
  await audit(page, 'files loaded');
  await page.screenshot({ path: join(ARTIFACTS, 'loaded.png'), fullPage: true });

  for (const [compressor, level] of [['gzip', 9], ['gzip', 1], ['lz4', 0]]) {
    const summary = await score(page, compressor, level);
    assert.match(summary, /Scored 400 records against 20 targets/);
    const scores = join(WORK, `${compressor}${level}.scores.jsonl`);
    const csv = join(WORK, `${compressor}${level}.scores.csv`);
    cli('score', '--quiet', '-s', source, '-t', target, '-c', compressor, '-l', String(level), '--scores', scores, '--scores-csv', csv);
    const jsonl = await download(page, 'download-scores-jsonl');
    assert.equal(jsonl.name, 'source.scores.jsonl');
    assertSameBytes(jsonl.bytes, scores, `${compressor} ${level} scores.jsonl`);
    assertSameBytes((await download(page, 'download-scores-csv')).bytes, csv, `${compressor} ${level} scores.csv`);
  }
  await page.screenshot({ path: join(ARTIFACTS, 'scored-lz4.png'), fullPage: true });

  // Selections: the page's downloads must equal the CLI's for the same budget.
  const budgets = [
    ['count', 25, ['--top', '25'], /^25 of 400/],
    ['percent', 12.5, ['--top-percent', '12.5'], /^50 of 400/],
    ['tokens', 5000, ['--token-budget', '5000'], / of 400/],
    ['threshold', 0.2, ['--threshold', '0.2'], / of 400/],
  ];
  for (const [kind, value, flags, shown] of budgets) {
    await setBudget(page, kind, value);
    assert.match(await page.textContent('#kept-summary'), shown);
    const kept = join(WORK, `${kind}.kept.jsonl`);
    const keptInput = join(WORK, `${kind}.kept-input.jsonl`);
    const rejected = join(WORK, `${kind}.rejected.jsonl`);
    cli('score', '--quiet', '-s', source, '-t', target, '-c', 'lz4', ...flags, '-o', kept, '--rejected', rejected);
    cli('score', '--quiet', '-s', source, '-t', target, '-c', 'lz4', ...flags, '-o', keptInput, '--order', 'input');
    await page.selectOption('#output-order', 'rank');
    assertSameBytes((await download(page, 'download-selected')).bytes, kept, `${kind} kept (rank order)`);
    assertSameBytes((await download(page, 'download-rejected')).bytes, rejected, `${kind} not kept`);
    await page.selectOption('#output-order', 'input');
    assertSameBytes((await download(page, 'download-selected')).bytes, keptInput, `${kind} kept (input order)`);
  }

  // A click on the histogram keeps what scores above the clicked point.
  const chart = await page.locator('#histogram').boundingBox();
  await page.mouse.click(chart.x + chart.width * 0.75, chart.y + chart.height / 2);
  assert.equal(await page.inputValue('#budget-kind'), 'threshold');
  await settledCut(page);
  const cut = Number(await page.inputValue('#budget-value'));
  const scoresNow = readFileSync(join(WORK, 'lz40.scores.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l).score);
  const above = scoresNow.filter((s) => s > cut).length;
  assert.match(await page.textContent('#kept-summary'), new RegExp(`^${above} of 400`));

  // The table shows the ranking; a row opens the full text, shown as text.
  await setBudget(page, 'count', 40);
  const firstRow = page.locator('#results .row').first();
  await firstRow.waitFor();
  await firstRow.click();
  await page.waitForSelector('#detail pre:not(:text("loading…"))');
  const index = Number(await firstRow.getAttribute('data-index'));
  const line = readFileSync(source, 'utf8').split('\n')[index];
  assert.equal(await page.textContent('#detail pre'), JSON.parse(line).text);
  assert.match(await page.textContent('#breakdown'), /python/);
  await page.screenshot({ path: join(ARTIFACTS, 'selection.png'), fullPage: true });
  await audit(page, 'results with a record open');

  const foreign = requests.filter((url) => !url.startsWith(baseUrl) && !url.startsWith('blob:') && !url.startsWith('data:'));
  assert.deepEqual(foreign, [], 'no request may leave the page\'s origin');
  assert.deepEqual(errors, []);
  await context.close();
});

test('bad lines are reported with file and line, then skipped without losing them', async () => {
  const { context, page, errors } = await open();
  const good = readFileSync(join(EXAMPLE, 'source.jsonl'), 'utf8').split('\n').filter(Boolean).slice(0, 30);
  const lines = [...good.slice(0, 5), '{"text": "unterminated', ...good.slice(5, 20), '{"id": 7}', ...good.slice(20)];
  const source = join(WORK, 'with-bad-lines.jsonl');
  writeFileSync(source, lines.join('\n') + '\n');
  await loadFiles(page, source, join(EXAMPLE, 'target.jsonl'));
  // A file that is not JSONL at all is named as such, beside its own drop zone.
  await page.setInputFiles('#target-file', join(DIST, 'icons/icon.svg'));
  await page.waitForSelector('#target-zone >> text=does not look like a JSONL file');
  assert.match(await page.textContent('#target-zone'), /icon\.svg:1: not valid JSON/);
  await page.setInputFiles('#target-file', join(EXAMPLE, 'target.jsonl'));
  await page.waitForSelector('#target-summary >> text=20 records');
  const zone = await page.textContent('#source-zone');
  assert.match(zone, /with-bad-lines\.jsonl:6: not valid JSON/);
  assert.equal(await page.isDisabled('#score'), true);
  await page.screenshot({ path: join(ARTIFACTS, 'bad-lines.png'), fullPage: true });
  await audit(page, 'bad lines');

  await page.click('#source-skip');
  await page.waitForSelector('text=2 lines skipped');
  assert.match(await page.textContent('#source-zone'), /with-bad-lines\.jsonl:22: no field "text"/);
  await score(page, 'gzip', 9);
  const skipped = await download(page, 'download-skipped');
  assert.equal(skipped.bytes.toString(), `${lines[5]}\n${lines[21]}\n`);
  const scores = join(WORK, 'bad.scores.jsonl');
  cli('score', '--quiet', '--on-error', 'skip', '-s', source, '-t', join(EXAMPLE, 'target.jsonl'), '--scores', scores);
  assertSameBytes((await download(page, 'download-scores-jsonl')).bytes, scores, 'scores with skipped lines');
  await page.screenshot({ path: join(ARTIFACTS, 'skipped.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();
});

test('the page stays responsive while scoring and Cancel stops at once', async () => {
  const { context, page, errors } = await open();
  const data = existsSync(join(DEV, 'source.jsonl')) ? DEV : EXAMPLE;
  await loadFiles(page, join(data, 'source.jsonl'), join(data, 'target.jsonl'));
  await page.selectOption('#compressor', 'gzip');
  await page.selectOption('#level', '9');
  // Record the longest gap between animation frames while scoring runs.
  await page.evaluate(() => {
    window.longestFrameGap = 0;
    let last = performance.now();
    const tick = (now) => {
      window.longestFrameGap = Math.max(window.longestFrameGap, now - last);
      last = now;
      if (!window.stopFrames) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  await page.click('#score');
  await page.waitForSelector('#progress');
  await page.waitForFunction(() => /^[1-9][\d,]* \//.test(document.querySelector('#progress span')?.textContent ?? ''));
  await page.screenshot({ path: join(ARTIFACTS, 'progress.png'), fullPage: true });
  const progress = await page.textContent('#progress');
  await audit(page, 'scoring');
  await page.click('#cancel');
  await page.waitForSelector('#cancelled', { timeout: 5_000 });
  const gap = await page.evaluate(() => { window.stopFrames = true; return window.longestFrameGap; });
  console.log(`progress when cancelled: ${progress.trim()}; longest frame gap while scoring: ${gap.toFixed(0)} ms`);
  assert.equal(await page.isEnabled('#score'), true, 'a new run can start after cancelling');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the bundled example scores at once, and changing the thread count keeps the files', async () => {
  const { context, page, errors } = await open();
  // One click: the example loads and scores with the defaults (gzip level 9).
  await page.click('button.example');
  await page.waitForSelector('#run-summary', { timeout: 60_000 });
  assert.match(await page.textContent('#run-summary'), /Scored 400 records against 20 targets with gzip level 9/);
  await page.screenshot({ path: join(ARTIFACTS, 'example.png'), fullPage: true });

  // A new pool size restarts the worker; the files are handed over again.
  await page.fill('#threads', '1');
  await page.press('#threads', 'Enter');
  await page.waitForSelector('text=1 worker thread ready');
  await page.waitForSelector('#source-summary');
  await page.waitForFunction(() => !document.querySelector('#score')?.disabled);
  await score(page, 'lz4');
  assert.match(await page.textContent('#run-summary'), /Scored 400 records against 20 targets with LZ4/);
  const scores = join(WORK, 'example.lz4.scores.jsonl');
  cli('score', '--quiet', '-s', join(EXAMPLE, 'source.jsonl'), '-t', join(EXAMPLE, 'target.jsonl'), '-c', 'lz4', '--scores', scores);
  assertSameBytes((await download(page, 'download-scores-jsonl')).bytes, scores, 'example scores after the restart');
  assert.deepEqual(errors, []);
  await context.close();
});

test('on a static host without COOP/COEP headers the service worker isolates the page', async () => {
  const plain = await serve(DIST, { isolate: false });
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await page.goto(plain.url);
    await page.waitForFunction(() => crossOriginIsolated, null, { timeout: 30_000 });
    await page.waitForSelector('text=/\\d+ worker threads? ready/', { timeout: 30_000 });
    await page.click('button.example');
    await page.waitForSelector('#run-summary', { timeout: 60_000 });
    await score(page, 'lz4');
    assert.match(await page.textContent('#run-summary'), /Scored 400 records against 20 targets with LZ4/);
  } finally {
    await context.close();
    plain.server.close();
  }
});

test('a gzip-compressed source and chat-style targets with another field', async () => {
  const { context, page, errors } = await open();
  const source = join(WORK, 'source.jsonl.gz');
  writeFileSync(source, gzipSync(readFileSync(join(EXAMPLE, 'source.jsonl'))));
  // Targets as chat transcripts: the text is the messages' contents joined with newlines.
  const chat = join(WORK, 'chat.jsonl');
  const targets = readFileSync(join(EXAMPLE, 'target.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l).text);
  writeFileSync(chat, targets.map((t) => JSON.stringify({
    messages: [{ role: 'user', content: 'Complete:' }, { role: 'assistant', content: t }],
  })).join('\n') + '\n');
  await loadFiles(page, source, chat);
  assert.match(await page.textContent('#source-summary'), /400 records/);
  assert.equal(await page.inputValue('#target-field'), 'messages');
  await score(page, 'gzip', 6);
  const scores = join(WORK, 'chat.scores.jsonl');
  cli('score', '--quiet', '-s', source, '-t', chat, '--target-field', 'messages', '-l', '6', '--scores', scores);
  const saved = await download(page, 'download-scores-jsonl');
  assertSameBytes(saved.bytes, scores, 'scores for a .jsonl.gz source and chat targets');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the ranked table works from the keyboard', async () => {
  const { context, page, errors } = await open();
  await page.click('button.example');
  await page.waitForSelector('#run-summary', { timeout: 60_000 });
  const ranking = readFileSync(join(EXAMPLE, 'source.jsonl'), 'utf8').split('\n');
  const active = () => page.getAttribute('#results', 'aria-activedescendant');
  await page.focus('#results');
  assert.equal(await active(), 'rank-1');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  assert.equal(await active(), 'rank-3');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#detail >> text=Rank 3 ·');
  await page.waitForSelector('#detail pre:not(:text("loading…"))');
  const index = Number(await page.getAttribute('#rank-3', 'data-index'));
  assert.equal(await page.textContent('#detail pre'), JSON.parse(ranking[index]).text);
  await page.keyboard.press('PageDown');
  assert.equal(await active(), 'rank-20');
  await page.keyboard.press('End');
  assert.equal(await active(), 'rank-400');
  await page.waitForSelector('#rank-400:not(.placeholder)');
  await page.keyboard.press('Home');
  assert.equal(await active(), 'rank-1');
  // Go to rank: type it, press Enter; the row is current, in view, and focus is on the table.
  await page.fill('#goto-rank', '123');
  await page.press('#goto-rank', 'Enter');
  assert.equal(await active(), 'rank-123');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'results');
  await page.waitForSelector('#rank-123:not(.placeholder)');
  assert.ok(await page.isVisible('#rank-123'));
  await audit(page, 'table in use');
  assert.deepEqual(errors, []);
  await context.close();
});

test('after one visit the app works offline', async () => {
  const own = await serve(DIST);
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  try {
    await page.goto(own.url);
    await page.waitForSelector('#offline-status >> text=Ready to work offline', { timeout: 60_000 });
    // No server and no network: everything must come from the service worker's cache.
    own.server.closeAllConnections();
    await new Promise((resolve) => own.server.close(resolve));
    await context.setOffline(true);
    await page.reload();
    assert.equal(await page.evaluate(() => crossOriginIsolated), true);
    await page.waitForSelector('text=/\\d+ worker threads? ready/', { timeout: 30_000 });
    await page.click('button.example');
    await page.waitForSelector('#run-summary', { timeout: 60_000 });
    assert.match(await page.textContent('#run-summary'), /Scored 400 records against 20 targets/);
    await page.screenshot({ path: join(ARTIFACTS, 'offline.png'), fullPage: true });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    own.server.close();
  }
});

test('ten million rows: scroll to the last rank and jump to any rank', async () => {
  // Ten million short records (about 190 MB), written by the test, against one target.
  const source = join(WORK, 'ten-million.jsonl');
  const target = join(WORK, 'one-target.jsonl');
  const total = 10_000_000;
  await new Promise((resolve, reject) => {
    const out = createWriteStream(source);
    out.on('error', reject);
    out.on('finish', resolve);
    let i = 0;
    const write = () => {
      let ok = true;
      while (i < total && ok) {
        let chunk = '';
        for (const end = Math.min(total, i + 10_000); i < end; i++) chunk += `{"text":"row ${i} ${(i * 7919) % 10007}"}\n`;
        ok = out.write(chunk);
      }
      if (i < total) out.once('drain', write);
      else out.end();
    };
    write();
  });
  writeFileSync(target, '{"text":"row 5000000 7"}\n');
  const { context, page, errors } = await open();
  await loadFiles(page, source, target);
  await score(page, 'lz4');
  assert.match(await page.textContent('#run-summary'), /Scored 10,000,000 records against 1 target/);
  const active = () => page.getAttribute('#results', 'aria-activedescendant');
  // The scroll area stays far below the browser's element-height cap, yet reaches the end.
  const height = await page.evaluate(() => document.querySelector('#results').scrollHeight);
  assert.ok(height < 5_000_000, `scroll area ${height} px`);
  await page.evaluate(() => { const t = document.querySelector('#results'); t.scrollTop = t.scrollHeight; });
  await page.waitForSelector('#rank-10000000:not(.placeholder)');
  const lastIndex = await page.getAttribute('#rank-10000000', 'data-index');
  await page.focus('#results');
  await page.keyboard.press('End');
  assert.equal(await active(), 'rank-10000000');
  // The wheel moves by pixels, not by thousands of rows.
  await page.keyboard.press('Home');
  await page.hover('#results');
  await page.mouse.wheel(0, 90);
  await page.waitForFunction(() => !document.querySelector('#rank-1'));
  assert.ok(await page.isVisible('#rank-4'), 'three rows down: a scaled scrollbar would have moved hundreds');
  await page.fill('#goto-rank', '7654321');
  await page.press('#goto-rank', 'Enter');
  assert.equal(await active(), 'rank-7654321');
  await page.waitForSelector('#rank-7654321:not(.placeholder)');
  await page.keyboard.press('ArrowDown');
  assert.equal(await active(), 'rank-7654322');
  await page.screenshot({ path: join(ARTIFACTS, 'ten-million.png') });
  // Ranks are exact at the far end too: the CLI ranks the same records there.
  const scores = join(WORK, 'ten-million.scores.csv');
  cli('score', '--quiet', '-s', source, '-t', target, '-c', 'lz4', '--scores-csv', scores);
  const byRank = new Map();
  for (const line of readFileSync(scores, 'utf8').split('\n').slice(1)) {
    const [index, , , rank] = line.split(',');
    if (rank === '7654322' || rank === '10000000') byRank.set(rank, index);
  }
  assert.equal(await page.getAttribute('#rank-7654322', 'data-index'), byRank.get('7654322'));
  assert.equal(lastIndex, byRank.get('10000000'));
  assert.deepEqual(errors, []);
  await context.close();
});

test('a source read in many pieces: late bad lines, skipping, and every download equal the CLI', async () => {
  // About 50 MB: the worker reads 16 MiB pieces, so lines are cut between pieces, and the
  // bad lines sit in later pieces than the first.
  const data = existsSync(join(DEV, 'source.jsonl')) ? DEV : EXAMPLE;
  const lines = readFileSync(join(data, 'source.jsonl'), 'utf8').split('\n').filter(Boolean);
  const source = join(WORK, 'many-pieces.jsonl');
  const out = [];
  let size = 0;
  for (let copy = 0; size < 50e6; copy++) {
    for (const line of lines) {
      const record = JSON.parse(line);
      record.copy = copy;
      const text = JSON.stringify(record);
      out.push(text);
      size += text.length + 1;
    }
  }
  const bad = [Math.floor(out.length * 0.6), Math.floor(out.length * 0.9)];
  out.splice(bad[0], 0, '{"text": "cut short');
  out.splice(bad[1], 0, '');
  out.splice(bad[1] + 1, 0, '{"no_text": 1}');
  writeFileSync(source, out.join('\n') + '\n');
  const target = join(data, 'target.jsonl');

  const { context, page, errors } = await open();
  await loadFiles(page, source, target);
  assert.match(await page.textContent('#source-zone'), new RegExp(`many-pieces\\.jsonl:${bad[0] + 1}: not valid JSON`));
  await page.click('#source-skip');
  await page.waitForSelector('text=2 lines skipped');
  assert.match(await page.textContent('#source-zone'), new RegExp(`many-pieces\\.jsonl:${bad[1] + 2}: no field "text"`));
  assert.match(await page.textContent('#source-summary'), new RegExp(`${(out.length - 3).toLocaleString('en-US')} records · 1 blank line`));
  await score(page, 'lz4');
  await setBudget(page, 'percent', 7.5);
  const flags = ['score', '--quiet', '--on-error', 'skip', '-s', source, '-t', target, '-c', 'lz4', '--top-percent', '7.5'];
  const want = (name) => join(WORK, `many-pieces.${name}`);
  cli(...flags, '--scores', want('scores.jsonl'), '--scores-csv', want('scores.csv'), '-o', want('kept.jsonl'),
    '--rejected', want('rejected.jsonl'), '--skipped', want('skipped.jsonl'));
  cli(...flags, '-o', want('kept-input.jsonl'), '--order', 'input');
  assertSameBytes((await download(page, 'download-scores-jsonl')).bytes, want('scores.jsonl'), 'scores.jsonl');
  assertSameBytes((await download(page, 'download-scores-csv')).bytes, want('scores.csv'), 'scores.csv');
  assertSameBytes((await download(page, 'download-selected')).bytes, want('kept.jsonl'), 'kept, rank order');
  assertSameBytes((await download(page, 'download-rejected')).bytes, want('rejected.jsonl'), 'not kept');
  assertSameBytes((await download(page, 'download-skipped')).bytes, want('skipped.jsonl'), 'skipped lines');
  await page.selectOption('#output-order', 'input');
  assertSameBytes((await download(page, 'download-selected')).bytes, want('kept-input.jsonl'), 'kept, input order');

  // The same file gzip-compressed: decompressed as it streams (4 MiB compressed pieces)
  // into a scratch file, which is removed once another source replaces it.
  const scratchFiles = () => page.evaluate(async () => {
    const names = [];
    for await (const name of (await navigator.storage.getDirectory()).keys()) {
      if (name.startsWith('zipfit-source-')) names.push(name);
    }
    return names;
  });
  const gz = join(WORK, 'many-pieces.jsonl.gz');
  writeFileSync(gz, gzipSync(readFileSync(source), { level: 1 }));
  assert.ok(statSync(gz).size > 3 * (4 << 20), 'the compressed file spans several pieces');
  await page.setInputFiles('#source-file', gz);
  await page.waitForSelector(`#source-zone >> text=many-pieces.jsonl.gz:${bad[0] + 1}: not valid JSON`, { timeout: 60_000 });
  await page.click('#source-skip');
  await page.waitForSelector('text=2 lines skipped');
  assert.match(await page.textContent('#source-summary'), new RegExp(`${(out.length - 3).toLocaleString('en-US')} records · 1 blank line`));
  assert.equal((await scratchFiles()).length, 1);
  await score(page, 'lz4');
  await setBudget(page, 'percent', 7.5);
  await page.selectOption('#output-order', 'rank');
  assertSameBytes((await download(page, 'download-scores-jsonl')).bytes, want('scores.jsonl'), 'scores.jsonl of the .gz');
  assertSameBytes((await download(page, 'download-selected')).bytes, want('kept.jsonl'), 'kept of the .gz');
  await page.setInputFiles('#source-file', join(EXAMPLE, 'source.jsonl'));
  await page.waitForSelector('#source-summary >> text=400 records');
  assert.deepEqual(await scratchFiles(), []);
  assert.deepEqual(errors, []);
  await context.close();
});

const PYTHON = join(ROOT, '.venv/bin/python');
const PARQUET_FILES = join(ROOT, 'tests/e2e/parquet_files.py');

/** Fails unless the Parquet files at `a` and `b` hold equal tables with one schema (pyarrow). */
function assertSameTable(a, b, what) {
  try {
    execFileSync(PYTHON, [PARQUET_FILES, 'equal', a, b], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    assert.fail(`${what}: ${error.stderr}`);
  }
}

test('a Parquet source and target: rows named, bad rows skipped, scores and Parquet downloads equal the CLI', async () => {
  const data = existsSync(join(DEV, 'source.jsonl')) ? DEV : EXAMPLE;
  const dir = join(WORK, 'parquet');
  // zstd, several row groups, three rows without text.
  execFileSync(PYTHON, [PARQUET_FILES, 'make', join(data, 'source.jsonl'), join(data, 'target.jsonl'), dir, '700']);
  const source = join(dir, 'source.parquet');
  const target = join(dir, 'target.parquet');
  const rows = readFileSync(join(data, 'source.jsonl'), 'utf8').split('\n').filter(Boolean).length;

  const { context, page, requests, errors } = await open();
  await loadFiles(page, source, target);
  // The first row without text stops the read, named by its row and row group.
  assert.match(await page.textContent('#source-zone'), /source\.parquet: row 2 \(row group 0\): field "text" is not text \(null\)/);
  assert.match(await page.textContent('#source-summary'), /Parquet, \d+ row groups/);
  assert.equal(await page.inputValue('#source-field'), 'text');
  assert.deepEqual(await page.$$eval('#source-field option', (o) => o.map((x) => x.value)), ['text', 'origin']);
  await audit(page, 'Parquet source with a bad row');
  await page.click('#source-skip');
  await page.waitForSelector('text=3 rows skipped');
  assert.match(await page.textContent('#source-summary'), new RegExp(`${(rows - 3).toLocaleString('en-US')} records`));
  assert.match(await page.textContent('#source-zone'), new RegExp(`source\\.parquet: row ${rows}: field "text" is not text`));
  await page.screenshot({ path: join(ARTIFACTS, 'parquet-loaded.png'), fullPage: true });

  await score(page, 'lz4');
  await setBudget(page, 'percent', 10);
  const want = (name) => join(dir, `cli.${name}`);
  const flags = ['score', '--quiet', '--on-error', 'skip', '-s', source, '-t', target, '-c', 'lz4', '--top-percent', '10'];
  cli(...flags, '--scores', want('scores.jsonl'), '--scores-csv', want('scores.csv'), '-o', want('kept.parquet'),
    '--rejected', want('rejected.parquet'), '--skipped', want('skipped.parquet'));
  cli(...flags, '-o', want('kept-input.parquet'), '--order', 'input');
  const scores = await download(page, 'download-scores-jsonl');
  assertSameBytes(scores.bytes, want('scores.jsonl'), 'Parquet scores.jsonl');
  assertSameBytes((await download(page, 'download-scores-csv')).bytes, want('scores.csv'), 'Parquet scores.csv');
  // The same texts read from JSONL score the same, to the bit (lines there count records only).
  cli('score', '--quiet', '-s', join(dir, 'source.jsonl'), '-t', join(data, 'target.jsonl'), '-c', 'lz4', '--scores', want('jsonl-scores.jsonl'));
  const strip = (text) => text.trim().split('\n').map((l) => { const { line, ...rest } = JSON.parse(l); return JSON.stringify(rest); });
  assert.deepEqual(strip(scores.bytes.toString()), strip(readFileSync(want('jsonl-scores.jsonl'), 'utf8')));

  const saved = async (button, expected, what) => {
    const file = await download(page, button);
    assert.ok(file.name.endsWith('.parquet'), `${what}: ${file.name}`);
    const path = join(dir, `page.${file.name}`);
    writeFileSync(path, file.bytes);
    assertSameTable(path, expected, what);
  };
  await page.selectOption('#output-order', 'rank');
  await saved('download-selected', want('kept.parquet'), 'kept rows, rank order');
  await saved('download-rejected', want('rejected.parquet'), 'rows not kept');
  await saved('download-skipped', want('skipped.parquet'), 'skipped rows');
  await page.selectOption('#output-order', 'input');
  await saved('download-selected', want('kept-input.parquet'), 'kept rows, input order');

  // The table and the detail view read rows from across the file.
  const firstRow = page.locator('#results .row').first();
  await firstRow.click();
  await page.waitForSelector('#detail pre:not(:text("loading…"))');
  const index = Number(await firstRow.getAttribute('data-index'));
  const jsonlLine = readFileSync(join(dir, 'source.jsonl'), 'utf8').split('\n')[index];
  assert.equal(await page.textContent('#detail pre'), JSON.parse(jsonlLine).text);
  await page.screenshot({ path: join(ARTIFACTS, 'parquet-results.png'), fullPage: true });
  await audit(page, 'Parquet results');

  // A corrupt page on which arrow-rs asserts (found by fuzzing) stops the module: the page
  // names the file, and the worker goes on with a new session and the target kept.
  const corrupt = join(dir, 'corrupt.parquet');
  const crash = join(ROOT, 'crates/core/fuzz/regressions/parquet/crash-00c0b695ea5863fb527be9a640d46160664c67a9');
  writeFileSync(corrupt, Buffer.concat([Buffer.from('PAR1'), readFileSync(crash)]));
  await page.setInputFiles('#source-file', corrupt);
  await page.waitForSelector('text=corrupt.parquet: not a readable Parquet file: its reader stopped on corrupt data');
  await page.setInputFiles('#source-file', source);
  await page.waitForSelector('#source-skip');
  await page.click('#source-skip');
  await page.waitForSelector('text=3 rows skipped');
  await page.click('#score');
  await page.waitForSelector(`text=/Scored ${(rows - 3).toLocaleString('en-US')} records against/`);

  const foreign = requests.filter((url) => !url.startsWith(baseUrl) && !url.startsWith('blob:') && !url.startsWith('data:'));
  assert.deepEqual(foreign, []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('downloads are written as a stream to the file the user picks', async () => {
  // The page's File System Access path, with the picker answered by a file in the
  // origin's private file system (the same API a picked file has).
  const { context, page, errors } = await open({
    picker: () => {
      window.showSaveFilePicker = async ({ suggestedName }) =>
        (await navigator.storage.getDirectory()).getFileHandle(suggestedName, { create: true });
    },
  });
  await page.click('button.example');
  await page.waitForSelector('#run-summary', { timeout: 60_000 });
  const source = join(EXAMPLE, 'source.jsonl');
  const target = join(EXAMPLE, 'target.jsonl');
  const picked = async (button, name) => {
    await page.click(`#${button}`);
    await page.waitForSelector(`#saved >> text=Saved ${name}`);
    const text = await page.evaluate(async (file) => {
      const handle = await (await navigator.storage.getDirectory()).getFileHandle(file);
      return [...new Uint8Array(await (await handle.getFile()).arrayBuffer())];
    }, name);
    return Buffer.from(text);
  };
  const scores = join(WORK, 'picked.scores.jsonl');
  const kept = join(WORK, 'picked.kept.jsonl');
  cli('score', '--quiet', '-s', source, '-t', target, '--scores', scores, '--top-percent', '10', '-o', kept);
  assertSameBytes(await picked('download-scores-jsonl', 'source.scores.jsonl'), scores, 'picked scores.jsonl');
  assertSameBytes(await picked('download-selected', 'source.selected.jsonl'), kept, 'picked kept records');
  assert.deepEqual(errors, []);
  await context.close();
});

// Python's own lengths of x, y and x ++ y: gzip at each level, then LZ4.
const PYTHON_PAIR = `
import gzip, json, sys
import lz4.frame
x, y = (s.encode("utf-8") for s in json.load(sys.stdin))
out = {}
for level in range(1, 10):
    out[f"gzip-{level}"] = [len(gzip.compress(t, compresslevel=level, mtime=0)) for t in (x, y, x + y)]
out["lz4"] = [len(lz4.frame.compress(t)) for t in (x, y, x + y)]
json.dump(out, sys.stdout)
`;

function pythonPair(x, y) {
  return JSON.parse(execFileSync('python3', ['-c', PYTHON_PAIR], { input: JSON.stringify([x, y]) }).toString());
}

async function shownLengths(page) {
  return page.$$eval('#pair-lengths tbody tr', (rows) => Object.fromEntries(rows.map((row) => [
    row.dataset.compressor,
    ['.cx', '.cy', '.cxy'].map((cell) => Number(row.querySelector(cell).textContent)),
  ])));
}

async function settled(page) {
  await page.waitForSelector('#pair-state:text("up to date")', { timeout: 30_000 });
}

test('the playground shows Python\'s exact lengths as the user types, and draws the real parse', async () => {
  const { context, page, errors } = await open();
  await page.click('nav >> text=NCD playground');
  await page.waitForSelector('#pair-lengths');
  assert.match(page.url(), /#\/playground$/);
  // The built-in pair shows the effect at once: much of y is copied from x.
  await settled(page);
  assert.deepEqual(await shownLengths(page), pythonPair(await page.inputValue('#pair-x'), await page.inputValue('#pair-y')));
  assert.ok(await page.locator('#drawn-y .from-x').count() > 0, 'the example pair shares text');
  await page.screenshot({ path: join(ARTIFACTS, 'playground.png'), fullPage: true });

  // Typing (one key at a time) updates every figure; each equals Python's.
  const x = 'def area(r):\n    return 3.14159 * r * r\n';
  await page.fill('#pair-x', x);
  await page.click('#pair-y');
  await page.fill('#pair-y', '');
  await page.keyboard.type('def perimeter(r):\n    return 2 * 3.14159 * r\n');
  await settled(page);
  const y = await page.inputValue('#pair-y');
  assert.deepEqual(await shownLengths(page), pythonPair(x, y));

  // Hover a copy from x: the bytes it repeats are highlighted in x, and named in the status.
  const copy = page.locator('#drawn-y .from-x').first();
  const copied = await copy.textContent();
  await copy.hover();
  await page.waitForSelector('#drawn-x .source');
  const source = (await page.$$eval('#drawn-x .source', (spans) => spans.map((s) => s.textContent).join('')));
  assert.equal(source, copied, 'the highlighted bytes of x are the ones copied');
  assert.match(await page.textContent('#parse-status'), /^copy of \d+ bytes of y at \d+ from x bytes/);
  await page.screenshot({ path: join(ARTIFACTS, 'playground-hover.png'), fullPage: true });

  // From the keyboard: the drawing of y is one Tab stop; arrows move from copy to copy.
  await page.focus('#drawn-y [tabindex="0"]');
  const first = await page.evaluate(() => document.activeElement.id);
  await page.keyboard.press('ArrowRight');
  const second = await page.evaluate(() => document.activeElement.id);
  assert.notEqual(first, second);
  assert.match(second, /^piece-\d+$/);
  assert.match(await page.textContent('#parse-status'), /^copy of/);

  // Every level and LZ4 on a longer pair, each drawn in turn.
  const dev = readFileSync(existsSync(join(DEV, 'source.jsonl')) ? join(DEV, 'source.jsonl') : join(EXAMPLE, 'source.jsonl'), 'utf8')
    .split('\n').filter(Boolean).map((line) => JSON.parse(line).text);
  const longX = dev.slice(0, 12).join('\n');
  const longY = dev.slice(6, 20).join('\n');
  await page.fill('#pair-x', longX);
  await page.fill('#pair-y', longY);
  await settled(page);
  assert.deepEqual(await shownLengths(page), pythonPair(longX, longY));
  for (const drawn of ['gzip-1', 'gzip-6', 'lz4']) {
    await page.selectOption('#drawn-compressor', drawn);
    await settled(page);
    assert.equal(await page.getAttribute('#pair-lengths tr.drawn-row', 'data-compressor'), drawn);
    assert.equal(await page.textContent('#drawn-x'), longX);
    assert.equal(await page.textContent('#drawn-y'), longY);
  }

  // Latency of one keystroke on 16 KB texts (printed, not asserted: speed is measured, not tested).
  const big = (dev.join('\n')).slice(0, 16 * 1024 - 64);
  await page.fill('#pair-x', big);
  await page.fill('#pair-y', big.split('').reverse().join(''));
  await settled(page);
  await page.focus('#pair-x');
  await page.keyboard.press('End');
  const started = Date.now();
  await page.keyboard.type('x');
  await settled(page);
  console.log(`playground: one keystroke on 2 x ${(big.length / 1024).toFixed(1)} KB texts updated in ${Date.now() - started} ms`);
  // Longer texts wait for a pause in typing, then update.
  await page.keyboard.type('y'.repeat(200));
  await settled(page);
  assert.equal(await page.textContent('#drawn-x'), `${big}x${'y'.repeat(200)}`);

  // Unicode and HTML-looking text: shown as text, every character whole and in place.
  const ux = 'e\u0301 cafe\u0301 😀👍🏽 שלום עולם <b>bold</b> <script>window.injected = 1</script> &amp;';
  const uy = 'שלום עולם 😀👍🏽 cafe\u0301 <b>bold</b> <img src=x onerror="window.injected = 2">';
  await page.fill('#pair-x', ux);
  await page.fill('#pair-y', uy);
  await settled(page);
  assert.equal(await page.textContent('#drawn-x'), ux);
  assert.equal(await page.textContent('#drawn-y'), uy);
  assert.equal(await page.locator('#playground b, #playground script, #playground img').count(), 0);
  assert.equal(await page.evaluate(() => window.injected), undefined);
  assert.ok(!(await page.textContent('#drawn-y')).includes('\uFFFD'), 'no character is cut in two');
  assert.ok(await page.locator('#drawn-y .from-x').count() > 0);
  assert.deepEqual(await shownLengths(page), pythonPair(ux, uy));
  await page.locator('#drawn-y .from-x').first().hover();
  await page.screenshot({ path: join(ARTIFACTS, 'playground-unicode.png'), fullPage: true });

  // Swap and clear are one click each.
  await page.click('#pair-swap');
  assert.equal(await page.inputValue('#pair-x'), uy);
  assert.equal(await page.inputValue('#pair-y'), ux);

  // A shared link carries both texts and reproduces the state; too long a link is refused.
  await page.click('#pair-share');
  const link = await page.inputValue('#share-link');
  assert.match(link, /#\/playground\?x=/);
  const other = await context.newPage();
  await other.goto(link);
  await other.waitForSelector('#pair-lengths');
  await settled(other);
  assert.equal(await other.inputValue('#pair-x'), uy);
  assert.equal(await other.inputValue('#pair-y'), ux);
  assert.equal(await other.textContent('#drawn-y'), ux);
  await other.close();
  await audit(page, 'playground');
  await page.fill('#pair-x', 'x'.repeat(70_000));
  await page.click('#pair-share');
  assert.match(await page.textContent('#share[role=alert]'), /too long for a link/);
  await page.click('#pair-clear');
  assert.equal(await page.inputValue('#pair-x'), '');
  await settled(page);
  assert.deepEqual(errors, []);
  await context.close();
});

test('why this score: per-target bars equal zipfit explain, and open the pair in the playground', async () => {
  const { context, page, errors } = await open();
  await page.click('button.example');
  await page.waitForSelector('#run-summary', { timeout: 60_000 });
  await page.focus('#results');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#why li');
  const index = Number(await page.getAttribute('#rank-2', 'data-index'));
  const bars = await page.$$eval('#why li', (items) => items.map((li) => [Number(li.dataset.target), Number(li.dataset.alignment)]));
  assert.equal(bars.length, 10);
  const explained = JSON.parse(execFileSync(CLI, ['explain', '-s', join(EXAMPLE, 'source.jsonl'), '-t', join(EXAMPLE, 'target.jsonl'), '-r', String(index), '--json']).toString());
  for (const [target, alignment] of bars) {
    assert.equal(alignment, explained.targets[target].alignment, `target ${target}`);
  }
  const best = [...explained.targets].sort((a, b) => b.alignment - a.alignment || a.index - b.index).slice(0, 5).map((t) => t.index);
  assert.deepEqual(bars.slice(0, 5).map(([t]) => t), best);
  assert.match(await page.textContent('#why'), new RegExp(`The score ${explained.record.score.toFixed(4)} is the mean`));
  await page.screenshot({ path: join(ARTIFACTS, 'why-this-score.png'), fullPage: true });
  await audit(page, 'record detail');

  await page.click('#why-best li >> nth=0 >> button');
  await page.waitForSelector('#pair-lengths');
  assert.match(page.url(), /#\/playground$/);
  const sources = readFileSync(join(EXAMPLE, 'source.jsonl'), 'utf8').split('\n');
  const targets = readFileSync(join(EXAMPLE, 'target.jsonl'), 'utf8').split('\n');
  assert.equal(await page.inputValue('#pair-x'), JSON.parse(sources[index]).text);
  assert.equal(await page.inputValue('#pair-y'), JSON.parse(targets[bars[0][0]]).text);
  await settled(page);
  const row = await page.$eval('#pair-lengths tr[data-compressor="gzip-9"] .alignment', (td) => td.textContent);
  assert.equal(row, explained.targets[bars[0][0]].alignment.toFixed(4));
  assert.deepEqual(errors, []);
  await context.close();
});

test('runs side by side, the DSIR baseline and stability over targets equal the CLI', async () => {
  const { context, page, requests, errors } = await open();
  const source = join(EXAMPLE, 'source.jsonl');
  const target = join(EXAMPLE, 'target.jsonl');
  await loadFiles(page, source, target);

  // Run 1: LZ4 with stability. The page's figures are the CLI's --stability report at
  // the page's default budget (top 10 %).
  await page.check('#stability-option');
  await score(page, 'lz4');
  const report = join(WORK, 'stability.json');
  const lz4Scores = join(WORK, 'runs-lz4.scores.jsonl');
  cli('score', '--quiet', '-s', source, '-t', target, '-c', 'lz4', '--top-percent', '10', '--stability', report, '--scores', lz4Scores);
  const expected = JSON.parse(readFileSync(report, 'utf8'));
  await page.waitForSelector('#stability');
  const halves = await page.textContent('#stability-halves');
  const h = expected.halves;
  assert.ok(halves.includes(`(${expected.half_targets[0]} and ${expected.half_targets[1]})`), halves);
  assert.ok(halves.includes(`keep ${h.kept_both} of the same records (${h.kept_a} and ${h.kept_b} kept; Jaccard ${h.jaccard.toFixed(3)})`), halves);
  assert.ok(halves.includes(`Spearman ${h.spearman.toFixed(3)}`), halves);
  const rows = await page.$$eval('#convergence tbody tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
  assert.deepEqual(rows, expected.convergence.map((s) => [String(s.targets), s.spearman.toFixed(4), s.jaccard.toFixed(4)]));
  const figures = await download(page, 'download-stability-json');
  assert.equal(figures.name, 'source.stability.json');
  assertSameBytes(figures.bytes, report, 'stability figures (JSON)');
  await audit(page, 'stability');
  await page.screenshot({ path: join(ARTIFACTS, 'stability.png'), fullPage: true });

  // Run 2: DSIR. Its scores and selection are the CLI's, byte for byte.
  const dsirScores = join(WORK, 'runs-dsir.scores.jsonl');
  const dsirKept = join(WORK, 'runs-dsir.kept.jsonl');
  const summary = await score(page, 'dsir');
  assert.match(summary, /with DSIR/);
  cli('score', '--quiet', '-s', source, '-t', target, '-c', 'dsir', '--top-percent', '10', '--scores', dsirScores, '-o', dsirKept);
  assertSameBytes((await download(page, 'download-scores-jsonl')).bytes, dsirScores, 'DSIR scores.jsonl');
  assertSameBytes((await download(page, 'download-selected')).bytes, dsirKept, 'DSIR kept');
  assert.equal(await page.locator('#stability').count(), 0, 'DSIR keeps no fold sums');
  assert.equal(await page.locator('#runs li').count(), 2);

  // The compare view: run 1 (A) against run 2 (B), as `zipfit compare` at the same budget.
  await page.click('a[href="#/compare"] >> nth=0');
  await page.waitForSelector('#compare-spearman');
  const onlyA = join(WORK, 'runs-only-a.jsonl');
  const onlyB = join(WORK, 'runs-only-b.jsonl');
  const compared = JSON.parse(execFileSync(CLI, ['compare', lz4Scores, dsirScores, '--top-percent', '10', '--json',
    '--source', source, '--only-a', onlyA, '--only-b', onlyB], { encoding: 'utf8' }));
  assert.equal(await page.textContent('#compare-spearman'), compared.spearman.toFixed(4));
  assert.equal(await page.textContent('#compare-kept-a'), String(compared.kept_a));
  assert.equal(await page.textContent('#compare-kept-b'), String(compared.kept_b));
  assert.equal(await page.textContent('#compare-kept-both'), String(compared.kept_both));
  assert.equal(await page.textContent('#compare-jaccard'), compared.jaccard.toFixed(4));
  // The density plot is drawn (not blank) on a canvas, not as one node per record.
  const inked = await page.$eval('#density', (canvas) => {
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let n = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i] < 200) n += 1;
    return n;
  });
  assert.ok(inked > 100, `the density plot has ${inked} inked pixels`);
  // The records only one run keeps: listed, paged, and downloaded as the CLI writes them.
  const lines = readFileSync(source, 'utf8').split('\n');
  const onlyALines = readFileSync(onlyA, 'utf8').trim().split('\n');
  await page.waitForSelector('#only-a tbody tr[data-index]');
  const firstA = Number(await page.getAttribute('#only-a tbody tr[data-index] >> nth=0', 'data-index'));
  assert.equal(lines[firstA], onlyALines[0]);
  const buttons = page.locator('.only .pager button:has-text("Download these records")');
  const [fileA] = await Promise.all([page.waitForEvent('download'), buttons.nth(0).click()]);
  const pathA = join(WORK, `${Date.now()}-${fileA.suggestedFilename()}`);
  await fileA.saveAs(pathA);
  assert.equal(fileA.suggestedFilename(), 'source.only-a.jsonl');
  assertSameBytes(readFileSync(pathA), onlyA, 'records only A keeps');
  const [fileB] = await Promise.all([page.waitForEvent('download'), buttons.nth(1).click()]);
  const pathB = join(WORK, `${Date.now()}-${fileB.suggestedFilename()}`);
  await fileB.saveAs(pathB);
  assertSameBytes(readFileSync(pathB), onlyB, 'records only B keeps');
  if (onlyALines.length > 20) {
    await page.locator('.only >> nth=0').locator('button:has-text("Next")').click();
    await page.waitForSelector('#only-a tbody tr[data-index]');
    const twentyFirst = Number(await page.getAttribute('#only-a tbody tr[data-index] >> nth=0', 'data-index'));
    assert.equal(lines[twentyFirst], onlyALines[20]);
  }
  await audit(page, 'compare');
  await page.screenshot({ path: join(ARTIFACTS, 'compare.png'), fullPage: true });

  // A new budget changes the kept sets, as it does in the CLI.
  await page.click('nav.views a[href="#/"]');
  await setBudget(page, 'count', 25);
  await page.click('nav.views a[href="#/compare"]');
  const at25 = JSON.parse(execFileSync(CLI, ['compare', lz4Scores, dsirScores, '--top', '25', '--json'], { encoding: 'utf8' }));
  await page.waitForFunction((both) => document.querySelector('#compare-kept-both')?.textContent === both, String(at25.kept_both));
  assert.equal(await page.textContent('#compare-kept-a'), '25');

  // Showing run 1 again brings back its scores and its stability figures.
  await page.click('nav.views a[href="#/"]');
  await page.click('#runs li >> nth=0 >> button');
  await page.waitForSelector('#stability');
  assert.match(await page.textContent('#run-summary'), /with LZ4/);
  assertSameBytes((await download(page, 'download-scores-jsonl')).bytes, lz4Scores, 'run 1 scores.jsonl, shown again');

  const foreign = requests.filter((url) => !url.startsWith(baseUrl) && !url.startsWith('blob:') && !url.startsWith('data:'));
  assert.deepEqual(foreign, []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('every compressor of the paper\'s code: LZ4 and zstd levels and lzma equal the CLI, and a level sweep\'s matrix equals zipfit sweep', async () => {
  const { context, page, requests, errors } = await open();
  const source = join(EXAMPLE, 'source.jsonl');
  const target = join(EXAMPLE, 'target.jsonl');
  await loadFiles(page, source, target);

  // Each compressor offers the levels that are exact; brotli runs natively only.
  const offered = await page.$$eval('#compressor option', (options) => options.map((o) => o.value));
  assert.deepEqual(offered, ['gzip', 'lz4', 'zstd', 'lzma', 'dsir']);
  const levels = async (compressor) => {
    await page.selectOption('#compressor', compressor);
    return page.$$eval('#level option', (options) => options.map((o) => Number(o.value)));
  };
  assert.deepEqual(await levels('lz4'), [...Array(13).keys()]);
  assert.deepEqual(await levels('zstd'), [...Array(22).keys()].map((l) => l + 1));
  assert.deepEqual(await levels('lzma'), [6]);

  const asked = [['zstd', 3], ['zstd', 19], ['lz4', 9], ['lzma', 6]];
  for (const [compressor, level] of asked) {
    assert.match(await score(page, compressor, level), /Scored 400 records against 20 targets/);
    const scores = join(WORK, `every-${compressor}${level}.scores.jsonl`);
    cli('score', '--quiet', '-s', source, '-t', target, '-c', compressor, '-l', String(level), '--scores', scores);
    assertSameBytes((await download(page, 'download-scores-jsonl')).bytes, scores, `${compressor} ${level} scores.jsonl`);
  }

  // "Score at every level": LZ4 0-12, one run each, queued; then every run against every other.
  await page.selectOption('#compressor', 'lz4');
  await page.click('#sweep');
  const total = asked.length + 13;
  await page.waitForFunction((n) => document.querySelectorAll('#runs > li').length === n
    && document.querySelector('#score') && !document.querySelector('.sweep-left'), total, { timeout: 300_000 });
  await page.screenshot({ path: join(ARTIFACTS, 'sweep-runs.png'), fullPage: true });
  await page.click('a[href="#/compare"] >> nth=0');
  await page.waitForSelector('#matrix-spearman');
  const swept = JSON.parse(execFileSync(CLI, ['sweep', '-q', '--json', '-s', source, '-t', target,
    '-c', 'zstd:3,zstd:19,lz4:9,lzma:6,lz4', '--top-percent', '10'], { encoding: 'utf8' }));
  assert.equal(swept.runs.length, total);
  const cells = (id) => page.$$eval(`#${id} tbody tr`, (rows) => rows.map((row) => [...row.querySelectorAll('td')].map((td) => td.dataset.value)));
  const spearman = await cells('matrix-spearman');
  const keptBoth = await cells('matrix-kept');
  for (let i = 0; i < total; i += 1) {
    for (let j = 0; j < total; j += 1) {
      assert.equal(Number(spearman[i][j]), swept.spearman[i][j], `Spearman of runs ${i + 1} and ${j + 1}`);
      assert.equal(Number(keptBoth[i][j]), swept.kept_both[i][j], `kept by both runs ${i + 1} and ${j + 1}`);
    }
  }
  const rowNames = await page.$$eval('#matrix-spearman tbody th', (ths) => ths.map((th) => th.textContent));
  assert.equal(rowNames[4], 'Run 5: LZ4');
  assert.equal(rowNames[16], 'Run 17: LZ4 level 12');
  await audit(page, 'run matrix');
  await page.screenshot({ path: join(ARTIFACTS, 'run-matrix.png'), fullPage: true });

  const foreign = requests.filter((url) => !url.startsWith(baseUrl) && !url.startsWith('blob:') && !url.startsWith('data:'));
  assert.deepEqual(foreign, []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('near-duplicates are left out of the kept set as the CLI does, listed and downloaded', async () => {
  const { context, page, errors } = await open();
  // The example source plus edited copies of every fifth record (a word or two added),
  // so that copies compete for the top of the ranking with their originals.
  const lines = readFileSync(join(EXAMPLE, 'source.jsonl'), 'utf8').trim().split('\n');
  const planted = [...lines];
  lines.forEach((line, i) => {
    if (i % 5 !== 0) return;
    const record = JSON.parse(line);
    record.text = `${record.text} extra${i % 3 === 0 ? ' words' : ''}`;
    planted.push(JSON.stringify(record));
  });
  const source = join(WORK, 'planted.jsonl');
  writeFileSync(source, `${planted.join('\n')}\n`);
  const target = join(EXAMPLE, 'target.jsonl');
  await loadFiles(page, source, target);
  await score(page, 'lz4');

  for (const [threshold, budget, flags] of [[0.8, ['percent', 10], ['--top-percent', '10']], [0.6, ['count', 50], ['--top', '50']]]) {
    await setBudget(page, ...budget);
    if (!(await page.isChecked('#dedup-option'))) await page.check('#dedup-option');
    await page.selectOption('#dedup-threshold', String(threshold));
    await page.waitForSelector(`#dedup-summary:has-text("≥ ${threshold}")`);
    const kept = join(WORK, `dedup-${threshold}.kept.jsonl`);
    const rejected = join(WORK, `dedup-${threshold}.rejected.jsonl`);
    const duplicates = join(WORK, `dedup-${threshold}.duplicates.jsonl`);
    cli('score', '--quiet', '-s', source, '-t', target, '-c', 'lz4', ...flags, '--dedup', String(threshold),
      '-o', kept, '--rejected', rejected, '--duplicates', duplicates);
    const expectedDuplicates = readFileSync(duplicates, 'utf8').trim().split('\n');
    assert.ok(expectedDuplicates.length >= 3, `the planted copies are found (${expectedDuplicates.length})`);
    assert.match(await page.textContent('#dedup-summary'), new RegExp(`^Left out ${expectedDuplicates.length} records`));
    const keptCount = readFileSync(kept, 'utf8').trim().split('\n').length;
    assert.match(await page.textContent('#kept-summary'), new RegExp(`^${keptCount} of ${planted.length}`));
    assertSameBytes((await download(page, 'download-selected')).bytes, kept, `kept without near-duplicates at ${threshold}`);
    assertSameBytes((await download(page, 'download-rejected')).bytes, rejected, `not kept at ${threshold}`);
    assertSameBytes((await download(page, 'download-duplicates')).bytes, duplicates, `near-duplicates at ${threshold}`);
    // The table marks what the diverse selection keeps, not the budget's plain prefix.
    const keptLines = new Set(readFileSync(kept, 'utf8').trim().split('\n'));
    await page.waitForFunction(() => document.querySelectorAll('#results .row[data-index]').length > 5);
    const marked = await page.$$eval('#results .row[data-index]', (rows) => rows.map((r) => [Number(r.dataset.index), r.classList.contains('kept')]));
    assert.deepEqual(marked.map(([i, k]) => [i, k]), marked.map(([i]) => [i, keptLines.has(planted[i])]), 'kept rows in the table');
    // The list shows each record left out with the line of the kept record it duplicates.
    await page.waitForSelector('#duplicates tbody tr[data-index]');
    const first = JSON.parse(expectedDuplicates[0]);
    const row = await page.$eval('#duplicates tbody tr', (tr) => [...tr.cells].map((c) => c.textContent));
    assert.deepEqual(row.slice(0, 3), [String(first.line), String(first.duplicate_of_line), first.similarity.toFixed(3)]);
  }
  await audit(page, 'near-duplicates');
  await page.screenshot({ path: join(ARTIFACTS, 'near-duplicates.png'), fullPage: true });

  // Off again: the plain selection comes back.
  await page.uncheck('#dedup-option');
  const plain = join(WORK, 'dedup-off.kept.jsonl');
  cli('score', '--quiet', '-s', source, '-t', target, '-c', 'lz4', '--top', '50', '-o', plain);
  assertSameBytes((await download(page, 'download-selected')).bytes, plain, 'kept with near-duplicates allowed');
  assert.deepEqual(errors, []);
  await context.close();
});

const TOKENIZER_FILES = join(ROOT, 'tests/reference/tokenizer_files.py');

/** Waits until the kept summary names `by` (a counter) and is settled. */
async function countedBy(page, by) {
  await page.waitForFunction(
    (text) => document.querySelector('#kept-summary[aria-busy="false"]')?.textContent.includes(text),
    by, { timeout: 60_000 });
  return page.textContent('#kept-summary');
}

test('token budgets in a model\'s tokens: a dropped tokenizer.json and the built-in encodings, offline too, equal the CLI', async () => {
  const data = existsSync(join(DEV, 'source.jsonl')) ? DEV : EXAMPLE;
  const source = join(data, 'source.jsonl');
  const target = join(data, 'target.jsonl');
  const dir = join(WORK, 'tokenizers');
  execFileSync(PYTHON, [TOKENIZER_FILES, dir, source], { stdio: ['ignore', 'ignore', 'inherit'] });
  const budget = existsSync(join(DEV, 'source.jsonl')) ? 60_000 : 8_000;

  // Its own server, so that the network can really be taken away later.
  const own = await serve(DIST);
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
  await context.addInitScript(() => { delete window.showSaveFilePicker; });
  const requests = [];
  context.on('request', (request) => requests.push(request.url()));
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  try {
    await page.goto(own.url);
    await page.waitForSelector('text=/\\d+ worker threads? ready/', { timeout: 30_000 });
    await loadFiles(page, source, target);
    await score(page, 'lz4');
    await setBudget(page, 'tokens', budget);
    assert.match(await page.textContent('#kept-summary'), /tokens \(bytes \/ 4\)/);
    // No encoding is fetched until one is chosen.
    assert.deepEqual(requests.filter((url) => url.includes('/encodings/')), []);

    const expectKept = async (counter, what) => {
      const kept = join(WORK, `tokens-${what}.jsonl`);
      execFileSync(CLI, ['score', '-q', '-s', source, '-t', target, '-c', 'lz4', '--token-budget', String(budget),
        '--tokens', counter, '-o', kept]);
      assertSameBytes((await download(page, 'download-selected')).bytes, kept, `kept by ${what}`);
      return readFileSync(kept, 'utf8').split('\n').filter(Boolean).length;
    };

    // A tokenizer.json picked (or dropped) in the page: Llama 3's layout.
    const llama3 = join(dir, 'llama3-byte-level.json');
    await page.setInputFiles('#tokenizer-file', llama3);
    const summary = await countedBy(page, 'tokens by llama3-byte-level.json');
    const keptLlama = await expectKept(llama3, 'llama3');
    assert.match(summary, new RegExp(`^${keptLlama.toLocaleString('en-US')} of`));
    assert.equal(await page.inputValue('#tokens'), 'file');
    await page.screenshot({ path: join(ARTIFACTS, 'tokens-tokenizer-json.png'), fullPage: true });
    await audit(page, 'token counter');

    // A file that is not a tokenizer: said so, and the one in use stays.
    const notes = join(WORK, 'config.json');
    writeFileSync(notes, JSON.stringify({ vocab_size: 3 }));
    await page.setInputFiles('#tokenizer-file', notes);
    await page.waitForSelector('#tokens-error');
    assert.match(await page.textContent('#tokens-error'), /config\.json: not a tokenizer\.json: it has no "model" object/);
    assert.equal(await page.inputValue('#tokens'), 'file');
    await audit(page, 'token counter error');
    assert.equal(await expectKept(llama3, 'llama3-again'), keptLlama);

    // Built in: cl100k_base, fetched from the page's own origin when chosen.
    await page.selectOption('#tokens', 'cl100k_base');
    await countedBy(page, 'tokens by cl100k_base');
    await expectKept('cl100k_base', 'cl100k');
    // (Asked for by the worker, and by the service worker on its behalf once it controls it.)
    assert.ok(requests.some((url) => url.endsWith('/encodings/cl100k_base.tiktoken')));
    assert.ok(!requests.some((url) => url.endsWith('/encodings/o200k_base.tiktoken')));

    // The network gone: the kept encoding still loads; one never chosen says what to do.
    own.server.closeAllConnections();
    await new Promise((resolve) => own.server.close(resolve));
    await context.setOffline(true);
    await page.selectOption('#tokens', 'words');
    await countedBy(page, 'tokens by words');
    await page.selectOption('#tokens', 'cl100k_base');
    await countedBy(page, 'tokens by cl100k_base');
    await expectKept('cl100k_base', 'cl100k-offline');
    await page.selectOption('#tokens', 'o200k_base');
    await page.waitForSelector('#tokens-error');
    assert.match(await page.textContent('#tokens-error'), /o200k_base could not be loaded/);
    assert.equal(await page.inputValue('#tokens'), 'cl100k_base');

    const foreign = requests.filter((url) => !url.startsWith(own.url) && !url.startsWith('blob:') && !url.startsWith('data:'));
    assert.deepEqual(foreign, [], 'no request leaves the page');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    own.server.close();
  }
});

test('work survives: a reload mid-run resumes, finished runs come back, a stopped worker offers resume, a full quota loses nothing', async () => {
  const data = existsSync(join(DEV, 'source.jsonl')) ? DEV : EXAMPLE;
  const source = join(data, 'source.jsonl');
  const target = join(data, 'target.jsonl');
  const records = readFileSync(source, 'utf8').split('\n').filter((l) => l.trim()).length;
  const expected = {};
  for (const level of [9, 6]) {
    expected[level] = join(WORK, `survive-gzip${level}.scores.jsonl`);
    cli('score', '--quiet', '-s', source, '-t', target, '-c', 'gzip', '-l', String(level), '--scores', expected[level]);
  }
  const ready = (page) => page.waitForSelector('text=/\\d+ worker threads? ready/', { timeout: 30_000 });
  const seconds = (summary, pattern) => Number(summary.match(pattern)[1]);
  // A profile on disk, as a user's is: the browser's quota is enforced there (and can be
  // lowered through the DevTools protocol), not in a private context.
  const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'zipfit-profile-')), {
    executablePath: '/usr/bin/chromium', args: CHROMIUM_FLAGS, viewport: { width: 1400, height: 1000 },
    acceptDownloads: true,
  });
  await context.addInitScript(() => { delete window.showSaveFilePicker; });
  const page = context.pages()[0] ?? await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(baseUrl);
  await ready(page);
  try {
    // Reload at 40 % of a gzip 9 run; drop the same files: the run is offered to resume.
    await loadFiles(page, source, target);
    await page.selectOption('#compressor', 'gzip');
    await page.selectOption('#level', '9');
    await page.click('#score');
    await page.waitForFunction(() => Number(document.querySelector('#progress progress')?.value) >= 0.4, null,
      { timeout: 300_000 });
    await page.reload();
    await ready(page);
    await loadFiles(page, source, target);
    await page.waitForSelector('#resume');
    const status = await page.textContent('.stored li');
    const kept = Number(status.match(/interrupted at \d+ % \(([\d,]+) of/)[1].replaceAll(',', ''));
    assert.ok(kept >= 0.4 * records && kept < records, `${kept} of ${records} kept at the reload`);
    await page.screenshot({ path: join(ARTIFACTS, 'interrupted-run.png'), fullPage: true });
    await audit(page, 'interrupted run');
    await page.click('#resume');
    await page.waitForSelector('#run-summary', { timeout: 300_000 });
    const resumed = await page.textContent('#run-summary');
    assert.match(resumed, new RegExp(`${kept.toLocaleString('en-US')} kept from the interrupted run`));
    assertSameBytes((await download(page, 'download-scores-jsonl')).bytes, expected[9], 'resumed gzip 9 scores');
    // The same run from the start, for the time a full run takes.
    const full = await score(page, 'gzip', 9);
    const rest = seconds(resumed, /the rest in ([\d.]+) s/);
    const whole = seconds(full, / in ([\d.]+) s/);
    console.log(`resumed at ${kept} of ${records} records (${(100 * kept / records).toFixed(0)} %): the rest took `
      + `${rest} s, a full run ${whole} s (${(100 * rest / whole).toFixed(0)} % of it)`);
    // The per-record columns (the source's offsets, lengths, tokens and labels, each run's
    // scores and ranking) are files of the origin's private file system, with a dozen
    // spare ones: 4 + 2 x 2 in use and 12 spare at least.
    // (Only the files of a live worker count: each is named after a lock its worker holds.)
    const columnFiles = await page.evaluate(async () => {
      const held = new Set((await navigator.locks.query()).held.map((lock) => lock.name));
      let files = 0;
      for await (const name of (await navigator.storage.getDirectory()).keys()) {
        if (name.startsWith('zipfit-columns-') && held.has(name.slice(0, name.lastIndexOf('-')))) files += 1;
      }
      return files;
    });
    console.log(`${columnFiles} column files of the live worker`);
    assert.ok(columnFiles >= 20, `${columnFiles} column files`);

    // A reload after finished runs: dropping the files brings them back without scoring.
    await page.reload();
    await ready(page);
    const dropped = Date.now();
    await loadFiles(page, source, target);
    await page.waitForFunction(() => document.querySelectorAll('#runs > li').length === 2);
    console.log(`two finished runs back ${((Date.now() - dropped) / 1000).toFixed(2)} s after the files were dropped`);
    assert.match(await page.textContent('#run-summary'), /read back from this browser's storage/);
    assertSameBytes((await download(page, 'download-scores-jsonl')).bytes, expected[9], 'restored gzip 9 scores');
    await page.screenshot({ path: join(ARTIFACTS, 'restored-runs.png'), fullPage: true });
    await audit(page, 'restored runs');

    // The worker stops mid-run: the page says so and offers to resume.
    await page.selectOption('#compressor', 'gzip');
    await page.selectOption('#level', '6');
    await page.click('#score');
    await page.waitForFunction(() => Number(document.querySelector('#progress progress')?.value) >= 0.2, null,
      { timeout: 300_000 });
    const worker = page.workers().find((w) => w.url().endsWith('/worker.js'));
    await worker.evaluate(() => self.close());
    await page.waitForSelector('#worker-stopped');
    assert.match(await page.textContent('#worker-stopped'), /stopped in the middle of the run/);
    await page.waitForSelector('#resume:not([disabled])', { timeout: 60_000 });
    await audit(page, 'worker stopped');
    await page.click('#resume');
    await page.waitForFunction(() => /kept from the interrupted run/.test(document.querySelector('#run-summary')?.textContent),
      null, { timeout: 300_000 });
    assertSameBytes((await download(page, 'download-scores-jsonl')).bytes, expected[6], 'gzip 6 resumed after the stop');

    // A changed file with the same name, size and modification time is not the stored one.
    const changed = join(WORK, 'changed', 'source.jsonl');
    mkdirSync(join(WORK, 'changed'), { recursive: true });
    const lines = readFileSync(source, 'utf8').split('\n');
    const middle = Math.floor(lines.length / 2);
    const at = lines[middle].search(/[a-y](?=[a-z]{3})/g);
    lines[middle] = lines[middle].slice(0, at) + String.fromCharCode(lines[middle].charCodeAt(at) + 1)
      + lines[middle].slice(at + 1);
    writeFileSync(changed, lines.join('\n'));
    const { atime, mtime } = statSync(source);
    utimesSync(changed, atime, mtime);
    assert.equal(statSync(changed).size, statSync(source).size);
    await page.reload();
    await ready(page);
    await loadFiles(page, changed, target);
    await page.waitForSelector('#storage-use');
    assert.equal(await page.locator('#run-summary').count(), 0, 'no run is restored for a changed file');
    assert.equal(await page.locator('#resume').count(), 0);
    assert.match(await page.textContent('.stored'), /of other files/);

    // A full quota: the run goes on, the page says what to free, and nothing stored is lost.
    const cdp = await context.newCDPSession(page);
    const origin = new URL(baseUrl).origin;
    const { usage } = await page.evaluate(() => navigator.storage.estimate());
    await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: usage + 4096 });
    await loadFiles(page, source, target);
    await page.waitForFunction(() => document.querySelectorAll('#runs > li').length === 3);
    await score(page, 'lz4');
    await page.waitForSelector('#storage-error');
    assert.match(await page.textContent('#storage-error'), /storage for this page is full/);
    await audit(page, 'storage full');
    await cdp.send('Storage.overrideQuotaForOrigin', { origin });
    await page.reload();
    await ready(page);
    await loadFiles(page, source, target);
    await page.waitForFunction(() => document.querySelectorAll('#runs > li').length === 3);
    // The newest finished run (gzip 6) is shown; of the LZ4 run the quota cut short, only
    // whole batches are kept, if any fitted: it waits to resume.
    assert.match(await page.textContent('#runs > li.shown'), /Run 3: gzip level 6/);
    assert.doesNotMatch(await page.textContent('.stored'), /LZ4: [^·]*· finished/);
    assertSameBytes((await download(page, 'download-scores-jsonl')).bytes, expected[6], 'gzip 6 after the full quota');

    // Forget one run, then all of them.
    const before = await page.locator('.stored li').count();
    await page.click('.stored li:first-child button:text("Forget")');
    await page.waitForFunction((n) => document.querySelectorAll('.stored li').length === n - 1, before);
    await page.click('#forget-all');
    await page.waitForFunction(() => !document.querySelector('.stored'));
    const left = await page.evaluate(async () => {
      const root = await navigator.storage.getDirectory();
      const names = [];
      for await (const name of (await root.getDirectoryHandle('zipfit-runs')).keys()) names.push(name);
      return names;
    });
    assert.deepEqual(left, []);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

// A source in shards, as Hugging Face datasets come: several files chosen, a folder
// picked and a folder dropped each read as one source, scored and downloaded as the one
// file they were cut from, and as the CLI scores the same folder.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import {
  launch, close, ARTIFACTS, CLI, EXAMPLE, ROOT, WORK, open, cli, download, score, setBudget, audit,
  assertSameBytes,
} from './page.mjs';

before(launch);
after(close);

const PYTHON = join(ROOT, '.venv/bin/python');
const PARQUET_FILES = join(ROOT, 'tests/e2e/parquet_files.py');
const SOURCE = join(EXAMPLE, 'source.jsonl');
const TARGET = join(EXAMPLE, 'target.jsonl');

/**
 * The example source cut into a folder of shards: `shards/part-0.jsonl`,
 * `part-1.jsonl.gz`, `sub/part-2.jsonl`, with a README.md (left out) and a `.git` folder
 * (not entered). Returns each file's path below WORK and its bytes.
 */
function makeShards() {
  const lines = readFileSync(SOURCE, 'utf8').split(/(?<=\n)/);
  const files = {
    'shards/part-0.jsonl': Buffer.from(lines.slice(0, 150).join('')),
    'shards/part-1.jsonl.gz': gzipSync(Buffer.from(lines.slice(150, 260).join(''))),
    'shards/sub/part-2.jsonl': Buffer.from(lines.slice(260).join('')),
    'shards/README.md': Buffer.from('# Example shards\n'),
    'shards/.git/HEAD.jsonl': Buffer.from('{"text": "not data"}\n'),
  };
  for (const [path, bytes] of Object.entries(files)) {
    mkdirSync(join(WORK, path, '..'), { recursive: true });
    writeFileSync(join(WORK, path), bytes);
  }
  return files;
}

/** Reads the source, then the target, and waits for both summaries. */
async function readSource(page, choose) {
  await choose();
  await page.waitForSelector('#source-summary');
  if (!(await page.isVisible('#target-summary'))) {
    await page.setInputFiles('#target-file', TARGET);
    await page.waitForSelector('#target-summary');
  }
}

/** Drops `files` ({ path: base64 bytes }) on the source zone as one folder, through
 * the entries API a real drop gives (a folder's entries are read in batches). */
async function dropFolder(page, files) {
  await page.evaluate((files) => {
    const bytes = (b64) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const folder = (fullPath) => ({ isFile: false, isDirectory: true, fullPath, children: [] });
    const root = folder('/shards');
    const folders = { shards: root };
    for (const [path, b64] of Object.entries(files)) {
      const parts = path.split('/');
      let parent = root;
      for (let k = 1; k < parts.length - 1; k += 1) {
        const key = parts.slice(0, k + 1).join('/');
        if (!folders[key]) {
          folders[key] = folder(`/${key}`);
          parent.children.push(folders[key]);
        }
        parent = folders[key];
      }
      const file = new File([bytes(b64)], parts.at(-1));
      parent.children.push({ isFile: true, isDirectory: false, fullPath: `/${path}`, file: (ok) => ok(file) });
    }
    const withReaders = (entry) => {
      if (entry.isFile) return entry;
      const children = entry.children.map(withReaders);
      return {
        ...entry,
        createReader: () => {
          let at = 0;
          return { readEntries: (ok) => { ok(children.slice(at, at + 2)); at += 2; } };
        },
      };
    };
    const item = { kind: 'file', webkitGetAsEntry: () => withReaders(root) };
    const event = new DragEvent('drop', { bubbles: true, cancelable: true });
    Object.defineProperty(event, 'dataTransfer', { value: { items: [item], files: [] } });
    document.querySelector('#source-zone').dispatchEvent(event);
  }, Object.fromEntries(Object.entries(files).map(([path, bytes]) => [path, bytes.toString('base64')])));
}

test('a folder of shards, picked or dropped, and several files chosen score and download as the one file and as the CLI', async () => {
  const files = makeShards();
  const { context, page, errors } = await open();
  // What the one file and the CLI give for the folder (named from WORK, as the page names them).
  const one = join(WORK, 'one.kept.jsonl');
  cli('score', '--quiet', '-s', SOURCE, '-t', TARGET, '-c', 'lz4', '--top', '50', '-o', one);
  const scores = join(WORK, 'shards.scores.jsonl');
  const kept = join(WORK, 'shards.kept.jsonl');
  const cwd = process.cwd();
  process.chdir(WORK);
  try {
    cli('score', '--quiet', '-s', 'shards', '-t', TARGET, '-c', 'lz4', '--top', '50', '-o', kept, '--scores', scores);
  } finally {
    process.chdir(cwd);
  }
  assertSameBytes(readFileSync(kept), one, 'the CLI\'s selection of the shards');

  const ways = [
    ['a folder picked', () => page.setInputFiles('#source-folder', join(WORK, 'shards'))],
    ['a folder dropped', () => dropFolder(page, files)],
  ];
  for (const [way, choose] of ways) {
    await readSource(page, choose);
    const summary = await page.textContent('#source-summary');
    assert.match(summary, /400 records/, way);
    assert.match(summary, /3 files, read as one/, way);
    const listed = await page.locator('#source-files li').allTextContents();
    assert.deepEqual(listed.map((l) => l.split(' · ').slice(0, 2).join(' · ')),
      ['shards/part-0.jsonl · JSONL', 'shards/part-1.jsonl.gz · JSONL (gzip)', 'shards/sub/part-2.jsonl · JSONL'], way);
    assert.match(await page.textContent('#source-left-out'), /1 file left out/, way);
    await score(page, 'lz4', 0);
    await setBudget(page, 'count', 50);
    assertSameBytes((await download(page, 'download-selected')).bytes, one, `${way}: selected`);
    assertSameBytes((await download(page, 'download-scores-jsonl')).bytes, scores, `${way}: scores`);
  }
  await page.screenshot({ path: join(ARTIFACTS, 'shards.png'), fullPage: true });
  await audit(page, 'a source of shards');
  // The stored runs: the one just made is these files' and finished; the first (the same
  // paths picked, whose files' times differ) names every file, with their size.
  const stored = await page.locator('.stored-runs li').allTextContents();
  assert.match(stored[1], /^LZ4: these files, 400 records · finished/);
  assert.match(stored[0], /^LZ4: 3 files, shards\/part-0\.jsonl to shards\/sub\/part-2\.jsonl \(\d+(\.\d+)? KiB\) against target\.jsonl \(9\.9 KiB\), 400 records · of other files/);

  // Files chosen one by one (in any order) are read in the order of their names.
  const chosen = ['shards/sub/part-2.jsonl', 'shards/part-0.jsonl', 'shards/part-1.jsonl.gz'].map((p) => join(WORK, p));
  await readSource(page, () => page.setInputFiles('#source-file', chosen));
  assert.match(await page.textContent('#source-summary'), /3 files · .* · 400 records/);
  await score(page, 'lz4', 0);
  await setBudget(page, 'count', 50);
  assertSameBytes((await download(page, 'download-selected')).bytes, one, 'several files: selected');
  const rows = (await download(page, 'download-scores-jsonl')).bytes.toString().trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual([rows[149].file, rows[149].line, rows[150].file, rows[150].line], ['part-0.jsonl', 150, 'part-1.jsonl.gz', 1]);

  // A folder without data is refused, naming what it holds.
  mkdirSync(join(WORK, 'notes'), { recursive: true });
  writeFileSync(join(WORK, 'notes/README.md'), 'no data here\n');
  await page.setInputFiles('#source-folder', join(WORK, 'notes'));
  await page.waitForSelector('#source-zone .error');
  assert.match(await page.textContent('#source-zone .error'), /notes: no \.jsonl, \.jsonl\.gz or \.parquet files in this folder, only: notes\/README\.md/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('Parquet shards picked as a folder score and download as the CLI, as one Parquet file', async () => {
  const lines = readFileSync(SOURCE, 'utf8').split(/(?<=\n)/);
  mkdirSync(join(WORK, 'pq'), { recursive: true });
  const parts = [[0, 130], [130, 290], [290, 400]];
  for (const [k, [from, to]] of parts.entries()) {
    const jsonl = join(WORK, `pq-part-${k}.jsonl`);
    writeFileSync(jsonl, lines.slice(from, to).join(''));
    execFileSync(PYTHON, [PARQUET_FILES, 'from-jsonl', jsonl, join(WORK, `pq/part-${k}.parquet`), 'zstd', '40']);
  }
  const scores = join(WORK, 'pq.scores.jsonl');
  const kept = join(WORK, 'pq.kept.parquet');
  execFileSync(CLI, ['score', '--quiet', '-s', 'pq', '-t', TARGET, '-c', 'gzip', '-l', '9', '--top', '60', '-o', kept, '--scores', scores],
    { cwd: WORK, stdio: ['ignore', 'ignore', 'inherit'] });

  const { context, page, errors } = await open();
  await readSource(page, () => page.setInputFiles('#source-folder', join(WORK, 'pq')));
  assert.match(await page.textContent('#source-summary'), /pq · .* · Parquet, 11 row groups · 400 records/);
  await score(page, 'gzip', 9);
  await setBudget(page, 'count', 60);
  assertSameBytes((await download(page, 'download-scores-jsonl')).bytes, scores, 'Parquet shards: scores');
  const selected = await download(page, 'download-selected');
  assert.equal(selected.name, 'pq.selected.parquet');
  const path = join(WORK, 'page.kept.parquet');
  writeFileSync(path, selected.bytes);
  execFileSync(PYTHON, [PARQUET_FILES, 'equal', path, kept], { stdio: ['ignore', 'inherit', 'inherit'] });
  assert.deepEqual(errors, []);
  await context.close();
});

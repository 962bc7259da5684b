// What a user gives is checked, and what is listed says what it is: the budget field
// refuses a value the core's rule refuses (marked, with the value and the range, the last
// valid budget kept); the stored runs name the current files' runs as finished or
// interrupted and other files' runs by their names and sizes; a damaged Parquet row
// group costs only its rows.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, close, CLI, EXAMPLE, ROOT, WORK, open, audit, download, score, setBudget } from './page.mjs';

const PYTHON = join(ROOT, '.venv/bin/python');
const PARQUET_FILES = join(ROOT, 'tests/e2e/parquet_files.py');

before(launch);
after(close);

test('a budget typed in the page is checked by the core\'s rule; stored runs say what they are', async () => {
  const { context, page, errors } = await open();
  await page.click('button.example');
  await page.waitForSelector('#run-summary', { timeout: 60_000 });
  const stored = () => page.locator('.stored-runs li').allTextContents();
  await page.waitForFunction(() => /finished/.test(document.querySelector('.stored-runs li')?.textContent ?? ''));
  assert.match((await stored())[0], /^gzip level 9: these files, 400 records · finished/);

  await setBudget(page, 'count', 40);
  const refused = [
    ['count', '-3', '-3 is not a count of records: a count is a whole number from 0 up; still keeping 40'],
    ['count', '2.5', '2.5 is not a count of records'],
    ['count', '', '"" is not a count of records'],
  ];
  for (const [kind, value, said] of refused) {
    await page.selectOption('#budget-kind', kind);
    if (kind === 'count') await setBudget(page, 'count', 40);
    await page.fill('#budget-value', value);
    await page.waitForSelector('#budget-error');
    assert.ok((await page.textContent('#budget-error')).startsWith(said), await page.textContent('#budget-error'));
    assert.equal(await page.getAttribute('#budget-value', 'aria-invalid'), 'true');
    assert.match(await page.textContent('#kept-summary'), /^40 of 400/, 'the last valid budget stays');
  }
  // A rank to go to and a thread count: refused outside their range, saying it.
  for (const [value, said] of [['0', '0 is not a rank: ranks run from 1 to 400'], ['401', '401 is not a rank: ranks run from 1 to 400'],
    ['', '"" is not a rank: ranks run from 1 to 400']]) {
    await page.fill('#goto-rank', value);
    await page.press('#goto-rank', 'Enter');
    await page.waitForSelector('#goto-error');
    assert.equal(await page.textContent('#goto-error'), said);
    assert.equal(await page.getAttribute('#goto-rank', 'aria-invalid'), 'true');
  }
  const pool = await page.textContent('.pool');
  for (const [value, said] of [['0', '0 is not a number of threads: from 1 to 64'], ['65', '65 is not a number of threads: from 1 to 64']]) {
    await page.fill('#threads', value);
    await page.press('#threads', 'Enter');
    await page.waitForSelector(`#threads-error >> text=${said}`);
    assert.equal(await page.getAttribute('#threads', 'aria-invalid'), 'true');
    assert.equal(await page.textContent('.pool'), pool, 'the pool keeps its size');
  }
  await audit(page, 'a refused budget');
  await page.fill('#goto-rank', '400');
  await page.press('#goto-rank', 'Enter');
  await page.waitForSelector('#goto-error', { state: 'detached' });
  await page.selectOption('#budget-kind', 'percent');
  await page.fill('#budget-value', '150');
  await page.waitForSelector('#budget-error');
  assert.match(await page.textContent('#budget-error'), /^150 is not a percent: a percent is a number from 0 to 100/);
  await page.fill('#budget-value', '100');
  await page.waitForSelector('#budget-error', { state: 'detached' });
  assert.equal(await page.getAttribute('#budget-value', 'aria-invalid'), 'false');
  await page.waitForSelector('#kept-summary[aria-busy="false"]');
  assert.match(await page.textContent('#kept-summary'), /^400 of 400/);

  // After a reload the example's run comes back, finished.
  await page.reload();
  await page.waitForSelector('text=/\\d+ worker threads? ready/', { timeout: 30_000 });
  await page.click('button.example');
  await page.waitForSelector('#run-summary', { timeout: 60_000 });
  await page.waitForFunction(() => /finished/.test(document.querySelector('.stored-runs li')?.textContent ?? ''));
  assert.match((await stored())[0], /^gzip level 9: these files, 400 records · finished/);

  // Other files: the example's run is named by its files and their sizes.
  await page.setInputFiles('#source-file', join(EXAMPLE, 'target.jsonl'));
  await page.waitForSelector('#source-summary >> text=20 records');
  await page.waitForFunction(() => /other files/.test(document.querySelector('.stored-runs li')?.textContent ?? ''));
  assert.match((await stored())[0],
    /^gzip level 9: source\.jsonl \(212\.7 KiB\) against target\.jsonl \(9\.9 KiB\), 400 records · of other files/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a Parquet source with a row group that cannot be decoded: it stops, or its rows are skipped and the rest scores as in the intact file', async () => {
  const intact = join(WORK, 'intact.parquet');
  const damaged = join(WORK, 'damaged.parquet');
  execFileSync(PYTHON, [PARQUET_FILES, 'from-jsonl', join(EXAMPLE, 'source.jsonl'), intact, 'snappy', '50']);
  const said = execFileSync(PYTHON, [PARQUET_FILES, 'damage', intact, damaged, '6']).toString().trim();
  assert.equal(said, '300 50');
  const scores = (path) => {
    const out = join(WORK, `${Date.now()}.scores.jsonl`);
    execFileSync(CLI, ['score', '--quiet', '--on-error', 'skip', '-s', path, '-t', join(EXAMPLE, 'target.jsonl'), '-c', 'lz4', '--scores', out]);
    return readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  };
  const want = scores(intact).filter((r) => r.line <= 300 || r.line > 350).map((r) => [r.line, r.score]);

  const { context, page, errors } = await open();
  await page.setInputFiles('#source-file', damaged);
  await page.waitForSelector('#source-zone .error');
  assert.match(await page.textContent('#source-zone .error'), /damaged\.parquet: row 301 \(row group 6\): its row group could not be read/);
  await page.click('#source-skip');
  await page.waitForSelector('text=50 rows skipped');
  assert.match(await page.textContent('#source-summary'), /350 records/);
  await page.setInputFiles('#target-file', join(EXAMPLE, 'target.jsonl'));
  await page.waitForSelector('#target-summary');
  await score(page, 'lz4', 0);
  const got = (await download(page, 'download-scores-jsonl')).bytes.toString().trim().split('\n')
    .map((l) => JSON.parse(l)).map((r) => [r.line, r.score]);
  assert.deepEqual(got, want);
  assert.deepEqual(errors, []);
  await context.close();
});

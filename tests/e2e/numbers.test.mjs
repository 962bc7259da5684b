// What a user types is checked, and what is listed says what it is: the budget field
// refuses a value the core's rule refuses (marked, with the value and the range, the last
// valid budget kept), and the stored runs name the current files' runs as finished or
// interrupted and other files' runs by their names and sizes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { launch, close, EXAMPLE, open, audit, setBudget } from './page.mjs';

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
  await audit(page, 'a refused budget');
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

import { test, expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import LZString from 'lz-string';
const { compressToEncodedURIComponent } = LZString;

// Nothing a learner had is dropped: an autosave that cannot be opened is kept aside and offered
// for download with one sentence; a link or autosave holding a scenario that does not load says
// nothing has run (no "last run that worked" when none did); UTF-16 files are read.

const WORKING_KEY = 'ftp-through-the-wall.working.v1';

async function withAutosave(page: Page, raw: string) {
  await page.goto('./');
  await page.evaluate(
    ([k, v]) => {
      localStorage.clear();
      localStorage.setItem(k!, v!);
    },
    [WORKING_KEY, raw],
  );
  await page.reload();
}

test('a corrupt autosave is kept aside, said in one sentence, and offered for download', async ({ page }) => {
  const cases: [string, RegExp][] = [
    ['{"v":1,"file":{"name":"my firew', /not readable data/],
    ['{"v":7,"file":{"name":"x"}}', /another format \(version 7\)/],
    ['{"v":1,"file":null}', /holds no scenario/],
  ];
  for (const [raw, reason] of cases) {
    await withAutosave(page, raw);
    const notice = page.getByTestId('set-aside');
    await expect(notice).toContainText(reason);
    const [download] = await Promise.all([page.waitForEvent('download'), notice.getByRole('button', { name: 'Download it' }).click()]);
    expect(readFileSync(await download.path(), 'utf8')).toBe(raw);
    // Opening something else (which autosaves) does not lose it: it is still offered after a reload.
    await page.locator('[data-scenario="seed-passive-session"]').click();
    await expect(page.getByTestId('verdict-badge')).toBeVisible();
    await page.reload();
    await page.getByRole('button', { name: 'Back to the scenario list' }).click();
    await expect(page.getByTestId('set-aside')).toContainText(reason);
    await page
      .getByTestId('set-aside')
      .getByRole('button', { name: /Forget/ })
      .click();
    await expect(page.getByTestId('set-aside')).toHaveCount(0);
  }
});

test('a link holding JSON that is not a valid scenario says nothing has run, keeps it and offers it for download', async ({ page }) => {
  await page.goto('./');
  await page.locator('[data-scenario="passive-server-firewall-reject"]').click();
  await expect(page.getByTestId('verdict-badge')).toBeVisible();
  const notAScenario = { name: 'my lab', teaches: 'x', hosts: [{ id: 'a' }], server: { host: 'a' } };
  await page.goto(`./#s=${compressToEncodedURIComponent(JSON.stringify(notAScenario))}&step=0`);
  const errors = page.getByTestId('load-errors');
  await expect(errors).toContainText('nothing has run yet');
  await expect(errors).not.toContainText('last run that worked');
  await expect(page.getByTestId('verdict-badge')).toHaveCount(0);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-broken').click()]);
  expect(JSON.parse(readFileSync(await download.path(), 'utf8'))).toEqual(notAScenario);
});

test('a scenario file saved as UTF-16 (Notepad "Unicode") or with a BOM imports', async ({ page }) => {
  await page.goto('./');
  const text = readFileSync('src/scenarios/seed-passive-session.json', 'utf8');
  await page
    .getByTestId('import-file')
    .setInputFiles({ name: 'utf16.json', mimeType: 'application/json', buffer: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]) });
  await expect(page.locator('h1')).toHaveText(JSON.parse(text).name);
  await page.getByRole('button', { name: 'Back to the scenario list' }).click();
  await page
    .getByTestId('import-file')
    .setInputFiles({ name: 'bom.json', mimeType: 'application/json', buffer: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]) });
  await expect(page.locator('h1')).toHaveText(JSON.parse(text).name);
});

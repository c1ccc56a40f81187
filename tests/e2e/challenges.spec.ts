import { test, expect, type Page } from '@playwright/test';
import { noSeriousViolations } from '../support/axe';

const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/challenges-${name}.png`, fullPage: false });

test('the challenge list gives no answers away', async ({ page }) => {
  await page.goto('./');
  await page.getByTestId('open-challenges').click();
  await expect(page).toHaveURL(/#\/challenges$/);
  const list = page.getByTestId('challenge-list');
  await expect(list.locator('[data-challenge]')).toHaveCount(13);
  await expect(list).not.toContainText(/expected|fails|helper|pasv_address|DROP/i);
  await shot(page, 'list-1280');
});

test('a trainee finds the fault, is told why a wrong fix fails, fixes it properly and sees it solved', async ({ page }) => {
  await page.goto('./#/challenges');
  await page.locator('[data-challenge="seed-incident"]').click();
  await expect(page).toHaveURL(/#\/challenge\/seed-incident$/);
  // The symptom first; name and badge neutral; the verdict hidden.
  await expect(page.getByTestId('symptom')).toContainText('`ls` hangs'.replace(/`/g, ''));
  await expect(page.locator('h1')).toHaveText('The listing that works on some days');
  await expect(page.getByTestId('verdict-badge')).toHaveAttribute('data-verdict', 'hidden');
  await page.getByRole('tab', { name: 'Verdict' }).click();
  await expect(page.getByTestId('verdict')).toHaveCount(0);
  await expect(page.getByTestId('verdict-hidden')).toBeVisible();
  await page.getByRole('tab', { name: 'Challenge' }).click();
  await shot(page, 'trainee-1280');

  // A fix that misses the top of the passive range.
  await page.getByRole('tab', { name: 'Edit scenario' }).click();
  await expect(page.getByTestId('edit-note')).toContainText("the firewall of Server firewall, the server's settings");
  await page.getByLabel('Device').selectOption({ label: 'Server firewall (router)' });
  const dport = page.getByRole('textbox', { name: 'Destination port of rule 4 in filter FORWARD' });
  await dport.fill('3001:3200');
  await dport.press('Tab');
  await page.getByRole('tab', { name: 'Challenge' }).click();
  await page.getByTestId('check-fix').click();
  const results = page.getByTestId('check-results');
  await expect(results).toHaveAttribute('data-solved', 'false', { timeout: 30_000 });
  await expect(results.locator('[data-item="goal-0"]')).toContainText(/✗ Not met:.*Fails in \d+ of 20 runs/);
  await expect(page.getByTestId('debrief')).toHaveCount(0);
  await shot(page, 'wrong-fix-1280');

  // An over-broad one.
  await page.getByRole('tab', { name: 'Edit scenario' }).click();
  await page.getByLabel('Device').selectOption({ label: 'Server firewall (router)' });
  await dport.fill('1024:65535');
  await dport.press('Tab');
  await page.getByRole('tab', { name: 'Challenge' }).click();
  await page.getByTestId('check-fix').click();
  await expect(results.locator('[data-item="constraint-0"]')).toContainText(/✗ Not met:.*64,513 ports of 203\.0\.113\.10/, { timeout: 30_000 });

  // A hint on request.
  await page.getByTestId('show-hint').click();
  await expect(page.getByTestId('hints').locator('li')).toHaveCount(1);

  // The proper fix.
  await page.getByRole('tab', { name: 'Edit scenario' }).click();
  await page.getByLabel('Device').selectOption({ label: 'Server firewall (router)' });
  await dport.fill('3001:3300');
  await dport.press('Tab');
  await page.getByRole('tab', { name: 'Challenge' }).click();
  await page.getByTestId('check-fix').click();
  await expect(results).toHaveAttribute('data-solved', 'true', { timeout: 30_000 });
  await expect(page.getByTestId('debrief')).toContainText('3001–3300');
  await expect(page.getByTestId('challenge-stats')).toContainText('Checks so far: 3 · solved on check 3 · hints used: 1 of 3');
  await shot(page, 'solved-1280');

  // Progress survives a reload, and the list shows it.
  await page.reload();
  await expect(page.getByTestId('challenge-stats')).toContainText('solved on check 3');
  await page.getByRole('tab', { name: 'Edit scenario' }).click();
  await page.getByLabel('Device').selectOption({ label: 'Server firewall (router)' });
  await expect(dport).toHaveValue('3001:3300');
  await page.goto('./#/challenges');
  await expect(page.locator('[data-challenge="seed-incident"]')).toContainText('Solved (3 checks)');
});

test('asking for the verdict is recorded; the start page holds the scenario library back in trainee mode', async ({ page }) => {
  await page.goto('./#/challenge/silent-hang');
  await page.getByRole('tab', { name: 'Verdict' }).click();
  await page.getByTestId('reveal-verdict').click();
  await expect(page.getByTestId('verdict')).toBeVisible();
  await page.getByRole('tab', { name: 'Challenge' }).click();
  await expect(page.getByTestId('challenge-stats')).toContainText('you looked at the verdict before solving');
  await page.goto('./');
  await expect(page.getByTestId('scenarios-held-back')).toBeVisible();
  await expect(page.getByTestId('scenario-list')).toHaveCount(0);
});

test.describe('phone', () => {
  test.use({ viewport: { width: 390, height: 844 } });
  test('the challenge and its check fit a phone', async ({ page }) => {
    await page.goto('./#/challenges');
    await shot(page, 'list-390');
    await page.goto('./#/challenge/mode-choice');
    await expect(page.getByTestId('symptom')).toBeVisible();
    await shot(page, 'trainee-390');
  });

  test('the problem is the first thing on the screen, over the canvas; its button opens the task and "Check my fix"', async ({ page }) => {
    await page.goto('./#/challenge/seed-incident');
    const band = page.getByTestId('lead-band');
    await expect(band).toBeInViewport();
    await expect(band).toContainText('The problem');
    // The user's words, with `ls` as code, not as backticks.
    await expect(band.locator('blockquote')).toContainText('I can log in to ftp.example every time');
    await expect(band.locator('blockquote code')).toHaveText('ls');
    await expect(band).not.toContainText('`');
    const canvas = page.getByTestId('topology');
    expect((await band.boundingBox())!.y + (await band.boundingBox())!.height).toBeLessThanOrEqual((await canvas.boundingBox())!.y + 1);
    // The task and the checker are far down the page until asked for.
    const check = page.getByTestId('check-fix');
    await expect(check).not.toBeInViewport();
    await page.getByTestId('lead-jump').click();
    await expect(page.getByRole('tab', { name: 'Challenge' })).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByTestId('challenge-panel').getByRole('heading', { name: 'Your task' })).toBeInViewport();
  });
});

test('at 1280×720 the problem is in its tab beside the ladder: no band over the canvas', async ({ page }) => {
  await page.goto('./#/challenge/seed-incident');
  await expect(page.getByTestId('symptom')).toBeInViewport();
  await expect(page.getByTestId('lead-band')).toHaveCount(0);
});

test('an instructor makes a challenge from a scenario; its link round-trips into trainee mode', async ({ page }) => {
  await page.goto('./#/scenario/passive-server-firewall-drop');
  await page.getByRole('tab', { name: 'Make a challenge' }).click();
  const form = page.getByTestId('challenge-author');
  // Nothing typed is lost when the learner looks at another tab.
  await form.getByLabel('Title (do not name the cause)').fill('Monday <b>morning</b>');
  await page.getByRole('tab', { name: 'Packet' }).click();
  await page.getByRole('tab', { name: 'Make a challenge' }).click();
  await expect(form.getByLabel('Title (do not name the cause)')).toHaveValue('Monday <b>morning</b>');
  await form.getByTestId('make-challenge-link').click();
  await expect(form.getByRole('status')).toContainText('Write the symptom');

  await form.getByLabel('The symptom, as a user would report it').fill('"ls just sits there" — a user');
  await form.getByRole('checkbox', { name: 'At most' }).check();
  await form.getByLabel('Number of ports').fill('103');
  await form.getByLabel('Hints, one per line, in the order they are given').fill('Look at the ladder after ls.\nWhat answers the data SYN?');
  await form.getByLabel('Debrief, shown after solving').fill('The server firewall dropped the data connection.');
  await form.getByRole('button', { name: 'Check the scenario as it stands' }).click();
  await expect(form.getByTestId('author-trial')).toContainText(/fails \d of \d checks/, { timeout: 30_000 });
  await form.getByTestId('make-challenge-link').click();
  const link = await form.getByTestId('challenge-link').inputValue();
  expect(link).toMatch(/#\/challenge\/custom\?c=/);
  await shot(page, 'author-1280');

  await page.goto(link);
  await expect(page.locator('h1')).toHaveText('Monday <b>morning</b>'); // text, never HTML
  await expect(page.locator('h1 b')).toHaveCount(0);
  await expect(page.getByTestId('symptom')).toContainText('ls just sits there');
  await expect(page.getByTestId('verdict-badge')).toHaveAttribute('data-verdict', 'hidden');
  await page.getByTestId('check-fix').click();
  await expect(page.getByTestId('check-results')).toHaveAttribute('data-solved', 'false', { timeout: 30_000 });
  await page.getByTestId('show-hint').click();
  await expect(page.getByTestId('hints')).toContainText('Look at the ladder after ls.');

  // A damaged link says why on the start page.
  await page.goto(link.slice(0, link.length - 40));
  await expect(page.getByTestId('load-errors')).toContainText('challenge');
});

for (const scheme of ['light', 'dark'] as const) {
  test(`the challenge pages pass axe (${scheme})`, async ({ page }) => {
    test.setTimeout(150_000); // three axe passes; the machine is shared
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto('./#/challenges');
    await expect(page.getByTestId('challenge-list')).toBeVisible();
    await noSeriousViolations(page);
    await page.goto('./#/challenge/mode-choice');
    await page.getByTestId('show-hint').click();
    await page.getByTestId('check-fix').click();
    await expect(page.getByTestId('check-results')).toBeVisible({ timeout: 30_000 });
    await noSeriousViolations(page);
    await page.goto('./#/scenario/seed-passive-session');
    await page.getByRole('tab', { name: 'Make a challenge' }).click();
    await expect(page.getByTestId('challenge-author')).toBeVisible();
    await noSeriousViolations(page);
  });
}

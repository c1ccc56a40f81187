/**
 * Lessons as a learner uses them: one whole lesson by keyboard only (a wrong answer, then
 * the right one; a requested edit that lets the lesson go on), glossary links from a lesson,
 * the verdict and the inspector, progress that survives a reload, and axe in both schemes.
 */
import { test, expect, type Page } from '@playwright/test';
import { noSeriousViolations } from '../support/axe';

/** Presses Tab until the focused element matches `selector` (keyboard only, as a learner would). */
async function tabTo(page: Page, selector: string, max = 120) {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${selector}`);
}

const step = (page: Page) => page.getByTestId('lesson');

test('a learner goes through a whole lesson by keyboard: wrong then right, an edit, the lesson goes on', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto('./');
  await tabTo(page, '[data-testid="lessons-link"]');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('lesson-list')).toBeVisible();
  await expect(page.getByTestId('lesson-progress')).toHaveText(/^0 of 14 lessons done/);
  await tabTo(page, '[data-lesson="client-firewall-active"] a.card');
  await page.keyboard.press('Enter');

  // Step 1: text and a highlighted firewall editor.
  await expect(step(page)).toHaveAttribute('data-step', '1');
  await expect(page).toHaveURL(/#\/lesson\/client-firewall-active\/step\/1$/);
  await expect(page.locator('.lesson-highlight[data-target="editor:firewall:client-edge"]')).toBeVisible();
  await tabTo(page, '[data-testid="next-step"]');
  await page.keyboard.press('Enter');

  // Step 2: predict "Will the client log in?" — the answer is hidden until asked; wrong, then right.
  await expect(step(page)).toHaveAttribute('data-step', '2');
  await expect(page.getByTestId('verdict-badge')).toHaveAttribute('data-verdict', 'hidden');
  await tabTo(page, '[data-testid="choice-1"], [data-testid="choice-2"]');
  await page.keyboard.press('ArrowDown'); // "No"
  await expect(page.getByTestId('choice-2')).toBeChecked();
  await tabTo(page, '[data-testid="check"]');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('predict')).toHaveAttribute('data-state', 'wrong');
  await expect(page.getByTestId('predict-result')).toContainText('Not quite');
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Shift+Tab');
  await tabTo(page, '[data-testid="choice-2"]');
  await page.keyboard.press('ArrowUp'); // "Yes"
  await expect(page.getByTestId('choice-1')).toBeChecked();
  await tabTo(page, '[data-testid="check"]');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('predict')).toHaveAttribute('data-state', 'right');
  await expect(page.getByTestId('predict-result')).toContainText('Right');
  await expect(page.getByTestId('verdict-badge')).toHaveAttribute('data-verdict', 'failure');

  // Steps 3–5: answer right at once (the first choice that is right).
  for (const [n, right] of [
    [3, 'choice-2'],
    [4, 'choice-1'],
    [5, 'choice-1'],
  ] as const) {
    await tabTo(page, '[data-testid="next-step"]');
    await page.keyboard.press('Enter');
    await expect(step(page)).toHaveAttribute('data-step', String(n));
    await tabTo(page, '[data-testid^="choice-"]');
    // Move the radio selection to the right choice with the arrow keys.
    for (let i = 0; i < 4 && !(await page.getByTestId(right).isChecked()); i++) await page.keyboard.press('ArrowDown');
    await tabTo(page, '[data-testid="check"]');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('predict'), `step ${n}`).toHaveAttribute('data-state', 'right');
  }
  // Step 4 moved the playback to the drop on the client's router: the caption says so.

  // Step 6: a task. Next stays disabled until the run works; switch the client to passive by keyboard.
  await tabTo(page, '[data-testid="next-step"]');
  await page.keyboard.press('Enter');
  await expect(step(page)).toHaveAttribute('data-step', '6');
  await expect(page.getByTestId('task')).toHaveAttribute('data-state', 'open');
  await expect(page.getByTestId('finish')).toBeDisabled();
  // "Take me there" moves the focus to the highlighted control (no tabbing through every ladder row).
  await tabTo(page, '[data-testid="go-to-target"]');
  await page.keyboard.press('Enter');
  await expect(page.locator('[data-target="editor:client-mode"]')).toBeFocused();
  await page.keyboard.press('p'); // the first mode whose label starts with p
  await expect(page.locator('[data-target="editor:client-mode"]')).toHaveValue(/^(passive|port|pasv)$/);
  // Keep going until the value is "passive" (the option labels decide the order).
  for (let i = 0; i < 6 && (await page.locator('[data-target="editor:client-mode"]').inputValue()) !== 'passive'; i++) await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('task')).toHaveAttribute('data-state', 'met');
  await expect(page.getByTestId('task-done')).toContainText('It works');
  await expect(page.getByTestId('verdict-badge')).toHaveAttribute('data-verdict', 'success');
  await tabTo(page, '[data-testid="finish"]');
  await page.keyboard.press('Enter');

  await expect(page.getByTestId('lesson-list')).toBeVisible();
  await expect(page.locator('[data-lesson="client-firewall-active"]')).toHaveAttribute('data-done', 'true');
  await expect(page.getByTestId('lesson-progress')).toHaveText(/^1 of 14 lessons done/);
  // Progress is kept in the browser, and can be reset.
  await page.reload();
  await expect(page.locator('[data-lesson="client-firewall-active"]')).toHaveAttribute('data-done', 'true');
  await page.getByTestId('reset-progress').click();
  await page.getByTestId('reset-confirm').click();
  await expect(page.getByTestId('lesson-progress')).toHaveText(/^0 of 14 lessons done/);
});

test('a number question; the inspector spells out the 227 arithmetic once answered; a link opens a step', async ({ page }) => {
  await page.goto('./#/lesson/passive-mode/step/2');
  await expect(page.getByTestId('step-title')).toHaveText('Reading 227');
  await page.getByTestId('arithmetic').waitFor();
  await expect(page.getByTestId('arithmetic')).not.toContainText('50069');
  await expect(page.getByTestId('caption')).toContainText('The server names the port it will wait on');
  await expect(page.getByTestId('caption')).not.toContainText('50069');
  await expect(page.getByTestId('verdict-badge')).toHaveAttribute('data-verdict', 'hidden');
  await page.getByTestId('answer-input').fill('50070');
  await page.getByTestId('answer-input').press('Enter');
  await expect(page.getByTestId('predict')).toHaveAttribute('data-state', 'wrong');
  await page.getByTestId('answer-input').fill('50069');
  await page.getByTestId('answer-input').press('Enter');
  await expect(page.getByTestId('predict')).toHaveAttribute('data-state', 'right');
  await expect(page.getByTestId('arithmetic')).toContainText('port = 195×256+149 = 50069, address 192.168.150.90');
  await expect(page.getByTestId('caption')).toContainText('The server answers PASV: it will wait for a connection on port 50069 (195×256+149)');
  await page.getByTestId('arith-seek').click();
  await expect(page.getByTestId('caption')).toContainText('opens the data connection: a SYN to 192.168.150.90:50069');
});

test('glossary links work from a lesson, the verdict and the inspector', async ({ page }) => {
  await page.goto('./#/lesson/two-connections/step/1');
  // In a lesson a term opens its definition in place, with a link to the glossary.
  await page.getByTestId('step-text').locator('[data-term="control-connection"]').click();
  await expect(page.getByTestId('definition')).toContainText('The first TCP connection of an FTP session');
  await page.getByTestId('definition').getByRole('link', { name: 'Open in the glossary' }).click();
  await expect(page).toHaveURL(/#\/glossary\/control-connection$/);
  await expect(page.getByTestId('glossary-term')).toHaveText('Control connection');
  await page.getByRole('link', { name: 'PASV', exact: true }).first().click();
  await expect(page.getByTestId('glossary-term')).toHaveText('PASV');
  await page.goBack();
  await page.goBack();
  await expect(page.getByTestId('lesson')).toBeVisible();

  // The verdict's fix: code spans, no raw backticks, and glossary words linked.
  await page.goto('./#/scenario/active-client-firewall-blocked');
  const fix = page.getByTestId('verdict-fix').first();
  await expect(fix.locator('code').first()).toHaveText('-t raw -A PREROUTING -p tcp --dport 21 -j CT --helper ftp');
  expect(await fix.innerText()).not.toContain('`');
  await fix.locator('a[data-term="helper"]').click();
  await expect(page.getByTestId('glossary-term')).toHaveText('FTP helper (nf_conntrack_ftp)');
});

for (const scheme of ['light', 'dark'] as const) {
  test(`lessons, a lesson step and the glossary pass axe (${scheme}); screenshots at 1280×720 and 390×844`, async ({ page }) => {
    test.setTimeout(240_000);
    await page.emulateMedia({ colorScheme: scheme });
    for (const [w, h] of [
      [1280, 720],
      [390, 844],
    ] as const) {
      // axe on every page once (at 1280 × 720; the phone layout is the same markup), screenshots at both sizes.
      const axe = w === 1280 ? noSeriousViolations : async () => {};
      await page.setViewportSize({ width: w, height: h });
      await page.goto('./#/lessons');
      await expect(page.getByTestId('lesson-list')).toBeVisible();
      await axe(page);
      await page.screenshot({ path: `screenshots/lessons-${w}-${scheme}.png` });
      await page.goto('./#/lesson/passive-mode/step/2');
      await expect(page.getByTestId('predict')).toBeVisible();
      await page.locator('.lesson-highlight').first().waitFor();
      await axe(page);
      await page.screenshot({ path: `screenshots/lesson-question-${w}-${scheme}.png` });
      await page.getByTestId('answer-input').fill('50069');
      await page.getByTestId('check').click();
      await expect(page.getByTestId('predict')).toHaveAttribute('data-state', 'right');
      await page.screenshot({ path: `screenshots/lesson-answered-${w}-${scheme}.png`, fullPage: w < 600 });
      await page.goto('./#/lesson/conntrack-helper/step/3');
      await expect(page.getByTestId('task')).toBeVisible();
      await axe(page);
      await page.screenshot({ path: `screenshots/lesson-task-${w}-${scheme}.png` });
      await page.goto('./#/lesson/diagnose/step/5');
      await expect(page.getByTestId('step-text').locator('p')).toHaveCount(6);
      await page.screenshot({ path: `screenshots/lesson-checklist-${w}-${scheme}.png` });
      await page.goto('./#/glossary/227');
      await expect(page.getByTestId('glossary-term')).toBeVisible();
      await axe(page);
      await page.screenshot({ path: `screenshots/glossary-${w}-${scheme}.png` });
    }
  });
}

test('every step of every lesson opens at its link and outlines its highlight target on screen', async ({ page }) => {
  test.setTimeout(420_000);
  const { readFileSync } = await import('node:fs');
  const dir = 'src/teach/lessons';
  const order = (JSON.parse(readFileSync(`${dir}/track.json`, 'utf8')) as { order: string[] }).order;
  const missing: string[] = [];
  for (const id of order) {
    const lesson = JSON.parse(readFileSync(`${dir}/${id}.json`, 'utf8')) as { steps: { highlight?: unknown }[] };
    for (let n = 1; n <= lesson.steps.length; n++) {
      await page.goto(`./#/lesson/${id}/step/${n}`);
      await expect(page.getByTestId('lesson')).toHaveAttribute('data-step', String(n));
      if (!lesson.steps[n - 1]!.highlight) continue;
      const found = await page
        .locator('.lesson-highlight')
        .first()
        .waitFor({ timeout: 15_000 })
        .then(
          () => true,
          () => false,
        );
      if (!found) missing.push(`${id} step ${n}: ${JSON.stringify(lesson.steps[n - 1]!.highlight)}`);
    }
  }
  expect(missing).toEqual([]);
});

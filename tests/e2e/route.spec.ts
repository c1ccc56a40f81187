import { test, expect } from '@playwright/test';

test('a scenario link opens that built-in at that step; Back returns to the start page', async ({ page }) => {
  await page.goto('./');
  await page.locator('[data-scenario="passive-server-firewall-reject"]').click();
  await expect(page).toHaveURL(/#\/scenario\/passive-server-firewall-reject(\/step\/0)?$/);
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-verdict', 'failure');
  await page.goBack();
  await expect(page.locator('[data-scenario]').first()).toBeVisible();
  await page.goForward();
  await expect(page.getByTestId('verdict')).toBeVisible();

  await page.goto('./#/scenario/seed-passive-session/step/5');
  await expect(page.getByTestId('position')).toContainText('step 6 of');
});

test('presenter and trainee links hide the verdict until it is revealed', async ({ page }) => {
  for (const mode of ['presenter', 'trainee']) {
    await page.goto(`./#/scenario/passive-server-firewall-reject?mode=${mode}`);
    await expect(page.getByTestId('verdict-badge')).toHaveAttribute('data-verdict', 'hidden');
    await expect(page.getByTestId('verdict')).toHaveCount(0);
    await page.getByTestId('reveal-verdict').click();
    await expect(page.getByTestId('verdict').first()).toHaveAttribute('data-verdict', 'failure');
    await expect(page.getByTestId('verdict-badge')).toHaveAttribute('data-verdict', 'failure');
  }
});

test('a link the app cannot open says why on the start page', async ({ page }) => {
  await page.goto('./#/scenario/no-such-scenario');
  await expect(page.getByTestId('load-errors')).toContainText('no-such-scenario');
  await page.goto('./#/scenario/x?mode=teacher');
  await expect(page.getByTestId('load-errors')).toContainText('teacher');
});

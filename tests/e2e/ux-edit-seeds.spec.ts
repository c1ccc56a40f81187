import { test, expect } from '@playwright/test';
import { runAxe } from '../support/axe';

// Issue 16, editing: re-roll the seed (shown, and in the URL) and run the scenario at 20
// seeds in the worker pool. The seed incident (vsftpd 3001–3300, firewall 3001–3100) fails
// only for the seeds whose passive port is above 3100.

test('re-roll shows the new seed and puts it in the URL', async ({ page }) => {
  await page.goto('./#/scenario/seed-incident-pasv-range');
  await expect(page.getByTestId('verdict-badge')).toBeVisible();
  await page.getByRole('tab', { name: 'Edit scenario' }).click();
  const seed = page.getByTestId('seed-input');
  await expect(seed).toHaveValue('1');
  await page.getByTestId('reroll').click();
  // 1 re-rolls to (1×7919 + 104729) mod 99991 + 1 = 12658.
  await expect(seed).toHaveValue('12658');
  await expect(page).toHaveURL(/[?&]seed=12658(&|$)/);
  await expect(page).not.toHaveURL(/[?&]d=/);
  // A typed seed that is not a number is refused with the reason; a good one is used.
  await seed.fill('12x');
  await expect(page.getByRole('alert')).toContainText('whole number from 0 to 4294967295');
  await seed.fill('7');
  await seed.press('Enter');
  await expect(page).toHaveURL(/[?&]seed=7(&|$)/);
  // The link reopens at that seed.
  await page.reload();
  await page.getByRole('tab', { name: 'Edit scenario' }).click();
  await expect(page.getByTestId('seed-input')).toHaveValue('7');
});

test('run with 20 seeds: the seed incident fails for some seeds and works for others', async ({ page }) => {
  await page.goto('./#/scenario/seed-incident-pasv-range');
  await expect(page.getByTestId('verdict-badge')).toBeVisible();
  await page.getByRole('tab', { name: 'Edit scenario' }).click();
  await page.getByTestId('run-seeds').click();
  await expect(page.getByTestId('seeds-progress')).toContainText(/Running seeds 1–20: \d+ of 20 done/);
  const summary = page.getByTestId('seeds-summary');
  await expect(summary).toBeVisible({ timeout: 45_000 });
  const failed = Number(await summary.getAttribute('data-failed'));
  const worked = Number(await summary.getAttribute('data-worked'));
  expect(failed).toBeGreaterThan(0);
  expect(worked).toBeGreaterThan(0);
  expect(failed + worked).toBe(20);
  await expect(summary).toContainText(new RegExp(`Fails for ${failed} of 20 seeds — passive ports 31\\d\\d–3\\d\\d\\d were blocked; 3\\d\\d\\d–30\\d\\d got through\\.`));
  await expect(summary).toContainText(`${failed} + ${worked} = 20`);
  await expect(summary).toContainText('3001–3300, 3300 − 3001 + 1 = 300 ports');
  // Each seed listed; one click opens a failing seed.
  await summary.getByText('Each seed').click();
  await expect(summary.getByTestId('seed-row')).toHaveCount(20);
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    const axe = await runAxe(page, '[data-testid="seed-controls"]');
    expect(axe.violations.map((v) => `${colorScheme} ${v.id}: ${v.help} (${v.nodes.length})`)).toEqual([]);
  }
  const firstFailing = summary.locator('[data-testid="seed-row"][data-ok="false"] button').first();
  const label = (await firstFailing.textContent())!.trim();
  await firstFailing.click();
  await expect(page.getByTestId('seed-input')).toHaveValue(label.replace('seed ', ''));
  await expect(page.getByTestId('verdict-badge')).toHaveAttribute('data-verdict', 'failure');
});

test('run with 20 seeds can be stopped', async ({ page }) => {
  await page.goto('./#/scenario/seed-incident-pasv-range');
  await expect(page.getByTestId('verdict-badge')).toBeVisible();
  await page.getByRole('tab', { name: 'Edit scenario' }).click();
  await page.getByTestId('run-seeds').click();
  await page.getByTestId('seeds-stop').click();
  await expect(page.getByTestId('seeds-progress')).toHaveCount(0);
  await expect(page.getByTestId('seeds-summary')).toContainText(/Not run to the end: seeds? [\d, ]+\./);
  await expect(page.getByTestId('run-seeds')).toBeEnabled();
});

import { test, expect } from '@playwright/test';

const badge = (page: import('@playwright/test').Page) => page.getByTestId('verdict-badge');

test('a burst of typing is one undo step; Ctrl+Z and Ctrl+Shift+Z undo and redo', async ({ page }) => {
  await page.goto('./#/scenario/seed-incident-pasv-range');
  await page.getByRole('tab', { name: 'Edit scenario' }).click();
  await page.getByRole('tab', { name: /Server/ }).click();
  const max = page.getByRole('textbox', { name: 'Highest passive port (pasv_max_port)' });
  await max.click();
  await max.press('End');
  // 3300 → 3100, one key at a time: four keystrokes and four re-runs.
  for (const k of ['Backspace', 'Backspace', 'Backspace', '1', '0', '0']) await max.press(k);
  await expect(max).toHaveValue('3100');
  await expect(badge(page)).toHaveAttribute('data-verdict', 'success');
  // One Undo brings the whole edit back.
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(badge(page)).toHaveAttribute('data-verdict', 'failure');
  await expect(page.getByRole('button', { name: 'Undo' })).toBeDisabled();
  // The keyboard: outside a text field, Ctrl+Shift+Z redoes and Ctrl+Z undoes.
  await page.locator('h1').click();
  await page.keyboard.press('Control+Shift+Z');
  await expect(badge(page)).toHaveAttribute('data-verdict', 'success');
  await page.keyboard.press('Control+Z');
  await expect(badge(page)).toHaveAttribute('data-verdict', 'failure');
});

test('while the editor text has errors the verdict is marked stale', async ({ page }) => {
  await page.goto('./#/scenario/seed-incident-pasv-range');
  await page.getByRole('tab', { name: 'Edit scenario' }).click();
  await page.getByRole('tab', { name: /Server/ }).click();
  await expect(badge(page)).not.toHaveAttribute('data-stale', 'true');
  await page.getByRole('textbox', { name: 'vsftpd.conf text' }).fill('listen=YES\npasv_min_port=3001\npasv_max_port=31OO\n');
  await expect(badge(page)).toHaveAttribute('data-stale', 'true');
  await expect(badge(page)).toContainText('stale');
  await page.getByRole('textbox', { name: 'vsftpd.conf text' }).fill('listen=YES\npasv_min_port=3001\npasv_max_port=3100\n');
  await expect(badge(page)).not.toHaveAttribute('data-stale', 'true');
  await expect(badge(page)).toHaveAttribute('data-verdict', 'success');
});

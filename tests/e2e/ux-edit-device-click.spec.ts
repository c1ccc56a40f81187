import { test, expect } from '@playwright/test';

// Issue 16, editing: a click on a device on the canvas (or Enter on its focused name) opens
// the side panel's editor for it — a router's firewall, the server's settings, the client.

test('clicking a device opens its editor; Enter on a focused device does too', async ({ page }) => {
  await page.goto('./#/scenario/seed-incident-pasv-range');
  await expect(page.getByTestId('verdict-badge')).toBeVisible();
  await expect(page.getByRole('tab', { name: 'Verdict' })).toHaveAttribute('aria-selected', 'true');
  const panel = page.getByTestId('editor-panel');

  // A router: its firewall, with it selected.
  await page.getByRole('button', { name: 'Server firewall: open its editor' }).click();
  await expect(page.getByRole('tab', { name: 'Edit scenario' })).toHaveAttribute('aria-selected', 'true');
  await expect(panel).toHaveAttribute('data-editor', 'firewall');
  await expect(panel.getByLabel('Device', { exact: true }).locator('option:checked')).toHaveText('Server firewall (router)');
  await expect(panel).toBeFocused();

  // Another router, clicked on its card (not its name): the same editor, that router.
  await page.getByTestId('device-client-edge').locator('.addr').click();
  await expect(panel.getByLabel('Device', { exact: true }).locator('option:checked')).toHaveText('Client router (router)');

  // The server: the server editor.
  await page.getByRole('button', { name: 'FTP server: open its editor' }).click();
  await expect(panel).toHaveAttribute('data-editor', 'server');
  await expect(page.getByRole('tab', { name: /^Server/ })).toHaveAttribute('aria-selected', 'true');

  // The client, from the keyboard: focus its name on the canvas, press Enter.
  await page.getByRole('tab', { name: 'Verdict' }).click();
  await page.getByRole('button', { name: 'Laptop: open its editor' }).focus();
  await page.keyboard.press('Enter');
  await expect(panel).toHaveAttribute('data-editor', 'client');
  await expect(panel.getByLabel('Client program', { exact: true })).toBeVisible();

  // The same router again after moving away: it opens again.
  await page.getByRole('button', { name: 'Server firewall: open its editor' }).click();
  await expect(panel).toHaveAttribute('data-editor', 'firewall');
  await panel.getByLabel('Device', { exact: true }).selectOption({ label: 'Client router (router)' });
  await page.getByRole('button', { name: 'Server firewall: open its editor' }).click();
  await expect(panel.getByLabel('Device', { exact: true }).locator('option:checked')).toHaveText('Server firewall (router)');
});

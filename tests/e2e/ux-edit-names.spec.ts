import { test, expect } from '@playwright/test';

// Issue 16, reading: one display name per device. The canvas says "Server firewall"; so do
// the verdict (explanation, fix, where), the conntrack panel and the ladder — not the id
// `server-edge`, which stays in tooltips and data attributes only.

const BARE_ID = /(?<![\w-])server-edge(?![\w-])/;

test('the verdict, conntrack panel and ladder name devices as the canvas does', async ({ page }) => {
  await page.goto('./#/scenario/seed-incident-pasv-range');
  await expect(page.getByTestId('verdict-badge')).toHaveAttribute('data-verdict', 'failure');
  await expect(page.getByTestId('device-server-edge')).toContainText('Server firewall');

  const verdict = page.getByTestId('verdict');
  await expect(verdict).toContainText('Server firewall dropped it: no rule of its FORWARD chain accepted it');
  await expect(verdict.getByTestId('verdict-fix').first()).toContainText('Open the whole passive range 3001:3300 on Server firewall');
  expect(await verdict.innerText()).not.toMatch(BARE_ID);
  // Where: the display name, the id in its tooltip.
  await expect(verdict.locator('[title="device id: server-edge"]').first()).toHaveText('Server firewall');

  // The failure's step: the ladder's drop row and the conntrack table at that moment.
  await verdict.getByRole('button', { name: 'Jump to the failure' }).click();
  const row = page.locator('.ladder button[aria-current="step"]');
  await expect(row).toContainText('Server firewall');
  expect(await row.innerText()).not.toMatch(BARE_ID);
  expect(await row.getAttribute('aria-label')).toContain('Server firewall');
  expect(await row.getAttribute('aria-label')).not.toMatch(BARE_ID);

  await page.getByRole('tab', { name: 'Conntrack' }).click();
  const ct = page.getByTestId('conntrack');
  const edge = ct.locator('[data-device="server-edge"]');
  await expect(edge.getByRole('heading')).toHaveText('Server firewall');
  await expect(edge.getByRole('table', { name: 'Connections on Server firewall' })).toBeVisible();
  expect(await ct.innerText()).not.toMatch(BARE_ID);
});

// The Server editor's heading named the machine by its id ("vsftpd 3.0.3 on server").
test("the Server editor's heading names the machine as the canvas does", async ({ page }) => {
  await page.goto('./#/scenario/seed-incident-pasv-range');
  await expect(page.getByTestId('verdict-badge')).toBeVisible();
  await page.getByRole('tab', { name: 'Edit scenario' }).click();
  await page.getByRole('tab', { name: /^Server/ }).click();
  await expect(page.getByRole('heading', { name: 'Server: vsftpd 3.0.3 on FTP server' })).toBeVisible();
});

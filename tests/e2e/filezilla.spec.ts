import { test, expect, type Page } from '@playwright/test';
import { runAxe } from '../support/axe';

// FileZilla Server's settings in the Server tab: a folder right changes the run's outcome.

async function openServerTab(page: Page, id: string) {
  await page.goto('./');
  await page.locator(`[data-scenario="${id}"]`).click();
  await page.getByRole('tab', { name: 'Edit scenario' }).click();
  await page.getByRole('tab', { name: /^Server/ }).click();
}
const verdict = (page: Page) => page.getByTestId('verdict-badge');

test.describe('FileZilla Server settings', () => {
  test('unchecking Write on upload/ makes the upload fail; checking it again (keyboard) brings success back', async ({ page }) => {
    await openServerTab(page, 'filezilla-seed-003-port-3069');
    await expect(page.getByRole('heading', { name: 'Server: FileZilla Server 0.9.60 on testbox2 (FileZilla Server)' })).toBeVisible();
    await expect(verdict(page)).toHaveAttribute('data-verdict', 'success');
    const write = page.getByRole('checkbox', { name: '/share/upload: Write files (upload)' });
    await expect(write).toBeChecked();
    await write.uncheck();
    await expect(verdict(page)).toHaveAttribute('data-verdict', 'failure');
    await write.focus();
    await page.keyboard.press('Space');
    await expect(write).toBeChecked();
    await expect(verdict(page)).toHaveAttribute('data-verdict', 'success');
  });

  test('the Passive IP fixes FileZilla Server behind NAT; a bad address is named and the run kept', async ({ page }) => {
    await openServerTab(page, 'filezilla-nat-no-passive-ip');
    await expect(verdict(page)).toHaveAttribute('data-verdict', 'failure');
    const ip = page.getByRole('textbox', { name: 'Passive IP (the address written in the 227 reply)' });
    await ip.fill('203.0.113.300');
    await expect(page.getByText('Error: Passive IP must be an IPv4 address such as 203.0.113.10, not "203.0.113.300"')).toBeVisible();
    await expect(verdict(page)).toHaveAttribute('data-verdict', 'failure');
    await ip.fill('203.0.113.1');
    await expect(verdict(page)).toHaveAttribute('data-verdict', 'success');
  });

  test('a numeric setting: a bad value is marked and named, the time-out set to 0 keeps the idle session', async ({ page }) => {
    await openServerTab(page, 'filezilla-idle-timeout');
    await expect(verdict(page)).toHaveAttribute('data-verdict', 'failure');
    const timeout = page.getByRole('textbox', { name: 'Connections time-out in seconds (0 = off)' });
    await timeout.fill('soon');
    await expect(timeout).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByRole('alert').filter({ hasText: /^Error: / })).toBeVisible();
    await timeout.fill('0');
    await expect(timeout).toHaveAttribute('aria-invalid', 'false');
    await expect(verdict(page)).toHaveAttribute('data-verdict', 'success');
    // The per-user limits are the same kind of field, one per user.
    await expect(page.getByRole('textbox', { name: 'Connections per IP address (0 = no limit)' }).first()).toBeVisible();
  });

  test('the FileZilla form passes axe, and fits a phone and a projector', async ({ page }) => {
    await openServerTab(page, 'filezilla-seed-003-port-3069');
    const result = await runAxe(page, '[data-testid="editors"]');
    expect(result.violations).toEqual([]);
    await page.getByRole('checkbox', { name: '/share/upload: Write files (upload)' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'test-results/filezilla-form-1280.png' });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('checkbox', { name: '/share/upload: Write files (upload)' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'test-results/filezilla-form-390.png' });
    // Nothing in the form is wider than the form (the page itself is 10 px too wide at 390
    // with any scenario: the side panel, not this form).
    const overflow = await page.locator('.fz').evaluate((el) => el.scrollWidth - el.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });
});

// "Don't use the Passive IP for clients on private addresses" wrapped, as a whole, to the line
// under its checkbox (at 390×844 and in the 480 px side panel at 1920×1080). A box and its
// words share a row; the words wrap beside it.
for (const viewport of [
  { width: 390, height: 844 },
  { width: 1920, height: 1080 },
])
  test(`a FileZilla checkbox is on its words' row at ${viewport.width}×${viewport.height}`, async ({ page }) => {
    await page.setViewportSize(viewport);
    await openServerTab(page, 'filezilla-nat-passive-ip');
    for (const name of ["Don't use the Passive IP for clients on private addresses", 'Autoban: ban an address after failed logins']) {
      const box = (await page.getByRole('checkbox', { name }).boundingBox())!;
      const words = (await page.locator('label', { hasText: name }).boundingBox())!;
      expect(words.x, `${name}: words right of the box`).toBeGreaterThanOrEqual(box.x + box.width - 1);
      expect(words.y, `${name}: words start on the box's row`).toBeLessThanOrEqual(box.y + box.height);
    }
  });

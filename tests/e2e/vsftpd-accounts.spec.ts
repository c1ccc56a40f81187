import { test, expect, type Page } from '@playwright/test';
import { runAxe } from '../support/axe';

// vsftpd's accounts in the Server tab: users, the user list, chroot, per-user settings and the
// files' owners and modes, edited without JSON; the verdict re-runs, undo groups typing.

const badge = (page: Page) => page.getByTestId('verdict-badge');

async function serverTab(page: Page) {
  await page.getByRole('tab', { name: 'Edit scenario' }).click();
  await page.getByRole('tab', { name: /^Server/ }).click();
}

/** Opens a part of the form from the keyboard, as a keyboard user would. */
async function openPart(page: Page, name: RegExp) {
  const summary = page.locator('summary').filter({ hasText: name });
  await summary.focus();
  await page.keyboard.press('Enter');
  await expect(summary.locator('..')).toHaveAttribute('open', '');
}

test('"The photos that will not upload": giving upload/ to maria in the form solves the challenge', async ({ page }) => {
  await page.goto('./#/challenge/upload-553');
  await serverTab(page);
  await openPart(page, /^Files: owner and permissions/);
  const owner = page.getByRole('combobox', { name: 'Owner of /home/maria/upload' });
  await expect(owner).toHaveValue('root');
  await expect(page.getByText('rwxr-xr-x: owner may read, create and delete in it, enter; group read, enter; others read, enter').first()).toBeVisible();
  await owner.focus();
  await owner.selectOption('maria');
  await page.getByRole('tab', { name: 'Challenge' }).click();
  await page.getByTestId('check-fix').click();
  await expect(page.getByTestId('check-results')).toHaveAttribute('data-solved', 'true', { timeout: 30_000 });
});

test('chroot: allowing a writable chroot from the keyboard fixes the login; one Undo brings the failure back', async ({ page }) => {
  await page.goto('./#/scenario/vsftpd-chroot-writable-root');
  await expect(badge(page)).toHaveAttribute('data-verdict', 'failure');
  await serverTab(page);
  await openPart(page, /^Chroot: users locked into their home/);
  await expect(page.getByText('chroot ("change root") locks a user into one folder')).toBeVisible();
  const allow = page.getByRole('checkbox', { name: /allow_writeable_chroot/ });
  await allow.focus();
  await page.keyboard.press('Space');
  await expect(allow).toBeChecked();
  await expect(badge(page)).toHaveAttribute('data-verdict', 'success');
  await expect(page.getByRole('textbox', { name: 'vsftpd.conf text' })).toHaveValue(/allow_writeable_chroot=YES/);
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(badge(page)).toHaveAttribute('data-verdict', 'failure');
});

test('a bad home folder is named and kept, the verdict marked stale; the typing that fixes it is one undo step', async ({ page }) => {
  await page.goto('./#/scenario/vsftpd-chroot-upload-folder');
  await expect(badge(page)).toHaveAttribute('data-verdict', 'success');
  await serverTab(page);
  await openPart(page, /^Users: alice/);
  const home = page.getByRole('textbox', { name: 'Home folder of user 1' });
  await home.click();
  await page.keyboard.type('srv');
  await expect(page.getByRole('alert').filter({ hasText: 'User 1 (alice), home directory: "srv" does not start with "/"' })).toBeVisible();
  await expect(home).toHaveValue('srv');
  await expect(home).toHaveAttribute('aria-invalid', 'true');
  await expect(badge(page)).toHaveAttribute('data-stale', 'true');
  // A home the tree does not have: vsftpd refuses the login (500 OOPS: cannot change directory).
  await home.fill('');
  await page.keyboard.type('/nowhere');
  await expect(home).toHaveValue('/nowhere');
  await expect(home).toHaveAttribute('aria-invalid', 'false');
  await expect(badge(page)).toHaveAttribute('data-verdict', 'failure');
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(badge(page)).toHaveAttribute('data-verdict', 'success');
  await expect(page.getByRole('button', { name: 'Undo' })).toBeDisabled();
});

test('the user list as an allow list refuses alice until she is on it', async ({ page }) => {
  await page.goto('./#/scenario/vsftpd-chroot-upload-folder');
  await serverTab(page);
  await openPart(page, /^User list: on, deny list of 5 names/);
  await page.getByRole('radio', { name: /allow list: ONLY they may log in/ }).check();
  await expect(badge(page)).toHaveAttribute('data-verdict', 'failure');
  const list = page.getByRole('textbox', { name: 'Names on the user list, one a line' });
  await list.fill('root\nalice');
  await expect(badge(page)).toHaveAttribute('data-verdict', 'success');
});

for (const [w, h] of [
  [1280, 720],
  [390, 844],
] as const) {
  test(`the accounts form passes axe and fits ${w}×${h}`, async ({ page }) => {
    await page.setViewportSize({ width: w, height: h });
    await page.goto('./#/scenario/vsftpd-chroot-upload-folder');
    await serverTab(page);
    for (const s of await page.locator('[data-target="editor:vsftpd-accounts"] summary').all()) await s.click();
    await page.getByRole('checkbox', { name: /Read per-user settings/ }).check();
    // A bad entry on screen too, so its message and marking are checked.
    await page.getByRole('textbox', { name: 'Mode of /home/alice/upload' }).fill('79');
    await expect(page.getByRole('alert').filter({ hasText: 'Mode of /home/alice/upload: "79" is not three digits' })).toBeVisible();
    for (const colorScheme of ['dark', 'light'] as const) {
      await page.emulateMedia({ colorScheme });
      const result = await runAxe(page, '[data-testid="editors"]');
      expect(result.violations.map((v) => `${colorScheme} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    }
    const form = page.locator('[data-target="editor:vsftpd-accounts"]');
    // Nothing wider than the panel: no sideways scrolling inside the form.
    const overflow = await form.evaluate((el) => [...el.querySelectorAll('*')].filter((c) => c.getBoundingClientRect().right > el.getBoundingClientRect().right + 1).length);
    expect(overflow).toBe(0);
    await page
      .locator('summary')
      .filter({ hasText: /^Users/ })
      .scrollIntoViewIfNeeded();
    await page.screenshot({ path: `test-results/vsftpd-accounts-${w}-users.png` });
    await page
      .locator('summary')
      .filter({ hasText: /^Files/ })
      .scrollIntoViewIfNeeded();
    await page.screenshot({ path: `test-results/vsftpd-accounts-${w}-files.png` });
  });
}

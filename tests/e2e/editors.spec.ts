import { test, expect, type Page } from '@playwright/test';
import { runAxe } from '../support/axe';

// The learner's loop: open a failing built-in scenario, fix it in the editors, and watch the
// app's verdict (data-verdict) flip. Each edit re-runs the simulation.

async function open(page: Page, id: string) {
  await page.goto('./');
  await page.locator(`[data-scenario="${id}"]`).click();
  await page.getByRole('tab', { name: 'Edit scenario' }).click();
}
const verdict = (page: Page) => page.getByTestId('verdict-badge');

test.describe('scenario editors', () => {
  test('passive blocked by the server firewall: a rule opening the passive range fixes it', async ({ page }) => {
    await open(page, 'passive-server-firewall-reject');
    await expect(verdict(page)).toHaveAttribute('data-verdict', 'failure');
    await expect(page.getByLabel('Device')).toHaveValue('host:1');
    await page.getByRole('button', { name: 'Add rule at top of filter INPUT' }).click();
    await page.getByRole('textbox', { name: 'Destination port of rule 1 in filter INPUT' }).fill('50000:50100');
    await expect(page.getByRole('textbox', { name: 'iptables-save text of FTP server' })).toHaveValue(/-A INPUT -p tcp -m tcp --dport 50000:50100 -j ACCEPT/);
    await expect(verdict(page)).toHaveAttribute('data-verdict', 'success');
  });

  test('passive blocked by the server firewall: the FTP helper toggle fixes it, undo brings the failure back', async ({ page }) => {
    await open(page, 'passive-server-firewall-reject');
    await expect(verdict(page)).toHaveAttribute('data-verdict', 'failure');
    await page.getByRole('checkbox', { name: /FTP helper for FTP server/ }).check();
    await expect(page.getByRole('textbox', { name: 'iptables-save text of FTP server' })).toHaveValue(/-A PREROUTING -p tcp --dport 21 -j CT --helper ftp/);
    await expect(verdict(page)).toHaveAttribute('data-verdict', 'success');
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect(verdict(page)).toHaveAttribute('data-verdict', 'failure');
    await expect(page.getByRole('checkbox', { name: /FTP helper for FTP server/ })).not.toBeChecked();
  });

  test('passive range wider than the firewall: narrowing pasv_max_port fixes it', async ({ page }) => {
    await open(page, 'seed-incident-pasv-range');
    await expect(verdict(page)).toHaveAttribute('data-verdict', 'failure');
    await page.getByRole('tab', { name: /Server/ }).click();
    await page.getByRole('textbox', { name: 'Highest passive port (pasv_max_port)' }).fill('3100');
    await expect(page.getByRole('textbox', { name: 'vsftpd.conf text' })).toHaveValue(/^pasv_max_port=3100$/m);
    await expect(verdict(page)).toHaveAttribute('data-verdict', 'success');
  });

  test('a bad line is shown with its number and reason, and the last good run stays', async ({ page }) => {
    await open(page, 'seed-incident-pasv-range');
    await page.getByRole('tab', { name: /Server/ }).click();
    await page.getByRole('textbox', { name: 'Highest passive port (pasv_max_port)' }).fill('3100');
    await expect(verdict(page)).toHaveAttribute('data-verdict', 'success');
    const text = page.getByRole('textbox', { name: 'vsftpd.conf text' });
    await text.fill('listen=YES\npasv_min_port=3001\npasv_max_port=31OO\n');
    await expect(page.getByText('Line 3: pasv_max_port must be a whole number, not "31OO"')).toBeVisible();
    await expect(text).toHaveAttribute('aria-invalid', 'true');
    await expect(verdict(page)).toHaveAttribute('data-verdict', 'success');
  });

  test('active mode behind NAT: the helper on the client router fixes it', async ({ page }) => {
    await open(page, 'client-nat-active-no-helper');
    await expect(verdict(page)).toHaveAttribute('data-verdict', 'failure');
    await page.getByLabel('Device').selectOption({ label: 'Client router (router)' });
    await page.getByRole('checkbox', { name: /FTP helper for Client router/ }).check();
    await expect(verdict(page)).toHaveAttribute('data-verdict', 'success');
  });

  test('server behind DNAT: the NAT form removes and re-adds the passive-range forward', async ({ page }) => {
    await open(page, 'server-nat-pasv-address');
    await expect(verdict(page)).toHaveAttribute('data-verdict', 'success');
    await page.getByTestId('editors').getByRole('tab', { name: 'NAT' }).click();
    await page.getByLabel('Router', { exact: true }).selectOption({ label: 'Server firewall' });
    await page.getByRole('button', { name: 'Remove forward of port 50000:50100 to 10.0.0.10' }).click();
    await expect(verdict(page)).toHaveAttribute('data-verdict', 'failure');
    await page.getByLabel('Arriving on', { exact: true }).selectOption('eth1');
    await page.getByRole('textbox', { name: 'TCP port or range' }).fill('50000:50100');
    await page.getByRole('textbox', { name: 'Forward to' }).fill('10.0.0.10');
    await page.getByRole('button', { name: 'Add port forward' }).click();
    await expect(page.getByRole('list', { name: 'Port forwards on Server firewall' })).toContainText('tcp port 50000:50100 arriving on eth1 → 10.0.0.10');
    await expect(verdict(page)).toHaveAttribute('data-verdict', 'success');
  });

  test('the editor tabs are keyboard operable', async ({ page }) => {
    await open(page, 'passive-server-firewall-reject');
    await page.getByRole('tab', { name: 'Firewalls' }).focus();
    await page.keyboard.press('ArrowRight');
    await expect(page.getByRole('tab', { name: 'NAT' })).toBeFocused();
    await expect(page.getByRole('tab', { name: 'NAT' })).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByRole('checkbox', { name: /Masquerade connections leaving eth1/ })).toBeChecked();
  });

  test('every editor tab fits its panel at 1280 px (nothing cut off on the right)', async ({ page }) => {
    await open(page, 'passive-server-firewall-reject');
    for (const name of [/^Firewalls/, /^NAT/, /^Server/, /^Client/]) {
      await page.getByTestId('editors').getByRole('tab', { name }).click();
      const sticking = await page.getByTestId('editors').evaluate((root) => {
        const edge = root.getBoundingClientRect().right + 1;
        return [...root.querySelectorAll('*')].filter((e) => e.getBoundingClientRect().right > edge).map((e) => `${e.tagName.toLowerCase()}#${e.id}`);
      });
      expect(sticking, String(name)).toEqual([]);
    }
  });

  test('every editor tab passes axe (names, roles, contrast) in light and dark', async ({ page }) => {
    test.setTimeout(120_000); // eight axe runs; slow on a busy machine
    await open(page, 'server-nat-pasv-address');
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      for (const name of [/^Firewalls/, /^NAT/, /^Server/, /^Client/]) {
        await page.getByTestId('editors').getByRole('tab', { name }).click();
        const result = await runAxe(page, '[data-testid="editors"]');
        expect(result.violations.map((v) => `${colorScheme} ${String(name)} ${v.id}: ${v.help} (${v.nodes.length})`)).toEqual([]);
      }
    }
  });
});

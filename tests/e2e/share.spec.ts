import { test, expect } from '@playwright/test';

// The share link carries the edited scenario and the playback step in the URL fragment.

test.describe('share link', () => {
  test('round-trips the edited scenario and the step', async ({ page, context }) => {
    await page.goto('./');
    await page.locator('[data-scenario="seed-incident-pasv-range"]').click();
    await page.getByRole('tab', { name: 'Edit scenario' }).click();
    await page.getByRole('tab', { name: /Server/ }).click();
    await page.getByRole('textbox', { name: 'Highest passive port (pasv_max_port)' }).fill('3100');
    await expect(page.getByTestId('verdict-badge')).toHaveAttribute('data-verdict', 'success');
    // Step back a little, so the shared step is not simply "the end".
    for (let i = 0; i < 3; i++) await page.getByRole('button', { name: /^Step back/ }).click();
    const where = (await page.getByText(/step \d+ of \d+/).first().textContent()) ?? '';
    const step = Number(/step (\d+)/.exec(where)?.[1]);
    expect(step).toBeGreaterThan(1);

    await page.getByRole('button', { name: 'Share link' }).click();
    const link = await page.getByRole('textbox', { name: 'Share link (scenario and step)' }).inputValue();
    expect(link).toMatch(/#s=[A-Za-z0-9+\-$]+&step=\d+$/);

    const other = await context.newPage();
    await other.goto(link);
    await expect(other.getByTestId('verdict-badge')).toHaveAttribute('data-verdict', 'success');
    await expect(other.getByText(new RegExp(`step ${step} of \\d+`)).first()).toBeVisible();
    await other.getByRole('tab', { name: 'Edit scenario' }).click();
    await other.getByRole('tab', { name: /Server/ }).click();
    await expect(other.getByRole('textbox', { name: 'Highest passive port (pasv_max_port)' })).toHaveValue('3100');
  });

  test('a corrupted link gives a clear message and keeps the working scenario', async ({ page }) => {
    await page.goto('./');
    await page.locator('[data-scenario="passive-server-firewall-reject"]').click();
    await expect(page.getByTestId('verdict-badge')).toHaveAttribute('data-verdict', 'failure');

    await page.getByRole('button', { name: 'Share link' }).click();
    const link = await page.getByRole('textbox', { name: 'Share link (scenario and step)' }).inputValue();
    // The same link cut short, as a chat client or a careless copy would.
    const cut = link.slice(0, link.indexOf('&') - 40) + link.slice(link.indexOf('&'));
    await page.goto(cut);
    await page.reload();
    await expect(page.getByText(/damaged or cut short/)).toBeVisible();
    await page.getByRole('button', { name: 'Continue where you left off' }).click();
    await expect(page.getByRole('heading', { name: /Passive mode refused by the server's own firewall/ })).toBeVisible();
  });
});

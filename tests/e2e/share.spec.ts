import { test, expect } from '@playwright/test';
import { tabToAndLook } from './focus';
import { readFileSync } from 'node:fs';
import lz from 'lz-string';

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
    const where =
      (await page
        .getByText(/step \d+ of \d+/)
        .first()
        .textContent()) ?? '';
    const step = Number(/step (\d+)/.exec(where)?.[1]);
    expect(step).toBeGreaterThan(1);

    await page.getByRole('button', { name: 'Share link' }).click();
    const link = await page.getByRole('textbox', { name: 'Share link (scenario and step)' }).inputValue();
    // The built-in by id, the step, and only the edit (a short delta), short enough for a chat.
    expect(link).toMatch(new RegExp(`#/scenario/seed-incident-pasv-range/step/${step - 1}\\?d=[A-Za-z0-9+\\-$]+$`));
    expect(link.length).toBeLessThan(200);

    const other = await context.newPage();
    await other.goto(link);
    await expect(other.getByTestId('verdict-badge')).toHaveAttribute('data-verdict', 'success');
    await expect(other.getByText(new RegExp(`step ${step} of \\d+`)).first()).toBeVisible();
    await other.getByRole('tab', { name: 'Edit scenario' }).click();
    await other.getByRole('tab', { name: /Server/ }).click();
    await expect(other.getByRole('textbox', { name: 'Highest passive port (pasv_max_port)' })).toHaveValue('3100');
  });

  test('an old #s= link still opens, and the URL then follows the step', async ({ page }) => {
    const file = readFileSync('src/scenarios/seed-passive-session.json', 'utf8');
    await page.goto(`./#s=${lz.compressToEncodedURIComponent(JSON.stringify(JSON.parse(file)))}&step=4`);
    await expect(page.getByTestId('position')).toContainText('step 5 of');
    await page.keyboard.press('ArrowRight');
    await expect(page).toHaveURL(/#\/custom\/step\/5\?s=/);
  });

  test('a corrupted link gives a clear message and keeps the working scenario', async ({ page }) => {
    await page.goto('./');
    await page.locator('[data-scenario="passive-server-firewall-reject"]').click();
    await expect(page.getByTestId('verdict-badge')).toHaveAttribute('data-verdict', 'failure');

    await page.getByRole('button', { name: 'Share link' }).click();
    const link = await page.getByRole('textbox', { name: 'Share link (scenario and step)' }).inputValue();
    // An edit delta cut short, as a chat client or a careless copy would.
    await page.goto(link.replace(/\?.*$/, '') + '?d=N4IgdghgtgpiBcIBSBlAcgOQOIBoQCcBLAIwFdSBTAYwQBN8w');
    await page.reload();
    await expect(page.getByText(/damaged or cut short|does not fit/)).toBeVisible();
    await page.getByRole('button', { name: 'Continue where you left off' }).click();
    await expect(page.getByRole('heading', { name: /Passive mode refused by the server's own firewall/ })).toBeVisible();
  });
});

test('the URL follows stepping (replacing, not pushing): a reload keeps the step, Back leaves the scenario', async ({ page }) => {
  await page.goto('./');
  await page.locator('[data-scenario="seed-passive-session"]').click();
  await expect(page.getByTestId('position')).toContainText('step 1 of');
  for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight');
  await expect(page).toHaveURL(/#\/scenario\/seed-passive-session\/step\/4$/);
  await page.reload();
  await expect(page.getByTestId('position')).toContainText('step 5 of');
  await page.goBack();
  await expect(page.locator('[data-scenario]').first()).toBeVisible();
  await page.goForward();
  await expect(page.getByTestId('position')).toContainText('step 5 of');
});

// The toolbar's "Import JSON" is a label for a file input clipped out of sight; Tab reached the
// input and nothing on screen changed. The label now shows the focus.
test('Import JSON shows the keyboard focus', async ({ page }) => {
  await page.goto('./#/scenario/seed-active-session');
  const label = page.locator('.share-controls .import');
  await expect(label).toBeVisible();
  const input = page.locator('.share-controls input[type="file"]');
  const { reached, looksDifferent } = await tabToAndLook(page, label, input, 20);
  expect(reached, 'Tab reaches the file input').toBe(true);
  expect(looksDifferent, 'the label looks focused').toBe(true);
});

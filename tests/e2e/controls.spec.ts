import { test, expect, type Page } from '@playwright/test';

async function openFirst(page: Page) {
  await page.goto('./');
  await page.locator('[data-scenario]').first().click();
  await expect(page.getByTestId('position')).toContainText('step 1 of');
}

const current = (page: Page) => page.locator('.ladder [aria-current="step"]');

test('step forward and back move the highlighted ladder row, the canvas and the inspector', async ({ page }) => {
  await openFirst(page);
  await page.getByRole('tab', { name: 'Packet' }).click();
  const inspector = page.getByTestId('inspector');
  await expect(current(page)).toHaveAttribute('data-step', '0');
  const firstEvent = await inspector.getAttribute('data-event');
  const firstTree = await page.getByTestId('packet-tree').first().innerText();
  // The first step is a packet leaving the client: a marker on its first link.
  await expect(page.getByTestId('packet-marker')).toHaveCount(1);

  await page.getByRole('button', { name: 'Step forward (→)' }).click();
  await expect(current(page)).toHaveAttribute('data-step', '1');
  await expect(page.getByTestId('position')).toContainText('step 2 of');
  await expect(inspector).not.toHaveAttribute('data-event', firstEvent!);

  await page.getByRole('button', { name: 'Step back (←)' }).click();
  await expect(current(page)).toHaveAttribute('data-step', '0');
  await expect(inspector).toHaveAttribute('data-event', firstEvent!);
  expect(await page.getByTestId('packet-tree').first().innerText()).toBe(firstTree);
  // The hex dump shows the real bytes: an IPv4 header starts with 0x45.
  await expect(page.getByTestId('hex-dump').first()).toContainText('0000  45');
});

test('keyboard: → ← Home End and Space', async ({ page }) => {
  await openFirst(page);
  const pos = page.getByTestId('position');
  await page.locator('h1').click();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(pos).toContainText('step 3 of');
  await page.keyboard.press('ArrowLeft');
  await expect(pos).toContainText('step 2 of');
  await page.keyboard.press('End');
  const total = (await pos.innerText()).match(/of (\d+)/)![1];
  await expect(pos).toContainText(`step ${total} of ${total}`);
  await page.keyboard.press('Home');
  await expect(pos).toContainText('step 1 of');
  await expect(current(page)).toHaveAttribute('data-step', '0');

  // Space plays (20 packets/s so it moves quickly), Space again pauses.
  await page.getByLabel('Speed').selectOption('packets:20');
  await page.locator('h1').click();
  await page.keyboard.press('Space');
  await expect(page.getByRole('button', { name: 'Pause (Space)' })).toBeVisible();
  await expect(pos).not.toContainText('step 1 of');
  await page.keyboard.press('Space');
  await expect(page.getByRole('button', { name: 'Play (Space)' })).toBeVisible();
});

test('shortcuts are ignored while typing in a text field', async ({ page }) => {
  await openFirst(page);
  await page.getByRole('tab', { name: 'Edit scenario' }).click();
  const field = page.locator('.side textarea, .side input[type="text"]').first();
  await field.focus();
  await page.keyboard.press('End');
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('position')).toContainText('step 1 of');
});

test('clicking a ladder row jumps there', async ({ page }) => {
  await openFirst(page);
  await page.locator('.ladder [data-step="4"]').click();
  await expect(page.getByTestId('position')).toContainText('step 5 of');
  await expect(current(page)).toHaveAttribute('data-step', '4');
});

test('reduced motion: no animation, stepping still works', async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await openFirst(page);
  for (const n of [2, 3]) {
    await page.keyboard.press('ArrowRight');
    await expect(page.getByTestId('position')).toContainText(`step ${n} of`);
    expect(await page.evaluate(() => document.getAnimations().length)).toBe(0);
  }
});

test('Home right after End: the ladder scrolls back to the first row', async ({ page }) => {
  await openFirst(page);
  await page.locator('h1').click();
  // End, then Home in the gap between End's scroll and the scroll event it causes (the next
  // frame): that late event once set the ladder back to the end, with the current row out of sight.
  for (let round = 0; round < 3; round++) {
    await page.evaluate(async () => {
      const key = (k: string) => document.body.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true }));
      key('End');
      await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      key('Home');
    });
    await expect(page.getByTestId('position')).toContainText('step 1 of');
    await expect(current(page)).toHaveAttribute('data-step', '0');
    await expect(current(page)).toBeInViewport();
  }
});

/**
 * A class of 30 clients (the built-in "A class of 30 behind one NAT address…"): the canvas
 * shows one client in full and the other 29 as one device, the ladder has a lifeline per
 * device of that picture (not 30 client columns) and shows the chosen client's packets;
 * readable at 1280×720 and on a phone.
 */
import { test, expect, type Page } from '@playwright/test';

const nodes = (page: Page) => page.locator('[data-testid="topology"] .svelte-flow__node');
const open = (page: Page) => page.goto('./#/scenario/filezilla-class-per-ip-limit/step/40');

test('a class of 30 at 1280×720: one client in full, 29 as a group; the ladder has 6 lifelines and one client’s packets', async ({ page }) => {
  await open(page);
  await expect(page.getByTestId('position')).toContainText('step 41 of', { timeout: 20_000 });
  await expect(nodes(page)).toHaveCount(6);
  await expect(page.locator('.svelte-flow__node[data-id="student01"]')).toContainText('192.168.1.101/24');
  const grp = page.locator('.svelte-flow__node[data-id="group:clients"]');
  await expect(grp).toContainText('29 other clients');
  await expect(grp).toContainText('192.168.1.102–130/24');
  // Canvas text at least 12 px at 1280×720.
  expect(Number(await page.getByTestId('topology').getAttribute('data-zoom')) * 13).toBeGreaterThanOrEqual(12);
  // At most one arc per role for the group: labels, not 30 of them.
  expect(await page.locator('.svelte-flow__edge-label, [data-testid="conn-label"]').count()).toBeLessThanOrEqual(6);

  const ladder = page.getByRole('region', { name: 'Ladder diagram' });
  await expect(ladder.locator('.head .life')).toHaveCount(6);
  await expect(ladder.locator('.head .life').nth(1)).toHaveText('29 other clients');
  const only = page.getByTestId('ladder-only');
  await expect(only).toBeChecked();
  // Only student01's packets: each row's words name student01, a router, the Internet or the server — never another student.
  const labels = await ladder.locator('button.row').evaluateAll((bs) => bs.map((b) => b.getAttribute('aria-label') ?? ''));
  expect(labels.length).toBeGreaterThan(5);
  for (const l of labels) expect(l).not.toMatch(/student(0[2-9]|[12]\d|30)|29 other clients/);
  await page.screenshot({ path: 'screenshots/class-of-30-1280x720.png' });

  // Another client in full: student07 (one of those refused with 421).
  await page.getByTestId('focus-client').selectOption('student07');
  await expect(page.locator('.svelte-flow__node[data-id="student07"]')).toBeVisible();
  await expect(page.locator('.svelte-flow__node[data-id="student01"]')).toHaveCount(0);
  await expect(nodes(page)).toHaveCount(6);
  await expect(ladder.locator('.head .life').first()).toHaveText('student07');
  // Every packet: the rows of the others come back, on the group's lifeline.
  const rowsHeight = () => ladder.locator('ol').evaluate((el) => parseFloat((el as HTMLElement).style.height));
  const mine = await rowsHeight();
  await only.uncheck();
  await expect.poll(rowsHeight).toBeGreaterThan(mine * 5);
});

test('a class of 30 on a phone (390×844): the chosen client and the group side by side, nothing wider than the screen', async ({ browser }) => {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
  const page = await ctx.newPage();
  await open(page);
  await expect(page.getByTestId('topology')).toHaveAttribute('data-orientation', 'vertical', { timeout: 20_000 });
  await expect(nodes(page)).toHaveCount(6);
  const a = (await page.locator('.svelte-flow__node[data-id="student01"]').boundingBox())!;
  const b = (await page.locator('.svelte-flow__node[data-id="group:clients"]').boundingBox())!;
  expect(Math.abs(a.y - b.y)).toBeLessThan(2);
  expect(b.x + b.width).toBeLessThanOrEqual(390);
  // (two columns across a phone: ≈ 10 CSS px type, 20 device px — 30 columns were 4 px; a single chain keeps 12)
  expect(Number(await page.getByTestId('topology').getAttribute('data-zoom')) * 13).toBeGreaterThanOrEqual(9.5);
  // The connection list under the canvas: one line per arc drawn, not 30.
  expect(await page.getByTestId('conn-label').count()).toBeLessThanOrEqual(4);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.screenshot({ path: 'screenshots/class-of-30-phone.png', fullPage: true });
  await ctx.close();
});

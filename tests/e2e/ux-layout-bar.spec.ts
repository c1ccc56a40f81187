/**
 * The bottom bar: one step line (display names as on the canvas, no second caption with
 * device ids), compact on a phone (≤ 25 % of the screen, the rarer controls behind "More",
 * the explanation cut to two lines with a button for the rest), and small enough at every
 * size; and the hidden verdict's words fit each mode that hides it.
 */
import { test, expect, type Page } from '@playwright/test';

/** The bar's share of the screen's height: the bottom bar, or on a wide screen the transport row between canvas and ladder. */
const barShare = (page: Page) =>
  page.evaluate(() => {
    const el = document.querySelector('.transport.bottom') ?? document.querySelector('.grid > .transport');
    return el ? el.getBoundingClientRect().height / innerHeight : NaN;
  });

const SIZES = [
  { width: 390, height: 844, scale: 2, max: 0.25 },
  { width: 768, height: 1024, scale: 1, max: 0.2 },
  { width: 1024, height: 768, scale: 1, max: 0.22 },
  { width: 1280, height: 720, scale: 1, max: 0.22 },
  { width: 853, height: 480, scale: 1.5, max: 0.3 },
  { width: 640, height: 360, scale: 2, max: 0.36 },
  { width: 1920, height: 1080, scale: 1, max: 0.15 },
];

test('the bar at every size: one step line with display names, small enough, every button on screen', async ({ browser }) => {
  for (const size of SIZES) {
    const ctx = await browser.newContext({ viewport: { width: size.width, height: size.height }, deviceScaleFactor: size.scale });
    const page = await ctx.newPage();
    await page.goto('./#/scenario/passive-server-firewall-drop');
    await page.getByRole('button', { name: 'Jump to the failure' }).click();
    const line = page.getByTestId('step-line');
    await expect(line).toHaveAttribute('data-kind', 'drop');
    // One line says the step: the device as the canvas names it ("FTP server", not its id "server").
    await expect(line.locator('.who')).toHaveText('FTP server:');
    await expect(page.locator('.svelte-flow__node[data-id="server"]')).toContainText('FTP server');
    await expect(page.getByTestId('caption')).toHaveCount(1);
    await expect(page.locator('[data-testid="step-line"] [data-testid="caption"]')).toHaveCount(1);
    const share = await barShare(page);
    expect(share, `bar share at ${size.width}×${size.height}`).toBeLessThanOrEqual(size.max);
    for (const b of await page.getByRole('toolbar', { name: 'Playback' }).getByRole('button').all()) {
      const bb = (await b.boundingBox())!;
      expect(bb.x >= 0 && bb.x + bb.width <= size.width + 0.5 && bb.y >= 0 && bb.y + bb.height <= size.height + 0.5, `${await b.getAttribute('aria-label')} on screen`).toBe(true);
    }
    await ctx.close();
  }
});

test('a phone: the bar under a quarter of the screen, More for the rest, the explanation whole on request', async ({ browser }) => {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
  const page = await ctx.newPage();
  await page.goto('./#/scenario/passive-server-firewall-drop/step/0');
  const line = page.getByTestId('step-line');
  // The first packet: names, not ids, and the explanation once (no "(client → client-edge)").
  await expect(line).toContainText('Laptop → Client router:');
  await expect(page.getByTestId('caption')).toHaveText('Laptop opens the control connection: a SYN to 203.0.113.10:21.');
  expect(await barShare(page)).toBeLessThanOrEqual(0.25);
  // The step buttons and where we are on one row; speed, jumps and folding behind "More".
  const bar = page.getByRole('toolbar', { name: 'Playback' });
  await expect(bar.getByLabel('Speed')).toBeHidden();
  await expect(page.getByTestId('position')).toHaveText(/^step 1 of 466 · 0\.000 ms$/);
  const more = bar.getByRole('button', { name: 'More' });
  await expect(more).toHaveAttribute('aria-expanded', 'false');
  await more.click();
  await expect(bar.getByLabel('Speed')).toBeVisible();
  await expect(bar.getByRole('button', { name: /^Next drop/ })).toBeVisible();
  expect(await barShare(page)).toBeLessThanOrEqual(0.25);
  const speed = (await bar.getByLabel('Speed').boundingBox())!;
  expect(speed.y + speed.height).toBeLessThanOrEqual(844);
  await page.screenshot({ path: 'screenshots/phone-bar-more.png' });
  // The next drop: its explanation is cut to two lines, and the button shows it whole.
  await bar.getByRole('button', { name: /^Next drop/ }).click();
  await expect(line).toHaveAttribute('data-kind', 'drop');
  const detail = page.getByTestId('caption');
  const lineHeight = await detail.evaluate((el) => parseFloat(getComputedStyle(el).lineHeight));
  expect((await detail.boundingBox())!.height).toBeLessThanOrEqual(lineHeight * 2 + 1);
  const whole = line.getByTestId('step-more');
  await whole.click();
  await expect(whole).toHaveAttribute('aria-expanded', 'true');
  expect((await detail.boundingBox())!.height).toBeGreaterThan(lineHeight * 2 + 1);
  await expect(detail).toContainText('gives up after its time-out.');
  await page.screenshot({ path: 'screenshots/phone-bar-drop.png' });
  await ctx.close();
});

test("the hidden verdict's words fit each mode", async ({ page }) => {
  const hidden = page.getByTestId('hidden-text');
  // Trainee (a challenge, or a scenario in trainee mode): find the fault yourself.
  await page.goto('./#/scenario/passive-server-firewall-drop?mode=trainee');
  await expect(hidden).toContainText('find the fault yourself');
  // Presenter on a scenario: the room predicts, then the presenter reveals.
  await page.goto('./#/scenario/passive-server-firewall-drop?mode=presenter');
  await expect(hidden).toContainText('let the room predict whether the transfer works');
  await expect(hidden).not.toContainText('fault');
  // A lesson's open question: predict first — no fault to find.
  await page.goto('./#/lesson/client-firewall-active/step/2');
  await expect(hidden).toContainText('predict first, then check your answer');
  await expect(hidden).not.toContainText('fault');
  // A lesson in presenter mode.
  await page.goto('./#/lesson/client-firewall-active/step/2?mode=presenter');
  await expect(hidden).toContainText('let the room predict what will happen, then reveal the answer');
  await expect(hidden).not.toContainText('fault');
});

test('a lesson on a phone: the simulator under the step, its bar under a quarter of the screen', async ({ browser }) => {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
  const page = await ctx.newPage();
  await page.goto('./#/lesson/passive-mode/step/2');
  await expect(page.getByTestId('step-line')).toContainText('227 Entering Passive Mode');
  await page.getByRole('button', { name: 'Show the simulator ↓' }).click();
  expect(await barShare(page)).toBeLessThanOrEqual(0.25);
  const bar = (await page.getByRole('toolbar', { name: 'Playback' }).boundingBox())!;
  expect(bar.y + bar.height).toBeLessThanOrEqual(844);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await ctx.close();
});

// In a lesson at 1024×768 the bar is 724 px wide and wraps: "Speed" stayed at the end of one
// row and its menu started the next. A label and its control wrap together.
test('the Speed label stays beside its menu when the bar wraps (lesson at 1024×768)', async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.goto('./#/lesson/active-mode/step/2');
  const bar = page.getByRole('toolbar', { name: 'Playback' });
  const label = bar.getByText('Speed', { exact: true });
  const select = bar.getByLabel('Speed');
  await expect(select).toBeVisible();
  const l = (await label.boundingBox())!;
  const s = (await select.boundingBox())!;
  expect(l.y + l.height / 2, "the label is on its menu's row").toBeGreaterThan(s.y);
  expect(l.y + l.height / 2).toBeLessThan(s.y + s.height);
  expect(l.x + l.width, 'the label is just left of its menu').toBeLessThanOrEqual(s.x + 1);
  expect(s.x - (l.x + l.width)).toBeLessThan(20);
});

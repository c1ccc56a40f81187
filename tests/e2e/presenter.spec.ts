import { test, expect } from '@playwright/test';

test('presenter mode: P and the button, large type, answer hidden until revealed, clicker keys, laser on the packet', async ({ page }) => {
  await page.goto('./');
  await page.locator('[data-scenario="passive-server-firewall-drop"]').click();
  // P is the main view's key: pressed before the scenario is on screen, the start page had it.
  await expect(page.getByTestId('verdict-badge')).toBeVisible();
  await page.keyboard.press('p');
  await expect(page).toHaveURL(/[?&]mode=presenter/);
  // Answers hidden: the badge says nothing, the verdict is not on the page.
  await expect(page.getByTestId('verdict-badge')).toHaveAttribute('data-verdict', 'hidden');
  await expect(page.getByTestId('verdict')).toHaveCount(0);
  // Clicker keys step.
  await page.keyboard.press('PageDown');
  await page.keyboard.press('PageDown');
  await expect(page.getByTestId('position')).toContainText('step 3 of');
  await page.keyboard.press('PageUp');
  await expect(page.getByTestId('position')).toContainText('step 2 of');
  // Large type: the step line at 26 px, the canvas zoomed in (text ≥ 14 px at 1280×720).
  const lineSize = await page.getByTestId('step-line').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
  expect(lineSize).toBeGreaterThanOrEqual(24);
  const zoom = Number(await page.getByTestId('topology').getAttribute('data-zoom'));
  // (the canvas fits between the header or band and the transport: ≥ 12 px, the rule at 1280×720)
  expect(zoom * 13).toBeGreaterThanOrEqual(12);
  await expect(page.getByTestId('topology')).toHaveClass(/laser/);
  // The whole canvas is above the step line and transport (nothing of it behind the bar).
  const canvas = (await page.getByTestId('topology').boundingBox())!;
  expect(canvas.y + canvas.height).toBeLessThanOrEqual((await page.getByTestId('step-line').boundingBox())!.y + 1);
  await page.keyboard.press(']');
  await expect(page.getByTestId('packet-marker')).toBeVisible();
  const glow = await page
    .getByTestId('packet-marker')
    .locator('.dot')
    .evaluate((el) => getComputedStyle(el).boxShadow);
  expect(glow).toMatch(/rgba\(239, 68, 68/);
  await page.screenshot({ path: 'screenshots/presenter-1280x720.png' });
  // Reveal the answer: verdict and fix appear.
  await page.getByTestId('reveal-verdict').click();
  const answer = page.locator('.answer').getByTestId('verdict');
  await expect(answer).toBeVisible();
  await expect(answer).toContainText(/Open the whole passive range|helper/);
  // P again leaves presenter mode.
  await page.keyboard.press('P');
  await expect(page).not.toHaveURL(/mode=presenter/);
  await expect(page.getByRole('button', { name: /^Presenter/ })).toBeVisible();
});

test('a link opens a scenario in presenter mode; side by side active vs passive, stepped together', async ({ page }) => {
  await page.goto('./#/scenario/seed-passive-session/step/3?mode=presenter');
  await expect(page.getByTestId('position')).toContainText('step 4 of');
  await page.getByTestId('compare').selectOption('mode');
  const sbs = page.getByTestId('side-by-side');
  await expect(sbs.getByRole('region')).toHaveCount(2);
  await expect(sbs.getByRole('region', { name: 'passive mode' })).toBeVisible();
  await expect(sbs.getByRole('region', { name: 'active mode' })).toBeVisible();
  // Step to the data connection: passive sends PASV, active sends PORT, side by side.
  for (let i = 0; i < 20; i++) {
    if ((await sbs.getByTestId('step-line').nth(1).textContent())?.includes('PORT')) break;
    await page.keyboard.press(']');
  }
  await expect(sbs.getByTestId('step-line').nth(0)).toContainText(/PASV|227|EPSV|229/);
  await expect(sbs.getByTestId('step-line').nth(1)).toContainText(/PORT|EPRT/);
  await page.getByTestId('reveal-verdict').click();
  await expect(sbs.getByTestId('sbs-verdict')).toHaveCount(2);
  await page.screenshot({ path: 'screenshots/presenter-side-by-side-1280x720.png', fullPage: false });
});

test('full screen: the Fullscreen API, or the window filled with a hint', async ({ page }) => {
  await page.goto('./#/scenario/seed-active-session?mode=presenter');
  await page.getByRole('button', { name: 'Full screen' }).click();
  // Headless Chromium grants it; either way the button now offers to leave.
  await expect(page.getByRole('button', { name: 'Leave full screen' })).toBeVisible();
});

test('presenter mode on a phone', async ({ browser }) => {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
  const page = await ctx.newPage();
  await page.goto('./#/scenario/passive-server-firewall-reject/step/0?mode=presenter');
  await expect(page.getByTestId('position')).toContainText('step 1 of');
  await page.keyboard.press('>');
  await expect(page.getByTestId('step-line')).toHaveAttribute('data-kind', 'reject');
  const bar = (await page.getByRole('toolbar', { name: 'Playback' }).boundingBox())!;
  expect(bar.y + bar.height).toBeLessThanOrEqual(844);
  await page.screenshot({ path: 'screenshots/presenter-phone.png' });
  await ctx.close();
});

test('presenter at 1280×720: the step line keeps its height through NAT steps, so the canvas keeps its zoom; "more" shows the whole line', async ({ page }) => {
  await page.goto('./#/scenario/passive-server-firewall-drop/step/0?mode=presenter');
  const line = page.getByTestId('step-line');
  const topo = page.getByTestId('topology');
  await expect(page.getByTestId('position')).toContainText('step 1 of');
  const seen: { kind: string; h: number; zoom: string }[] = [];
  for (let i = 0; i < 10; i++) {
    await expect(page.getByTestId('position')).toContainText(`step ${i + 1} of`);
    // (after the frame in which the line measured itself)
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    seen.push({ kind: (await line.getAttribute('data-kind'))!, h: (await line.boundingBox())!.height, zoom: (await topo.getAttribute('data-zoom'))! });
    await page.keyboard.press('ArrowRight');
  }
  // NAT rewrites (up to four lines of text in the room's type) and plain packets among them.
  expect(seen.map((s) => s.kind)).toContain('nat');
  expect(seen.map((s) => s.kind)).toContain('send');
  expect(new Set(seen.map((s) => Math.round(s.h))).size).toBe(1);
  expect(new Set(seen.map((s) => s.zoom)).size).toBe(1);
  // Three lines of 26 px type.
  expect(seen[0]!.h).toBeGreaterThanOrEqual(3 * 26 * 1.3);

  // Back on the reply's NAT step (step 9): its text is cut, and "more" shows all of it; "less" cuts it again.
  await page.keyboard.press('Home');
  for (let i = 0; i < 8; i++) await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('position')).toContainText('step 9 of');
  await expect(line).toHaveAttribute('data-kind', 'nat');
  const more = line.getByTestId('step-more');
  await expect(more).toHaveText('more');
  const cutH = (await line.boundingBox())!.height;
  await more.click();
  await expect(more).toHaveText('less');
  await expect.poll(async () => (await line.boundingBox())!.height).toBeGreaterThan(cutH + 20);
  const whole = await line.evaluate((el) => [...el.querySelectorAll<HTMLElement>('.head, .detail')].every((e) => e.scrollHeight <= e.clientHeight + 1));
  expect(whole).toBe(true);
  await more.click();
  await expect.poll(async () => Math.round((await line.boundingBox())!.height)).toBe(Math.round(cutH));
  // Opened, then the next step: that step starts cut again.
  await more.click();
  await expect(more).toHaveText('less');
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('position')).toContainText('step 10 of');
  await expect.poll(async () => Math.round((await line.boundingBox())!.height)).toBe(Math.round(cutH));
});

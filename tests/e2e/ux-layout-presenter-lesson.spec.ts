/**
 * Presenter mode on a lesson step (#/lesson/<id>/step/<n>?mode=presenter): large type, the
 * lesson's text in a band over a full-width canvas, the prediction's answer and the verdict
 * hidden until revealed (and hidden again on the next step), clicker keys that step the
 * packets and, at the run's end, the lesson; P in and out.
 */
import { test, expect, type Page } from '@playwright/test';
import { runAxe } from '../support/axe';

const px = (page: Page, testId: string) => page.getByTestId(testId).evaluate((el) => parseFloat(getComputedStyle(el).fontSize));

test('a lesson step in presenter mode: large type, big canvas, answers hidden until revealed, clicker keys, P', async ({ page }) => {
  await page.goto('./#/lesson/client-firewall-active/step/2?mode=presenter');
  const lesson = page.getByTestId('lesson');
  await expect(lesson).toHaveAttribute('data-mode', 'presenter');
  await expect(page.getByTestId('lesson-band')).toBeVisible();
  // (the band is shown at once; once the run is there it sits over the canvas)
  await expect(page.getByTestId('topology')).toBeVisible();
  // Large type for the back of a room: the step's title, its text, the step line.
  expect(await px(page, 'step-title')).toBeGreaterThanOrEqual(24);
  expect(await px(page, 'step-text')).toBeGreaterThanOrEqual(20);
  expect(await px(page, 'step-line')).toBeGreaterThanOrEqual(24);
  // The canvas keeps the page's whole width.
  const zoom = Number(await page.getByTestId('topology').getAttribute('data-zoom'));
  // (the canvas fits between the header or band and the transport: ≥ 12 px, the rule at 1280×720)
  expect(zoom * 13).toBeGreaterThanOrEqual(12);
  const canvas = (await page.getByTestId('topology').boundingBox())!;
  expect(canvas.width).toBeGreaterThan(1200);
  // The whole canvas and the transport are on the 1280×720 screen at once.
  const bar = (await page.getByRole('toolbar', { name: 'Playback' }).boundingBox())!;
  expect(canvas.y + canvas.height).toBeLessThanOrEqual(bar.y + 1);
  expect(bar.y + bar.height).toBeLessThanOrEqual(720);
  // The scenario's title (which names the fault) is not shown while the answer is hidden.
  await expect(page.locator('.main > header h1')).toHaveCount(0);

  // Answers hidden: the verdict badge, the verdict, the prediction's answer.
  await expect(page.getByTestId('verdict-badge')).toHaveAttribute('data-verdict', 'hidden');
  await expect(page.getByTestId('verdict')).toHaveCount(0);
  await expect(page.getByTestId('predict-result')).toHaveAttribute('data-revealed', 'false');
  await expect(page.getByTestId('predict-result')).not.toContainText('The answer');
  await page.screenshot({ path: 'screenshots/presenter-lesson-1280x720.png' });

  // Clicker keys step the packets.
  await page.keyboard.press('PageDown');
  await page.keyboard.press('PageDown');
  await expect(page.getByTestId('position')).toContainText('step 3 of');
  await page.keyboard.press('PageUp');
  await expect(page.getByTestId('position')).toContainText('step 2 of');
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('position')).toContainText('step 3 of');

  // One reveal shows the prediction's answer and the verdict.
  await page.getByTestId('lesson-reveal').click();
  await expect(page.getByTestId('predict-result')).toHaveAttribute('data-revealed', 'true');
  await expect(page.getByTestId('predict-result')).toContainText('The answer: Yes');
  await expect(page.getByTestId('verdict-badge')).toHaveAttribute('data-verdict', 'failure');
  await expect(page.locator('.answer').getByTestId('verdict')).toBeVisible();

  // At the run's last packet the clicker goes on to the next step, in presenter mode, answers hidden again.
  await page.keyboard.press('End');
  await page.keyboard.press('PageDown');
  await expect(page).toHaveURL(/#\/lesson\/client-firewall-active\/step\/3\?mode=presenter$/);
  await expect(lesson).toHaveAttribute('data-step', '3');
  await expect(page.getByTestId('verdict-badge')).toHaveAttribute('data-verdict', 'hidden');
  await expect(page.getByTestId('predict-result')).toHaveAttribute('data-revealed', 'false');
  // …and at its first packet PageUp goes back a step.
  await page.keyboard.press('Home');
  await page.keyboard.press('PageUp');
  await expect(lesson).toHaveAttribute('data-step', '2');

  // The verdict revealed from the header reveals the prediction too.
  await page.locator('.pcontrols').getByTestId('reveal-verdict').click();
  await expect(page.getByTestId('predict-result')).toContainText('The answer: Yes');

  // P leaves presenter mode (the lesson panel is back beside the simulator), P again returns.
  await page.keyboard.press('p');
  await expect(page).toHaveURL(/#\/lesson\/client-firewall-active\/step\/2$/);
  await expect(lesson).toHaveAttribute('data-mode', 'explore');
  await expect(page.getByTestId('lesson-band')).toHaveCount(0);
  await expect(page.getByRole('button', { name: /^Presenter/ })).toBeVisible();
  await page.getByRole('button', { name: /^Presenter/ }).click();
  await expect(page).toHaveURL(/step\/2\?mode=presenter$/);
  await expect(page.getByTestId('lesson-band')).toBeVisible();
});

test('a lesson in presenter mode on a phone and at 200 % zoom: band, canvas and transport reachable, nothing wider than the screen', async ({ browser }) => {
  for (const size of [
    { width: 390, height: 844, scale: 2 },
    { width: 640, height: 360, scale: 2 },
    { width: 1920, height: 1080, scale: 1 },
  ]) {
    const ctx = await browser.newContext({ viewport: { width: size.width, height: size.height }, deviceScaleFactor: size.scale });
    const page = await ctx.newPage();
    await page.goto('./#/lesson/passive-mode/step/2?mode=presenter');
    await expect(page.getByTestId('lesson-band')).toBeVisible();
    await expect(page.getByTestId('verdict-badge')).toHaveAttribute('data-verdict', 'hidden');
    const bar = (await page.getByRole('toolbar', { name: 'Playback' }).boundingBox())!;
    expect(bar.y + bar.height, `${size.width}: transport on screen`).toBeLessThanOrEqual(size.height + 0.5);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(size.width);
    for (const b of await page.getByRole('toolbar', { name: 'Playback' }).getByRole('button').all()) {
      const bb = (await b.boundingBox())!;
      expect(bb.x >= 0 && bb.x + bb.width <= size.width + 0.5, `${await b.getAttribute('aria-label')} inside the screen at ${size.width}`).toBe(true);
    }
    // The number question: typed in the band; its answer stays hidden until revealed.
    await expect(page.getByTestId('answer-input')).toBeVisible();
    await page.getByTestId('lesson-reveal').click();
    await expect(page.getByTestId('predict-result')).toContainText('50069');
    await page.screenshot({ path: `screenshots/presenter-lesson-${size.width}x${size.height}.png` });
    await ctx.close();
  }
});

test('a lesson in presenter mode passes axe (serious and critical)', async ({ page }) => {
  await page.goto('./#/lesson/client-firewall-active/step/2?mode=presenter');
  await expect(page.getByTestId('topology')).toBeVisible();
  await page.getByRole('toolbar', { name: 'Playback' }).getByRole('button', { name: 'More' }).click();
  const r = await runAxe(page);
  const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3)}`)).toEqual([]);
});

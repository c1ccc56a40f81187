import { test, expect, type Page } from '@playwright/test';

// What keeps stepping, playing and editing cheap (docs/DECISIONS.md, "UI speed"), checked by
// what the page does rather than by how long it takes (the machine is shared): the layouts a
// step costs, the URL writes while playing, and the canvas kept across an edit's re-run.

/** Chromium's own counters (DevTools protocol Performance domain): LayoutCount, RecalcStyleCount, … */
async function metrics(page: Page): Promise<() => Promise<Record<string, number>>> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  return async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
}

test('a step costs one layout, not one per canvas node: the canvas is not re-measured while stepping', async ({ page }) => {
  await page.goto('./#/scenario/passive-server-firewall-reject');
  await expect(page.getByTestId('verdict-badge')).toHaveAttribute('data-verdict', 'failure');
  const position = page.getByTestId('position');
  await expect(position).toContainText('step 1 of');
  const read = await metrics(page);
  const before = await read();
  const steps = 20;
  // Each step as a learner's key press, then the frame that shows it.
  await page.evaluate(async (n) => {
    for (let i = 0; i < n; i++) {
      window.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
      await new Promise<void>((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    }
  }, steps);
  await expect(position).toContainText(`step ${steps + 1} of`);
  const after = await read();
  const layouts = after.LayoutCount! - before.LayoutCount!;
  console.log(`${steps} steps: ${layouts} layouts, ${after.RecalcStyleCount! - before.RecalcStyleCount!} style recalculations`);
  // About one per step: the frame's own (which the step line's measurement may run early) and,
  // on some steps, the ladder scrolling to the current row. Re-measuring the canvas's nodes
  // (xyflow, when its node objects changed every step) made it two per step.
  expect(layouts).toBeLessThanOrEqual(steps * 1.6);
});

test('while playing, the URL is replaced at most twice a second, and names the step once paused', async ({ page }) => {
  await page.addInitScript(() => {
    const w = window as unknown as { urlWrites: number };
    w.urlWrites = 0;
    const replace = history.replaceState.bind(history);
    history.replaceState = (...a: Parameters<History['replaceState']>) => {
      w.urlWrites++;
      return replace(...a);
    };
  });
  await page.goto('./#/scenario/passive-server-firewall-drop');
  await expect(page.getByTestId('verdict-badge')).toHaveAttribute('data-verdict', 'failure');
  const select = page.getByRole('combobox', { name: 'Speed' });
  const top = (await select.locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))).at(-1)!;
  await select.selectOption(top);
  const writes = () => page.evaluate(() => (window as unknown as { urlWrites: number }).urlWrites);
  const w0 = await writes();
  await page.getByRole('button', { name: /^Play/ }).click();
  await page.waitForTimeout(2000);
  await page.getByRole('button', { name: /^Pause/ }).click();
  const played = await writes();
  const step = Number((await page.getByTestId('position').locator('strong').textContent()) ?? 0);
  console.log(`2 s of play reached step ${step}: ${played - w0} URL writes`);
  expect(step).toBeGreaterThan(20);
  expect(played - w0).toBeLessThanOrEqual(6);
  // Paused: the URL names the step on screen (0-based in the URL, 1-based on screen).
  await expect(page).toHaveURL(new RegExp(`/step/${step - 1}(\\?|$)`));
});

test("an edit's re-run keeps the canvas: the flow is not rebuilt when the picture's height changes", async ({ page }) => {
  await page.goto('./');
  await page.locator('[data-scenario="passive-server-firewall-reject"]').click();
  await page.getByRole('tab', { name: 'Edit scenario' }).click();
  const badge = page.getByTestId('verdict-badge');
  await expect(badge).toHaveAttribute('data-verdict', 'failure');
  await page.evaluate(() => {
    (window as unknown as { flow: Element | null }).flow = document.querySelector('.svelte-flow');
  });
  // The fixed run has other connections than the failing one: the picture's height changes.
  const heightBefore = await page.getByTestId('topology').evaluate((el) => el.getBoundingClientRect().height);
  await page.getByRole('checkbox', { name: /FTP helper for FTP server/ }).check();
  await expect(badge).toHaveAttribute('data-verdict', 'success');
  await page.getByRole('checkbox', { name: /FTP helper for FTP server/ }).uncheck();
  await expect(badge).toHaveAttribute('data-verdict', 'failure');
  await page.getByRole('checkbox', { name: /FTP helper for FTP server/ }).check();
  await expect(badge).toHaveAttribute('data-verdict', 'success');
  const heightAfter = await page.getByTestId('topology').evaluate((el) => el.getBoundingClientRect().height);
  const sameFlow = await page.evaluate(() => {
    const flow = (window as unknown as { flow: Element | null }).flow;
    return flow !== null && flow === document.querySelector('.svelte-flow');
  });
  expect(heightAfter).not.toBe(heightBefore);
  expect(sameFlow).toBe(true);
  // …and the canvas shows the new run: the data connection is drawn, not refused.
  await page.keyboard.press('End');
  await expect(page.getByTestId('topology').locator('.svelte-flow__edge[data-kind="data"]').first()).toBeVisible();
});

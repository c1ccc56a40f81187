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

for (const size of [
  { width: 1920, height: 1080 },
  { width: 1280, height: 720 },
])
  test(`a step costs one layout, not one per canvas node: the canvas is not re-measured while stepping (${size.width}×${size.height})`, async ({ page }) => {
    // At 1920×1080 the ladder holds these 20 steps' rows without scrolling, so the count is the
    // canvas's and the step line's. At 1280×720 the ladder is a few rows high: stepping forward it
    // scrolls in jumps (the current row brought near its top, ladderScroll.ts), not on every step,
    // each scroll being one more layout.
    await page.setViewportSize(size);
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
    console.log(`${size.width}×${size.height}, ${steps} steps: ${layouts} layouts, ${after.RecalcStyleCount! - before.RecalcStyleCount!} style recalculations`);
    // About one per step: the frame's own (which the step line's measurement may run early) and,
    // on some steps, the ladder scrolling to the current row. Re-measuring the canvas's nodes
    // (xyflow, when its node objects changed every step) made it two per step.
    expect(layouts).toBeLessThanOrEqual(steps * 1.6);
    // The current row is in sight in the ladder, under its head (once the frame that scrolls it has run).
    const inSight = () =>
      page.evaluate(() => {
        const lad = document.querySelector('section[aria-label="Ladder diagram"]')!;
        const [r, head] = [lad.getBoundingClientRect(), lad.querySelector('.head')!.getBoundingClientRect()];
        const row = lad.querySelector('button.row[aria-current="step"]')?.getBoundingClientRect();
        return !!row && row.top >= head.bottom - 0.5 && row.bottom <= Math.min(r.bottom, innerHeight) + 0.5;
      });
    await expect.poll(inSight).toBe(true);
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

/**
 * Watches one edit: what the page adds to the canvas's edges and the ladder's rows from the
 * moment the new verdict is in the DOM until three frames later, and when the URL is written.
 */
async function watchEdit(page: Page, act: () => Promise<void>) {
  await page.evaluate(() => {
    const w = window as unknown as { watch: { flip: number; raf: number; frame: number; edges: number; rows: number; made: number; urlAt: number[] } };
    const badge = document.querySelector('[data-testid="verdict-badge"]')!;
    const before = badge.getAttribute('data-verdict');
    w.watch = { flip: 0, raf: 0, frame: 0, edges: 0, rows: 0, made: 0, urlAt: [] };
    if (!(history.replaceState as { watched?: true }).watched) {
      const replace = history.replaceState.bind(history);
      history.replaceState = Object.assign(
        (...a: Parameters<History['replaceState']>) => {
          w.watch.urlAt.push(performance.now());
          return replace(...a);
        },
        { watched: true as const },
      );
    }
    const obs = new MutationObserver((records) => {
      for (const r of records) for (const n of r.addedNodes) if (n instanceof HTMLLIElement && n.closest('.ladder ol')) w.watch.made++;
      if (!w.watch.flip) {
        const b = document.querySelector('[data-testid="verdict-badge"]');
        if (!b || b.getAttribute('data-verdict') === before) return;
        w.watch.flip = performance.now();
        // The frame that shows it and the two after it (a scroll position the browser
        // clamped in one frame is reported to the page in the next).
        requestAnimationFrame(() => {
          w.watch.raf = performance.now();
          requestAnimationFrame(() =>
            requestAnimationFrame(() =>
              setTimeout(() => {
                w.watch.frame = performance.now();
                obs.disconnect();
              }, 0),
            ),
          );
        });
        return;
      }
      for (const r of records)
        for (const n of r.addedNodes) {
          if (!(n instanceof Element)) continue;
          if (n.matches('.svelte-flow__edge') || n.querySelector('.svelte-flow__edge')) w.watch.edges++;
          if (n.closest('.ladder ol')) w.watch.rows++;
        }
    });
    obs.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-verdict'] });
  });
  await act();
  await page.waitForFunction(() => (window as unknown as { watch: { frame: number } }).watch.frame > 0);
  await page.waitForTimeout(300);
  return page.evaluate(() => (window as unknown as { watch: { flip: number; raf: number; frame: number; edges: number; rows: number; made: number; urlAt: number[] } }).watch);
}

test("an edit's new run is drawn at once: the canvas's edges and the ladder's rows are not made again after the verdict, and the URL follows after its frame", async ({ page }) => {
  await page.goto('./');
  await page.locator('[data-scenario="passive-server-firewall-reject"]').click();
  await page.getByRole('tab', { name: 'Edit scenario' }).click();
  const badge = page.getByTestId('verdict-badge');
  await expect(badge).toHaveAttribute('data-verdict', 'failure');
  const helper = page.getByRole('checkbox', { name: /FTP helper for FTP server/ });
  // Both ways: the fixed run is longer (the ladder scrolls down to its end), the broken one
  // shorter (the browser clamps the ladder's scroll position to the new end).
  for (const [act, want] of [
    [() => helper.check(), 'success'],
    [() => helper.uncheck(), 'failure'],
  ] as const) {
    const w = await watchEdit(page, act);
    await expect(badge).toHaveAttribute('data-verdict', want);
    const badges = page.locator('.svelte-flow__node[data-id="server"] .badges');
    if (want === 'success') await expect(badges).toContainText('FTP helper');
    else await expect(badges).not.toContainText('FTP helper');
    console.log(
      `helper → ${want}: ${w.made} ladder rows made; ${w.edges} edges and ${w.rows} ladder rows added after the verdict; URL written ${w.urlAt.map((t) => (t - w.flip).toFixed(1)).join(', ')} ms after it`,
    );
    // The FTP server's node gains a badge ("FTP helper"): its node object kept, xyflow does not
    // re-measure it and drop its edges until the next frame, then add them again.
    expect(w.edges).toBe(0);
    // The ladder's rows for the new end are made in the update that shows the verdict (a
    // shorter run's clamped scroll position made ≈ 20 more a frame later). A row or two may
    // follow: the canvas takes its new picture's height, and the ladder box under it, once
    // measured, shows a row more or less.
    expect(w.rows).toBeLessThanOrEqual(2);
    // The ladder's rows are refilled in place: only the rows the new window has beyond the
    // old one are made (a screenful, ≈ 28 at 1280×720, when rows were keyed by step).
    expect(w.made).toBeLessThanOrEqual(12);
    // The URL is written once the frame showing the verdict has begun (after its paint), not in
    // the middle of the update.
    expect(w.urlAt.length).toBeGreaterThan(0);
    for (const t of w.urlAt) expect(t).toBeGreaterThan(w.raf);
  }
});

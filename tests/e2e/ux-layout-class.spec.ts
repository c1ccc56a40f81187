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

test('a class of 30 on a phone (390×844): the canvas keeps 12 px type and scrolls sideways; the page does not', async ({ browser }) => {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
  const page = await ctx.newPage();
  await open(page);
  const topo = page.getByTestId('topology');
  await expect(topo).toHaveAttribute('data-orientation', 'vertical', { timeout: 20_000 });
  await expect(nodes(page)).toHaveCount(6);
  // Decision (DECISIONS.md): two 196-unit boxes and their arcs need 522 units, 390 px would be zoom 0.75 (≈ 10 px type);
  // the picture keeps zoom ≥ 0.93 and its box scrolls sideways, the chosen client's chain whole on screen.
  expect(Number(await topo.getAttribute('data-zoom')) * 13).toBeGreaterThanOrEqual(12);
  expect(await minCanvasText(page)).toBeGreaterThanOrEqual(12);
  const a = (await page.locator('.svelte-flow__node[data-id="student01"]').boundingBox())!;
  const b = (await page.locator('.svelte-flow__node[data-id="group:clients"]').boundingBox())!;
  expect(Math.abs(a.y - b.y)).toBeLessThan(2);
  expect(a.x).toBeGreaterThanOrEqual(0);
  expect(a.x + a.width).toBeLessThanOrEqual(390);
  const box = topo.locator('.box');
  const [sw, cw] = await box.evaluate((el) => [el.scrollWidth, el.clientWidth]);
  expect(sw).toBeGreaterThan(cw);
  await expect(page.getByTestId('canvas-scroll-hint')).toBeVisible();
  // (a mouse here: the hint says how to scroll with one, not to swipe)
  await expect(page.getByTestId('canvas-scroll-hint')).toContainText('scroll it sideways (Shift + mouse wheel');
  // Scrolled to its end, the group's box is on screen whole.
  await box.evaluate((el) => (el.scrollLeft = el.scrollWidth));
  const b2 = (await page.locator('.svelte-flow__node[data-id="group:clients"]').boundingBox())!;
  expect(b2.x).toBeGreaterThanOrEqual(0);
  expect(b2.x + b2.width).toBeLessThanOrEqual(390);
  // The connection list under the canvas: one line per arc drawn, not 30.
  expect(await page.getByTestId('conn-label').count()).toBeLessThanOrEqual(4);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.screenshot({ path: 'screenshots/class-of-30-phone.png', fullPage: true });
  await ctx.close();
});

/** The smallest text on the canvas as drawn: each element's computed font size × the canvas's scale. */
async function minCanvasText(page: Page, root = page.getByTestId('topology').first()): Promise<number> {
  return root.evaluate((el) => {
    const vp = el.querySelector('.svelte-flow__viewport') as HTMLElement;
    const scale = new DOMMatrixReadOnly(getComputedStyle(vp).transform).a;
    let min = Infinity;
    for (const t of el.querySelectorAll('.svelte-flow__node *, [data-testid="conn-label"], [data-testid="conn-label"] *')) {
      const own = [...t.childNodes].some((n) => n.nodeType === 3 && n.textContent!.trim());
      if (!own || !(t as HTMLElement).offsetParent) continue;
      const inFlow = !!t.closest('.svelte-flow__viewport');
      min = Math.min(min, parseFloat(getComputedStyle(t).fontSize) * (inFlow ? scale : 1));
    }
    return min;
  });
}

type Box = { x: number; y: number; width: number; height: number };
const overlap = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** Rows of the ladder wholly on screen: inside the ladder's box and above the transport bar. */
async function ladderRowsInSight(page: Page): Promise<number> {
  return page.evaluate(() => {
    const lad = document.querySelector('section[aria-label="Ladder diagram"]')!;
    const head = lad.querySelector('.head')!.getBoundingClientRect();
    const r = lad.getBoundingClientRect();
    const bar = document.querySelector('[role="toolbar"][aria-label="Playback"]')!.closest('.transport')!.getBoundingClientRect();
    const bottom = Math.min(r.bottom, bar.top, innerHeight);
    return [...lad.querySelectorAll('button.row')].filter((b) => {
      const q = b.getBoundingClientRect();
      return q.height > 0 && q.top >= head.bottom - 0.5 && q.bottom <= bottom + 0.5;
    }).length;
  });
}

for (const { id, step } of [
  { id: 'filezilla-class-per-ip-limit', step: 40 },
  { id: 'active-client-firewall-blocked', step: 40 },
  { id: 'client-nat-active-no-helper', step: 1 },
])
  test(`${id} at 1280×720: canvas text ≥ 12 px and at least six ladder rows on screen under it, without scrolling`, async ({ page }) => {
    await page.goto(`./#/scenario/${id}/step/${step}`);
    await expect(page.getByTestId('position')).toContainText(`step ${step + 1} of`, { timeout: 45_000 });
    const topo = page.getByTestId('topology');
    await expect(topo).toHaveAttribute('data-orientation', 'horizontal');
    expect(await minCanvasText(page)).toBeGreaterThanOrEqual(12);
    await expect.poll(() => ladderRowsInSight(page)).toBeGreaterThanOrEqual(6);
    const canvas = (await topo.boundingBox())!;
    const ladder = (await page.getByRole('region', { name: 'Ladder diagram' }).boundingBox())!;
    expect(canvas.y + canvas.height).toBeLessThanOrEqual(ladder.y + 1);
    // Nothing of the page scrolled away: ladder and side panel end above the transport.
    const bar = (await page.getByRole('toolbar', { name: 'Playback' }).boundingBox())!;
    expect(ladder.y + ladder.height).toBeLessThanOrEqual(bar.y);
    // A callout (a NAT rewrite) is inside the canvas, not cut off at its bottom, and covers no device.
    const callouts = await topo.locator('.callout').all();
    if (id !== 'active-client-firewall-blocked') expect(callouts.length).toBeGreaterThan(0);
    for (const c of callouts) {
      const cb = (await c.boundingBox())!;
      expect(cb.y + cb.height, 'callout inside the canvas').toBeLessThanOrEqual(canvas.y + canvas.height + 0.5);
      for (const n of await nodes(page).all()) expect(overlap(cb, (await n.locator('.device').boundingBox())!), 'callout over a device').toBe(false);
    }
    await page.screenshot({ path: `screenshots/ladder-rows-${id}-1280x720.png` });
  });

for (const step of [40, 2600])
  test(`a class of 30 at step ${step + 1}: no arc label overlaps another label or a device`, async ({ page }) => {
    await page.goto(`./#/scenario/filezilla-class-per-ip-limit/step/${step}`);
    await expect(page.getByTestId('position')).toContainText(`step ${step + 1} of`, { timeout: 45_000 });
    const labels = page.getByTestId('conn-label');
    await expect(labels.first()).toBeVisible();
    const lb: Box[] = [];
    for (const l of await labels.all()) lb.push((await l.boundingBox())!);
    // The group's control arc and the chosen client's both labelled.
    expect(await labels.filter({ hasText: 'control :21' }).count()).toBeGreaterThanOrEqual(2);
    const devs: Box[] = [];
    for (const n of await nodes(page).all()) devs.push((await n.locator('.device').boundingBox())!);
    for (let i = 0; i < lb.length; i++) {
      for (let j = i + 1; j < lb.length; j++) expect(overlap(lb[i]!, lb[j]!), `labels ${i} and ${j}`).toBe(false);
      for (const d of devs) expect(overlap(lb[i]!, d), `label ${i} on a device`).toBe(false);
    }
  });

/**
 * Each connection's arc as drawn (points along its SVG path, on screen) against the boxes of
 * the devices it does not join: none may pass behind one (a class's group arc used to cross
 * the Client router, the chosen client's data arc the router and the group's box).
 */
async function arcsThroughBoxes(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const boxes = [...document.querySelectorAll('[data-testid="topology"] .svelte-flow__node')].map((n) => ({
      id: n.getAttribute('data-id')!,
      r: n.querySelector('.device')!.getBoundingClientRect(),
    }));
    const out: string[] = [];
    for (const g of document.querySelectorAll('[data-testid="topology"] .svelte-flow__edge[data-opener]')) {
      const path = g.querySelector('path.conn-path') as SVGPathElement;
      const m = path.getScreenCTM()!;
      const ends = [g.getAttribute('data-opener'), g.getAttribute('data-acceptor')];
      const len = path.getTotalLength();
      for (let l = 0; l <= len; l += 2) {
        const p = new DOMPoint(path.getPointAtLength(l).x, path.getPointAtLength(l).y).matrixTransform(m);
        for (const b of boxes) {
          if (ends.includes(b.id)) continue;
          if (p.x > b.r.left + 2 && p.x < b.r.right - 2 && p.y > b.r.top + 2 && p.y < b.r.bottom - 2) out.push(`${ends.join('→')} through ${b.id}`);
        }
      }
    }
    return [...new Set(out)];
  });
}

for (const { id, step, conns, width, height } of [
  { id: 'filezilla-class-per-ip-limit', step: 40, conns: 2, width: 1280, height: 720 },
  { id: 'filezilla-class-per-ip-limit', step: 2600, conns: 4, width: 1280, height: 720 },
  { id: 'passive-server-firewall-reject', step: 240, conns: 3, width: 1280, height: 720 },
  // A phone: the chain vertical, the group beside the chosen client (its control arc went left through the client router).
  { id: 'filezilla-class-per-ip-limit', step: 2600, conns: 4, width: 390, height: 844 },
])
  test(`${id} at step ${step + 1}, ${width}×${height}: no connection arc passes behind a device box it does not join`, async ({ page }) => {
    await page.setViewportSize({ width, height });
    await page.goto(`./#/scenario/${id}/step/${step}`);
    await expect(page.getByTestId('position')).toContainText(`step ${step + 1} of`, { timeout: 45_000 });
    await expect.poll(() => page.locator('.svelte-flow__edge[data-opener]').count()).toBeGreaterThanOrEqual(conns);
    expect(await arcsThroughBoxes(page)).toEqual([]);
  });

/**
 * 1280×720 with the browser at 150 % (853×480 CSS px) and 200 % (640×360), and a phone: the
 * canvas keeps 13 px × 0.93 ≥ 12 CSS px type, whatever the width or height fit would give; a
 * picture too wide for that scrolls sideways in its box (with the hint), never the page, and
 * follows the step: the device that dropped the packet is on screen.
 */
for (const size of [
  { width: 853, height: 480, scale: 1.5 },
  { width: 640, height: 360, scale: 2 },
  { width: 390, height: 844, scale: 2 },
])
  for (const { url, what } of [
    { url: './#/scenario/passive-server-firewall-drop', what: 'a DROP at the server, explore' },
    { url: './#/scenario/filezilla-class-per-ip-limit/step/40?mode=presenter', what: 'a class of 30, presenter' },
  ])
    test(`${size.width}×${size.height} ×${size.scale}, ${what}: canvas text ≥ 12 CSS px, the picture scrolls sideways rather than shrink`, async ({ browser }) => {
      const ctx = await browser.newContext({ viewport: { width: size.width, height: size.height }, deviceScaleFactor: size.scale });
      const page = await ctx.newPage();
      await page.goto(url);
      const topo = page.getByTestId('topology');
      await expect(topo.locator('.svelte-flow__node').first()).toBeVisible({ timeout: 30_000 });
      if (what.includes('DROP')) {
        await page.getByRole('button', { name: 'Jump to the failure' }).click();
        await expect(topo.locator('.device.dropped')).toHaveCount(1);
      }
      await page.waitForTimeout(300);
      expect(Number(await topo.getAttribute('data-zoom')) * 13).toBeGreaterThanOrEqual(12);
      expect(await minCanvasText(page)).toBeGreaterThanOrEqual(12);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(size.width);
      const box = topo.locator('.box');
      const [sw, cw] = await box.evaluate((el) => [el.scrollWidth, el.clientWidth]);
      if (sw > cw + 1) {
        await expect(page.getByTestId('canvas-scroll-hint')).toBeVisible();
        // A box that scrolls can be reached with the keyboard, and says what it is.
        await expect(box).toHaveAttribute('tabindex', '0');
        await expect(page.getByRole('group', { name: /Network picture.*scroll it sideways/ })).toBeVisible();
      }
      const b = (await box.boundingBox())!;
      if (what.includes('DROP')) {
        // The step's device is inside the box's visible width (scrolled to it when it was not).
        const d = (await topo.locator('.device.dropped').boundingBox())!;
        expect(d.x).toBeGreaterThanOrEqual(b.x - 0.5);
        expect(d.x + d.width).toBeLessThanOrEqual(b.x + b.width + 0.5);
      }
      await page.screenshot({ path: `screenshots/readable-${size.width}x${size.height}-${what.includes('DROP') ? 'drop' : 'class-presenter'}.png` });
      await ctx.close();
    });

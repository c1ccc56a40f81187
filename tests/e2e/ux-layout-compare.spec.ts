/**
 * Compare (presenter, side by side from 1000 px): at 1280×720 a 5-device chain fits each half
 * whole, without scrolling, its text at least 12 CSS px. Full device boxes cannot (a half is
 * 640 px: 1140 units across is zoom 0.56; the vertical chain is 710 units tall in ≈ 380 px),
 * so the halves draw compact boxes — kind, badges and name, the addresses in the tooltip.
 */
import { test, expect, type Page, type Locator } from '@playwright/test';

/** The smallest text on a canvas as drawn: each element's computed font size × the canvas's scale. */
function minCanvasText(topo: Locator): Promise<number> {
  return topo.evaluate((el) => {
    const vp = el.querySelector('.svelte-flow__viewport') as HTMLElement;
    const scale = new DOMMatrixReadOnly(getComputedStyle(vp).transform).a;
    let min = Infinity;
    for (const t of el.querySelectorAll('.svelte-flow__node *')) {
      const own = [...t.childNodes].some((n) => n.nodeType === 3 && n.textContent!.trim());
      if (own && (t as HTMLElement).offsetParent) min = Math.min(min, parseFloat(getComputedStyle(t).fontSize) * scale);
    }
    return min;
  });
}

async function compare(page: Page, id: string) {
  await page.goto(`./#/scenario/${id}/step/40?mode=presenter`);
  await expect(page.getByTestId('position')).toContainText('step 41 of', { timeout: 20_000 });
  await page.getByTestId('compare').selectOption('mode');
  const sbs = page.getByTestId('side-by-side');
  await expect(sbs.getByTestId('topology')).toHaveCount(2);
  return sbs;
}

for (const id of ['active-client-firewall-blocked', 'passive-server-firewall-drop', 'server-nat-pasv-address'])
  test(`compare ${id} at 1280×720: both 5-device chains whole on screen without scrolling, text ≥ 12 px`, async ({ page }) => {
    const sbs = await compare(page, id);
    const bar = (await page.getByRole('toolbar', { name: 'Playback' }).boundingBox())!;
    const barTop = await page.evaluate(() => document.querySelector('.transport.bottom')!.getBoundingClientRect().top);
    for (const i of [0, 1]) {
      const topo = sbs.getByTestId('topology').nth(i);
      const devices = topo.locator('.svelte-flow__node');
      await expect(devices).toHaveCount(5);
      for (const d of await devices.all()) {
        const b = (await d.boundingBox())!;
        expect(b.y, `${id} half ${i}: a device under the header`).toBeGreaterThanOrEqual(0);
        expect(b.y + b.height, `${id} half ${i}: a device above the transport`).toBeLessThanOrEqual(barTop);
      }
      expect(await minCanvasText(topo), `${id} half ${i}: canvas text`).toBeGreaterThanOrEqual(12);
      // The addresses are one hover away (the box's tooltip).
      await expect(devices.first().locator('.kind')).toHaveAttribute('title', /\d+\.\d+\.\d+\.\d+\/\d+/);
    }
    // The packet's pill (a PORT command's words) covers no device box.
    for (const pill of await sbs.locator('[data-testid="packet-marker"] .pill').all()) {
      const pb = (await pill.boundingBox())!;
      for (const d of await sbs.locator('.svelte-flow__node .device').all()) {
        const db = (await d.boundingBox())!;
        const hit = pb.x < db.x + db.width && db.x < pb.x + pb.width && pb.y < db.y + db.height && db.y < pb.y + pb.height;
        expect(hit, `${id}: the packet's words over a device`).toBe(false);
      }
    }
    // Nothing scrolled: both halves (titles, step lines, canvases) end above the transport.
    expect(await page.locator('.scroller').evaluate((el) => el.scrollTop)).toBe(0);
    // (each canvas's picture: a vertical chain's list of connections follows it, under the fold)
    for (const i of [0, 1]) {
      const pic = (await sbs.getByTestId('topology').nth(i).locator('.box').boundingBox())!;
      expect(pic.y + pic.height, `${id} half ${i}: the canvas fits in the window`).toBeLessThanOrEqual(barTop + 1);
    }
    expect(bar.y + bar.height).toBeLessThanOrEqual(720.5);
    // A long step line is one "more" away, whole.
    for (const more of await sbs.getByTestId('step-more').all()) {
      await more.click();
      await expect(more).toHaveAttribute('aria-expanded', 'true');
      await more.click();
    }
    await page.screenshot({ path: `screenshots/compare-${id}-1280x720.png` });
  });

for (const { id, step, data } of [
  { id: 'passive-server-firewall-drop', step: 40, data: 0 },
  { id: 'passive-server-firewall-drop', step: 71, data: 1 },
  { id: 'server-nat-pasv-address', step: 200, data: 2 },
])
  test(`compare ${id} at step ${step + 1}, 1280×720: compact arcs carry their short labels, readable, clear of boxes, pills and each other`, async ({ page }) => {
    await page.goto(`./#/scenario/${id}/step/${step}?mode=presenter`);
    await expect(page.getByTestId('position')).toContainText(`step ${step + 1} of`, { timeout: 20_000 });
    await page.getByTestId('compare').selectOption('mode');
    const sbs = page.getByTestId('side-by-side');
    await expect(sbs.getByTestId('topology')).toHaveCount(2);
    const topo = sbs.getByTestId('topology').first();
    await expect(topo).toHaveAttribute('data-orientation', 'vertical');
    // The control arc's label as full boxes show it ("control :21"), and one per data connection so far.
    await expect(topo.getByTestId('conn-label').filter({ hasText: 'control :21' })).toHaveCount(1);
    await expect(topo.getByTestId('conn-label').filter({ hasText: /^data → :\d+/ })).toHaveCount(data);
    type Box = { x: number; y: number; width: number; height: number };
    const hit = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
    const devices: Box[] = [];
    for (const d of await sbs.locator('.svelte-flow__node .device').all()) devices.push((await d.boundingBox())!);
    const pills: Box[] = [];
    for (const p of await sbs.locator('[data-testid="packet-marker"] .pill').all()) pills.push((await p.boundingBox())!);
    const labels: Box[] = [];
    for (const l of await sbs.getByTestId('conn-label').all()) {
      const b = (await l.boundingBox())!;
      // 13 px type × the canvas's zoom: at least 12 px.
      expect(b.height).toBeGreaterThan(0);
      expect(
        await l.evaluate(
          (el) =>
            parseFloat(getComputedStyle(el).fontSize) * new DOMMatrixReadOnly(getComputedStyle(el.closest('.svelte-flow')!.querySelector('.svelte-flow__viewport')!).transform).a,
        ),
      ).toBeGreaterThanOrEqual(12);
      labels.push(b);
    }
    expect(labels.length).toBeGreaterThanOrEqual(2);
    for (const [i, l] of labels.entries()) {
      for (const d of devices) expect(hit(l, d), `label ${i} on a device`).toBe(false);
      for (const p of pills) expect(hit(l, p), `label ${i} on the packet's words`).toBe(false);
      for (const m of labels.slice(i + 1)) expect(hit(l, m), `label ${i} on another`).toBe(false);
    }
    // On the picture beside its arc (not a list under the canvas), whole: nothing cut off at the half's edges.
    for (const t of [0, 1]) {
      const half = sbs.getByTestId('topology').nth(t);
      const box = (await half.locator('.box').boundingBox())!;
      for (const l of await half.getByTestId('conn-label').all()) {
        const b = (await l.boundingBox())!;
        expect(b.x, `half ${t}: label cut off at the left`).toBeGreaterThanOrEqual(box.x);
        expect(b.x + b.width, `half ${t}: label cut off at the right`).toBeLessThanOrEqual(box.x + box.width);
        expect(b.y, `half ${t}: label above the picture`).toBeGreaterThanOrEqual(box.y);
        expect(b.y + b.height, `half ${t}: label under the picture`).toBeLessThanOrEqual(box.y + box.height);
      }
    }
    await page.screenshot({ path: `screenshots/compare-labels-${id}-${step}-1280x720.png` });
  });

/**
 * Every screen size the app promises: a phone, a tablet both ways, a projector (1280×720)
 * at 100 %, 150 % and 200 % browser zoom (a smaller CSS viewport at a higher device pixel
 * ratio is what zoom does), and a full-HD screen. At each: the transport is on screen
 * without scrolling, the canvas, ladder and side panel are reachable, have a real width,
 * are not cut off at the sides and do not overlap each other or the transport; text is at
 * least 12 CSS px (canvas text after the canvas's zoom). Screenshots go to screenshots/.
 */
import { test, expect, type Page } from '@playwright/test';

const SIZES: { name: string; width: number; height: number; scale: number }[] = [
  { name: 'phone', width: 390, height: 844, scale: 2 },
  { name: 'tablet-portrait', width: 768, height: 1024, scale: 1 },
  { name: 'tablet-landscape', width: 1024, height: 768, scale: 1 },
  { name: 'projector', width: 1280, height: 720, scale: 1 },
  { name: 'projector-125', width: 1024, height: 576, scale: 1.25 },
  { name: 'projector-150', width: 853, height: 480, scale: 1.5 },
  { name: 'projector-200', width: 640, height: 360, scale: 2 },
  { name: 'full-hd', width: 1920, height: 1080, scale: 1 },
];

type Box = { x: number; y: number; width: number; height: number };
type Region = { clipped: Box; full: Box };
const intersects = (a: Box, b: Box) => a.x < b.x + b.width - 1 && b.x < a.x + a.width - 1 && a.y < b.y + b.height - 1 && b.y < a.y + a.height - 1;

/** Rectangles of the key regions, each clipped to the scrolling area that holds it. */
async function regions(page: Page) {
  return page.evaluate(() => {
    const pick = (sel: string) => document.querySelector(sel) as HTMLElement | null;
    const clip = (el: HTMLElement) => {
      let r = el.getBoundingClientRect();
      let box = { x: r.left, y: r.top, width: r.width, height: r.height };
      for (let p = el.parentElement; p; p = p.parentElement) {
        const s = getComputedStyle(p);
        if (/(auto|scroll|hidden)/.test(s.overflowY) && p !== document.body && p !== document.documentElement) {
          r = p.getBoundingClientRect();
          const x = Math.max(box.x, r.left),
            y = Math.max(box.y, r.top);
          const right = Math.min(box.x + box.width, r.right),
            bottom = Math.min(box.y + box.height, r.bottom);
          box = { x, y, width: Math.max(0, right - x), height: Math.max(0, bottom - y) };
        }
      }
      return box;
    };
    const out: Record<string, { clipped: { x: number; y: number; width: number; height: number }; full: { x: number; y: number; width: number; height: number } } | null> = {};
    for (const [name, sel] of Object.entries({
      transport: '[role="toolbar"][aria-label="Playback"]',
      canvas: '[data-testid="topology"]',
      ladder: 'section[aria-label="Ladder diagram"]',
      side: 'aside.side',
      header: '.main > header',
    })) {
      const el = pick(sel);
      if (!el) {
        out[name] = null;
        continue;
      }
      const r = el.getBoundingClientRect();
      out[name] = { clipped: clip(el), full: { x: r.left, y: r.top, width: r.width, height: r.height } };
    }
    return out;
  });
}

/** The smallest rendered font size among visible text in `root`, with the element that has it. */
async function smallestText(page: Page, selector: string) {
  return page.evaluate((sel) => {
    let min = Infinity;
    let where = '';
    for (const root of document.querySelectorAll(sel)) {
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        if (!n.textContent?.trim()) continue;
        const el = n.parentElement!;
        const r = el.getBoundingClientRect();
        if (r.width === 0 || r.height === 0 || getComputedStyle(el).visibility === 'hidden') continue;
        if (el.closest('[aria-hidden="true"]') && !el.closest('svg')) continue;
        // The canvas is drawn under a CSS transform: its scale is the flow viewport's.
        let scale = 1;
        const vp = el.closest('.svelte-flow__viewport') as HTMLElement | null;
        if (vp) scale = new DOMMatrix(getComputedStyle(vp).transform).a;
        const px = parseFloat(getComputedStyle(el).fontSize) * scale;
        if (px < min) {
          min = px;
          where = `${el.tagName.toLowerCase()}.${el.className} "${n.textContent.trim().slice(0, 30)}"`;
        }
      }
    }
    return { min, where };
  }, selector);
}

for (const size of SIZES) {
  test(`layout at ${size.width}×${size.height} (${size.name}, ×${size.scale})`, async ({ browser }) => {
    const context = await browser.newContext({ viewport: { width: size.width, height: size.height }, deviceScaleFactor: size.scale });
    const page = await context.newPage();
    await page.goto('./');
    await page.locator('[data-scenario="passive-server-firewall-drop"]').click();
    await expect(page.locator('.svelte-flow__node').first()).toBeVisible();
    // The failure: a drop callout, refused connections and the longest step line.
    await page.getByRole('button', { name: 'Jump to the failure' }).click();
    await page.waitForTimeout(200);

    const r = await regions(page);
    const get = (k: string) => {
      const v = r[k];
      if (!v) throw new Error(`${k} is not on the page`);
      return v;
    };
    const [transport, canvas, ladder, side, header] = ['transport', 'canvas', 'ladder', 'side', 'header'].map(get) as [Region, Region, Region, Region, Region];

    // The transport is on screen, whole, without scrolling.
    expect(transport.clipped).toEqual(transport.full);
    expect(transport.full.y).toBeGreaterThanOrEqual(0);
    expect(transport.full.y + transport.full.height).toBeLessThanOrEqual(size.height + 0.5);
    for (const b of await page.getByRole('toolbar', { name: 'Playback' }).getByRole('button').all()) {
      const bb = (await b.boundingBox())!;
      expect(bb.x >= 0 && bb.x + bb.width <= size.width + 0.5 && bb.y >= 0 && bb.y + bb.height <= size.height + 0.5, `${await b.getAttribute('aria-label')} on screen`).toBe(true);
    }

    // Nothing overlaps: the regions as the page shows them (clipped by their scroll areas).
    const shown = { transport: transport.clipped, canvas: canvas.clipped, ladder: ladder.clipped, side: side.clipped, header: header.clipped };
    const names = Object.keys(shown) as (keyof typeof shown)[];
    for (let i = 0; i < names.length; i++)
      for (let j = i + 1; j < names.length; j++) expect(intersects(shown[names[i]!], shown[names[j]!]), `${names[i]} overlaps ${names[j]}`).toBe(false);
    // …nor in the page's own coordinates (canvas, ladder and side panel share a scroll area).
    expect(intersects(canvas.full, ladder.full), 'canvas overlaps ladder').toBe(false);
    expect(intersects(canvas.full, side.full), 'canvas overlaps side panel').toBe(false);
    expect(intersects(ladder.full, side.full), 'ladder overlaps side panel').toBe(false);

    // Nothing is cut off at the sides, and each region has a real width.
    for (const [k, b] of Object.entries({ canvas: canvas.full, ladder: ladder.full, side: side.full, header: header.full })) {
      expect(b.x, `${k} starts on screen`).toBeGreaterThanOrEqual(-0.5);
      expect(b.x + b.width, `${k} ends on screen`).toBeLessThanOrEqual(size.width + 0.5);
      expect(b.width, `${k} width`).toBeGreaterThanOrEqual(Math.min(300, size.width - 40));
    }
    expect(canvas.full.height).toBeGreaterThanOrEqual(200);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(size.width);
    // The devices are all inside the canvas (none cut off by its edges).
    const canvasBox = (await page.getByTestId('topology').locator('.svelte-flow').boundingBox())!;
    for (const node of await page.locator('.svelte-flow__node').all()) {
      const b = (await node.boundingBox())!;
      expect(
        b.x >= canvasBox.x - 0.5 && b.x + b.width <= canvasBox.x + canvasBox.width + 0.5 && b.y >= canvasBox.y - 0.5 && b.y + b.height <= canvasBox.y + canvasBox.height + 0.5,
        `${await node.getAttribute('data-id')} inside the canvas`,
      ).toBe(true);
    }

    // The step line shows the current step whole (no ellipsis, nothing overflowing).
    const line = page.getByTestId('step-line');
    await expect(line).toBeVisible();
    expect(await line.evaluate((el) => el.scrollWidth <= el.clientWidth + 1)).toBe(true);

    // Type sizes: the canvas after its zoom, and the panels.
    const canvasText = await smallestText(page, '[data-testid="topology"]');
    // At every size and browser zoom (853×480 is 1280×720 at 150 %): a picture too wide for that keeps it and scrolls sideways.
    expect(canvasText.min, `canvas text ${canvasText.where}`).toBeGreaterThanOrEqual(12);
    const panelText = await smallestText(page, '[role="toolbar"][aria-label="Playback"], [data-testid="step-line"], section[aria-label="Ladder diagram"], aside.side');
    expect(panelText.min, `panel text ${panelText.where}`).toBeGreaterThanOrEqual(12);

    await page.screenshot({ path: `screenshots/layout-${size.name}.png` });
    // The rest of the page, scrolled to the bottom (ladder and side panel on small screens).
    await page.evaluate(() => document.querySelector('.scroller')?.scrollTo(0, 1e6));
    await page.screenshot({ path: `screenshots/layout-${size.name}-scrolled.png` });
    await context.close();
  });
}

import { test, expect, type Page } from '@playwright/test';

// The current packet's words on the canvas (the pill under its dot) are never covered by a
// device box: where they are wider than the gap between two boxes they are drawn over the next
// one. Checked by asking the page what is on top at points across the pill's text.

/** Points across the pill where something else than the pill is on top. */
async function coveredPoints(page: Page): Promise<string[]> {
  return page
    .getByTestId('packet-marker')
    .locator('.pill')
    .evaluate((pill) => {
      const r = pill.getBoundingClientRect();
      const out: string[] = [];
      for (let i = 1; i < 10; i++) {
        const x = r.left + (r.width * i) / 10;
        const y = r.top + r.height / 2;
        const top = document.elementFromPoint(x, y);
        if (top && !pill.contains(top)) out.push(`${Math.round(x)},${Math.round(y)}: ${top.className || top.tagName}`);
      }
      return out;
    });
}

for (const { what, w, h, dsf, url } of [
  { what: 'presenter at 1280×720, "PWD" between the laptop and its router', w: 1280, h: 720, dsf: 1, url: './#/scenario/passive-server-firewall-reject/step/40?mode=presenter' },
  { what: 'explore at 1280×720 and 150 % zoom, "PASS guest@"', w: 853, h: 480, dsf: 1.5, url: './#/scenario/passive-server-firewall-drop/step/30' },
]) {
  test(`the packet's words are not hidden behind a device: ${what}`, async ({ browser }) => {
    const ctx = await browser.newContext({ viewport: { width: w, height: h }, deviceScaleFactor: dsf });
    const page = await ctx.newPage();
    try {
      await page.goto(url);
      const pill = page.getByTestId('packet-marker').locator('.pill');
      await expect(pill).toBeVisible();
      await expect(pill).not.toHaveText('');
      expect(await coveredPoints(page)).toEqual([]);
    } finally {
      await ctx.close();
    }
  });
}

for (const { id, head } of [
  { id: 'passive-server-firewall-drop', head: /DROP — silent, no answer/ },
  { id: 'passive-server-firewall-reject', head: /REJECT — refused with an answer/ },
])
  test(`a refused packet in a row of devices: its device's callout names it, and nothing lies across the callout (${id})`, async ({ page }) => {
    await page.goto(`./#/scenario/${id}/step/0`);
    await expect(page.getByTestId('position')).toContainText('step 1 of');
    await page.locator('h1').click();
    await page.keyboard.press('>'); // the first drop
    const marker = page.getByTestId('packet-marker');
    await expect(marker).toHaveAttribute('data-state', 'refused');
    // No pill beside the callout: the dot's symbol and the callout carry the words.
    await expect(marker.locator('.pill')).toHaveCount(0);
    const callout = page.locator('.callout.drop');
    await expect(callout).toHaveText(head);
    await expect(callout.getByTestId('callout-packet')).toHaveText('the packet: SYN');
    // What is on top at points across the callout's first two lines is the callout.
    const covered = await callout.evaluate((c) => {
      const r = c.getBoundingClientRect();
      const out: string[] = [];
      for (const fy of [0.15, 0.4])
        for (let i = 1; i < 10; i++) {
          const [x, y] = [r.left + (r.width * i) / 10, r.top + r.height * fy];
          const top = document.elementFromPoint(x, y);
          if (top && !c.contains(top)) out.push(`${Math.round(x)},${Math.round(y)}: ${top.className || top.tagName}`);
        }
      return out;
    });
    expect(covered).toEqual([]);
  });

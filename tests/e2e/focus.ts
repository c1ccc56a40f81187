import type { Locator, Page } from '@playwright/test';

/**
 * Presses Tab until `target` has the keyboard focus (at most `maxTabs` times), and compares the
 * pixels round `look` (the thing a learner sees) before and after: a focus nobody can see leaves
 * them the same.
 */
export async function tabToAndLook(page: Page, look: Locator, target: Locator, maxTabs: number): Promise<{ reached: boolean; looksDifferent: boolean }> {
  const box = (await look.boundingBox())!;
  const clip = { x: box.x - 6, y: box.y - 6, width: box.width + 12, height: box.height + 12 };
  const before = await page.screenshot({ clip });
  let reached = false;
  for (let i = 0; i < maxTabs && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await target.evaluate((el) => el === document.activeElement);
  }
  return { reached, looksDifferent: !(await page.screenshot({ clip })).equals(before) };
}

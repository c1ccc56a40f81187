import { test, expect } from '@playwright/test';
import { describeViolations, noSeriousViolations, runAxe } from '../support/axe';

for (const scheme of ['light', 'dark'] as const) {
  test.describe(`${scheme} colour scheme`, () => {
    test.use({ colorScheme: scheme });

    test('picker, main view and inspector pass axe; screenshots saved', async ({ page }) => {
      test.setTimeout(240_000);
      await page.goto('./');
      await expect(page.locator('[data-scenario]').first()).toBeVisible();
      await noSeriousViolations(page);
      await page.screenshot({ path: `screenshots/picker-${scheme}.png` });

      // A scenario that fails, seen mid-way and at the failure.
      const failing = page.locator('[data-scenario="passive-server-firewall-reject"]');
      await failing.click();
      for (let i = 0; i < 6; i++) await page.keyboard.press('ArrowRight');
      await noSeriousViolations(page);
      await page.screenshot({ path: `screenshots/main-${scheme}.png` });

      await page.getByRole('button', { name: 'Jump to the failure' }).click();
      await page.screenshot({ path: `screenshots/failure-${scheme}.png` });

      await page.getByRole('tab', { name: 'Packet' }).click();
      await expect(page.getByTestId('inspector')).toBeVisible();
      await noSeriousViolations(page);
      await page.screenshot({ path: `screenshots/inspector-${scheme}.png` });

      await page.getByRole('tab', { name: 'Transcript' }).click();
      await page.screenshot({ path: `screenshots/client-${scheme}.png` });
      await page.getByRole('tab', { name: 'Conntrack' }).click();
      await noSeriousViolations(page);
      await page.screenshot({ path: `screenshots/conntrack-${scheme}.png` });
    });
  });
}

// The helper every axe check goes through (tests/support/axe.ts) reports what axe finds: a page
// with two known faults fails it, inside and outside an `include`.
test('the axe helper reports violations: an image without alt text, a button without a name', async ({ page }) => {
  await page.setContent('<html lang="en"><title>t</title><main><h1>t</h1><div id="a"><img src="data:,"></div><button id="b"></button></main></html>');
  expect((await runAxe(page)).violations.map((v) => v.id).sort()).toEqual(['button-name', 'image-alt']);
  expect((await runAxe(page, '#a')).violations.map((v) => v.id)).toEqual(['image-alt']);
  expect(describeViolations(await runAxe(page), ['critical'])).toEqual([
    'button-name: Buttons must have discernible text (#b)',
    'image-alt: Images must have alternative text (img)',
  ]);
});

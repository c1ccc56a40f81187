import { test, expect } from '@playwright/test';

// A device is named once where a reason follows its name: the verdict's Where line and the
// step line say the reason without the device again (the CLI's where line likewise, unit-tested).

test('a SYN to the router itself: Where names Server firewall once, the explanation says it for a beginner', async ({ page }) => {
  await page.goto('./#/scenario/server-nat-helper-and-pasv-address');
  const verdict = page.getByTestId('verdict');
  await expect(verdict.getByTestId('transfer').first()).toBeVisible();
  const where = verdict.locator('dt', { hasText: 'Where' }).first().locator('xpath=following-sibling::dd[1]');
  await expect(where).toHaveText(/^Server firewall\s+— nothing listens at port \d+,/);
  expect((await where.innerText()).match(/Server firewall/g)).toHaveLength(1);
  await expect(verdict).toContainText('it was addressed to Server firewall itself (no rule there forwards that port on), and no program on the router listens on that port');
  await expect(verdict).not.toContainText('nothing listens on Server firewall');
});

// The heading said the failure's code ("2 of 2 transfers failed: ls — syn-timeout."); it says
// what the code means, in words a beginner reads.
test("the verdict's heading says what failed in words, not the failure's code", async ({ page }) => {
  await page.goto('./#/scenario/passive-server-firewall-drop');
  const heading = page.getByTestId('verdict').getByRole('heading').first();
  await expect(heading).toHaveText(/failed: ls — a connection went unanswered until it timed out\.$/);
  await expect(heading).not.toContainText('syn-timeout');
});

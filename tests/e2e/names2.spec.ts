import { test, expect } from '@playwright/test';

// Issue 16, the rest of "one display name per device": at the server firewall's drop the
// packet inspector's titles, the step line and the canvas callout say "Server firewall", as
// the device's own title does; the id `server-edge` stays in tooltips and data attributes.
// The verdict's "Where" names the device once for a policy drop.

const BARE_ID = /(?<![\w-])server-edge(?![\w-])/;

test('at the server firewall drop, the inspector, step line and canvas callout name the device', async ({ page }) => {
  await page.goto('./#/scenario/seed-incident-pasv-range');
  await expect(page.getByTestId('verdict-badge')).toHaveAttribute('data-verdict', 'failure');
  const where = page
    .getByTestId('verdict')
    .locator('dd', { has: page.locator('[title="device id: server-edge"]') })
    .first();
  // "Server firewall — dropped by the FORWARD chain's policy": the device once, not twice.
  await expect(where).toHaveText(/^\s*Server firewall\s*— dropped by the FORWARD chain's policy\s*$/);

  // Find the drop's step, then open it by its URL as a shared link would.
  await page.getByTestId('verdict').getByRole('button', { name: 'Jump to the failure' }).click();
  await expect(page).toHaveURL(/#\/scenario\/seed-incident-pasv-range\/step\/\d+/);
  const url = page.url();
  await page.goto('about:blank');
  await page.goto(url);

  const line = page.getByTestId('step-line');
  await expect(line).toHaveAttribute('data-kind', 'drop');
  await expect(line).toContainText('Server firewall:');
  // The line names the device ("Server firewall:"), so the reason does not name it again.
  await expect(line.getByTestId('caption')).toContainText("Dropped by the FORWARD chain's policy");
  expect(await line.innerText()).not.toMatch(/Server firewall[^]*Server firewall/);
  expect(await line.innerText()).not.toMatch(BARE_ID);

  await page.getByRole('tab', { name: 'Packet' }).click();
  const inspector = page.getByTestId('inspector');
  await expect(inspector.getByTestId('inspector-summary')).toContainText("DROP at Server firewall: Dropped by the FORWARD chain's policy");
  // The step's kind in a word, not the trace's code ("drop —").
  await expect(inspector.getByTestId('inspector-summary')).toHaveText(/^Refused — ✗ DROP at /);
  const title = inspector.getByTestId('packet-title');
  await expect(title).toContainText('Refused by Server firewall (as it arrived)');
  await expect(title).toHaveAttribute('title', 'device id: server-edge');
  expect(await inspector.innerText()).not.toMatch(BARE_ID);

  const node = page.getByTestId('device-server-edge');
  await expect(node.locator('.title')).toHaveText('Server firewall');
  const callout = node.locator('.callout.drop');
  await expect(callout).toContainText("Dropped by the FORWARD chain's policy");
  expect(await node.innerText()).not.toMatch(BARE_ID);
});

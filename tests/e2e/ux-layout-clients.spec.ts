/**
 * A scenario with two clients (a JSON import: the built-in's client plus a second one on the
 * client LAN): the clients stand side by side at the start of the canvas (not in the middle of
 * the chain), each has its own transcript section and its own verdict line.
 */
import { test, expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';

function twoClients(): string {
  const f = JSON.parse(readFileSync('src/scenarios/passive-server-firewall-helper.json', 'utf8'));
  f.name = 'Two clients on one LAN';
  f.hosts.splice(1, 0, { id: 'desk', label: 'Desk PC', role: 'client', ip: '192.168.1.101/24', gateway: '192.168.1.1', segment: 'client-lan' });
  const first = f.client;
  delete f.client;
  delete f.expect;
  // The first client (curl, passive) works; the second (netkit ftp, active) sends PORT with its private address.
  f.clients = [
    { ...first, id: 'client' },
    { id: 'client-2', host: 'desk', profile: 'classic', mode: 'active', script: ['login', 'ls', 'quit'] },
  ];
  return JSON.stringify(f, null, 1);
}

async function importTwoClients(page: Page) {
  await page.goto('./');
  await page.getByTestId('import-file').setInputFiles({ name: 'two-clients.json', mimeType: 'application/json', buffer: Buffer.from(twoClients()) });
  await expect(page.getByTestId('verdict-badge')).toHaveAttribute('data-verdict', 'failure');
}

test('two clients: side by side on their LAN, a transcript section and a verdict line each', async ({ page }) => {
  await importTwoClients(page);
  // The canvas: both clients in the first column, one above the other, left of their router.
  const box = async (id: string) => (await page.locator(`.svelte-flow__node[data-id="${id}"]`).boundingBox())!;
  const [laptop, desk, router, server] = await Promise.all(['client', 'desk', 'client-edge', 'server'].map(box));
  expect(Math.abs(laptop!.x - desk!.x)).toBeLessThan(2);
  expect(Math.abs(laptop!.y - desk!.y)).toBeGreaterThan(laptop!.height - 1);
  expect(router!.x).toBeGreaterThan(desk!.x + desk!.width);
  expect(server!.x).toBeGreaterThan(router!.x);

  // One verdict line per client, with the device's name and the reason in words.
  const lines = page.getByTestId('client-verdict');
  await expect(lines).toHaveCount(2);
  await expect(page.locator('[data-testid="client-verdict"][data-client="client"]')).toHaveAttribute('data-ok', 'true');
  await expect(page.locator('[data-testid="client-verdict"][data-client="client"]')).toContainText('client on Laptop: all 2 transfers worked.');
  const second = page.locator('[data-testid="client-verdict"][data-client="client-2"]');
  await expect(second).toHaveAttribute('data-ok', 'false');
  await expect(second).toContainText('client-2 on Desk PC: ls failed — the server refused the address in PORT, at FTP server.');
  // Its "Show" goes to that client's failure: the server's 500 reply.
  await second.getByRole('button', { name: 'Show' }).click();
  await expect(page.getByTestId('step-line')).toContainText('500 Illegal PORT command.');

  // The transcript: one section per client, each with only its own lines.
  await page.getByRole('tab', { name: 'Transcript' }).click();
  await page.keyboard.press('End');
  const screens = page.getByTestId('client-screen');
  await expect(screens).toHaveCount(2);
  await expect(screens.nth(0)).toContainText('client on Laptop');
  await expect(screens.nth(1)).toContainText('client-2 on Desk PC');
  await expect(screens.nth(1).getByTestId('transcript')).toContainText('500 Illegal PORT command.');
  await expect(screens.nth(0).getByTestId('transcript')).not.toContainText('Illegal PORT');
  await expect(screens.nth(0).getByTestId('transcript')).toContainText(/226|Transfer complete/);
  await page.screenshot({ path: 'screenshots/two-clients-1280x720.png' });
});

test('two clients on a phone: side by side across the top of the canvas', async ({ browser }) => {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
  const page = await ctx.newPage();
  await importTwoClients(page);
  const laptop = (await page.locator('.svelte-flow__node[data-id="client"]').boundingBox())!;
  const desk = (await page.locator('.svelte-flow__node[data-id="desk"]').boundingBox())!;
  const router = (await page.locator('.svelte-flow__node[data-id="client-edge"]').boundingBox())!;
  expect(Math.abs(laptop.y - desk.y)).toBeLessThan(2);
  expect(router.y).toBeGreaterThan(laptop.y + laptop.height);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.screenshot({ path: 'screenshots/two-clients-phone.png' });
  await ctx.close();
});

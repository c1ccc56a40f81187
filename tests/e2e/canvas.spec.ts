import { test, expect } from '@playwright/test';
import { tabToAndLook } from './focus';
import { readFileSync } from 'node:fs';

const seed = JSON.parse(readFileSync('src/scenarios/seed-active-session.json', 'utf8')) as { client: { host: string } };

test('the canvas draws devices, links and the connections opener → acceptor', async ({ page }) => {
  await page.goto('./');
  await page.locator('[data-scenario="seed-active-session"]').click();
  const canvas = page.getByTestId('topology');
  await expect(canvas.locator('.svelte-flow__node').first()).toBeVisible();
  const nodes = await canvas.locator('.svelte-flow__node').count();
  expect(nodes).toBeGreaterThanOrEqual(2);
  await page.keyboard.press('End');
  // Active mode: the control connection is opened by the client, the data connection by the server.
  const control = canvas.locator('.svelte-flow__edge[data-kind="control"]').first();
  const data = canvas.locator('.svelte-flow__edge[data-kind="data"]').first();
  await expect(control).toHaveAttribute('data-opener', seed.client.host);
  await expect(data).toHaveAttribute('data-acceptor', seed.client.host);
  await expect(canvas.getByTestId('conn-label').filter({ hasText: 'control :21' })).toBeVisible();
  await expect(canvas.getByTestId('conn-label').filter({ hasText: 'data →' }).first()).toBeVisible();
  await page.screenshot({ path: 'screenshots/canvas-active.png' });
});

// The links and connections on the canvas are Tab stops (each is named: "control :21: Laptop
// connected to FTP server"), but an outline is not drawn round an SVG group: a keyboard user's
// focus vanished on them. The focused line now has a halo.
test('a link or connection focused from the keyboard is marked on the canvas', async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.goto('./#/scenario/seed-active-session/step/5');
  const canvas = page.getByTestId('topology');
  await expect(canvas.locator('.svelte-flow__node').first()).toBeVisible();
  const edge = canvas.locator('.svelte-flow__edge').first();
  const { reached, looksDifferent } = await tabToAndLook(page, edge, edge, 60);
  expect(reached, 'the first edge is reached with Tab').toBe(true);
  expect(looksDifferent, 'the focused edge looks different from the unfocused one').toBe(true);
});

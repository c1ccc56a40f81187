import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';

test('the picker lists every built-in with its title and what it teaches', async ({ page }) => {
  await page.goto('./');
  const cards = page.locator('[data-scenario]');
  expect(await cards.count()).toBeGreaterThan(5);
  for (const card of await cards.all()) {
    const text = await card.innerText();
    expect(text.split('\n').filter((l) => l.trim()).length).toBeGreaterThanOrEqual(2);
  }
});

test('a blank network opens with five devices and four links', async ({ page }) => {
  await page.goto('./');
  await page.getByRole('button', { name: 'Start from a blank network' }).click();
  const canvas = page.getByTestId('topology');
  await expect(canvas.locator('.svelte-flow__node')).toHaveCount(5);
  await expect(canvas.locator('.svelte-flow__edge[data-kind="link"]')).toHaveCount(4);
  await expect(canvas.locator('.svelte-flow__node[data-kind="internet"]')).toHaveCount(1);
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-verdict', /success|failure/);
});

test('importing an invalid file lists its errors with path and line and keeps the scenario', async ({ page }) => {
  await page.goto('./');
  await page.locator('[data-scenario]').first().click();
  // The scenario's own heading, once it is open (the picker's h1 is still there for a moment).
  const heading = page.getByTestId('scenario-title');
  await expect(heading).toBeVisible();
  const title = await heading.innerText();
  await page.getByRole('button', { name: 'Back to the scenario list' }).click();
  await page.getByTestId('import-file').setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{\n  "name": "x",\n  "hosts": [\n') });
  const errors = page.getByTestId('load-errors');
  await expect(errors).toContainText('broken.json');
  await expect(errors).toContainText(/line \d+/);

  await page.getByTestId('import-file').setInputFiles({
    name: 'wrong.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify({ name: 'x', teaches: 'y', hosts: [{ id: 'a' }], server: { host: 'a' } }, null, 2)),
  });
  await expect(errors).toContainText('wrong.json');
  await expect(errors).toContainText('hosts');
  // Still on the picker, and the scenario opened before is still the one open.
  await page.getByTestId('continue').click();
  await expect(heading).toHaveText(title);
});

test('importing a valid file opens it', async ({ page }) => {
  await page.goto('./');
  const text = readFileSync('src/scenarios/seed-passive-session.json', 'utf8');
  await page.getByTestId('import-file').setInputFiles({ name: 'mine.json', mimeType: 'application/json', buffer: Buffer.from(text) });
  await expect(page.locator('h1')).toHaveText(JSON.parse(text).name);
  await expect(page.getByTestId('position')).toContainText('step 1 of');
});

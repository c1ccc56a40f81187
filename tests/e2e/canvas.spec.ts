import { test, expect } from '@playwright/test';

test('the start page renders the default topology on the canvas', async ({ page }) => {
  await page.goto('./');
  const canvas = page.getByTestId('topology');
  await expect(canvas.locator('.svelte-flow__node')).toHaveCount(5);
  await expect(canvas.locator('.svelte-flow__edge')).toHaveCount(4);
  await expect(canvas.getByText('client 192.168.1.100')).toBeVisible();
  await page.screenshot({ path: 'screenshots/start.png' });
});

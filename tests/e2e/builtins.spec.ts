import { test, expect } from '@playwright/test';
import { coreResults, type CoreResult } from './core';

// Every built-in opens from the picker and plays to its end; what the app shows is what the
// core computed for the same file.
const results = coreResults();

for (const [id, expected] of Object.entries(results)) {
  test(`built-in ${id}: plays to the end and shows the core's verdict`, async ({ page }) => {
    expect(expected.error, `the core could not load ${id}`).toBeUndefined();
    await page.goto('./');
    await page.locator(`[data-scenario="${id}"]`).click();
    const position = page.getByTestId('position');
    await expect(position).toContainText(`step 1 of ${expected.steps}`);
    await page.keyboard.press('End');
    await expect(position).toContainText(`step ${expected.steps} of ${expected.steps}`);

    const verdict = page.getByTestId('verdict');
    await expect(verdict).toHaveAttribute('data-verdict', expected.ok ? 'success' : 'failure');
    // The core's summary, its failure's code ("— syn-timeout.") said in words (failureWords.ts).
    const summary = expected.summary.replace(/ — [a-z]+(?:-[a-z]+)*\.$/, ' — ');
    await expect(verdict.getByRole('heading')).toContainText(summary);
    await expect(verdict.getByRole('heading')).not.toHaveText(/ — [a-z]+(?:-[a-z]+)*\.$/);
    const rows = verdict.getByTestId('transfer');
    await expect(rows).toHaveCount(expected.transfers.length);
    for (const [i, t] of expected.transfers.entries()) {
      await expect(rows.nth(i)).toHaveAttribute('data-ok', String(t.ok));
      await expect(rows.nth(i)).toContainText(t.command);
    }
    // At the end every connection of the run is drawn, from its opener to its acceptor.
    const canvas = page.getByTestId('topology');
    // A class (5 client machines or more) is drawn as the first client and one group device for
    // the others (src/ui/canvas/group.ts): their connections are one arc per role and direction.
    const grouped = expected.clientHosts.length >= 5 ? new Set(expected.clientHosts.slice(1)) : new Set<string>();
    const drawn = (d: string) => (grouped.has(d) ? 'group:clients' : d);
    const arcs: CoreResult['connections'] = [];
    for (const c of expected.connections) {
      const a = { ...c, opener: drawn(c.opener), acceptor: drawn(c.acceptor) };
      const isGroup = a.opener !== c.opener || a.acceptor !== c.acceptor;
      if (!isGroup || !arcs.some((b) => b.role === a.role && b.opener === a.opener && b.acceptor === a.acceptor)) arcs.push(a);
    }
    for (const role of ['control', 'data'] as const) {
      const want = arcs.filter((c) => c.role === role);
      const edges = canvas.locator(`.svelte-flow__edge[data-kind="${role}"]`);
      await expect(edges).toHaveCount(want.length);
      for (const [i, c] of want.entries()) {
        await expect(edges.nth(i)).toHaveAttribute('data-opener', c.opener);
        await expect(edges.nth(i)).toHaveAttribute('data-acceptor', c.acceptor);
      }
    }
    if (!expected.ok) {
      await verdict.getByRole('button', { name: 'Jump to the failure' }).click();
      await expect(page.locator('.ladder [aria-current="step"]')).toBeVisible();
    }
  });
}

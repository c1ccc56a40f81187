/**
 * axe-core in the e2e tests, loaded once per page instead of once per check.
 *
 * `new AxeBuilder({ page }).analyze()` evaluates axe-core's 560 kB source in the page on every
 * call, and by default runs the rules in parts and finishes them in a second, blank page that it
 * opens and loads axe into as well: 3–12 s a check on this 2-core machine, about half the time of
 * the whole e2e run (docs/DECISIONS.md, "CI time"). Here the source is evaluated once per document
 * (a hash change keeps it; a reload brings a new document, which gets it again) and `axe.run`
 * runs in the page itself: the same axe-core, the same rules, the same context, the same
 * violations. A page with frames (none today) goes through AxeBuilder, which reaches into every
 * frame.
 */
import { expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import axe, { type AxeResults } from 'axe-core';

declare global {
  interface Window {
    axe?: typeof axe;
  }
}

/** Every rule axe-core has, on the whole page or only inside `include` (a CSS selector). */
export async function runAxe(page: Page, include?: string): Promise<AxeResults> {
  if (page.frames().length > 1) {
    const builder = new AxeBuilder({ page }).options({ resultTypes: ['violations'] });
    return (include ? builder.include(include) : builder).analyze();
  }
  if (!(await page.evaluate(() => typeof window.axe?.run === 'function'))) {
    await page.evaluate(axe.source);
    await page.evaluate(() => window.axe!.configure({ allowedOrigins: ['<same_origin>'], branding: { application: 'playwright' } }));
  }
  // Only the violations in full: the passing checks' details (1.4 MB of JSON on the main view,
  // 60 kB without) cost a second to serialise and no test reads them.
  return page.evaluate((sel) => window.axe!.run(sel ? { include: [sel] } : document, { resultTypes: ['violations'] }), include ?? null);
}

/** One line per violation: its rule, what it asks, and (at most three of) the elements it found. */
export function describeViolations(results: AxeResults, impacts?: readonly string[]): string[] {
  return results.violations
    .filter((v) => !impacts || impacts.includes(v.impact ?? ''))
    .map(
      (v) =>
        `${v.id}: ${v.help} (${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 3)
          .join(', ')})`,
    );
}

/** No serious or critical axe violation on the page (or inside `include`). */
export async function noSeriousViolations(page: Page, include?: string): Promise<void> {
  expect(describeViolations(await runAxe(page, include), ['serious', 'critical'])).toEqual([]);
}

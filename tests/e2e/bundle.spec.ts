import { test, expect, type BrowserContext } from '@playwright/test';
import { JS_BUDGET_GZIP_KB, jsChunks, sizeOf } from '../bench/chunks';

// What the browser fetches, from the built app (run `npm run build` first): the first screen
// stays within the JS budget with the simulation worker counted, and the parts that
// are not on it (editors, lessons, challenges, glossary) arrive when they are first shown.

/** The JS files (dist/assets names) the page and its worker request from now on. */
function recordJs(context: BrowserContext): Set<string> {
  const js = new Set<string>();
  context.on('request', (r) => {
    const m = /\/assets\/([^/?#]+\.js)(?:[?#]|$)/.exec(r.url());
    if (m) js.add(m[1]!);
  });
  return js;
}
const named = (files: Iterable<string>, prefix: string) => [...files].filter((f) => f.startsWith(`${prefix}-`));

test('a scenario link: the JS fetched before the first canvas (page and worker) is within the budget, no on-demand screen among it', async ({ page, context }) => {
  const js = recordJs(context);
  await page.goto('./#/scenario/passive-server-firewall-reject');
  await expect(page.locator('.svelte-flow__node').first()).toBeVisible();
  await expect(page.getByTestId('verdict-badge')).toHaveAttribute('data-verdict', 'failure');
  const fetched = sizeOf(js);
  // The run came from the worker, so its chunks are among what was counted.
  expect(named(js, 'sim.worker')).toHaveLength(1);
  expect(named(js, 'core-engine')).toHaveLength(1);
  expect(fetched.gzipKB).toBeLessThanOrEqual(JS_BUDGET_GZIP_KB);
  for (const lazy of ['Editors', 'LessonView', 'LessonList', 'lessons', 'teachLogic', 'trainee', 'ChallengeList', 'GlossaryView']) expect(named(js, lazy), lazy).toEqual([]);
  // dist/ read statically says the same: initial + worker is what was fetched.
  const chunks = jsChunks();
  expect(fetched.files).toEqual([...chunks.initial.files, ...chunks.worker.files].sort());
});

test('the editors arrive when the Edit tab first opens, and edit as before', async ({ page, context }) => {
  const js = recordJs(context);
  await page.goto('./#/scenario/passive-server-firewall-reject');
  await expect(page.getByTestId('verdict-badge')).toHaveAttribute('data-verdict', 'failure');
  expect(named(js, 'Editors')).toEqual([]);
  await page.getByRole('tab', { name: 'Edit scenario' }).click();
  await page.getByRole('checkbox', { name: /FTP helper for FTP server/ }).check();
  await expect(page.getByTestId('verdict-badge')).toHaveAttribute('data-verdict', 'success');
  expect(named(js, 'Editors')).toHaveLength(1);
});

test('a lesson link fetches the lesson code, then opens the step', async ({ page, context }) => {
  const js = recordJs(context);
  await page.goto('./#/lesson/passive-mode/step/2');
  await expect(page.getByTestId('step-title')).toHaveText('Reading 227');
  expect(named(js, 'teachLogic')).toHaveLength(1);
  expect(named(js, 'LessonView')).toHaveLength(1);
});

test('a part of the page that cannot be fetched says so instead of staying blank', async ({ page }) => {
  await page.route(/\/assets\/Editors-[^/]+\.js$/, (r) => r.abort());
  await page.goto('./#/scenario/passive-server-firewall-reject');
  await expect(page.getByTestId('verdict-badge')).toHaveAttribute('data-verdict', 'failure');
  await page.getByRole('tab', { name: 'Edit scenario' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'This part of the page could not be loaded' })).toContainText('Reload the page to try again');
});

test('a challenge link whose code cannot be fetched says so on the start page', async ({ page }) => {
  await page.route(/\/assets\/teachLogic-[^/]+\.js$/, (r) => r.abort());
  await page.goto('./#/challenge/silent-hang');
  await expect(page.getByText(/The lessons and challenges could not be loaded/)).toBeVisible();
});

/**
 * Answers stay hidden until revealed: in presenter and trainee mode the header calls a
 * built-in "Scenario N" (many built-in titles name the fault), and no built-in's title, summary
 * or description is anywhere on the page until Reveal. The transport's step count says how many
 * repeated packets are folded only when some are.
 */
import { test, expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';

type Builtin = { name: string; teaches: string; description?: string[] };
/** The library in its order (src/scenarios/index.ts lists the built-ins by id). */
const BUILTIN_SCENARIOS = [...readFileSync('src/scenarios/index.ts', 'utf8').matchAll(/\{ id: '([^']+)', json:/g)].map((m) => ({
  id: m[1]!,
  json: JSON.parse(readFileSync(`src/scenarios/${m[1]}.json`, 'utf8')) as unknown,
}));

/** The page's visible text (innerText leaves out what is not rendered) and the tooltips. */
const shown = (page: Page) => page.evaluate(() => document.body.innerText + '\n' + [...document.querySelectorAll('[title]')].map((e) => e.getAttribute('title')).join('\n'));

for (const mode of ['presenter', 'trainee'] as const)
  test(`${mode} mode never shows a built-in title or description before Reveal`, async ({ page }) => {
    test.setTimeout(200_000);
    expect(BUILTIN_SCENARIOS.length).toBeGreaterThan(30);
    await page.goto('./');
    for (const [k, s] of BUILTIN_SCENARIOS.entries()) {
      const j = s.json as Builtin;
      await page.evaluate((h) => (location.hash = h), `#/scenario/${s.id}?mode=${mode}`);
      await expect(page.getByTestId('scenario-title'), `${s.id} in ${mode} mode`).toHaveText(`Scenario ${k + 1}`);
      await expect(page.getByTestId('verdict-badge')).toHaveAttribute('data-verdict', 'hidden');
      // (the app writes the step into the URL once the run is there; wait for it before the next hash)
      await expect(page).toHaveURL(new RegExp(`#/scenario/${s.id}/step/`));
      const text = await shown(page);
      for (const secret of [j.name, j.teaches, ...(j.description ?? [])]) expect(text, `${s.id} (${mode}) shows "${secret}"`).not.toContain(secret);
    }
  });

test('Reveal brings the real title back; explore mode shows it as always', async ({ page }) => {
  const s = BUILTIN_SCENARIOS[6]!;
  await page.goto(`./#/scenario/${s.id}?mode=presenter`);
  await expect(page.getByTestId('scenario-title')).toHaveText('Scenario 7');
  await page.getByTestId('reveal-verdict').click();
  await expect(page.getByTestId('scenario-title')).toHaveText((s.json as Builtin).name);
  await page.evaluate((h) => (location.hash = h), `#/scenario/${BUILTIN_SCENARIOS[4]!.id}`);
  await expect(page.getByTestId('scenario-title')).toHaveText((BUILTIN_SCENARIOS[4]!.json as Builtin).name);
});

test('a lesson question hides the scenario title; a challenge keeps its own (neutral) title', async ({ page }) => {
  await page.goto('./#/lesson/client-firewall-active/step/2');
  await expect(page.getByTestId('verdict-badge')).toHaveAttribute('data-verdict', 'hidden');
  await expect(page.getByTestId('scenario-title')).toHaveText("The lesson's network");
});

test('the step count mentions folded packets only when some are hidden, in plain words', async ({ page }) => {
  // No retransmission in the run: presenter folds, and nothing is said.
  await page.goto('./#/scenario/seed-passive-session?mode=presenter');
  const pos = page.getByTestId('position');
  await expect(pos).toContainText(/step 1 of \d+/);
  await expect(pos).not.toContainText('unfolded');
  await expect(page.getByTestId('hidden-steps')).toHaveCount(0);
  const total = Number((await pos.textContent())!.match(/of (\d+)/)![1]);
  // A silent DROP retried 11 times: the count says how many repeats are hidden.
  await page.goto('./#/scenario/passive-server-firewall-drop?mode=presenter');
  await expect(page.getByTestId('hidden-steps')).toBeVisible();
  const shownCount = Number((await pos.textContent())!.match(/of (\d+)/)![1]);
  expect(shownCount).toBeLessThan(466);
  await expect(page.getByTestId('hidden-steps')).toHaveText(`(${466 - shownCount} resent packets hidden)`);
  expect(total).toBeGreaterThan(0);
  await page.screenshot({ path: 'screenshots/presenter-hidden-steps-1280x720.png' });
});

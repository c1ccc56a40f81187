import { test, expect, type Page } from '@playwright/test';
import { runAxe } from '../support/axe';
import { execFileSync } from 'node:child_process';

// The Conntrack tab against the core's own trace: the FTP helper's expectation on the
// client router is created and used, and the data connection enters the table RELATED.
// The core runs through tsx (Playwright's loader cannot import the scenarios' JSON).

const ID = 'active-client-firewall-helper';
const DEVICE = 'client-edge';

interface CoreCt {
  steps: number;
  /** Announced text of each expectation the helper created on DEVICE, in order. */
  expects: string[];
  /** Tuples of the connections that used one. */
  used: string[];
  /** The first data connection: its tuple and the first step whose view includes its RELATED event. */
  related: { tuple: string; step: number };
}

function coreConntrack(): CoreCt {
  const code = `
    import { readFileSync } from 'node:fs';
    import { loadScenario, runScenario } from './src/core/index';
    import { packetSteps } from './src/ui/playback/steps';
    const json = JSON.parse(readFileSync('src/scenarios/${ID}.json', 'utf8'));
    const loaded = loadScenario(json, '${ID}.json');
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
    const { trace } = runScenario(loaded.scenario);
    const steps = packetSteps(trace);
    const ct = trace.events.map((e, i) => ({ e, i })).filter((x) => x.e.kind === 'conntrack' && x.e.device === '${DEVICE}');
    const rel = ct.find((x) => x.e.action === 'related' && ct.some((u) => u.e.action === 'expect-used' && u.e.tuple === x.e.tuple));
    process.stdout.write(JSON.stringify({
      steps: steps.length,
      expects: ct.filter((x) => x.e.action === 'expect').map((x) => /"([^"]*)"/.exec(x.e.note)[1]),
      used: ct.filter((x) => x.e.action === 'expect-used').map((x) => x.e.tuple),
      related: rel && { tuple: rel.e.tuple, step: steps.findIndex((s) => s >= rel.i) },
    }));`;
  return JSON.parse(execFileSync('npx', ['tsx', '--eval', code], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })) as CoreCt;
}

const core = coreConntrack();
const position = (page: Page) => page.getByTestId('position').locator('strong');

test("conntrack tab: the helper's expectation on the client router is created and used; the data connection starts RELATED", async ({ page }) => {
  test.setTimeout(120_000);
  expect(core.expects.length).toBeGreaterThan(0);
  expect(core.used.length).toBeGreaterThan(0);
  expect(core.related.step).toBeGreaterThan(0);

  await page.goto('./');
  await page.locator(`[data-scenario="${ID}"]`).click();
  await page.getByRole('tab', { name: 'Conntrack' }).click();
  // The transport keys are not taken while a tab has the focus (arrows move between tabs).
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  const panel = page.getByTestId('conntrack');
  const dev = panel.locator(`[data-device="${DEVICE}"]`);

  // At the end: every expectation the core created on the router is listed, and the ones used name their connection.
  await page.keyboard.press('End');
  await expect(position(page)).toHaveText(String(core.steps));
  const rows = dev.getByTestId('ct-expectation');
  await expect(rows).toHaveCount(core.expects.length);
  for (const announced of core.expects) await expect(rows.filter({ hasText: announced })).toHaveCount(1);
  const used = dev.locator('[data-testid="ct-expectation"][data-status="used"]');
  await expect(used).toHaveCount(core.used.length);
  for (const tuple of core.used) await expect(used.filter({ hasText: tuple })).toHaveCount(1);
  const data = dev.locator(`[data-testid="ct-entry"][data-tuple="${core.related.tuple}"]`);
  await expect(data).toHaveAttribute('data-first', 'RELATED');
  await expect(data).toContainText('first packet: RELATED');
  await page.screenshot({ path: 'screenshots/conntrack-end.png' });

  // One step before the data connection's first packet passes the router: no entry yet, the expectation pending.
  await page.keyboard.press('Home');
  for (let i = 0; i < core.related.step - 1; i++) await page.keyboard.press('ArrowRight');
  await expect(position(page)).toHaveText(String(core.related.step));
  await expect(data).toHaveCount(0);
  await expect(dev.locator('[data-testid="ct-expectation"][data-status="pending"]').filter({ hasText: core.expects[0]! })).toHaveCount(1);

  // At that packet: the entry is RELATED, shown as just changed, and the expectation is used by it.
  await page.keyboard.press('ArrowRight');
  await expect(position(page)).toHaveText(String(core.related.step + 1));
  await expect(data).toHaveAttribute('data-state', 'RELATED');
  await expect(data).toHaveClass(/fresh/);
  await expect(used.filter({ hasText: core.related.tuple })).toHaveCount(1);
  await page.screenshot({ path: 'screenshots/conntrack-related.png' });

  const r = await runAxe(page, '[data-testid="conntrack"]');
  expect(
    r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map(
        (v) =>
          `${v.id}: ${v.nodes
            .map((n) => `${n.target.join(' ')} ${n.failureSummary ?? ''}`)
            .slice(0, 4)
            .join(' | ')}`,
      ),
  ).toEqual([]);
});

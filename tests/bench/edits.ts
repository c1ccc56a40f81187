/**
 * The bench's edit → verdict measurement (tests/bench/ui.ts), in pieces that the A/B tool
 * (tests/bench/edit-ab.ts) times the same way: the same pages, the same two edits made
 * through the editors' own controls, the same clock.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { BUILTIN_SCENARIOS } from '../../src/scenarios/index';

const ROOT = join(import.meta.dirname, '..', '..');

/** `vite preview` of a build folder on a free port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export async function startPreview(port: number, dist: string): Promise<ChildProcess> {
  const vite = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  const child = spawn(process.execPath, [vite, 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort', '--outDir', dist], { cwd: ROOT, stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}/`;
  for (let i = 0; i < 150; i++) {
    if (child.exitCode !== null) throw new Error(`vite preview exited with ${child.exitCode}`);
    try {
      if ((await fetch(url)).ok) return child;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('vite preview did not start within 15 s');
}

/** `--name value` from the command line, or the default. */
export function benchOpt(name: string, dflt: string): string {
  const args = process.argv.slice(2);
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1]! : dflt;
}

/** A Chrome trace event, as the DevTools protocol's Tracing domain reports it. */
export interface TraceEvt {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string; data?: Record<string, unknown> };
}

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)]! : NaN;
};
export const round = (x: number) => +x.toFixed(1);
export const stats = (xs: number[]) => ({ median: round(median(xs)), max: round(Math.max(...xs)), n: xs.length });

export function builtin(id: string): unknown {
  const s = BUILTIN_SCENARIOS.find((b) => b.id === id);
  if (!s) throw new Error(`no built-in scenario ${id}`);
  return s.json;
}

/**
 * A 1280×720 context. tsx compiles this file with esbuild's keepNames, so functions handed
 * to the page call a `__name` helper that only exists in Node: the page gets a no-op one.
 */
export async function newContext(browser: Browser) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  await ctx.addInitScript({ content: 'globalThis.__name = (f) => f;' });
  return ctx;
}

/**
 * Runs `act` in the page and returns the time until the verdict badge's data-verdict
 * changed (DOM) and until the frame after it (on screen).
 */
export async function timeVerdictFlip(page: Page, act: string): Promise<{ dom: number; frame: number }> {
  return page.evaluate(async (actSrc) => {
    const badge = document.querySelector('[data-testid="verdict-badge"]')!;
    const before = badge.getAttribute('data-verdict');
    const done = new Promise<{ dom: number; frame: number }>((resolve) => {
      const obs = new MutationObserver(() => {
        const b = document.querySelector('[data-testid="verdict-badge"]');
        if (!b || b.getAttribute('data-verdict') === before) return;
        obs.disconnect();
        const dom = performance.now() - t0;
        requestAnimationFrame(() => setTimeout(() => resolve({ dom, frame: performance.now() - t0 }), 0));
      });
      obs.observe(document.body, { subtree: true, attributes: true, attributeFilter: ['data-verdict'], childList: true });
    });
    const t0 = performance.now();
    new Function(actSrc)();
    return done;
  }, act);
}

export async function openBuiltin(page: Page, base: string, id: string) {
  await page.goto(base);
  await page.locator(`[data-scenario="${id}"]`).click();
  await page.locator('.svelte-flow__node').first().waitFor();
}

/** The FTP helper checkbox fixes passive-server-firewall-reject (and unchecking breaks it again): the act of round i. */
export async function helperEdit(page: Page, base: string): Promise<(i: number) => string> {
  await openBuiltin(page, base, 'passive-server-firewall-reject');
  await page.getByRole('tab', { name: 'Edit scenario' }).click();
  const box = page.getByRole('checkbox', { name: /FTP helper for FTP server/ });
  await box.waitFor();
  await box.evaluate((el) => el.setAttribute('data-bench', 'helper'));
  return () => `document.querySelector('[data-bench="helper"]').click()`;
}

/** pasv_max_port in the vsftpd text fixes seed-incident-pasv-range (and the original breaks it again): the act of round i. */
export async function pasvEdit(page: Page, base: string): Promise<(i: number) => string> {
  await openBuiltin(page, base, 'seed-incident-pasv-range');
  await page.getByRole('tab', { name: 'Edit scenario' }).click();
  await page.getByRole('tab', { name: /Server/ }).click();
  const text = page.getByRole('textbox', { name: 'vsftpd.conf text' });
  await text.waitFor();
  await text.evaluate((el) => el.setAttribute('data-bench', 'vsftpd'));
  const original = await text.inputValue();
  const m = /^pasv_max_port=(\d+)$/m.exec(original);
  if (!m) throw new Error('seed-incident-pasv-range has no pasv_max_port line');
  const fixed = original.replace(/^pasv_max_port=\d+$/m, 'pasv_max_port=3100');
  return (i) => {
    const next = i % 2 === 0 ? fixed : original;
    return `const t = document.querySelector('[data-bench="vsftpd"]'); t.value = ${JSON.stringify(next)}; t.dispatchEvent(new Event('input', { bubbles: true }));`;
  };
}

/**
 * How long the bench lets a learner read an opened scenario before the first edit: the page
 * warms its simulation workers up while idle (src/ui/state/runner.ts, `warm`), as it does for
 * anyone who looks at a scenario before changing it.
 */
export const READ_MS = 2500;

/** Edits through the editors' own controls, timed from the DOM event to the new verdict. */
export async function editToVerdict(browser: Browser, base: string, rounds: number, readMs = READ_MS) {
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  const helper: number[] = [];
  const helperFrame: number[] = [];
  const pasv: number[] = [];
  const pasvFrame: number[] = [];
  try {
    const toggle = await helperEdit(page, base);
    await page.waitForTimeout(readMs);
    for (let i = 0; i < rounds; i++) {
      const r = await timeVerdictFlip(page, toggle(i));
      helper.push(r.dom);
      helperFrame.push(r.frame);
    }
    const type = await pasvEdit(page, base);
    await page.waitForTimeout(readMs);
    for (let i = 0; i < rounds; i++) {
      const r = await timeVerdictFlip(page, type(i));
      pasv.push(r.dom);
      pasvFrame.push(r.frame);
    }
  } finally {
    await ctx.close();
  }
  return { helperToggle: { dom: stats(helper), onScreen: stats(helperFrame) }, pasvMaxPortEdit: { dom: stats(pasv), onScreen: stats(pasvFrame) } };
}

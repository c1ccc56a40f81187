/**
 * npm run bench (second half) — speed figures of the browser app, printed as one JSON
 * object. Targets (issue): the JS the first screen needs ≤ 300 kB gzipped — everything the
 * browser fetched before the first canvas was painted, the simulation worker's chunks included
 * (lazily loaded screens are listed apart); first canvas ≤ 1 s on localhost;
 * edit → new verdict on screen ≤ 100 ms; one step rendered ≤ 16 ms; 60 fps while playing a
 * trace of ≥ 1,000 events. Measured in Debian's chromium driven by Playwright against
 * `vite preview`; times are read in the page (performance.now, requestAnimationFrame).
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser } from '@playwright/test';
import { DIST, JS_BUDGET_GZIP_KB, jsChunks, sizeOf } from './chunks';
import { builtin, editToVerdict, freePort, READ_MS, median, newContext, round, startPreview, stats } from './edits';
import { loadScenario, runScenario } from '../../src/core/index';
import { packetSteps } from '../../src/ui/playback/steps';

// src/ui/share/share.ts's fragment format (#s=<lz-string>&step=n). Node's ESM loader cannot
// take lz-string's named exports (it is CommonJS), so the encoder is loaded through require.
const lz = createRequire(import.meta.url)('lz-string') as { compressToEncodedURIComponent: (s: string) => string };
const encodeShare = (file: unknown, step: number) => `#s=${lz.compressToEncodedURIComponent(JSON.stringify(file))}&step=${step}`;

const ROOT = join(import.meta.dirname, '..', '..');
const TARGETS = { jsGzipKB: JS_BUDGET_GZIP_KB, firstCanvasMs: 1000, editToVerdictMs: 100, stepRenderMs: 16, playFps: 60 };

/** Newest modification time under a folder (files only). */
function newest(dir: string): number {
  let t = 0;
  for (const name of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const s = statSync(join(dir, name));
    if (s.isFile()) t = Math.max(t, s.mtimeMs);
  }
  return t;
}

/** dist/ is fresh when it is newer than every source the build reads. */
function buildIfStale(): boolean {
  if (process.env.BENCH_DIST) return false;
  const index = join(DIST, 'index.html');
  const inputs = [join(ROOT, 'src'), join(ROOT, 'static')].filter(existsSync).map(newest);
  for (const f of ['index.html', 'vite.config.ts', 'package.json']) if (existsSync(join(ROOT, f))) inputs.push(statSync(join(ROOT, f)).mtimeMs);
  if (existsSync(index) && statSync(index).mtimeMs >= Math.max(...inputs)) return false;
  execFileSync('npx', ['vite', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  return true;
}

/**
 * Navigation start → first `.svelte-flow__node` in the DOM and then painted (next frame
 * after it appeared). A fresh context each time, so nothing comes from the HTTP cache. Also
 * the JS files requested by then — the page's and its worker's (the context sees both).
 */
async function firstCanvas(browser: Browser, base: string, runs: number): Promise<{ dom: number[]; painted: number[]; jsBefore: string[][] }> {
  const url = base + encodeShare(builtin('active-client-firewall-helper'), 0);
  const dom: number[] = [];
  const painted: number[] = [];
  const jsBefore: string[][] = [];
  for (let i = 0; i < runs; i++) {
    const ctx = await newContext(browser);
    const js = new Set<string>();
    ctx.on('request', (r) => {
      const m = /\/assets\/([^/?#]+\.js)(?:[?#]|$)/.exec(r.url());
      if (m) js.add(m[1]!);
    });
    const page = await ctx.newPage();
    await page.addInitScript(() => {
      const w = window as unknown as { __firstNode?: Promise<[number, number]> };
      w.__firstNode = new Promise((resolve) => {
        const check = () => {
          const el = document.querySelector('.svelte-flow__node');
          if (!el || !(el as HTMLElement).offsetParent) return false;
          const seen = performance.now();
          requestAnimationFrame(() => setTimeout(() => resolve([seen, performance.now()]), 0));
          return true;
        };
        new MutationObserver((_, obs) => {
          if (check()) obs.disconnect();
        }).observe(document, { childList: true, subtree: true, attributes: true });
      });
    });
    await page.goto(url);
    const [seen, paint] = await page.evaluate(() => (window as unknown as { __firstNode: Promise<[number, number]> }).__firstNode);
    dom.push(seen);
    painted.push(paint);
    jsBefore.push([...js].sort());
    await ctx.close();
  }
  return { dom, painted, jsBefore };
}

/**
 * Per step: the key press handled, Svelte's flush done and style + layout forced (the
 * synchronous work of a step); and the same up to the frame that shows it.
 */
async function stepRender(browser: Browser, base: string, url: string, n: number) {
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  try {
    await page.goto(url);
    await page.locator('.svelte-flow__node').first().waitFor();
    return await page.evaluate(async (count) => {
      const work: number[] = [];
      const frame: number[] = [];
      const pos = () => document.querySelector('[data-testid="position"] strong')?.textContent;
      for (let i = 0; i < count; i++) {
        const was = pos();
        const t0 = performance.now();
        window.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
        for (let k = 0; k < 5; k++) await Promise.resolve();
        void document.body.offsetHeight;
        work.push(performance.now() - t0);
        await new Promise<void>((r) => requestAnimationFrame(() => setTimeout(r, 0)));
        frame.push(performance.now() - t0);
        if (pos() === was) throw new Error('a step did not move the position');
      }
      return { work, frame };
    }, n);
  } finally {
    await ctx.close();
  }
}

/** requestAnimationFrame callbacks per second while Play runs at the highest speed. */
async function playFps(browser: Browser, url: string, seconds: number) {
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  try {
    const t0 = Date.now();
    await page.goto(url);
    await page.locator('.svelte-flow__node').first().waitFor();
    const openMs = Date.now() - t0;
    const select = page.getByRole('combobox', { name: 'Speed' });
    const top = (await select.locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))).at(-1)!;
    await select.selectOption(top);
    await page.getByRole('button', { name: /^Play/ }).click();
    const r = await page.evaluate(async (ms) => {
      const pos = () => Number(document.querySelector('[data-testid="position"] strong')?.textContent ?? 0);
      const startStep = pos();
      let frames = 0;
      let worst = 0;
      let last = performance.now();
      const start = last;
      await new Promise<void>((resolve) => {
        const tick = (now: number) => {
          frames++;
          worst = Math.max(worst, now - last);
          last = now;
          if (now - start < ms) requestAnimationFrame(tick);
          else resolve();
        };
        requestAnimationFrame(tick);
      });
      const elapsed = performance.now() - start;
      return { fps: frames / (elapsed / 1000), worstFrameMs: worst, steps: pos() - startStep };
    }, seconds * 1000);
    return { ...r, speed: `${top}×`, openMs };
  } finally {
    await ctx.close();
  }
}

/** The 1-MB-get variant of a built-in, for a trace well over 1,000 events. */
function bigTraceScenario(): { file: unknown; events: number; steps: number } {
  const file = structuredClone(builtin('active-client-firewall-helper')) as { name: string; server: { files?: unknown }; script: string[] };
  file.name = 'Bench: 1 MB get through the client firewall with the FTP helper';
  file.server.files = { '/big.bin': { size: 1_000_000 } };
  file.script = ['login', 'get big.bin', 'quit'];
  const loaded = loadScenario(file);
  if (!loaded.ok) throw new Error(`bench scenario does not load: ${loaded.errors.map((e) => e.message).join('; ')}`);
  const { trace } = runScenario(loaded.scenario);
  return { file, events: trace.events.length, steps: packetSteps(trace).length };
}

async function main() {
  const built = buildIfStale();
  const js = jsChunks();
  const port = await freePort();
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  const executablePath = candidates.find((p): p is string => !!p && existsSync(p));
  let preview: ChildProcess | null = null;
  let browser: Browser | null = null;
  try {
    preview = await startPreview(port, DIST);
    const base = `http://127.0.0.1:${port}/`;
    browser = await chromium.launch({
      ...(executablePath ? { executablePath } : {}),
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    const canvas = await firstCanvas(browser, base, 5);
    // Every run should fetch the same files; the bench counts the largest set seen.
    const fetched = sizeOf(canvas.jsBefore.reduce((a, b) => (b.length > a.length ? b : a)));
    const runsAgree = canvas.jsBefore.every((l) => l.join() === canvas.jsBefore[0]!.join());
    const edit = await editToVerdict(browser, base, 6);
    // The same edits made the moment the scenario is open, before the workers have warmed up: not a target, shown so the gap is known.
    const editCold = await editToVerdict(browser, base, 6, 0);
    const steps = await stepRender(browser, base, base + encodeShare(builtin('active-client-firewall-helper'), 0), 60);
    const big = bigTraceScenario();
    const bigUrl = base + encodeShare(big.file, 0);
    const bigSteps = await stepRender(browser, base, bigUrl, 30);
    const play = await playFps(browser, bigUrl, 4);
    const out = {
      build: { rebuilt: built },
      js: {
        counted: 'gzipped (level 9, file by file); the budget is for firstScreen: what the browser fetched before the first canvas was painted',
        firstScreen: { ...fetched, runsAgree, scenario: 'active-client-firewall-helper (share URL, cold cache)' },
        fromDist: {
          initial: { what: "index.html's script, its modulepreloads and their static imports", ...js.initial },
          worker: { what: 'the simulation worker and what it imports beyond the initial chunks (starts when a scenario opens)', ...js.worker },
          lazy: { what: 'import() on demand: editors, lessons, glossary, challenges', ...js.lazy },
          all: { gzipKB: js.all.gzipKB, rawKB: js.all.rawKB, files: js.all.files.length },
        },
      },
      firstCanvasMs: { scenario: 'active-client-firewall-helper (share URL, cold cache)', dom: stats(canvas.dom), painted: stats(canvas.painted) },
      editToVerdictMs: { readFirstMs: READ_MS, ...edit },
      editToVerdictNoReadingMs: { what: 'the same edits made at once after opening, before the idle workers have warmed up (no target)', ...editCold },
      stepRenderMs: {
        builtin: { scenario: 'active-client-firewall-helper', work: stats(steps.work), toFrame: stats(steps.frame) },
        bigTrace: { events: big.events, steps: big.steps, work: stats(bigSteps.work), toFrame: stats(bigSteps.frame) },
      },
      play: {
        events: big.events,
        steps: big.steps,
        speed: play.speed,
        fps: round(play.fps),
        worstFrameMs: round(play.worstFrameMs),
        stepsAdvanced: play.steps,
        openMs: play.openMs,
      },
      targets: TARGETS,
      met: {
        jsGzip: fetched.gzipKB <= TARGETS.jsGzipKB,
        firstCanvas: median(canvas.painted) <= TARGETS.firstCanvasMs,
        editToVerdict: Math.max(edit.helperToggle.onScreen.median, edit.pasvMaxPortEdit.onScreen.median) <= TARGETS.editToVerdictMs,
        stepRender: Math.max(median(steps.work), median(bigSteps.work)) <= TARGETS.stepRenderMs,
        playFps: play.fps >= TARGETS.playFps * 0.95,
      },
    };
    process.stdout.write(JSON.stringify(out, null, 2) + '\n');
  } finally {
    await browser?.close().catch(() => {});
    if (preview?.pid !== undefined && preview.exitCode === null) process.kill(preview.pid, 'SIGTERM');
  }
}

await main();

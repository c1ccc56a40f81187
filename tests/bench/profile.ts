/**
 * Where the UI's time goes: a Chrome trace and a CPU profile (DevTools protocol) of one of
 * the bench's actions, summarised as CPU time per trace phase (script, style, layout, paint…)
 * and the JS functions with the most self time. Not a bench (no targets): a tool to compare
 * two builds, run A/B interleaved on a busy machine by comparing CPU time, not wall clock.
 *
 *   npx vite build --minify false --outDir /tmp/dist-prof    # readable names (optional)
 *   npx tsx tests/bench/profile.ts play|step|edit|edit-pasv|idle [--dist DIR] [--seconds 3] [--top 25] [--no-cpu] [--dump trace.json]
 *
 * --invalidations records what invalidated style, layout and paint (node and reason; see --dump).
 * --no-cpu leaves the sampling profiler off (it slows the page): the per-thread CPU times
 * (threads[].ms, from the trace's thread durations) are then the figures to compare.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type CDPSession, type Page } from '@playwright/test';
import { SourceMapConsumer } from 'source-map-js';
import { BUILTIN_SCENARIOS } from '../../src/scenarios/index';
import { helperEdit, pasvEdit, timeVerdictFlip } from './edits';

const lz = createRequire(import.meta.url)('lz-string') as { compressToEncodedURIComponent: (s: string) => string };
const encodeShare = (file: unknown, step: number) => `#s=${lz.compressToEncodedURIComponent(JSON.stringify(file))}&step=${step}`;
const ROOT = join(import.meta.dirname, '..', '..');

const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1]! : dflt;
};
const what = args[0] ?? 'play';
const dist = opt('dist', join(ROOT, 'dist'));
const seconds = Number(opt('seconds', '3'));
const top = Number(opt('top', '25'));

function builtin(id: string): unknown {
  return BUILTIN_SCENARIOS.find((b) => b.id === id)!.json;
}
function bigFile(): unknown {
  const file = structuredClone(builtin('active-client-firewall-helper')) as { name: string; server: { files?: unknown }; script: string[] };
  file.name = 'Bench: 1 MB get through the client firewall with the FTP helper';
  file.server.files = { '/big.bin': { size: 1_000_000 } };
  file.script = ['login', 'get big.bin', 'quit'];
  return file;
}

async function preview(port: number): Promise<ChildProcess> {
  const vite = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  const child = spawn(process.execPath, [vite, 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort', '--outDir', dist], { cwd: ROOT, stdio: 'ignore' });
  for (let i = 0; i < 150; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/`)).ok) return child;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('preview did not start');
}

interface TraceEvt {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  tdur?: number;
  pid: number;
  tid: number;
  args?: { name?: string; data?: Record<string, unknown> };
}

async function record(cdp: CDPSession, act: () => Promise<void>) {
  const events: TraceEvt[] = [];
  cdp.on('Tracing.dataCollected', (e) => void events.push(...(e.value as unknown as TraceEvt[])));
  const cpu = !args.includes('--no-cpu');
  if (cpu) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  }
  await cdp.send('Tracing.start', {
    categories:
      'devtools.timeline,blink.user_timing,disabled-by-default-devtools.timeline,disabled-by-default-devtools.timeline.stack,disabled-by-default-devtools.timeline.frame,v8,blink,cc,gpu,viz' +
      (args.includes('--invalidations') ? ',disabled-by-default-devtools.timeline.invalidationTracking' : ''),
    transferMode: 'ReportEvents',
  } as never);
  if (cpu) await cdp.send('Profiler.start');
  await act();
  const { profile } = cpu ? ((await cdp.send('Profiler.stop')) as { profile: CpuProfile }) : { profile: { nodes: [], samples: [], timeDeltas: [] } };
  const done = new Promise<void>((r) => cdp.once('Tracing.tracingComplete', () => r()));
  await cdp.send('Tracing.end');
  await done;
  return { events, profile };
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
  startTime?: number;
}

/** With a build's source maps (vite build --sourcemap): the original file of a frame. */
const maps = new Map<string, SourceMapConsumer | null>();
function sourceOf(url: string, line: number, col: number): string | null {
  const file = url.split('/').pop() ?? '';
  if (!file.endsWith('.js')) return null;
  if (!maps.has(file)) {
    const path = join(dist, 'assets', file + '.map');
    maps.set(file, existsSync(path) ? new SourceMapConsumer(JSON.parse(readFileSync(path, 'utf8'))) : null);
  }
  const m = maps.get(file);
  if (!m) return null;
  const pos = m.originalPositionFor({ line: line + 1, column: col });
  return pos.source ? `${pos.source.replace(/^.*node_modules\//, '').replace(/^(\.\.\/)+/, '')}` : null;
}

function summarise(events: TraceEvt[], profile: CpuProfile) {
  // The page's renderer main thread: where the app's FunctionCalls run.
  const threadNames = new Map<string, string>();
  for (const e of events) if (e.ph === 'M' && e.name === 'thread_name') threadNames.set(`${e.pid}:${e.tid}`, e.args?.name ?? '');
  const perThread = new Map<string, number>();
  for (const e of events) if (e.ph === 'X' && e.name === 'RunTask') perThread.set(`${e.pid}:${e.tid}`, (perThread.get(`${e.pid}:${e.tid}`) ?? 0) + (e.tdur ?? e.dur ?? 0));
  const mains = [...threadNames].filter(([, n]) => n === 'CrRendererMain').map(([k]) => k);
  const main = mains.sort((a, b) => (perThread.get(b) ?? 0) - (perThread.get(a) ?? 0))[0];
  const threads = [...perThread]
    .map(([k, us]) => ({ thread: threadNames.get(k) ?? k, ms: Math.round(us / 1000) }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 8);
  // Self time per event name on the main thread (nesting resolved by ts/dur).
  const mainEv = events.filter((e) => `${e.pid}:${e.tid}` === main && e.ph === 'X' && e.dur !== undefined).sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const count = new Map<string, number>();
  const stack: TraceEvt[] = [];
  for (const e of mainEv) {
    while (stack.length && stack.at(-1)!.ts + stack.at(-1)!.dur! <= e.ts) stack.pop();
    const parent = stack.at(-1);
    if (parent) self.set(parent.name, (self.get(parent.name) ?? 0) - e.dur!);
    self.set(e.name, (self.get(e.name) ?? 0) + e.dur!);
    if (!stack.some((s) => s.name === e.name)) total.set(e.name, (total.get(e.name) ?? 0) + e.dur!);
    count.set(e.name, (count.get(e.name) ?? 0) + 1);
    stack.push(e);
  }
  const phases = [...self]
    .map(([name, us]) => ({ name, selfMs: Math.round(us / 100) / 10, totalMs: Math.round((total.get(name) ?? 0) / 100) / 10, n: count.get(name) }))
    .filter((x) => x.totalMs >= 1)
    .sort((a, b) => b.selfMs - a.selfMs)
    .slice(0, 22);
  const frames = events.filter((e) => e.name === 'DrawFrame' || e.name === 'Graphics.Pipeline').length;
  const beginFrames = events.filter((e) => `${e.pid}:${e.tid}` === main && e.name === 'BeginMainThreadFrame').length;
  const animFrames = events.filter((e) => `${e.pid}:${e.tid}` === main && e.name === 'FireAnimationFrame').length;
  // CPU profile: self time per function (this is the page's thread only).
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfFn = new Map<string, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const n = byId.get(profile.samples[i]!)!;
    const cf = n.callFrame;
    const key = `${cf.functionName || '(anon)'} ${cf.url.split('/').pop()}:${cf.lineNumber + 1}`;
    selfFn.set(key, (selfFn.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const fns = [...selfFn]
    .map(([fn, us]) => ({ fn, ms: Math.round(us / 100) / 10 }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, top);
  // Inclusive time per function (name+url), for "who calls the expensive stuff".
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const incl = new Map<string, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const seen = new Set<string>();
    for (let id: number | undefined = profile.samples[i]; id !== undefined; id = parent.get(id)) {
      const cf = byId.get(id)!.callFrame;
      if (!cf.url) continue;
      const key = `${cf.functionName || '(anon)'} ${cf.url.split('/').pop()}:${cf.lineNumber + 1}`;
      if (seen.has(key)) continue;
      seen.add(key);
      incl.set(key, (incl.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
    }
  }
  const inclusive = [...incl]
    .map(([fn, us]) => ({ fn, ms: Math.round(us / 100) / 10 }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, top);
  // Inclusive and self time per original source file (needs source maps).
  const fileIncl = new Map<string, number>();
  const fileSelf = new Map<string, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const seen = new Set<string>();
    let first = true;
    for (let id: number | undefined = profile.samples[i]; id !== undefined; id = parent.get(id)) {
      const cf = byId.get(id)!.callFrame;
      const src = cf.url ? sourceOf(cf.url, cf.lineNumber, cf.columnNumber) : null;
      if (!src) continue;
      if (first) fileSelf.set(src, (fileSelf.get(src) ?? 0) + (profile.timeDeltas[i] ?? 0));
      first = false;
      if (seen.has(src)) continue;
      seen.add(src);
      fileIncl.set(src, (fileIncl.get(src) ?? 0) + (profile.timeDeltas[i] ?? 0));
    }
  }
  const files = (m: Map<string, number>) =>
    [...m]
      .map(([f, us]) => ({ f, ms: Math.round(us / 100) / 10 }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, top);
  return { threads, beginFrames, animFrames, drawFrames: frames, phases, selfFns: fns, inclusiveFns: inclusive, filesInclusive: files(fileIncl), filesSelf: files(fileSelf) };
}

async function play(page: Page, base: string, cdp: CDPSession) {
  await page.goto(base + encodeShare(bigFile(), 0));
  await page.locator('.svelte-flow__node').first().waitFor();
  const select = page.getByRole('combobox', { name: 'Speed' });
  const topRate = (await select.locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))).at(-1)!;
  await select.selectOption(topRate);
  await page.getByRole('button', { name: /^Play/ }).click();
  await page.waitForTimeout(500);
  return record(cdp, async () => {
    const r = await page.evaluate(async (ms) => {
      let frames = 0;
      const start = performance.now();
      await new Promise<void>((resolve) => {
        const tick = (now: number) => {
          frames++;
          if (now - start < ms) requestAnimationFrame(tick);
          else resolve();
        };
        requestAnimationFrame(tick);
      });
      return frames / ((performance.now() - start) / 1000);
    }, seconds * 1000);
    console.error(`rAF fps during the recording: ${r.toFixed(1)}`);
  });
}

async function step(page: Page, base: string, cdp: CDPSession) {
  await page.goto(base + encodeShare(bigFile(), 0));
  await page.locator('.svelte-flow__node').first().waitFor();
  return record(cdp, async () => {
    await page.evaluate(async (n) => {
      for (let i = 0; i < n; i++) {
        window.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
        await new Promise<void>((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      }
    }, 30);
  });
}

/** Nothing happening: a page that keeps working when idle (a loop of effects, an animation) shows here. */
async function idle(page: Page, base: string, cdp: CDPSession) {
  await page.goto(base + '#/scenario/passive-server-firewall-drop');
  await page.locator('.svelte-flow__node').first().waitFor();
  await page.getByRole('button', { name: 'Jump to the failure' }).click();
  await page.waitForTimeout(1000);
  return record(cdp, () => page.waitForTimeout(seconds * 1000));
}

/** The bench's edits (tests/bench/edits.ts), six rounds, marked per edit ("edit-start", then "flip-<dom ms>-<on screen ms>"). */
async function editRounds(page: Page, cdp: CDPSession, act: (i: number) => string) {
  const times: number[] = [];
  const r = await record(cdp, async () => {
    for (let i = 0; i < 6; i++) {
      await page.evaluate(() => performance.mark('edit-start'));
      const t = await timeVerdictFlip(page, act(i));
      await page.evaluate((m) => performance.mark(m), `flip-${t.dom.toFixed(1)}-${t.frame.toFixed(1)}`);
      times.push(t.dom);
      await page.waitForTimeout(300);
    }
  });
  console.error(`edit → verdict DOM ms: ${times.map((t) => t.toFixed(1)).join(' ')}`);
  return r;
}

const edit = async (page: Page, base: string, cdp: CDPSession) => editRounds(page, cdp, await helperEdit(page, base));
const editPasv = async (page: Page, base: string, cdp: CDPSession) => editRounds(page, cdp, await pasvEdit(page, base));

const port = 20000 + (process.pid % 20000);
const server = await preview(port);
const exe = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find(existsSync);
const browser = await chromium.launch({ ...(exe ? { executablePath: exe } : {}), args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
try {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  await ctx.addInitScript({ content: 'globalThis.__name = (f) => f;' });
  const page = await ctx.newPage();
  const cdp = await ctx.newCDPSession(page);
  const base = `http://127.0.0.1:${port}/`;
  const { events, profile } = await ({ edit, 'edit-pasv': editPasv, step, play, idle }[what] ?? play)(page, base, cdp);
  const dump = opt('dump', '');
  if (dump) writeFileSync(dump, JSON.stringify({ traceEvents: events, profile }));
  console.log(JSON.stringify(summarise(events, profile), null, 1));
} finally {
  await browser.close();
  server.kill('SIGTERM');
}

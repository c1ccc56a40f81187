/**
 * Edit → verdict, two builds A/B interleaved (a busy machine's load drifts by the minute, so
 * two builds measured a minute apart are not comparable). Each build is served by its own
 * `vite preview`; for every repetition each build gets a fresh page and the bench's own
 * rounds of both edits (tests/bench/edits.ts: the same acts, the same clock as ui.ts). Besides
 * the wall times it reports the CPU time per edit of the page's main thread and of the
 * worker (thread durations from a Chrome trace of the timed rounds only), which a busy
 * machine inflates far less than wall time; the least of the repetitions' main-thread CPU is
 * the least disturbed by other processes.
 *
 *   npx vite build --outDir /tmp/a && … --outDir /tmp/b
 *   npx tsx tests/bench/edit-ab.ts /tmp/a /tmp/b [--reps 3] [--rounds 6]
 */
import { existsSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import { chromium, type Browser, type CDPSession, type Page } from '@playwright/test';
import { benchOpt, freePort, helperEdit, median, newContext, pasvEdit, READ_MS, round, startPreview, timeVerdictFlip, type TraceEvt } from './edits';

const args = process.argv.slice(2);
const opt = benchOpt;
const dists = args.filter((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
const reps = Number(opt('reps', '3'));
const rounds = Number(opt('rounds', '6'));

/** CPU ms of the busiest renderer main thread and of the workers over a trace. */
async function traced(cdp: CDPSession, act: () => Promise<void>): Promise<{ main: number; worker: number }> {
  const events: TraceEvt[] = [];
  cdp.on('Tracing.dataCollected', (e) => void events.push(...(e.value as unknown as TraceEvt[])));
  await cdp.send('Tracing.start', { categories: 'devtools.timeline,disabled-by-default-devtools.timeline', transferMode: 'ReportEvents' } as never);
  await act();
  const done = new Promise<void>((r) => cdp.once('Tracing.tracingComplete', () => r()));
  await cdp.send('Tracing.end');
  await done;
  const names = new Map<string, string>();
  for (const e of events) if (e.ph === 'M' && e.name === 'thread_name') names.set(`${e.pid}:${e.tid}`, e.args?.name ?? '');
  const per = new Map<string, number>();
  for (const e of events) if (e.ph === 'X' && e.name === 'RunTask') per.set(`${e.pid}:${e.tid}`, (per.get(`${e.pid}:${e.tid}`) ?? 0) + (e.tdur ?? e.dur ?? 0) / 1000);
  const of = (n: string) => [...per].filter(([k]) => names.get(k) === n).map(([, v]) => v);
  return { main: Math.max(0, ...of('CrRendererMain')), worker: of('DedicatedWorker thread').reduce((a, b) => a + b, 0) };
}

async function measure(browser: Browser, base: string, which: 'helper' | 'pasv') {
  const ctx = await newContext(browser);
  const page: Page = await ctx.newPage();
  try {
    const act = which === 'helper' ? await helperEdit(page, base) : await pasvEdit(page, base);
    await page.waitForTimeout(READ_MS);
    const cdp = await ctx.newCDPSession(page);
    const dom: number[] = [];
    const frame: number[] = [];
    const cpu = await traced(cdp, async () => {
      for (let i = 0; i < rounds; i++) {
        const r = await timeVerdictFlip(page, act(i));
        dom.push(r.dom);
        frame.push(r.frame);
      }
    });
    return { dom, frame, main: cpu.main / rounds, worker: cpu.worker / rounds };
  } finally {
    await ctx.close();
  }
}

if (dists.length === 0) throw new Error('usage: edit-ab.ts DIST_A [DIST_B …] [--reps 3] [--rounds 6]');
const previews: ChildProcess[] = [];
const bases: string[] = [];
const exe = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p): p is string => !!p && existsSync(p));
const browser = await chromium.launch({ ...(exe ? { executablePath: exe } : {}), args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
try {
  for (const d of dists) {
    const port = await freePort();
    previews.push(await startPreview(port, d));
    bases.push(`http://127.0.0.1:${port}/`);
  }
  type Acc = { dom: number[]; frame: number[]; main: number[]; worker: number[] };
  const acc = dists.map(() => ({ helper: { dom: [], frame: [], main: [], worker: [] } as Acc, pasv: { dom: [], frame: [], main: [], worker: [] } as Acc }));
  for (let r = 0; r < reps; r++)
    for (const which of ['helper', 'pasv'] as const)
      for (let k = 0; k < dists.length; k++) {
        const m = await measure(browser, bases[k]!, which);
        const a = acc[k]![which];
        a.dom.push(...m.dom);
        a.frame.push(...m.frame);
        a.main.push(m.main);
        a.worker.push(m.worker);
      }
  const out = dists.map((d, k) => {
    const sum = (a: Acc) => ({
      dom: round(median(a.dom)),
      onScreen: round(median(a.frame)),
      mainCpuPerEdit: round(median(a.main)),
      mainCpuPerEditMin: round(Math.min(...a.main)),
      workerCpuPerEdit: round(median(a.worker)),
    });
    return { dist: d, helperToggle: sum(acc[k]!.helper), pasvMaxPortEdit: sum(acc[k]!.pasv) };
  });
  process.stdout.write(JSON.stringify(out, null, 1) + '\n');
} finally {
  await browser.close();
  for (const p of previews) if (p.pid !== undefined && p.exitCode === null) process.kill(p.pid, 'SIGTERM');
}

/**
 * One edit's timeline: the main thread's and the worker's tasks from the click to the frame
 * that shows the new verdict, each with its start (ms after the click), its length, and the
 * trace phases inside it (script, style, layout, paint). A tool for finding where an edit's
 * time goes; no targets.
 *
 *   npx vite build --outDir /tmp/dist-a
 *   npx tsx tests/bench/edit-timeline.ts [--dist DIR] [--edit helper|pasv] [--rounds 6] [--wait MS after opening] [--gap MS between edits]
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { benchOpt, freePort, helperEdit, newContext, pasvEdit, startPreview, timeVerdictFlip, type TraceEvt } from './edits';

const opt = benchOpt;
const dist = opt('dist', join(import.meta.dirname, '..', '..', 'dist'));
const which = opt('edit', 'helper');
const rounds = Number(opt('rounds', '6'));
const waitMs = Number(opt('wait', '0'));
const gapMs = Number(opt('gap', '0'));

const port = await freePort();
const preview = await startPreview(port, dist);
const exe = ['/usr/bin/chromium'].find((p) => existsSync(p));
const browser = await chromium.launch({ ...(exe ? { executablePath: exe } : {}), args: ['--no-sandbox', '--disable-gpu'] });
try {
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  const act = which === 'helper' ? await helperEdit(page, `http://127.0.0.1:${port}/`) : await pasvEdit(page, `http://127.0.0.1:${port}/`);
  await page.waitForTimeout(waitMs);
  const cdp = await ctx.newCDPSession(page);
  // One trace over all rounds, made back to back as the bench makes them (tests/bench/edits.ts).
  const events: TraceEvt[] = [];
  cdp.on('Tracing.dataCollected', (e: { value: unknown }) => void events.push(...(e.value as TraceEvt[])));
  await cdp.send('Tracing.start', { categories: 'devtools.timeline,disabled-by-default-devtools.timeline,blink.user_timing', transferMode: 'ReportEvents' } as never);
  const results: { dom: number; frame: number }[] = [];
  for (let i = 0; i < rounds; i++) {
    // The bench's own clock (edits.ts), with a mark in the trace where this edit starts.
    results.push(await timeVerdictFlip(page, `performance.mark('edit-start-${i}'); ${act(i)}`));
    if (gapMs > 0) await page.waitForTimeout(gapMs);
  }
  const ended = new Promise<void>((res) => cdp.once('Tracing.tracingComplete', () => res()));
  await cdp.send('Tracing.end');
  await ended;
  const names = new Map<string, string>();
  for (const e of events) if (e.ph === 'M' && e.name === 'thread_name') names.set(`${e.pid}:${e.tid}`, e.args?.name ?? '');
  for (let i = 0; i < rounds; i++) {
    const r = results[i]!;
    const mark = events.find((e) => e.name === `edit-start-${i}`);
    if (!mark) throw new Error(`no edit-start-${i} mark in the trace`);
    const t0 = mark.ts;
    const end = t0 + r.frame * 1000;
    const lines: string[] = [];
    for (const e of events) {
      const th = names.get(`${e.pid}:${e.tid}`) ?? '';
      if (e.ph !== 'X' || e.name !== 'RunTask' || !/CrRendererMain|DedicatedWorker/.test(th)) continue;
      if (e.ts + (e.dur ?? 0) < t0 - 20_000 || e.ts > end) continue;
      if ((e.dur ?? 0) < 1000) continue;
      const inside = new Map<string, number>();
      for (const c of events)
        if (c.pid === e.pid && c.tid === e.tid && c.ph === 'X' && c.ts >= e.ts && c.ts < e.ts + (e.dur ?? 0) && c.name !== 'RunTask')
          if (
            /FunctionCall|EvaluateScript|v8.callFunction|UpdateLayoutTree|Layout|Paint|RunMicrotasks|TimerFire|FireAnimationFrame|EventDispatch|ParseHTML|V8.GC|v8.compile|V8.Compile|HitTest|MouseMove|Commit|Style|Intersection|Resize|Accessib|Serialize|postMessage|Message/.test(
              c.name,
            )
          )
            inside.set(c.name, (inside.get(c.name) ?? 0) + (c.dur ?? 0) / 1000);
      if ([...inside.values()].reduce((a, b) => a + b, 0) < (e.dur ?? 0) / 2000) {
        // Little of it is script, style or paint: name what else it held.
        inside.clear();
        for (const c of events)
          if (c.pid === e.pid && c.tid === e.tid && c.ph === 'X' && c.ts >= e.ts && c.ts < e.ts + (e.dur ?? 0) && c.name !== 'RunTask')
            inside.set(c.name, (inside.get(c.name) ?? 0) + (c.dur ?? 0) / 1000);
      }
      const what = [...inside]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 5)
        .map(([n, ms]) => `${n} ${ms.toFixed(1)}`)
        .join(', ');
      lines.push(`${((e.ts - t0) / 1000).toFixed(1).padStart(7)} +${((e.dur ?? 0) / 1000).toFixed(1).padStart(6)}  ${th.startsWith('Dedicated') ? 'worker' : 'main  '}  ${what}`);
    }
    console.log(`round ${i}: verdict in DOM ${r.dom.toFixed(1)} ms, on screen ${r.frame.toFixed(1)} ms`);
    console.log(lines.join('\n'));
  }
} finally {
  await browser.close();
  preview.kill('SIGTERM');
}

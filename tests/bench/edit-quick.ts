/**
 * The bench's edit → verdict measurement alone (tests/bench/edits.ts, no tracing), for several
 * builds interleaved: each repetition measures every build once, so a machine whose load
 * drifts affects them alike. Prints the medians of the on-screen times per build.
 *
 *   npx tsx tests/bench/edit-quick.ts /tmp/a /tmp/b [--reps 3] [--rounds 6] [--read MS]
 */
import { existsSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import { chromium } from '@playwright/test';
import { benchOpt, editToVerdict, freePort, median, READ_MS, round, startPreview } from './edits';

const args = process.argv.slice(2);
const opt = benchOpt;
const dists = args.filter((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
const reps = Number(opt('reps', '3'));
const rounds = Number(opt('rounds', '6'));
const readMs = Number(opt('read', String(READ_MS)));
const exe = [process.env.CHROMIUM_PATH, '/usr/bin/chromium'].find((p): p is string => !!p && existsSync(p));
const browser = await chromium.launch({ ...(exe ? { executablePath: exe } : {}), args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
const previews: ChildProcess[] = [];
try {
  const bases: string[] = [];
  for (const d of dists) {
    const port = await freePort();
    previews.push(await startPreview(port, d));
    bases.push(`http://127.0.0.1:${port}/`);
  }
  const acc = dists.map(() => ({ helper: [] as number[], pasv: [] as number[], helperRuns: [] as number[], pasvRuns: [] as number[] }));
  for (let r = 0; r < reps; r++)
    for (let k = 0; k < dists.length; k++) {
      const e = await editToVerdict(browser, bases[k]!, rounds, readMs);
      acc[k]!.helperRuns.push(e.helperToggle.onScreen.median);
      acc[k]!.pasvRuns.push(e.pasvMaxPortEdit.onScreen.median);
      process.stderr.write(`rep ${r} ${dists[k]}: helper ${e.helperToggle.onScreen.median} pasv ${e.pasvMaxPortEdit.onScreen.median}\n`);
    }
  for (let k = 0; k < dists.length; k++)
    console.log(
      `${dists[k]}: helper toggle on screen, median of the repetitions' medians ${round(median(acc[k]!.helperRuns))} ms; pasv edit ${round(median(acc[k]!.pasvRuns))} ms`,
    );
} finally {
  await browser.close();
  for (const p of previews) if (p.pid !== undefined && p.exitCode === null) process.kill(p.pid, 'SIGTERM');
}

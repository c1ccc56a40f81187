/**
 * npm run test:kernel [scenario.json …] — every built-in scenario (or the files given) on a real
 * Linux kernel (namespaces, iptables-restore, vsftpd, curl/tnftp/inetutils ftp/lftp), compared
 * with the simulator. Prints each world's lines as it finishes, then the agreement table (in the
 * plan's order), writes test-results/kernel.json, exits 1 on any disagreement or harness error.
 * Skips with one line where it cannot run (not Linux, not root, a tool missing).
 *
 * Options: --kernel-only (no simulator), --only ID[,ID…], --no-variants (each scenario's own client
 * only, not also curl, tnftp, inetutils ftp and lftp), --client PROGRAM[,…] (only the runs with
 * these real clients), --variants-for ID[,…] (every scenario with its own client, these also with
 * the other real clients), --variants-except ID[,…] (these with their own client only), --jobs N (worlds run at once, each in a worker thread;
 * default pool.ts defaultJobs), --out FILE (the results elsewhere than test-results/kernel.json),
 * FTTW_DEBUG=1 (client and vsftpd output).
 */
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, dirname, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ScenarioFile } from '../../src/core/index';
import { cleanupStale, listNamespaces, removeNamespaces, sh } from './netns';
import { kernelSkipReason } from './kernelSide';
import { formatTable, type Row } from './compare';
import { planWorlds, type WorldJob, type WorldOutcome } from './world';
import { jobsOption, runPool } from './pool';

const ROOT = resolve(import.meta.dirname, '../..');
const prefix = `fttw-${process.pid}-`;
const workRoot = `/tmp/${prefix}work`;

function writeSummary(path: string, rows: Row[], extra: Record<string, unknown>): { passed: number; failed: number; skipped: number } {
  const passed = rows.filter((r) => r.status === 'agree').length;
  const failed = rows.filter((r) => r.status === 'disagree' || r.status === 'error').length;
  const skipped = rows.filter((r) => r.status === 'not-comparable').length + Number(extra.skippedAll ?? 0);
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, JSON.stringify({ passed, failed, skipped, ...extra, rows }, null, 2) + '\n');
  } catch (e) {
    console.log(`could not write ${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
  return { passed, failed, skipped };
}

/** Removes everything this run created; safe to call twice. */
function cleanupOwn(): void {
  removeNamespaces(listNamespaces().filter((n) => n.startsWith(prefix)));
  if (!process.env.FTTW_KEEP) rmSync(workRoot, { recursive: true, force: true });
}

/** `--name V` or `--name=V` split at commas, or null when the option is absent. */
function listOption(argv: string[], name: string): string[] | null {
  const arg = argv.find((a) => a === name || a.startsWith(`${name}=`));
  if (!arg) return null;
  return (arg.includes('=') ? arg.split('=')[1]! : (argv[argv.indexOf(arg) + 1] ?? '')).split(',');
}

/**
 * Worker threads, each running one world at a time (worker.ts). Loaded through tsx's API: a
 * worker does not inherit the loader the main thread was started with.
 */
class WorldWorkers {
  private readonly workers: (Worker | null)[];
  private readonly boot = `import { register } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))}; register(); await import(${JSON.stringify(new URL('./worker.ts', import.meta.url).href)});`;
  constructor(n: number) {
    this.workers = new Array<Worker | null>(n).fill(null);
  }
  run(job: WorldJob, slot: number): Promise<WorldOutcome> {
    const w = this.workers[slot] ?? new Worker(this.boot, { eval: true });
    this.workers[slot] = w;
    return new Promise((resolvePromise) => {
      const fail = (why: string) => {
        w.removeAllListeners();
        this.workers[slot] = null;
        void w.terminate();
        resolvePromise({
          index: job.index,
          label: job.label,
          rows: [{ scenario: job.label, check: 'kernel run', status: 'error', kernel: why, sim: '' }],
          log: [`${job.label}: ERROR: ${why}`],
          seconds: 0,
        });
      };
      w.once('message', (r: WorldOutcome) => {
        w.removeAllListeners('error');
        w.removeAllListeners('exit');
        resolvePromise(r);
      });
      w.once('error', (e) => fail(`worker thread failed: ${e instanceof Error ? e.message : String(e)}`));
      w.once('exit', (code) => fail(`worker thread exited (${code})`));
      w.postMessage(job);
    });
  }
  /** Stops every thread (each finishes the synchronous call it is in first). */
  async stop(): Promise<void> {
    const ws = this.workers.filter((w): w is Worker => w !== null);
    this.workers.fill(null);
    for (const w of ws) w.removeAllListeners();
    await Promise.all(ws.map((w) => w.terminate()));
  }
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const results = resolve(listOption(argv, '--out')?.[0] ?? `${ROOT}/test-results/kernel.json`);
  const jobs = jobsOption(argv, availableParallelism());
  if (typeof jobs !== 'number') {
    console.log(`test:kernel: ${jobs.error}`);
    return 2;
  }
  const files = argv.filter((a, i) => a.endsWith('.json') && !a.startsWith('--') && argv[i - 1] !== '--out');
  const skip = kernelSkipReason();
  if (skip !== null) {
    console.log(`test:kernel skipped: ${skip}`);
    writeSummary(results, [], { skippedAll: 1, skipReason: skip });
    return 0;
  }
  const stale = cleanupStale(prefix);
  if (stale.length > 0) console.log(`removed ${stale.length} stale namespace(s) from an earlier run: ${stale.join(' ')}`);
  const workers = new WorldWorkers(jobs);
  let stopping = false;
  const onSignal = (sig: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${sig}: removing this run's namespaces`);
    // The threads first, so none builds a namespace after the clean-up has listed them.
    const stopped = Promise.race([workers.stop(), new Promise((r) => setTimeout(r, 5000))]);
    void stopped.then(() => {
      cleanupOwn();
      process.exit(130);
    });
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));

  const paths =
    files.length > 0
      ? files.map((f) => resolve(f))
      : [
          ...readdirSync(`${ROOT}/src/scenarios`)
            .filter((f) => f.endsWith('.json'))
            .sort()
            .map((f) => `${ROOT}/src/scenarios/${f}`),
          // Worlds the built-ins do not show but the comparison should cover (cd in the script).
          ...readdirSync(`${ROOT}/tests/kernel/scenarios`)
            .filter((f) => f.endsWith('.json'))
            .sort()
            .map((f) => `${ROOT}/tests/kernel/scenarios/${f}`),
        ];
  const loadRows: Row[] = [];
  const scenarios: { id: string; file: ScenarioFile }[] = [];
  for (const path of paths) {
    const id = basename(path, '.json');
    try {
      scenarios.push({ id, file: JSON.parse(readFileSync(path, 'utf8')) as ScenarioFile });
    } catch (e) {
      loadRows.push({ scenario: id, check: 'load', status: 'error', kernel: String(e), sim: '' });
    }
  }
  const plan = planWorlds(scenarios, {
    only: listOption(argv, '--only'),
    onlyClients: listOption(argv, '--client'),
    variants: !argv.includes('--no-variants'),
    variantsFor: listOption(argv, '--variants-for'),
    variantsExcept: listOption(argv, '--variants-except'),
    kernelOnly: argv.includes('--kernel-only'),
    prefix,
    workRoot,
  });
  const t0 = Date.now();
  console.log(`${plan.length} world(s), ${Math.min(jobs, plan.length)} at a time`);
  let finished = 0;
  const outcomes = await runPool(
    plan,
    jobs,
    (job, slot) => workers.run(job, slot),
    (r) => {
      if (stopping) return;
      finished++;
      console.log(`[${finished}/${plan.length}, ${r.seconds.toFixed(1)} s] ${r.log.join('\n  ')}`);
    },
  );
  await workers.stop();
  const rows = [...loadRows, ...outcomes.flatMap((o) => o.rows)];
  const elapsed = ((Date.now() - t0) / 1000).toFixed(1);
  console.log('\n' + formatTable(rows));
  const sum = writeSummary(results, rows, { seconds: Number(elapsed), jobs, kernel: sh('uname', ['-r']).out.trim() });
  console.log(`\nkernel: ${sum.passed} passed, ${sum.failed} failed, ${sum.skipped} skipped (${elapsed} s, ${jobs} at a time) → ${results}`);
  cleanupOwn();
  return sum.failed > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    cleanupOwn();
    process.exit(1);
  },
);

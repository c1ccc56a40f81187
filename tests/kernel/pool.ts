/**
 * At most `n` jobs at a time, each slot taking the next job when its last one finishes. The
 * results come back in the jobs' order, whatever order they finish in; `onDone` hears each one
 * as it finishes (to print it then).
 */
export async function runPool<J, R>(jobs: readonly J[], n: number, run: (job: J, slot: number) => Promise<R>, onDone?: (result: R, job: J) => void): Promise<R[]> {
  const results: R[] = new Array<R>(jobs.length);
  let next = 0;
  const slot = async (k: number): Promise<void> => {
    while (next < jobs.length) {
      const i = next++;
      const job = jobs[i]!;
      const r = await run(job, k);
      results[i] = r;
      onDone?.(r, job);
    }
  };
  const slots = Math.max(1, Math.min(n, jobs.length));
  await Promise.all(Array.from({ length: slots }, (_, k) => slot(k)));
  return results;
}

/**
 * How many worlds run at once by default. A world spends most of its time waiting on timers
 * (SYN time-outs, client time-outs, vsftpd's delays), not on the CPU, so several share a core;
 * measured on 2 cores (docs/DECISIONS.md, "Kernel check in parallel").
 */
export function defaultJobs(cores: number): number {
  return Math.max(1, Math.min(8, cores * 3));
}

/** `--jobs N` / `--jobs=N` (a positive whole number), else the default for this machine's cores. */
export function jobsOption(argv: readonly string[], cores: number): number | { error: string } {
  const i = argv.findIndex((a) => a === '--jobs' || a.startsWith('--jobs='));
  if (i < 0) return defaultJobs(cores);
  const text = argv[i]!.includes('=') ? argv[i]!.split('=')[1]! : (argv[i + 1] ?? '');
  if (!/^[1-9]\d*$/.test(text)) return { error: `--jobs wants a positive whole number of worlds run at once, not "${text}"` };
  return Number(text);
}

/**
 * npm run fuzz -- [--runs N] [--only NAME[,NAME…]] [--seed S]
 *
 * Runs every fuzz property (tests/fuzz/properties.ts) N times (default 100,000) and prints, per
 * parser, the runs, the wall time, the slowest single input and any failure with its seed and
 * counterexample. Exit 1 when a property fails or an input takes over 2 s of CPU time (wall time
 * is printed too, but on a shared machine under `nice` it measures the neighbours as much).
 */
import fc from 'fast-check';
import { FUZZ_TARGETS } from './properties';

const SLOW_MS = 2000;

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const runs = Number(arg('--runs') ?? 100_000);
if (!Number.isSafeInteger(runs) || runs < 1) {
  console.error(`fuzz: --runs needs a positive whole number, not "${arg('--runs')}"`);
  process.exit(2);
}
const only = arg('--only')?.split(',');
const unknown = only?.filter((n) => !FUZZ_TARGETS.some((t) => t.name === n)) ?? [];
if (unknown.length) {
  console.error(`fuzz: no property called ${unknown.join(', ')} (there are ${FUZZ_TARGETS.map((t) => t.name).join(', ')})`);
  process.exit(2);
}
const seed = arg('--seed') !== undefined ? Number(arg('--seed')) : Date.now() % 2 ** 31;

let failed = false;
const rows: Record<string, unknown>[] = [];
for (const t of FUZZ_TARGETS.filter((x) => !only || only.includes(x.name))) {
  let slowest = 0;
  let slowestWall = 0;
  const prop = t.property();
  // Time each input: a parser that is correct but takes seconds on one input still freezes a page.
  let start = 0;
  let startCpu = process.cpuUsage();
  prop.beforeEach(() => {
    start = performance.now();
    startCpu = process.cpuUsage();
  });
  prop.afterEach(() => {
    const cpu = process.cpuUsage(startCpu);
    const ms = (cpu.user + cpu.system) / 1000;
    if (ms > slowest) slowest = ms;
    slowestWall = Math.max(slowestWall, performance.now() - start);
  });
  const t0 = performance.now();
  const details = fc.check(prop, { numRuns: runs, seed });
  const wallS = (performance.now() - t0) / 1000;
  const row: Record<string, unknown> = {
    parser: t.name,
    runs: details.numRuns,
    seconds: Number(wallS.toFixed(1)),
    slowestInputCpuMs: Number(slowest.toFixed(1)),
    slowestInputWallMs: Number(slowestWall.toFixed(1)),
    ok: !details.failed && slowest < SLOW_MS,
  };
  if (details.failed) {
    row.seed = details.seed;
    row.path = details.counterexamplePath;
    row.counterexample = fc.stringify(details.counterexample).slice(0, 2000);
    row.error = String(details.errorInstance).slice(0, 2000);
  }
  if (!row.ok) failed = true;
  rows.push(row);
  console.log(JSON.stringify(row));
}
console.log(JSON.stringify({ seed, runsPerParser: runs, ok: !failed }));
process.exit(failed ? 1 : 0);

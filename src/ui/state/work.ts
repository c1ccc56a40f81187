/**
 * The work itself, the same in a worker (sim.worker.ts) and in this thread (runDirect, for
 * tests and tools without Workers). Kept apart from runner.ts so that the page, which only
 * talks to the worker pool, does not bundle the simulation engine (see docs/DECISIONS.md,
 * "Bundle size").
 */
import { loadScenario, runScenario, type RunResult, type ScenarioError } from '../../core/index';
import { dataConnFacts, type DataConnFact, type RunFn, type RunRequest } from './runner';

/** Loads and runs one request; `now` is the caller's clock (the core reads none). */
export function work(
  req: RunRequest,
  now: () => number,
  onProgress: (events: number) => void,
): { run: RunResult; stoppedEarly: boolean; wallMs: number; dataConns?: DataConnFact[] } | { invalid: ScenarioError[] } {
  const t0 = now();
  const loaded = loadScenario(req.file);
  if (!loaded.ok) return { invalid: loaded.errors };
  const budget = req.budget ?? null;
  let lastReport = t0;
  const run = runScenario(loaded.scenario, {
    ...(budget ? { budget: budget.events } : {}),
    interrupt: (events) => {
      const t = now();
      if (t - lastReport >= 100) {
        lastReport = t;
        onProgress(events);
      }
      return budget !== null && t - t0 > budget.wallMs;
    },
  });
  const stoppedEarly = budget !== null && run.verdict.budgetExhausted;
  if (req.want === 'verdict') return { run, stoppedEarly, wallMs: now() - t0, dataConns: dataConnFacts(run.trace, loaded.scenario.server.host) };
  return { run, stoppedEarly, wallMs: now() - t0 };
}

/** What a request that wants only the verdict gets back (the worker posts the same, with its id). */
export function verdictReply(r: { run: RunResult; stoppedEarly: boolean; wallMs: number; dataConns?: DataConnFact[] }) {
  return {
    kind: 'verdict' as const,
    verdict: r.run.verdict,
    events: r.run.trace.events.length,
    stoppedEarly: r.stoppedEarly,
    wallMs: r.wallMs,
    ...(r.dataConns ? { dataConns: r.dataConns } : {}),
  };
}

/** The same contract in this thread (tests, tools): synchronous. */
export const runDirect: RunFn = (req, opts = {}) => {
  if (opts.signal?.aborted) return { kind: 'cancelled' };
  try {
    const r = work(
      req,
      () => performance.now(),
      (n) => opts.onProgress?.(n),
    );
    if ('invalid' in r) return { kind: 'invalid', errors: r.invalid };
    if (req.want === 'verdict') return verdictReply(r);
    return { kind: 'done', run: r.run, stoppedEarly: r.stoppedEarly, wallMs: r.wallMs };
  } catch (e) {
    return { kind: 'error', message: `The simulator failed on this scenario: ${e instanceof Error ? e.message : String(e)}` };
  }
};

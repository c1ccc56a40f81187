/**
 * runScenario(scenario) → { trace, verdict }: simulate, then explain. The UI and the CLI call
 * this; the teaching layer may call simulate and explain apart (e.g. to ask a question
 * between the run and its verdict).
 */
import { explain } from './explain/explain';
import type { Verdict } from './explain/verdict';
import { simulate, type SimulateOptions } from './run/simulate';
import type { Scenario } from './scenario/types';
import type { Trace } from './sim/trace';

export interface RunResult {
  trace: Trace;
  verdict: Verdict;
}

export function runScenario(s: Scenario, opts: SimulateOptions = {}): RunResult {
  const { trace, reports } = simulate(s, opts);
  return { trace, verdict: explain(s, trace, reports) };
}

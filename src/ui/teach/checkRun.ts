/**
 * The checker's run function in the page: each run goes to the page's pool of Web Workers
 * (the core's full budget, as the CLI runs it, so the page and the CLI agree), the trace comes
 * back for the checks that read it (which commands were sent, what answered).
 */
import type { RunResult, ScenarioFile } from '../../core/index';
import type { RunFn } from '../../teach/checker';
import { sharedPool } from '../state/runner';

export const runInWorker: RunFn = async (file: ScenarioFile): Promise<RunResult> => {
  const out = await sharedPool().run({ file, budget: null, want: 'run' });
  switch (out.kind) {
    case 'done':
      return out.run;
    case 'invalid':
      throw new Error(`the scenario does not load: ${out.errors[0]?.message ?? ''}`);
    case 'error':
      throw new Error(out.message);
    default:
      throw new Error('the run was cancelled');
  }
};

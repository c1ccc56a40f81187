/** Shared by the lesson tests: a step's scenario run, or the reason it could not be. */
import { runFile, scenarioFileFor } from './index';

export function ctxFor(ref: Parameters<typeof scenarioFileFor>[0]) {
  const f = scenarioFileFor(ref);
  if (!f.ok) throw new Error(f.message);
  const r = runFile(f.file);
  if (!r.ok) throw new Error(r.message);
  return r.ctx;
}

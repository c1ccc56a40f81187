/**
 * Runs a lesson's scenario in this thread (the lesson checker, the CLI, and the page's lesson
 * view for a predict question's answer). A module of its own so that the page's first screen,
 * which loads lessons but never runs one itself, does not bundle the simulation engine.
 */
import { formatScenarioError, loadScenario, runScenario, type ScenarioFile } from '../core/index';
import type { RunContext } from './probes';

/** Loads and runs a scenario file; null with a message when it does not load. */
export function runFile(file: ScenarioFile): { ok: true; ctx: RunContext } | { ok: false; message: string } {
  const l = loadScenario(file);
  if (!l.ok) return { ok: false, message: `the scenario does not load: ${l.errors.map(formatScenarioError).join('; ')}` };
  return { ok: true, ctx: { scenario: l.scenario, run: runScenario(l.scenario) } };
}

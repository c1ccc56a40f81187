import { describe, expect, it } from 'vitest';
import { BUILTIN_SCENARIOS } from '../../scenarios/index';
import { loadScenario, runScenario } from '../index';

const scenario = () => {
  const l = loadScenario(BUILTIN_SCENARIOS.find((b) => b.id === 'passive-server-firewall-drop')!.json);
  if (!l.ok) throw new Error('bad built-in');
  return l.scenario;
};

describe("runScenario: the caller may interrupt a run (a page's time limit)", () => {
  it('is asked after every event with the count so far; true stops the run and says so', () => {
    const asked: number[] = [];
    const r = runScenario(scenario(), { interrupt: (n) => (asked.push(n), n >= 200) });
    expect(asked.slice(0, 3)).toEqual([1, 2, 3]);
    expect(r.verdict.budgetExhausted).toBe(true);
    expect(r.verdict.ok).toBe(false);
    expect(r.verdict.summary).toBe('The run was stopped after 200 events, before every transfer finished.');
    expect(r.trace.events.at(-1)).toMatchObject({ kind: 'budget', note: 'stopped after 200 events (interrupted)' });
    expect(r.verdict.transfers.at(-1)!.failure!.kind).toBe('budget');
  });

  it('an interrupt that never fires changes nothing: the same trace as without one', () => {
    const a = runScenario(scenario());
    const b = runScenario(scenario(), { interrupt: () => false });
    expect(b.trace.events.length).toBe(a.trace.events.length);
    expect(b.verdict).toEqual(a.verdict);
  });
});

/**
 * The pipeline in two pieces: simulate(scenario) → { trace, reports }, then
 * explain(scenario, trace, reports) → verdict. runScenario is exactly the two composed.
 */
import { describe, expect, it } from 'vitest';
import { BUILTIN_SCENARIOS } from '../scenarios/index';
import { explain, loadScenario, runScenario, simulate, type Scenario } from './index';

function builtin(id: string, edit?: (json: any) => void): Scenario {
  const json = structuredClone(BUILTIN_SCENARIOS.find((s) => s.id === id)!.json) as any;
  edit?.(json);
  const r = loadScenario(json, `${id}.json`);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.scenario;
}

describe('simulate, then explain', () => {
  it('simulate reports what each client experienced, with no verdict; explain turns it into runScenario’s verdict', () => {
    const s = builtin('seed-incident-pasv-range');
    const sim = simulate(s);
    expect(Object.keys(sim).sort()).toEqual(['reports', 'trace']);
    const failed = sim.reports.transfers.filter((t) => !t.report.ok);
    expect(failed.length).toBeGreaterThan(0);
    expect(failed[0]!.report.symptom?.kind).toBe('connect');
    expect(explain(s, sim.trace, sim.reports)).toEqual(runScenario(s).verdict);
  });

  it('explain reads the scenario it is given: the same trace under a wider passive range names that range in the fix', () => {
    const s = builtin('seed-incident-pasv-range');
    const { trace, reports } = simulate(s);
    const before = explain(s, trace, reports).transfers.find((t) => !t.ok)!.failure!.fix;
    expect(before).toContain('Open the whole passive range 3001:3300');
    const wider: Scenario = { ...s, server: { ...s.server, vsftpd: { ...s.server.vsftpd, pasv_max_port: 3400 } } };
    const after = explain(wider, trace, reports).transfers.find((t) => !t.ok)!.failure!.fix;
    expect(after).toContain('Open the whole passive range 3001:3400');
  });

  it('a run that hits its event budget is explained as such', () => {
    const s = builtin('passive-server-firewall-drop');
    const { trace, reports } = simulate(s, { budget: 50 });
    expect(reports.budgetExhausted).toBe(true);
    const v = explain(s, trace, reports);
    expect(v.ok).toBe(false);
    expect(v.summary).toBe('The run stopped after its budget of 50 events.');
  });
});

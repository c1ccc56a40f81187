/**
 * "Jump to the failure" for a session that stalled or was ended by an earlier failure: the step
 * is that client's own last event (a packet on its connections, a line of its FTP session), not
 * the run's last event, which may belong to another client.
 */
import { describe, expect, it } from 'vitest';
import { loadScenario, runScenario } from '../index';
import { BUILTIN_SCENARIOS } from '../../scenarios/index';
import type { TraceEvent } from '../sim/trace';

function run(id: string) {
  const l = loadScenario(structuredClone(BUILTIN_SCENARIOS.find((s) => s.id === id)!.json) as object, `${id}.json`);
  if (!l.ok) throw new Error(JSON.stringify(l.errors));
  return runScenario(l.scenario);
}

const owner = (e: TraceEvent): string | null =>
  e.kind === 'send' || e.kind === 'recv' ? (e.conn?.split('/')[0] ?? null) : e.kind === 'ftp' || e.kind === 'console' || e.kind === 'transfer' ? e.client : null;

describe('the step of a stalled session', () => {
  it('filezilla-class-per-ip-limit: each turned-away student’s failure points at its own last event, each a different one', () => {
    const r = run('filezilla-class-per-ip-limit');
    const stalled = r.verdict.transfers.filter((t) => t.failure?.kind === 'stalled');
    expect(stalled.length).toBeGreaterThan(1);
    for (const t of stalled) {
      const step = t.failure!.step;
      expect(owner(r.trace.events[step]!)).toBe(t.client);
      // Nothing of that client's connections or session comes after it.
      expect(r.trace.events.slice(step + 1).some((e) => (e.kind === 'send' || e.kind === 'recv' || e.kind === 'ftp') && owner(e) === t.client)).toBe(false);
    }
    expect(new Set(stalled.map((t) => t.failure!.step)).size).toBe(stalled.length);
  });

  it('filezilla-autoban: the two clients’ sessions end at different steps', () => {
    const r = run('filezilla-autoban');
    const steps = r.verdict.transfers.filter((t) => t.failure?.kind === 'stalled').map((t) => [t.client, owner(r.trace.events[t.failure!.step]!)]);
    expect(steps.length).toBeGreaterThan(0);
    for (const [client, who] of steps) expect(who).toBe(client);
  });
});

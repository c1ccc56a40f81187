/**
 * The canvas at "Jump to the failure": the step the verdict points at is marked on the device
 * that decided it — a server refusing PORT in words, a router dropping the server's SYN.
 */
import { describe, expect, it } from 'vitest';
import { loadScenario, runScenario } from '../../core/index';
import { BUILTIN_SCENARIOS } from '../../scenarios/index';
import { connLanes, currentMarks } from './graph';
import { layoutTopology } from './layout';

function atFailure(id: string) {
  const json = BUILTIN_SCENARIOS.find((s) => s.id === id)!.json;
  const loaded = loadScenario(json, `${id}.json`);
  if (!loaded.ok) throw new Error('does not load');
  const r = runScenario(loaded.scenario);
  const f = r.verdict.transfers.find((t) => t.failure)!.failure!;
  return { f, r, marks: currentMarks(r.trace, f.step, layoutTopology(loaded.scenario).links) };
}

describe('the canvas at the failure step', () => {
  it('500 Illegal PORT command.: the step is the server sending the 500, and the server is marked refusing it', () => {
    const { f, r, marks } = atFailure('client-nat-active-no-helper');
    expect(f.kind).toBe('illegal-port');
    const e = r.trace.events[f.step]!;
    expect(e).toMatchObject({ kind: 'send', device: 'server' });
    expect(marks.states.get('server')).toMatchObject({ state: 'failed', drop: { how: 'reply', reason: '500 Illegal PORT command.' } });
    expect(marks.packet?.mark.label).toBe('"500 Illegal PORT command."');
    // Not the end of the trace (the last teardown ACK), where it used to go.
    expect(f.step).toBeLessThan(r.trace.events.length - 10);
  });

  it("active mode blocked: the step is the client router dropping the server's SYN, marked DROP there", () => {
    const { f, marks } = atFailure('active-client-firewall-blocked');
    expect(f.kind).toBe('syn-timeout');
    expect(marks.states.get('client-edge')).toMatchObject({ state: 'dropped', drop: { how: 'drop' } });
    expect(marks.packet?.mark.refused).toBe('DROP');
  });
});

describe('connLanes', () => {
  it('stacks arcs between the same two devices and starts each other pair at lane 0', () => {
    const c = (role: 'control' | 'data', opener: string, acceptor: string) => ({ role, opener, acceptor });
    // Thirty students each with one control connection: all on lane 0, not lanes 0…29.
    const students = Array.from({ length: 30 }, (_, i) => c('control', `student${i}`, 'server'));
    expect(new Set(connLanes(students))).toEqual(new Set([0]));
    // One client: control on 0; data connections (passive, then active back) stack 0, 1, 2.
    expect(connLanes([c('control', 'pc', 'srv'), c('data', 'pc', 'srv'), c('data', 'srv', 'pc'), c('data', 'pc', 'srv')])).toEqual([0, 0, 1, 2]);
  });
});

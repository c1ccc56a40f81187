import { describe, expect, it } from 'vitest';
import { BUILTIN_SCENARIOS } from '../../scenarios/index';
import { loadScenario, runScenario, type Trace, type TraceEvent, simTime } from '../../core/index';
import { conntrackView } from './conntrackView';

function traceOf(id: string): Trace {
  const s = BUILTIN_SCENARIOS.find((b) => b.id === id);
  if (!s) throw new Error(id);
  const loaded = loadScenario(s.json, `${id}.json`);
  if (!loaded.ok) throw new Error(loaded.errors.map((e) => e.message).join('; '));
  return runScenario(loaded.scenario).trace;
}

type Ct = Extract<TraceEvent, { kind: 'conntrack' }>;
const ctEvents = (t: Trace) => t.events.map((e, i) => ({ e, i })).filter((x): x is { e: Ct; i: number } => x.e.kind === 'conntrack');

describe('conntrackView', () => {
  const trace = traceOf('active-client-firewall-helper');
  const cts = ctEvents(trace);
  const expect1 = cts.find((x) => x.e.action === 'expect' && x.e.device === 'client-edge')!;
  const used1 = cts.find((x) => x.e.action === 'expect-used' && x.e.device === 'client-edge')!;
  const related1 = cts.find((x) => x.e.action === 'related' && x.e.tuple === used1.e.tuple)!;

  it('the core run has the events this test reads', () => {
    expect([expect1, used1, related1].every(Boolean)).toBe(true);
  });

  it("an expectation is pending from the helper's expect until the data connection uses it", () => {
    const dev = (at: number) => conntrackView(trace, at).find((d) => d.device === 'client-edge')!;
    expect(dev(expect1.i - 1).expectations.filter((x) => x.status === 'pending')).toHaveLength(0);
    const pending = dev(expect1.i).expectations.filter((x) => x.status === 'pending');
    expect(pending).toHaveLength(1);
    expect(expect1.e.note).toContain(pending[0]!.announced);
    const after = dev(used1.i).expectations.find((x) => x.created === expect1.i)!;
    expect(after.status).toBe('used');
    expect(after.usedBy).toBe(used1.e.tuple);
  });

  it('the data connection enters the table RELATED, with the command it was expected from, then ESTABLISHED', () => {
    const at = (i: number) =>
      conntrackView(trace, i)
        .find((d) => d.device === 'client-edge')!
        .entries.find((e) => e.tuple === related1.e.tuple);
    expect(at(related1.i - 1)).toBeUndefined();
    const first = at(related1.i)!;
    expect(first.state).toBe('RELATED');
    expect(first.first).toBe('RELATED');
    expect(first.expectedBy).toBe(
      conntrackView(trace, related1.i)
        .find((d) => d.device === 'client-edge')!
        .expectations.find((x) => x.usedBy === related1.e.tuple)!.announced,
    );
    const est = cts.find((x) => x.e.action === 'established' && x.e.tuple === related1.e.tuple);
    if (est) expect(at(est.i)!.state).toBe('ESTABLISHED');
  });

  it('the control connection shows the helper the raw table attached', () => {
    const assigned = cts.find((x) => x.e.action === 'helper-assigned')!;
    const entry = conntrackView(trace, assigned.i)
      .find((d) => d.device === assigned.e.device)!
      .entries.find((e) => e.tuple === assigned.e.tuple)!;
    expect(entry.helper).toBe(/--helper (\w+)/.exec(assigned.e.note)![1]);
    expect(entry.first).toBe('NEW');
  });

  it("NAT decided on an entry's first packet is shown on it (masquerade, and the data connection following its expectation)", () => {
    const t = traceOf('client-nat-active-helper');
    const view = conntrackView(t, t.events.length - 1).find((d) => d.device === 'client-edge')!;
    const natEvents = t.events.filter((e): e is Extract<TraceEvent, { kind: 'nat' }> => e.kind === 'nat' && e.device === 'client-edge');
    const masq = natEvents.find((e) => e.what === 'MASQUERADE')!;
    const control = view.entries.find((e) => e.first === 'NEW')!;
    expect(control.nat.some((n) => n.startsWith('MASQUERADE') && masq.note.endsWith(n.slice('MASQUERADE: '.length)))).toBe(true);
    const data = view.entries.filter((e) => e.first === 'RELATED');
    expect(data.length).toBeGreaterThan(0);
    for (const d of data) expect(d.nat.some((n) => n.startsWith('DNAT: destination →'))).toBe(true);
    expect(view.expectations.every((x) => x.status === 'used')).toBe(true);
  });

  it('an ICMP error about a NATed connection is noted on that entry, not added as a RELATED entry', () => {
    const t = traceOf('passive-server-firewall-reject');
    const icmp = ctEvents(t).filter(
      (x) => x.e.action === 'related' && !ctEvents(t).some((u) => u.e.action === 'expect-used' && u.e.device === x.e.device && u.e.tuple === x.e.tuple),
    );
    expect(icmp.length).toBeGreaterThan(0);
    const view = conntrackView(t, t.events.length - 1);
    for (const { e } of icmp) {
      const d = view.find((v) => v.device === e.device)!;
      expect(d.entries.some((x) => x.first === 'RELATED')).toBe(false);
      const about = d.entries.find((x) => e.note.includes(`(${x.tuple})`));
      expect(about?.helperNote).toBe(e.note);
      expect(about?.state).not.toBe('RELATED');
    }
  });

  it('expectations replaced or expired leave the pending list', () => {
    const ev = (i: number, action: string, tuple: string, note: string): TraceEvent => ({ t: simTime(i), kind: 'conntrack', device: 'r', packetId: i, action, tuple, note });
    const t: Trace = {
      devices: ['r'],
      connections: [],
      events: [
        ev(0, 'expect', 'tcp 1.1.1.1:0 -> 2.2.2.2:5000', '"PORT 2,2,2,2,19,136": expecting tcp 1.1.1.1:* -> 2.2.2.2:5000 for 5 minutes'),
        ev(1, 'expect-replaced', 'tcp 2.2.2.2:40000 -> 1.1.1.1:21', 'replaces the expectation from "PORT 2,2,2,2,19,136"'),
        ev(2, 'expect', 'tcp 1.1.1.1:0 -> 2.2.2.2:5001', '"PORT 2,2,2,2,19,137": expecting tcp 1.1.1.1:* -> 2.2.2.2:5001 for 5 minutes'),
        ev(3, 'expect-expired', 'tcp 1.1.1.1:* -> 2.2.2.2:5001', 'expectation from "PORT 2,2,2,2,19,137" expired after 5 minutes'),
      ],
    };
    expect(conntrackView(t, 2)[0]!.expectations.map((x) => x.status)).toEqual(['pending', 'replaced']);
    expect(conntrackView(t, 3)[0]!.expectations.map((x) => [x.expected, x.status])).toEqual([
      ['tcp 1.1.1.1:* -> 2.2.2.2:5001', 'expired'],
      ['tcp 1.1.1.1:* -> 2.2.2.2:5000', 'replaced'],
    ]);
  });
});

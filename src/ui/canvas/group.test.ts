import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { loadScenario, runScenario } from '../../core/index';
import { layoutTopology } from './layout';
import { clientGroup, clientOfEvent, focusStepAt, focusSteps, groupLayout, groupTrace, GROUP_ID } from './group';

function classOf30() {
  const r = loadScenario(JSON.parse(readFileSync('src/scenarios/filezilla-class-per-ip-limit.json', 'utf8')));
  if (!r.ok) throw new Error('does not load');
  return r.scenario;
}

describe('a class of clients as one group', () => {
  const s = classOf30();
  it('groups from five client machines; the chosen one is shown, the other 29 are one device', () => {
    const g = clientGroup(s, 'student07')!;
    expect(g.hosts).toHaveLength(30);
    expect(g.focus).toBe('student07');
    expect(g.hidden.size).toBe(29);
    const l = groupLayout(layoutTopology(s), g);
    expect(l.devices.map((d) => d.id).sort()).toEqual(['client-edge', GROUP_ID, 'internet', 'server', 'server-edge', 'student07'].sort());
    // The group stands right under the chosen client, in the first column.
    const at = (id: string) => l.devices.find((d) => d.id === id)!;
    expect([at(GROUP_ID).column, at(GROUP_ID).row]).toEqual([at('student07').column, at('student07').row + 1]);
    const grp = l.devices.find((d) => d.id === GROUP_ID)!;
    expect(grp.label).toBe('29 other clients');
    expect(grp.addresses).toEqual(['192.168.1.101–130/24']);
    // One link from the router to the group, one to the chosen client.
    expect(l.links.filter((x) => x.source === GROUP_ID || x.target === GROUP_ID)).toHaveLength(1);
    expect(clientGroup({ ...s, clients: s.clients.slice(0, 4) }, null)).toBeNull();
  });

  it('the trace as drawn: 29 clients fold into one connection per role, packets keep their order', () => {
    const run = runScenario(s);
    const g = clientGroup(s, null)!;
    const v = groupTrace(run.trace, g);
    expect(v.events).toHaveLength(run.trace.events.length);
    expect(v.devices.filter((d) => d.startsWith('student'))).toEqual(['student01']);
    expect(v.devices).toContain(GROUP_ID);
    const groupConns = v.connections.filter((c) => c.opener === GROUP_ID);
    expect(groupConns.length).toBeGreaterThan(0);
    expect(groupConns.length).toBeLessThanOrEqual(2);
    // Every event's connection exists in the view; no hidden client is left in it.
    const ids = new Set(v.connections.map((c) => c.id));
    for (const e of v.events) {
      const r = e as unknown as { conn?: string; device?: string };
      if (r.conn) expect(ids.has(r.conn)).toBe(true);
      if (r.device) expect(g.hidden.has(r.device)).toBe(false);
    }
    // The chosen client's steps: fewer than all, and each is on its own connection or none.
    const steps = run.trace.events.flatMap((e, i) => (e.kind === 'send' || e.kind === 'drop' || e.kind === 'nat' ? [i] : []));
    const mine = focusSteps(run.trace, steps, g);
    expect(mine.length).toBeGreaterThan(10);
    expect(mine.length).toBeLessThan(steps.length / 5);
  });
});

describe('lifelines of the grouped view', () => {
  it('put the chosen client first and the group beside it', () => {
    const s = classOf30();
    const v = groupTrace(runScenario(s).trace, clientGroup(s, 'student07')!);
    expect(v.devices.slice(0, 2)).toEqual(['student07', GROUP_ID]);
  });

  it('a failure of a client in the group belongs to that client (a jump shows it in full)', () => {
    const s = classOf30();
    const run = runScenario(s);
    const g = clientGroup(s, null)!;
    const failed = run.verdict.transfers.filter((t) => !t.ok && t.failure);
    expect(failed.length).toBeGreaterThan(0);
    for (const t of failed) {
      const who = clientOfEvent(run.trace, t.failure!.step, g);
      // A failure on the wire, and a session ended earlier ("stalled", which points at that
      // client's own last event), are both the failing client's.
      expect(who).toBe(t.client);
    }
    expect(failed.some((t) => g.hidden.has(clientOfEvent(run.trace, t.failure!.step, g)!))).toBe(true);
  });
});

describe('a jump to a failure in the grouped view', () => {
  it("lands on a step of the failing client's own packets, at or before the failure (a row the ladder lists)", () => {
    const s = classOf30();
    const run = runScenario(s);
    const steps = run.trace.events.flatMap((e, i) => (e.kind === 'send' || e.kind === 'drop' || e.kind === 'nat' ? [i] : []));
    const failed = run.verdict.transfers.filter((t) => !t.ok && t.failure);
    expect(failed.length).toBeGreaterThan(0);
    // (a stalled session's failure points at a packet received, which is no step)
    expect(failed.some((t) => !steps.includes(t.failure!.step))).toBe(true);
    for (const t of failed) {
      const e = t.failure!.step;
      const g = clientGroup(s, clientOfEvent(run.trace, e, clientGroup(s, null)!))!;
      const at = focusStepAt(run.trace, steps, g, e);
      expect(at).not.toBeNull();
      expect(focusSteps(run.trace, steps, g)).toContain(at);
      expect(steps[at!]!).toBeLessThanOrEqual(e);
    }
  });
});

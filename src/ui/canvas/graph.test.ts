/**
 * The canvas at "Jump to the failure": the step the verdict points at is marked on the device
 * that decided it — a server refusing PORT in words, a router dropping the server's SYN.
 */
import { describe, expect, it } from 'vitest';
import { loadScenario, runScenario } from '../../core/index';
import { BUILTIN_SCENARIOS } from '../../scenarios/index';
import { arcGeometry, arcLabelText, connLanes, currentMarks, EAST, eastEnd, graphBounds, nodePosition, planArcs, type ArcConn, type Box } from './graph';
import { layoutTopology, nodeHeight, NODE_W } from './layout';
import { clientGroup, groupLayout, groupTrace } from './group';

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

describe('planArcs: a class of 30, the group close under the chosen client', () => {
  const r = loadScenario(BUILTIN_SCENARIOS.find((s) => s.id === 'filezilla-class-per-ip-limit')!.json, 'class.json');
  if (!r.ok) throw new Error('does not load');
  const s = r.scenario;
  const g = clientGroup(s, null)!;
  const view = groupTrace(runScenario(s).trace, g);
  const layout = groupLayout(layoutTopology(s), g, true);
  const names = new Map(layout.devices.map((d) => [d.id, d.label]));
  const arcs = planArcs(layout.devices, view.connections, 'horizontal', (c) => arcLabelText(c, (id) => names.get(id) ?? id));
  const overlap = (a: Box, b: Box) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

  it('no arc label sits on another label or on a device box', () => {
    const labels = arcs.map((a) => a.label!);
    expect(labels.length).toBeGreaterThanOrEqual(2);
    const boxes = layout.devices.map((d) => ({ ...nodePosition(d, 'horizontal'), w: NODE_W, h: nodeHeight(d) }));
    labels.forEach((a, i) => {
      labels.slice(i + 1).forEach((b) => expect(overlap(a, b)).toBe(false));
      boxes.forEach((b) => expect(overlap(a, b)).toBe(false));
    });
    // Both control arcs end at the server; the group's, starting lower, is moved off the chosen client's label.
    const ctrl = view.connections.flatMap((c, i) => (c.role === 'control' ? [arcs[i]!] : []));
    expect(ctrl).toHaveLength(2);
    expect(ctrl[1]!.lift).not.toBe(ctrl[0]!.lift);
  });

  it('the picture is short enough for six ladder rows under it at 1280×720 (≤ 364 units)', () => {
    const callouts = new Set([s.server.host, ...view.events.flatMap((e) => (e.kind === 'drop' || e.kind === 'nat' ? [e.device] : []))]);
    const b = graphBounds(layout.devices, view.connections, 'horizontal', { callouts, arcs });
    expect(b.height).toBeLessThanOrEqual(364);
    // A full row down (the group not close), it did not fit.
    const far = groupLayout(layoutTopology(s), g, false);
    expect(graphBounds(far.devices, view.connections, 'horizontal').height).toBeGreaterThan(364);
  });
});

describe('planArcs: no arc passes through a device box it does not join', () => {
  /** Each arc's drawn path (arcGeometry from the handles planArcs assumes) against every other box. */
  function crossings(devices: ReturnType<typeof layoutTopology>['devices'], conns: readonly ArcConn[], orient: 'horizontal' | 'vertical' = 'horizontal'): string[] {
    const arcs = planArcs(devices, conns, orient);
    const box = new Map(devices.map((d) => [d.id, { ...nodePosition(d, orient), w: NODE_W, h: nodeHeight(d), d }]));
    const out: string[] = [];
    conns.forEach((c, i) => {
      const [s, t] = [box.get(c.opener), box.get(c.acceptor)];
      if (!s || !t) return;
      const control = c.role === 'control';
      const side = control ? 'top' : 'bottom';
      // Horizontal: top/bottom centre (the east end for a stacked pair); vertical: the middle of the left/right side.
      const at = (b: typeof s) =>
        orient === 'vertical' ? { x: control ? b.x : b.x + NODE_W, y: b.y + b.h / 2 } : { x: b.x + NODE_W * (eastEnd(b.d, side) ? EAST : 0.5), y: control ? b.y : b.y + b.h };
      const { points } = arcGeometry(at(s), at(t), control, arcs[i]!.lift, arcs[i]!.route, orient);
      for (const [id, b] of box) {
        if (id === c.opener || id === c.acceptor) continue;
        if (points.some((p) => p.x > b.x + 1 && p.x < b.x + b.w - 1 && p.y > b.y + 1 && p.y < b.y + b.h - 1)) out.push(`${c.role} ${c.opener}→${c.acceptor} through ${id}`);
      }
    });
    return out;
  }
  const load = (id: string) => {
    const r = loadScenario(BUILTIN_SCENARIOS.find((s) => s.id === id)!.json, `${id}.json`);
    if (!r.ok) throw new Error(`${id} does not load`);
    return r.scenario;
  };

  it('a class of 30: the group’s control arc and the chosen client’s data arcs go round the Client router and the other box of the pair', () => {
    const s = load('filezilla-class-per-ip-limit');
    const trace = runScenario(s).trace;
    for (const focus of ['student01', 'student07', 'student30'])
      for (const close of [true, false]) {
        const g = clientGroup(s, focus)!;
        const layout = groupLayout(layoutTopology(s), g, close);
        const view = groupTrace(trace, g);
        if (focus === 'student01') expect(view.connections.some((c) => c.role === 'data' && c.opener === focus)).toBe(true);
        expect(crossings(layout.devices, view.connections), `${focus} ${close ? 'close' : 'a row down'}`).toEqual([]);
        // A phone: the chain vertical, the group beside the chosen client.
        if (!close) expect(crossings(layout.devices, view.connections, 'vertical'), `${focus} vertical`).toEqual([]);
      }
  });

  it('every built-in scenario: each connection of its run clear of the boxes between its ends', () => {
    for (const { id } of BUILTIN_SCENARIOS) {
      if (id === 'filezilla-class-per-ip-limit') continue;
      const s = load(id);
      const conns = runScenario(s).trace.connections;
      expect(crossings(layoutTopology(s).devices, conns), id).toEqual([]);
      expect(crossings(layoutTopology(s).devices, conns, 'vertical'), `${id} vertical`).toEqual([]);
    }
  });

  it('a plain arc stays one curve; a routed one leaves its handles straight and ends where it should', () => {
    const plain = arcGeometry({ x: 0, y: 0 }, { x: 400, y: 0 }, true, 60);
    expect(plain.d).toMatch(/^M 0,0 Q 200,-120 400,0$/);
    expect(plain.label).toEqual({ x: 200, y: -60 });
    const r = arcGeometry({ x: 180, y: 86 }, { x: 1026, y: 0 }, true, 60, { from: { x: 214, rise: 22, level: -10 } });
    // Up out of the gap at x 214, along it to y -10, the bridge's top where a plain curve 60 out has its label, into the target from straight above.
    expect(r.d.startsWith('M 180,86 C 180,75 214,75 214,64 L 214,-10 C 214,')).toBe(true);
    expect(r.d.endsWith(' 1026,0')).toBe(true);
    expect(r.label.y).toBeCloseTo(0.25 * (-10 + 0) + 0.5 * (-10 - 120), 5);
    expect(Math.min(...r.points.map((p) => p.y))).toBeCloseTo(-67.5, 0);
  });
});

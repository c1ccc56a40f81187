/**
 * A class of clients as one group: with many client machines (a class of 30 behind one NAT
 * router) the canvas and the ladder show one client chosen by the viewer, in full, and the
 * others as one "29 other clients" device and lifeline. The trace and the layout are
 * rewritten for the view only (the run is not touched): the hidden clients' device ids
 * become the group's, and their connections fold into one per role and far end, so the
 * canvas draws one arc for the group, not thirty.
 */
import type { Scenario, Trace, TraceEvent } from '../../core/index';
import { nodeHeight, type DeviceView, type LinkView } from './layout';

/** From this many client machines on, the others are drawn as one group. */
export const GROUP_FROM = 5;
export const GROUP_ID = 'group:clients';

export interface ClientGroup {
  /** Every client machine (host id), in the scenario's order. */
  hosts: string[];
  /** The one shown in full. */
  focus: string;
  /** The others, drawn as the group. */
  hidden: ReadonlySet<string>;
}

/** The group for this scenario and chosen client, or null when there are few clients. */
export function clientGroup(s: Scenario, focus: string | null): ClientGroup | null {
  const hosts = [...new Set(s.clients.map((c) => c.host))];
  if (hosts.length < GROUP_FROM) return null;
  const f = focus !== null && hosts.includes(focus) ? focus : hosts[0]!;
  return { hosts, focus: f, hidden: new Set(hosts.filter((h) => h !== f)) };
}

/** The group's display name: "29 other clients". */
export function groupLabel(g: ClientGroup): string {
  return `${g.hidden.size} other clients`;
}

/** The gap between the chosen client's box and the group's under it (horizontal), in flow units. */
export const GROUP_GAP = 22;

/**
 * The layout with the hidden clients replaced by one group device (in the first hidden one's
 * place) and its links merged. `close`: the group's box stands right under the chosen client's
 * (GROUP_GAP), not a full row down — the picture is shorter, so a 1280×720 screen keeps room for
 * the ladder. Left out when the chosen client has a callout to show under it (a refusal at it).
 */
export function groupLayout(layout: { devices: DeviceView[]; links: LinkView[] }, g: ClientGroup, close = false): { devices: DeviceView[]; links: LinkView[] } {
  const hiddenViews = layout.devices.filter((d) => g.hidden.has(d.id));
  const first = hiddenViews[0];
  if (!first) return layout;
  const addresses = [...new Set(hiddenViews.flatMap((d) => d.addresses))];
  const group: DeviceView = {
    ...first,
    id: GROUP_ID,
    label: groupLabel(g),
    kind: 'client',
    // The group's addresses as a range when they share a prefix ("192.168.1.102–130/24").
    addresses: addresses.length > 2 ? [rangeOf(addresses)] : addresses,
    badges: [],
  };
  // The group stands right after the chosen client (under it, or beside it on a phone).
  const devices = layout.devices.filter((d) => !g.hidden.has(d.id));
  const after = devices.findIndex((d) => d.id === g.focus);
  devices.splice(after >= 0 ? after + 1 : layout.devices.indexOf(first), 0, group);
  // Rows in each column are renumbered so the group sits right under the chosen client.
  const rows = new Map<number, number>();
  const placed = devices.map((d) => {
    const row = rows.get(d.column) ?? 0;
    rows.set(d.column, row + 1);
    return { ...d, row };
  });
  const focus = placed.find((d) => d.id === g.focus);
  const grp = placed.find((d) => d.id === GROUP_ID)!;
  if (close && focus && focus.column === grp.column && grp.row === focus.row + 1 && focus.row === 0) {
    grp.y = nodeHeight(focus) + GROUP_GAP;
    [grp.stacked, focus.stacked] = ['below', 'above'];
  }
  const seen = new Set<string>();
  const links: LinkView[] = [];
  for (const l of layout.links) {
    const source = g.hidden.has(l.source) ? GROUP_ID : l.source;
    const target = g.hidden.has(l.target) ? GROUP_ID : l.target;
    const id = `${l.id.split(':').slice(0, 2).join(':')}:${source}:${target}`;
    if (seen.has(id)) continue;
    seen.add(id);
    links.push({ ...l, id, source, target });
  }
  return { devices: placed, links };
}

/** "eth0 192.168.1.102/24" … "eth0 192.168.1.130/24" → "192.168.1.102–130/24" (fits the box); else the first "and N more". */
function rangeOf(addresses: string[]): string {
  const parse = (a: string) => /^(\S+) (\d+\.\d+\.\d+)\.(\d+)\/(\d+)$/.exec(a);
  const ps = addresses.map(parse);
  if (ps.every((p) => p && p[1] === ps[0]![1] && p[2] === ps[0]![2] && p[4] === ps[0]![4])) {
    const last = ps.map((p) => Number(p![3]));
    const [lo, hi] = [Math.min(...last), Math.max(...last)];
    return `${ps[0]![2]}.${lo}–${hi}/${ps[0]![4]}`;
  }
  return `${addresses[0]} and ${addresses.length - 1} more`;
}

/**
 * The trace as the grouped view draws it: the hidden clients' device ids become the group's
 * (events, lifelines, connections) and their connections fold into one per role and far
 * end (the earliest stands for the rest; their packets point at it), so the canvas draws one
 * arc and the ladder one lifeline for the group. Events are copied only where they change.
 */
export function groupTrace(trace: Trace, g: ClientGroup): Trace {
  const dev = (id: string) => (g.hidden.has(id) ? GROUP_ID : id);
  const connMap = new Map<string, string>();
  const reps = new Map<string, number>();
  const connections: Trace['connections'] = [];
  for (const c of trace.connections) {
    if (!g.hidden.has(c.opener) && !g.hidden.has(c.acceptor)) {
      connections.push(c);
      continue;
    }
    const key = `${c.role}|${dev(c.opener)}|${dev(c.acceptor)}`;
    const k = reps.get(key);
    if (k === undefined) {
      reps.set(key, connections.length);
      connMap.set(c.id, c.id);
      connections.push({ ...c, opener: dev(c.opener), acceptor: dev(c.acceptor) });
    } else {
      const rep = connections[k]!;
      connMap.set(c.id, rep.id);
      if (c.firstStep < rep.firstStep) connections[k] = { ...rep, firstStep: c.firstStep };
    }
  }
  const events = trace.events.map((e): TraceEvent => {
    const r = e as unknown as Record<string, unknown>;
    let out: Record<string, unknown> | null = null;
    for (const k of ['device', 'to', 'from'] as const) {
      const v = r[k];
      if (typeof v === 'string' && g.hidden.has(v)) (out ??= { ...r })[k] = GROUP_ID;
    }
    const c = r.conn;
    if (typeof c === 'string' && connMap.has(c) && connMap.get(c) !== c) (out ??= { ...r }).conn = connMap.get(c);
    return (out ?? e) as unknown as TraceEvent;
  });
  const devices: string[] = [];
  for (const d of trace.devices) if (!devices.includes(dev(d))) devices.push(dev(d));
  // The chosen client's lifeline first, the group's next to it.
  const [gi, fi] = [devices.indexOf(GROUP_ID), devices.indexOf(g.focus)];
  if (gi >= 0 && fi > gi) devices.splice(gi, 0, ...devices.splice(fi, 1));
  return { events, connections, devices };
}

/** The steps (indices into `steps`) of the chosen client: its connections' packets, and steps on no connection away from the hidden clients. */
export function focusSteps(trace: Trace, steps: readonly number[], g: ClientGroup): number[] {
  const mine = new Set(trace.connections.filter((c) => c.opener === g.focus || c.acceptor === g.focus).map((c) => c.id));
  // A NAT rewrite or a filter decision names its packet, not its connection: the packet's first hop does.
  const connOfPacket = new Map<number, string>();
  for (const e of trace.events) if (e.kind === 'send' && e.conn !== undefined && !connOfPacket.has(e.packetId)) connOfPacket.set(e.packetId, e.conn);
  const out: number[] = [];
  steps.forEach((ev, i) => {
    const e = trace.events[ev] as { conn?: string; packetId?: number; device?: string } | undefined;
    const conn = e?.conn ?? (e?.packetId !== undefined ? connOfPacket.get(e.packetId) : undefined);
    if (conn !== undefined ? mine.has(conn) : !(e?.device !== undefined && g.hidden.has(e.device))) out.push(i);
  });
  return out;
}

/**
 * The client machine an event belongs to (through its connection, or its packet's first hop), when
 * that is one of the group's: a jump to another client's failure shows that client in full.
 */
export function clientOfEvent(trace: Trace, eventIndex: number, g: ClientGroup): string | null {
  const e = trace.events[eventIndex] as { conn?: string; packetId?: number; device?: string; actor?: string } | undefined;
  if (!e) return null;
  // A state change names its actor "host/…".
  const owner = e.actor?.split('/')[0];
  if (owner !== undefined && g.hosts.includes(owner)) return owner;
  let conn = e.conn;
  if (conn === undefined && e.packetId !== undefined) {
    const first = trace.events.find((x) => x.kind === 'send' && x.packetId === e.packetId && x.conn !== undefined) as { conn?: string } | undefined;
    conn = first?.conn;
  }
  const c = conn !== undefined ? trace.connections.find((x) => x.id === conn) : undefined;
  for (const d of c ? [c.opener, c.acceptor] : e.device !== undefined ? [e.device] : []) if (g.hosts.includes(d)) return d;
  return null;
}

/**
 * The step a jump to an event lands on in the grouped view: the chosen client's last step at or
 * before it (a failure can point at an event that is no step, a packet received; the step at or
 * before it may then be another client's packet, which the ladder does not list). Null when the
 * chosen client has no step that early.
 */
export function focusStepAt(trace: Trace, steps: readonly number[], g: ClientGroup, eventIndex: number): number | null {
  let best: number | null = null;
  for (const i of focusSteps(trace, steps, g)) if (steps[i]! <= eventIndex) best = i;
  return best;
}

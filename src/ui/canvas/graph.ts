/**
 * The canvas as xyflow nodes and edges for one cursor position: devices and links from the
 * layout, the connections that exist so far (opener → acceptor), and the current step's
 * packet on its link or at the device that refused it. Pure: tests and the component share it.
 */
import type { Edge, Node } from '@xyflow/svelte';
import { MarkerType } from '@xyflow/svelte';
import { decodePacket, describePacket, nameDevice, reasonBesideName, type Trace, type TraceEvent } from '../../core/index';
import type { VisibleConnection } from '../playback/context';
import { packetLabel, payloadText } from '../playback/label';
import { COLUMN_WIDTH, NODE_W, ROW_HEIGHT, V_COLUMN_WIDTH, V_ROW_COMPACT, V_ROW_HEIGHT, nodeHeight, type DeviceView, type LinkView, type Orientation } from './layout';

export type DeviceState = 'idle' | 'sending' | 'receiving' | 'dropped' | 'nat' | 'done' | 'failed';

export interface DeviceData extends Record<string, unknown> {
  device: DeviceView;
  state: DeviceState;
  /** Where callouts anchor so they stay on the canvas: the first/last column align to that side. */
  align: 'left' | 'center' | 'right';
  orient: Orientation;
  /** Set when this device refused the current packet. */
  drop?: { how: string; reason: string; rule: string | null };
  /** Set when this device rewrote the current packet. */
  nat?: { before: string; after: string; note: string };
}

export interface PacketMark {
  /** 0 = at the link's source end, 1 = at its target end. */
  at: number;
  /** Travelling source → target (true) or target → source. */
  forward: boolean;
  label: string;
  refused: 'DROP' | 'REJECT' | null;
  orient: Orientation;
}

export interface LinkData extends Record<string, unknown> {
  packet: PacketMark | null;
}

export interface ConnData extends Record<string, unknown> {
  conn: VisibleConnection;
  label: string;
  /** Stacking of several data connections on the same side. */
  lane: number;
  /** How far the arc bulges (planArcs); the lane's when left out. */
  lift?: number;
  orient: Orientation;
}

/** How far a connection's arc bulges out from the devices it joins (its peak). */
export function arcLift(lane: number, orient: Orientation): number {
  return orient === 'vertical' ? 36 + 20 * lane : 60 + 30 * lane;
}

/**
 * Each connection's lane: arcs between the same two devices (one role) stack outwards, one
 * lane each; arcs between other pairs start again at lane 0, so thirty clients' control
 * connections do not lift thirty lanes above the picture.
 */
export function connLanes(conns: readonly { role: 'control' | 'data'; opener: string; acceptor: string }[]): number[] {
  const next = new Map<string, number>();
  return conns.map((c) => {
    const key = `${c.role}|${[c.opener, c.acceptor].sort().join('|')}`;
    const lane = next.get(key) ?? 0;
    next.set(key, lane + 1);
    return lane;
  });
}

/** Where a device box sits. Horizontal: columns are hops from the client; vertical: they are rows. */
export function nodePosition(d: Pick<DeviceView, 'column' | 'row' | 'y' | 'compact'>, orient: Orientation): { x: number; y: number } {
  return orient === 'vertical'
    ? { x: d.row * V_COLUMN_WIDTH, y: d.column * (d.compact ? V_ROW_COMPACT : V_ROW_HEIGHT) }
    : { x: d.column * COLUMN_WIDTH, y: d.y ?? d.row * ROW_HEIGHT };
}

/** A connection as the arc planner sees it (a trace's connection, or a visible one). */
export interface ArcConn {
  id?: string;
  role: 'control' | 'data';
  opener: string;
  acceptor: string;
  /** "ip:port" as dialled: the label reads "control :21". */
  dialled?: string;
}

/** Where along the box's top or bottom edge a stacked pair's arcs leave (ConnEdge's east handles). */
export const EAST = 0.92;

/**
 * Whether a device's arcs on that side leave from the east end of its edge, not the middle:
 * a class's group stands close under the chosen client, so the group's control arcs (top) and
 * the chosen client's data arcs (bottom) start where the other box does not cover them.
 */
export function eastEnd(d: Pick<DeviceView, 'stacked'> | undefined, side: 'top' | 'bottom'): boolean {
  return !!d && d.stacked === (side === 'top' ? 'below' : 'above');
}

/** A box in flow units. */
export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** One arc as drawn: how far it bulges, where its label sits (horizontal only) and its outermost point. */
export interface ArcPlace {
  lift: number;
  label: Box | null;
  /** The arc's extreme y (top for control, bottom for data), label included. */
  reach: number;
}

/** A connection label's size in flow units: 13 px type, ≈ 7.4 units a character, padding and border. */
export const LABEL_H = 24;
export function labelWidth(text: string): number {
  return Math.ceil(text.length * 7.4) + 22;
}

/** The words on an arc's label: "control :21 student01 → FileZilla Server" (and the refusal, when it has one). */
export function arcLabelText(c: ArcConn, name: (id: string) => string = (id) => id, refused = false): string {
  const port = c.dialled ? c.dialled.slice(c.dialled.lastIndexOf(':') + 1) : '';
  const head = c.role === 'control' ? `control :${port}` : `data → :${port}`;
  return `${head}${refused ? ' ✗ never connected' : ''} ${name(c.opener)} → ${name(c.acceptor)}`;
}

const overlaps = (a: Box, b: Box, gap = 4) => a.x < b.x + b.w + gap && b.x < a.x + a.w + gap && a.y < b.y + b.h + gap && b.y < a.y + a.h + gap;

/**
 * Where every connection's arc goes. Vertical: lanes outwards (labels are listed under the
 * canvas). Horizontal: an arc starts at its lane's lift and is lifted further while its label
 * would touch a device or a label placed before it — the chosen client's "control :21" and the
 * group's below it start at different heights and would otherwise sit on each other.
 * `labels` gives each label's text (default: role and port only).
 */
export function planArcs(devices: DeviceView[], conns: readonly ArcConn[], orient: Orientation, labels?: (c: ArcConn) => string): ArcPlace[] {
  const lanes = connLanes(conns);
  const at = new Map(devices.map((d) => [d.id, { ...nodePosition(d, orient), h: nodeHeight(d) }]));
  const byId = new Map(devices.map((d) => [d.id, d]));
  if (orient === 'vertical') return conns.map((c, i) => ({ lift: arcLift(lanes[i]!, orient), label: null, reach: 0 }));
  const obstacles: Box[] = [...at.values()].map((b) => ({ x: b.x, y: b.y, w: NODE_W, h: b.h }));
  return conns.map((c, i) => {
    const s = at.get(c.opener);
    const t = at.get(c.acceptor);
    const base = arcLift(lanes[i]!, orient);
    if (!s || !t) return { lift: base, label: null, reach: 0 };
    const control = c.role === 'control';
    const side = control ? 'top' : 'bottom';
    // The handles ConnEdge draws from: top centre for control, bottom centre for data (the east end for a stacked pair).
    const hx = (id: string, b: { x: number }) => b.x + NODE_W * (eastEnd(byId.get(id), side) ? EAST : 0.5);
    const [sx, tx] = [hx(c.opener, s), hx(c.acceptor, t)];
    const [sy, ty] = control ? [s.y, t.y] : [s.y + s.h, t.y + t.h];
    const w = labelWidth(labels ? labels(c) : arcLabelText(c));
    const place = (lift: number): Box => {
      const cy = control ? Math.min(sy, ty) - 2 * lift : Math.max(sy, ty) + 2 * lift;
      const lx = 0.25 * sx + (0.5 * (sx + tx)) / 2 + 0.25 * tx;
      const ly = 0.25 * sy + 0.5 * cy + 0.25 * ty;
      return { x: lx - w / 2, y: ly - LABEL_H / 2, w, h: LABEL_H };
    };
    // The lane's lift if its label is clear; else the nearest clear one, a lower arc first (a smaller picture).
    const tries = [base, ...Array.from({ length: 24 }, (_, k) => base + (k % 2 ? 1 : -1) * 15 * Math.ceil((k + 1) / 2))].filter((l) => l >= 20);
    const lift = tries.find((l) => !obstacles.some((o) => overlaps(place(l), o))) ?? tries[tries.length - 1]!;
    const label = place(lift);
    const cy = control ? Math.min(sy, ty) - 2 * lift : Math.max(sy, ty) + 2 * lift;
    obstacles.push(label);
    // The curve's extreme: a quadratic Bézier's turning point, when it lies between the ends.
    const den = sy - 2 * cy + ty;
    const tt = den !== 0 ? (sy - cy) / den : 0.5;
    const curve = tt > 0 && tt < 1 ? (1 - tt) ** 2 * sy + 2 * tt * (1 - tt) * cy + tt ** 2 * ty : control ? Math.min(sy, ty) : Math.max(sy, ty);
    const reach = control ? Math.min(curve, label.y) : Math.max(curve, label.y + label.h);
    return { lift, label, reach };
  });
}

/**
 * The area the picture needs in flow units: the devices plus the arcs of every connection the
 * run opens (all of them, so the zoom does not jump while stepping) and their labels. The
 * page sizes the canvas from it, so text keeps its size and nothing is cut off. A refusal's or
 * rewrite's callout hangs under its device: room is kept under the devices in `callouts`
 * (every device when it is left out).
 */
export function graphBounds(
  devices: DeviceView[],
  connections: readonly ArcConn[],
  orient: Orientation,
  opts: { callouts?: ReadonlySet<string>; arcs?: ArcPlace[]; pillRoom?: number } = {},
): { x: number; y: number; width: number; height: number } {
  if (devices.length === 0) return { x: 0, y: 0, width: NODE_W, height: 100 };
  const boxes = devices.map((d) => ({ id: d.id, ...nodePosition(d, orient), h: nodeHeight(d) }));
  const minX = Math.min(...boxes.map((b) => b.x));
  const maxX = Math.max(...boxes.map((b) => b.x + NODE_W));
  const minY = Math.min(...boxes.map((b) => b.y));
  const maxY = Math.max(...boxes.map((b) => b.y + b.h));
  if (orient === 'vertical') {
    const lanes = connLanes(connections);
    const maxLane = (role: 'control' | 'data') => Math.max(-1, ...connections.map((c, i) => (c.role === role ? lanes[i]! : -1)));
    const ctrl = maxLane('control') >= 0 ? arcLift(maxLane('control'), orient) : 0;
    const data = maxLane('data') >= 0 ? arcLift(maxLane('data'), orient) : 0;
    // Arcs bulge left (control) and right (data); their labels are listed under the canvas.
    const left = minX - ctrl - 12;
    // The packet's pill beside the chain: 200 px wide (260 units from the chain's middle), or as asked (opts.pillRoom).
    const compact = devices.every((d) => d.compact);
    const right = Math.max(maxX + data + 12, minX + NODE_W / 2 + (opts.pillRoom ?? 260));
    // Room under the last box for a packet refused there (its marker and pill); compact boxes keep less.
    return { x: left, y: minY - 8, width: right - left, height: maxY - minY + (compact ? 16 : 70) };
  }
  // Labels sit on the arcs' peaks; a refusal's callout hangs under its device.
  const arcs = opts.arcs ?? planArcs(devices, connections, orient);
  const top = Math.min(minY - 8, ...arcs.map((a, i) => (connections[i]!.role === 'control' && a.label ? a.reach - 6 : minY)));
  const under = boxes.map((b) => b.y + b.h + (opts.callouts && !opts.callouts.has(b.id) ? 8 : 110));
  const bottom = Math.max(maxY + 8, ...under, ...arcs.map((a, i) => (connections[i]!.role === 'data' && a.label ? a.reach + 6 : maxY)));
  return { x: minX - 8, y: top, width: maxX - minX + 16, height: bottom - top };
}

const linkBetween = (links: LinkView[], a: string, b: string) => links.find((l) => (l.source === a && l.target === b) || (l.source === b && l.target === a));

/** Where the current step's packet is drawn (link and position) and which devices are involved. */
export function currentMarks(trace: Trace, eventIndex: number, links: LinkView[]) {
  const e = trace.events[eventIndex];
  const states = new Map<string, Partial<DeviceData>>();
  let packet: { link: string; mark: PacketMark } | null = null;
  if (!e) return { states, packet };
  if (e.kind === 'send') {
    // A server refusing the data connection in words (500 Illegal PORT, 425, 426) is marked
    // where it says so: the reply is the failure the client sees.
    const refusal = ftpRefusal(e.bytes);
    states.set(e.device, refusal ? { state: 'failed', drop: { how: 'reply', reason: refusal, rule: null } } : { state: 'sending' });
    states.set(e.to, { state: 'receiving' });
    const l = linkBetween(links, e.device, e.to);
    if (l) packet = { link: l.id, mark: { at: 0.5, forward: l.source === e.device, label: packetLabel(e.bytes), refused: null, orient: 'horizontal' } };
  } else if (e.kind === 'drop') {
    states.set(e.device, { state: 'dropped', drop: { how: e.how, reason: e.reason, rule: e.rule ? e.rule.text : null } });
    const hop = lastSend(trace, eventIndex, e.packetId);
    const l = hop && linkBetween(links, hop.device, e.device);
    if (hop && l) {
      const forward = l.source === hop.device;
      const refused = e.how === 'reject' ? 'REJECT' : 'DROP';
      packet = { link: l.id, mark: { at: forward ? 0.85 : 0.15, forward, label: packetLabel(hop.bytes), refused, orient: 'horizontal' } };
    }
  } else if (e.kind === 'nat') {
    states.set(e.device, { state: 'nat', nat: { before: describePacket(e.before), after: describePacket(e.after), note: e.note || e.what } });
  } else if (e.kind === 'transfer') {
    const host = trace.connections.find((c) => c.client === e.client)?.opener ?? e.client;
    states.set(host, { state: e.ok ? 'done' : 'failed' });
  }
  return { states, packet };
}

/** The reply line when a segment carries a data-connection refusal (425, 426, 500 Illegal PORT/EPRT). */
export function ftpRefusal(bytes: Uint8Array): string | null {
  const p = decodePacket(bytes, { verifyChecksums: false });
  if (!p.ok || !p.value.tcp) return null;
  const text = payloadText(p.value.tcp.payload);
  return text !== null && /^(42[56] |500 Illegal (PORT|EPRT))/.test(text) ? text : null;
}

function lastSend(trace: Trace, before: number, packetId: number): Extract<TraceEvent, { kind: 'send' }> | null {
  for (let i = before - 1; i >= 0; i--) {
    const p = trace.events[i]!;
    if (p.kind === 'send' && p.packetId === packetId) return p;
  }
  return null;
}

/** What the current step did at one device: its state, and the refusal or rewrite to call out. */
export function deviceStep(d: Pick<DeviceView, 'id' | 'label'>, states: Map<string, Partial<DeviceData>>): Pick<DeviceData, 'state' | 'drop' | 'nat'> {
  const s = states.get(d.id);
  // The callout names the device as its title does (reasons are written with ids).
  return { state: s?.state ?? 'idle', drop: s?.drop && { ...s.drop, reason: nameDevice(reasonBesideName(s.drop.reason, d.id), d.id, d.label) }, nat: s?.nat };
}

export function buildNodes(devices: DeviceView[], states: Map<string, Partial<DeviceData>>, orient: Orientation = 'horizontal'): Node<DeviceData>[] {
  const last = Math.max(0, ...devices.map((d) => d.column));
  // A close pair in the column before (a class's group under its client) reaches under this device's left half: the callout starts at its left edge.
  const pairIn = new Set(devices.filter((d) => d.stacked).map((d) => d.column));
  return devices.map((d) => {
    const align = d.column === 0 || (orient === 'horizontal' && pairIn.has(d.column - 1)) ? 'left' : d.column === last ? 'right' : 'center';
    const { state, drop, nat } = deviceStep(d, states);
    return {
      id: d.id,
      type: 'device',
      position: nodePosition(d, orient),
      width: NODE_W,
      data: { device: d, state, align, orient, drop, nat },
      draggable: false,
      connectable: false,
      ariaLabel: `${d.label} (${d.kind})`,
      domAttributes: { 'data-kind': d.kind, 'data-state': state, 'data-device': d.id } as Record<string, string>,
    };
  });
}

export function buildEdges(
  links: LinkView[],
  conns: VisibleConnection[],
  packet: { link: string; mark: PacketMark } | null,
  orient: Orientation = 'horizontal',
  lifts?: ReadonlyMap<string, number>,
): Edge[] {
  const vertical = orient === 'vertical';
  const linkEdges: Edge<LinkData>[] = links.map((l) => ({
    id: l.id,
    type: 'link',
    source: l.source,
    target: l.target,
    sourceHandle: vertical ? 'bs' : 'r',
    targetHandle: vertical ? 'tt' : 'l',
    data: { packet: packet?.link === l.id ? { ...packet.mark, orient } : null },
    ariaLabel: `link ${l.label}`,
    domAttributes: { 'data-kind': 'link', 'data-state': packet?.link === l.id ? 'packet' : 'idle' } as Record<string, string>,
  }));
  const lanes = connLanes(conns);
  const connEdges: Edge<ConnData>[] = conns.map((c, i) => {
    const control = c.role === 'control';
    const lane = lanes[i]!;
    const label = control ? `control :${c.port}` : `data → :${c.port}`;
    return {
      id: `conn:${c.id}`,
      type: 'conn',
      source: c.opener,
      target: c.acceptor,
      sourceHandle: vertical ? (control ? 'ls' : 'rs') : control ? 'ts' : 'bs',
      targetHandle: vertical ? (control ? 'lt' : 'rt') : control ? 'tt' : 'bt',
      data: { conn: c, label, lane, lift: lifts?.get(c.id), orient },
      markerEnd: { type: MarkerType.ArrowClosed, width: 18, height: 18, color: control ? 'var(--control)' : 'var(--data)' },
      ariaLabel: `${label}: ${c.opener} connected to ${c.acceptor} (${c.dialled})${c.state === 'refused' ? ', refused' : ''}`,
      domAttributes: { 'data-kind': c.role, 'data-state': c.state, 'data-opener': c.opener, 'data-acceptor': c.acceptor } as Record<string, string>,
    };
  });
  return [...linkEdges, ...connEdges];
}

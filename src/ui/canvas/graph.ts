/**
 * The canvas as xyflow nodes and edges for one cursor position: devices and links from the
 * layout, the connections that exist so far (opener → acceptor), and the current step's
 * packet on its link or at the device that refused it. Pure: tests and the component share it.
 */
import type { Edge, Node } from '@xyflow/svelte';
import { MarkerType } from '@xyflow/svelte';
import { decodePacket, describePacket, refusalBesideName, type Trace, type TraceEvent } from '../../core/index';
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
  /** `packet`: the refused packet's label, shown in the callout (the pill is left out beside it). */
  drop?: { how: string; reason: string; rule: string | null; packet?: string };
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
  /** Its way round boxes in its path (planArcs), when it has one. */
  route?: ArcRoute;
  /** Compact boxes, vertical: where its short label goes (compactTags). */
  tag?: ArcTag;
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

/** A point in flow units. */
export interface Pt {
  x: number;
  y: number;
}

/**
 * One end of a routed arc stepping sideways out from under (or over) the box next to it: an
 * S-bend `rise` units up (control) or down (data) into the gap between the columns at `x`,
 * then straight along the gap to `level`, beyond every box, where the arc proper starts.
 */
export interface ArcJog {
  x: number;
  rise: number;
  level: number;
}

/**
 * An arc routed round the boxes a plain curve would cross (planArcs): its ends leave their
 * handles straight up (control) or down (data) — stepping aside first where a box stands in
 * the way — and meet in a bridge whose top is `lift` beyond them.
 */
export interface ArcRoute {
  from?: ArcJog;
  to?: ArcJog;
}

/** One arc as drawn: how far it bulges, its route round boxes, where its label sits (horizontal only) and its outermost point. */
export interface ArcPlace {
  lift: number;
  route?: ArcRoute;
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

const cubicAt = (p: Pt[], t: number): Pt => {
  const u = 1 - t;
  const [a, b, c, d] = [u * u * u, 3 * u * u * t, 3 * u * t * t, t * t * t];
  return { x: a * p[0]!.x + b * p[1]!.x + c * p[2]!.x + d * p[3]!.x, y: a * p[0]!.y + b * p[1]!.y + c * p[2]!.y + d * p[3]!.y };
};

/**
 * A horizontal arc's path from s to t: one quadratic curve `lift` out (its peak half way to
 * the control point), or, routed, the jogs and a cubic bridge (ArcRoute). Returns the SVG path,
 * the label's centre and points along the path (every few units, for the planner's checks).
 */
export function arcGeometry(s: Pt, t: Pt, control: boolean, lift: number, route?: ArcRoute, orient: Orientation = 'horizontal'): { d: string; label: Pt; points: Pt[] } {
  if (orient === 'vertical') {
    // The horizontal arc turned on its side: left is "up" (control), right "down" (data).
    const T = (p: Pt): Pt => ({ x: p.y, y: p.x });
    const g = arcGeometry(T(s), T(t), control, lift, route);
    return { d: g.d.replace(/(-?[\d.]+),(-?[\d.]+)/g, '$2,$1'), label: T(g.label), points: g.points.map(T) };
  }
  const f = (p: Pt) => `${+p.x.toFixed(2)},${+p.y.toFixed(2)}`;
  const points: Pt[] = [];
  const curve = (p: Pt[]) => {
    for (let i = 0; i <= 24; i++) points.push(cubicAt(p, i / 24));
  };
  if (!route) {
    const c = { x: (s.x + t.x) / 2, y: control ? Math.min(s.y, t.y) - 2 * lift : Math.max(s.y, t.y) + 2 * lift };
    // A quadratic as the cubic with control points two thirds of the way to c.
    curve([s, { x: s.x + (2 / 3) * (c.x - s.x), y: s.y + (2 / 3) * (c.y - s.y) }, { x: t.x + (2 / 3) * (c.x - t.x), y: t.y + (2 / 3) * (c.y - t.y) }, t]);
    return { d: `M ${f(s)} Q ${f(c)} ${f(t)}`, label: { x: 0.25 * s.x + 0.5 * c.x + 0.25 * t.x, y: 0.25 * s.y + 0.5 * c.y + 0.25 * t.y }, points };
  }
  const dir = control ? -1 : 1;
  const parts: string[] = [`M ${f(s)}`];
  // An end's jog: the S-bend into the gap and the straight run along it (reversed at the target's end).
  const jog = (h: Pt, j: ArcJog): Pt[] => {
    const m = h.y + (dir * j.rise) / 2;
    return [h, { x: h.x, y: m }, { x: j.x, y: m }, { x: j.x, y: h.y + dir * j.rise }];
  };
  const line = (a: Pt, b: Pt) => {
    const n = Math.max(1, Math.ceil(Math.hypot(b.x - a.x, b.y - a.y) / 4));
    for (let i = 0; i <= n; i++) points.push({ x: a.x + ((b.x - a.x) * i) / n, y: a.y + ((b.y - a.y) * i) / n });
  };
  let a = s;
  if (route.from) {
    const p = jog(s, route.from);
    curve(p);
    a = { x: route.from.x, y: route.from.level };
    line(p[3]!, a);
    parts.push(`C ${f(p[1]!)} ${f(p[2]!)} ${f(p[3]!)}`, `L ${f(a)}`);
  }
  const b = route.to ? { x: route.to.x, y: route.to.level } : t;
  // The bridge: vertical at both ends, its middle (t = ½) where a plain curve `lift` out has its label.
  const peak = 0.25 * (a.y + b.y) + 0.5 * (control ? Math.min(a.y, b.y) - 2 * lift : Math.max(a.y, b.y) + 2 * lift);
  const cy = (peak - 0.125 * (a.y + b.y)) / 0.75;
  const bridge = [a, { x: a.x, y: cy }, { x: b.x, y: cy }, b];
  curve(bridge);
  parts.push(`C ${f(bridge[1]!)} ${f(bridge[2]!)} ${f(b)}`);
  if (route.to) {
    const p = jog(t, route.to).reverse();
    line(b, p[0]!);
    curve(p);
    parts.push(`L ${f(p[0]!)}`, `C ${f(p[1]!)} ${f(p[2]!)} ${f(t)}`);
  }
  return { d: parts.join(' '), label: cubicAt(bridge, 0.5), points };
}

/** Whether a path's points enter a box (inset a little: a handle sits on its own box's border). */
function crosses(points: readonly Pt[], boxes: readonly Box[]): boolean {
  return boxes.some((b) => points.some((p) => p.x > b.x + 1 && p.x < b.x + b.w - 1 && p.y > b.y + 1 && p.y < b.y + b.h - 1));
}

/**
 * Where every connection's arc goes. Horizontal: an arc starts at its lane's lift and is lifted
 * further while its label would touch a device or a label placed before it — the chosen
 * client's "control :21" and the group's below it start at different heights and would
 * otherwise sit on each other. Vertical: lanes outwards (labels are listed under the canvas,
 * or beside compact boxes). In both, an arc whose plain curve would pass through a box it does
 * not join (a class's group beside or under its client; a short server beside a tall router)
 * is routed round it (ArcRoute). A vertical chain is planned as the horizontal one turned on
 * its side (x and y swapped: left is "up"), so its route's numbers are in that frame.
 * `labels` gives each label's text (default: role and port only).
 */
export function planArcs(devices: DeviceView[], conns: readonly ArcConn[], orient: Orientation, labels?: (c: ArcConn) => string): ArcPlace[] {
  const lanes = connLanes(conns);
  const vertical = orient === 'vertical';
  const byId = new Map(devices.map((d) => [d.id, d]));
  // Boxes in the planning frame (vertical: transposed).
  const boxes = devices.map((d) => {
    const p = nodePosition(d, orient);
    const h = nodeHeight(d);
    return vertical ? { id: d.id, x: p.y, y: p.x, w: h, h: NODE_W } : { id: d.id, x: p.x, y: p.y, w: NODE_W, h };
  });
  const at = new Map(boxes.map((b) => [b.id, b]));
  const obstacles: Box[] = vertical ? [] : boxes.map(({ x, y, w, h }) => ({ x, y, w, h }));
  const top = Math.min(...boxes.map((b) => b.y));
  const bottom = Math.max(...boxes.map((b) => b.y + b.h));
  return conns.map((c, i) => {
    const s = at.get(c.opener);
    const t = at.get(c.acceptor);
    const base = arcLift(lanes[i]!, orient);
    if (!s || !t) return { lift: base, label: null, reach: 0 };
    const control = c.role === 'control';
    const side = control ? 'top' : 'bottom';
    // The handles ConnEdge draws from: top centre for control, bottom centre for data (the east end for a
    // stacked pair); vertical: the middle of the left side for control, of the right side for data.
    const hx = (id: string, b: { x: number; w: number }) => b.x + b.w * (!vertical && eastEnd(byId.get(id), side) ? EAST : 0.5);
    const sp = { x: hx(c.opener, s), y: control ? s.y : s.y + s.h };
    const tp = { x: hx(c.acceptor, t), y: control ? t.y : t.y + t.h };
    const others = boxes.filter((b) => b.id !== c.opener && b.id !== c.acceptor);
    // An end with a box straight above (control) or below (data) it steps into the gap beside it, towards the other end.
    const jogOf = (h: Pt, box: { x: number; w: number }, other: Pt): ArcJog | undefined => {
      const ahead = others.filter((b) => b.x < h.x + 8 && h.x - 8 < b.x + b.w && (control ? b.y + b.h <= h.y : b.y >= h.y));
      if (!ahead.length) return undefined;
      const room = Math.min(...ahead.map((b) => (control ? h.y - (b.y + b.h) : b.y - h.y)));
      // The gap: to the nearest box beyond this one on that side (the next column; 36 units when there is none).
      const right = other.x >= h.x;
      const edge = right ? box.x + box.w : box.x;
      const beyond = boxes.map((b) => (right ? b.x - edge : edge - (b.x + b.w))).filter((g) => g >= 0);
      const gap = beyond.length ? Math.min(...beyond) : COLUMN_WIDTH - NODE_W;
      return { x: right ? edge + gap / 2 : edge - gap / 2, rise: Math.min(room, 40), level: control ? top - 10 : bottom + 10 };
    };
    const route: ArcRoute = { from: jogOf(sp, s, tp), to: jogOf(tp, t, sp) };
    const w = labelWidth(labels ? labels(c) : arcLabelText(c));
    const draw = (lift: number, r?: ArcRoute) => {
      const g = arcGeometry(sp, tp, control, lift, r);
      const label = vertical ? null : { x: g.label.x - w / 2, y: g.label.y - LABEL_H / 2, w, h: LABEL_H };
      return { lift, route: r, g, label, clear: !crosses(g.points, others), free: !label || !obstacles.some((o) => overlaps(label, o)) };
    };
    // The lane's lift if its label is clear; else the nearest clear one, a lower arc first (a smaller picture).
    const tries = [base, ...Array.from({ length: 24 }, (_, k) => base + (k % 2 ? 1 : -1) * 15 * Math.ceil((k + 1) / 2))].filter((l) => l >= 20);
    // Routed only where the plain curve at the lane's lift passes through a box: the lane's lift or lower
    // first (the bridge starts beyond the boxes already, and a class's group arc then stays under its
    // client's), then higher; a plain curve high enough to clear the boxes last.
    const down = [...Array.from({ length: Math.floor((base - 20) / 15) + 1 }, (_, k) => base - 15 * k), 20];
    const cands = draw(base).clear
      ? (vertical ? [base] : tries).map((l) => draw(l))
      : [...down, ...Array.from({ length: 12 }, (_, k) => base + 15 * (k + 1))].map((l) => draw(l, route)).concat(tries.map((l) => draw(l)));
    const pick = cands.find((k) => k.clear && k.free) ?? cands.find((k) => k.free) ?? cands[cands.length - 1]!;
    if (pick.label) obstacles.push(pick.label);
    const ys = pick.g.points.map((p) => p.y);
    const reach = control ? Math.min(...ys, pick.label?.y ?? Infinity) : Math.max(...ys, pick.label ? pick.label.y + pick.label.h : -Infinity);
    return { lift: pick.lift, ...(pick.route ? { route: pick.route } : {}), label: pick.label, reach };
  });
}

/**
 * Two runs side by side (compact boxes, vertical chain): where each arc's short label goes —
 * "control :21" left of the control arcs (its right end there), "data → :5050" right of the data
 * arcs (its left end there), outside the outermost arc of its side and level with a device
 * row near the arc's middle: the packet's pill sits between rows, so the two never meet.
 * One label a row on each side.
 */
export interface ArcTag {
  side: 'left' | 'right';
  x: number;
  y: number;
}
/** The short label's words: "control :21", "data → :5050". */
export function tagText(c: Pick<ArcConn, 'role' | 'dialled'>): string {
  const port = c.dialled ? c.dialled.slice(c.dialled.lastIndexOf(':') + 1) : '';
  return c.role === 'control' ? `control :${port}` : `data → :${port}`;
}
/** Room a side's short labels take: the longest, with its ✗ for a refused one, and the gap to the arc. */
const tagRoom = (conns: readonly ArcConn[], role: 'control' | 'data') => Math.max(0, ...conns.filter((c) => c.role === role).map((c) => labelWidth(`${tagText(c)} ✗`) + 6));
export function compactTags(devices: DeviceView[], conns: readonly ArcConn[]): ArcTag[] {
  const lanes = connLanes(conns);
  const at = new Map(devices.map((d) => [d.id, d]));
  const xs = devices.map((d) => nodePosition(d, 'vertical').x);
  const [minX, maxX] = [Math.min(...xs), Math.max(...xs) + NODE_W];
  // Outside the outermost arc of the side (its reach: a routed one may bulge further than its lane).
  const arcs = planArcs(devices, conns, 'vertical');
  const outer = (role: 'control' | 'data') =>
    Math.max(0, ...conns.map((c, i) => (c.role === role ? Math.max(arcLift(lanes[i]!, 'vertical'), role === 'control' ? minX - arcs[i]!.reach : arcs[i]!.reach - maxX) : 0)));
  const rows = [...new Set(devices.map((d) => d.column))].sort((a, b) => a - b);
  const taken = { left: new Set<number>(), right: new Set<number>() };
  const h = devices[0] ? nodeHeight(devices[0]) : 0;
  return conns.map((c) => {
    const side = c.role === 'control' ? 'left' : 'right';
    const [s, t] = [at.get(c.opener), at.get(c.acceptor)];
    const mid = s && t ? (s.column + t.column) / 2 : 0;
    const near = [...rows].sort((a, b) => Math.abs(a - mid) - Math.abs(b - mid) || a - b);
    const row = near.find((r) => !taken[side].has(r)) ?? near[0] ?? 0;
    taken[side].add(row);
    return { side, x: side === 'left' ? minX - outer('control') - 6 : maxX + outer('data') + 6, y: row * V_ROW_COMPACT + h / 2 };
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
    // How far the arcs bulge left (control) and right (data): their lanes, or further where routed round a box.
    const arcs = opts.arcs ?? planArcs(devices, connections, orient);
    const out = (role: 'control' | 'data') =>
      Math.max(0, ...connections.map((c, i) => (c.role === role ? (role === 'control' ? minX - arcs[i]!.reach : arcs[i]!.reach - maxX) : 0)));
    const ctrl = Math.max(maxLane('control') >= 0 ? arcLift(maxLane('control'), orient) : 0, out('control'));
    const data = Math.max(maxLane('data') >= 0 ? arcLift(maxLane('data'), orient) : 0, out('data'));
    // Arcs bulge left (control) and right (data); their labels are listed under the canvas.
    // Compact boxes (two runs side by side) carry each arc's short label outside its side's arcs (compactTags).
    const compact = devices.every((d) => d.compact);
    const left = minX - ctrl - 12 - (compact ? tagRoom(connections, 'control') : 0);
    // The packet's pill beside the chain: 200 px wide (260 units from the chain's middle), or as asked (opts.pillRoom).
    const right = Math.max(maxX + data + 12 + (compact ? tagRoom(connections, 'data') : 0), minX + NODE_W / 2 + (opts.pillRoom ?? 260));
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
    // The callout is under the device's name: the reason does not name it again.
    const hop = lastSend(trace, eventIndex, e.packetId);
    states.set(e.device, {
      state: 'dropped',
      drop: { how: e.how, reason: refusalBesideName(e), rule: e.rule ? e.rule.text : null, ...(hop ? { packet: packetLabel(hop.bytes) } : {}) },
    });
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
export function deviceStep(d: Pick<DeviceView, 'id'>, states: Map<string, Partial<DeviceData>>): Pick<DeviceData, 'state' | 'drop' | 'nat'> {
  const s = states.get(d.id);
  return { state: s?.state ?? 'idle', drop: s?.drop, nat: s?.nat };
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
  places?: ReadonlyMap<string, Pick<ArcPlace, 'lift' | 'route'>>,
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
      data: { conn: c, label, lane, lift: places?.get(c.id)?.lift, ...(places?.get(c.id)?.route ? { route: places.get(c.id)!.route } : {}), orient },
      markerEnd: { type: MarkerType.ArrowClosed, width: 18, height: 18, color: control ? 'var(--control)' : 'var(--data)' },
      ariaLabel: `${label}: ${c.opener} connected to ${c.acceptor} (${c.dialled})${c.state === 'refused' ? ', refused' : ''}`,
      domAttributes: { 'data-kind': c.role, 'data-state': c.state, 'data-opener': c.opener, 'data-acceptor': c.acceptor } as Record<string, string>,
    };
  });
  return [...linkEdges, ...connEdges];
}

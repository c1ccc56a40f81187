/**
 * Where devices sit on the canvas and which links join them, from the normalized
 * scenario: left to right by hops from the clients (breadth-first over shared segments; every
 * client's host in the first column, so several clients stand side by side on their LAN),
 * devices at the same distance stacked. A segment with two members is one link; a LAN
 * with more is drawn as a star from its router (or a chain when it has none).
 */
import { formatIpv4, type Device, type Scenario } from '../../core/index';
import { badgesOf, type Badge } from './badges';

export type DeviceKind = 'client' | 'server' | 'router' | 'internet' | 'host';

export interface DeviceView {
  id: string;
  label: string;
  kind: DeviceKind;
  addresses: string[];
  badges: Badge[];
  column: number;
  row: number;
  /**
   * Horizontal orientation: where the box's top is, when it stands right under the device
   * above it rather than a full row (ROW_HEIGHT) down — a class's group under the chosen client.
   */
  y?: number;
  /** One of a close pair in a column (the chosen client 'above' its group, the group 'below'): their arcs leave from the east end. */
  stacked?: 'above' | 'below';
  /** Kind, badges and name only (two runs side by side): the addresses are in the box's tooltip. */
  compact?: boolean;
}

export interface LinkView {
  id: string;
  source: string;
  target: string;
  label: string;
}

/** Device box width; the canvas text is sized for zoom ≥ 0.95 (13 px type → ≥ 12 CSS px). */
export const NODE_W = 196;
export const COLUMN_WIDTH = 232;
export const ROW_HEIGHT = 170;
/** Vertical orientation (narrow screens): one device under the other, clients side by side. */
export const V_COLUMN_WIDTH = 230;
export const V_ROW_HEIGHT = 140;
/** Vertical pitch of compact boxes (48 units tall, a 28-unit link between them holds the 22-unit packet dot). */
export const V_ROW_COMPACT = 76;

/** Horizontal: left to right by hops. Vertical: top to bottom, for a phone's portrait screen. */
export type Orientation = 'horizontal' | 'vertical';

/** A device box's height, estimated from what it shows (kind, name, one line per address, badges). */
export function nodeHeight(d: Pick<DeviceView, 'addresses' | 'badges' | 'compact'>): number {
  if (d.compact) return 8 + 18 + 22;
  return 8 + 16 + 22 + 18 * d.addresses.length + (d.badges.length ? 24 : 0);
}

function kindOf(d: Device, s: Scenario): DeviceKind {
  if (d.kind === 'router') return d.role === 'internet' ? 'internet' : 'router';
  if (s.clients.some((c) => c.host === d.id) || d.role === 'client') return 'client';
  if (s.server.host === d.id || d.role === 'server') return 'server';
  return 'host';
}

export function layoutTopology(s: Scenario): { devices: DeviceView[]; links: LinkView[] } {
  const all: Device[] = [...s.hosts, ...s.routers];
  const links: LinkView[] = [];
  for (const seg of s.segments) {
    const ids = [...new Set(seg.members.map((m) => m.device))];
    if (ids.length < 2) continue;
    const hub = ids.length > 2 ? ids.find((id) => s.routers.some((r) => r.id === id)) : undefined;
    const pairs: [string, string][] = hub ? ids.filter((id) => id !== hub).map((id) => [hub, id]) : ids.slice(1).map((id, i) => [ids[i]!, id]);
    for (const [a, b] of pairs) links.push({ id: `link:${seg.id}:${a}:${b}`, source: a, target: b, label: seg.label });
  }
  // Every client's host starts at column 0: several clients sit side by side on their LAN,
  // not one of them further down the chain (a second client reached through the router).
  const clientHosts = [...new Set(s.clients.map((c) => c.host))].filter((id) => all.some((d) => d.id === id));
  const depth = bfsDepth(all, links, clientHosts.length ? clientHosts : all[0] ? [all[0].id] : []);
  const rows = new Map<number, number>();
  const devices = all.map((d): DeviceView => {
    const column = depth.get(d.id) ?? 0;
    const row = rows.get(column) ?? 0;
    rows.set(column, row + 1);
    return {
      id: d.id,
      label: d.label,
      kind: kindOf(d, s),
      addresses: d.interfaces.flatMap((i) => [i, ...i.extra].map((a) => `${i.name} ${formatIpv4(a.ip)}/${a.prefix}`)),
      badges: badgesOf(d.firewall?.text),
      column,
      row,
    };
  });
  // Links point left to right so the left/right handles line up.
  for (const l of links) {
    if ((depth.get(l.source) ?? 0) > (depth.get(l.target) ?? 0)) [l.source, l.target] = [l.target, l.source];
  }
  return { devices, links };
}

function bfsDepth(all: Device[], links: LinkView[], starts: string[]): Map<string, number> {
  const depth = new Map<string, number>();
  const queue: string[] = [];
  const visit = (id: string, d: number) => {
    if (!depth.has(id)) {
      depth.set(id, d);
      queue.push(id);
    }
  };
  // The starts together (one breadth-first pass from all of them), then any part not reached.
  for (const id of starts) visit(id, 0);
  for (const root of [null, ...all.map((d) => d.id)]) {
    if (root !== null) {
      if (depth.has(root)) continue;
      visit(root, Math.max(0, ...depth.values()) + 1);
    }
    while (queue.length) {
      const id = queue.shift()!;
      for (const l of links) {
        if (l.source === id) visit(l.target, depth.get(id)! + 1);
        if (l.target === id) visit(l.source, depth.get(id)! + 1);
      }
    }
  }
  return depth;
}

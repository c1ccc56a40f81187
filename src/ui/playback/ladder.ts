/** Rows of the ladder diagram: one per packet step, placed on the devices' lifelines. */
import type { Trace } from '../../core/index';
import { packetLabel } from './label';
import { stepLabel } from './label';

/** Width of one lifeline column in pixels. */
export const COL = 112;

export interface LadderRow {
  step: number;
  t: number;
  kind: 'send' | 'drop' | 'nat' | 'transfer' | 'other';
  /** Lifeline indices of an arrow (send), else null. */
  from: number | null;
  to: number | null;
  /** Lifeline index of a mark (drop ✗, NAT ⇄, transfer ✓/✗), else null. */
  at: number | null;
  conn: 'control' | 'data' | 'none';
  text: string;
  textX: number;
  anchor: 'start' | 'middle' | 'end';
  title: string;
  ok: boolean;
}

export function ladderRows(trace: Trace, steps: readonly number[]): LadderRow[] {
  const col = new Map(trace.devices.map((d, i) => [d, i]));
  const role = new Map(trace.connections.map((c) => [c.id, c.role]));
  const center = (i: number) => i * COL + COL / 2;
  return steps.map((ev, step): LadderRow => {
    const e = trace.events[ev]!;
    const base = { step, t: e.t, from: null, to: null, at: null, conn: 'none' as const, ok: true, title: stepLabel(e), anchor: 'middle' as const };
    if (e.kind === 'send') {
      const from = col.get(e.device) ?? 0;
      const to = col.get(e.to) ?? from;
      const text = packetLabel(e.bytes);
      // A label wider than the arrow starts at its left end, or ends at its right end in the right half, so it stays inside the diagram.
      const lo = Math.min(center(from), center(to));
      const hi = Math.max(center(from), center(to));
      const wide = text.length * 6.2 > hi - lo;
      const rightHalf = lo + hi > trace.devices.length * COL;
      const anchor = !wide ? 'middle' : rightHalf ? 'end' : 'start';
      const textX = anchor === 'middle' ? (lo + hi) / 2 : anchor === 'start' ? lo + 4 : hi - 4;
      return { ...base, kind: 'send', from, to, conn: (e.conn && role.get(e.conn)) || 'none', text, textX, anchor, title: `${e.device} → ${e.to}: ${text}` };
    }
    if (e.kind === 'drop') {
      const at = col.get(e.device) ?? 0;
      return { ...base, kind: 'drop', at, text: `${e.how.toUpperCase()}: ${e.rule ? e.rule.text : e.reason}`.slice(0, 52), textX: clampX(center(at), trace.devices.length) };
    }
    if (e.kind === 'nat') {
      const at = col.get(e.device) ?? 0;
      return { ...base, kind: 'nat', at, text: `NAT ${e.what}`.slice(0, 40), textX: clampX(center(at), trace.devices.length) };
    }
    if (e.kind === 'transfer') {
      const host = trace.connections.find((c) => c.client === e.client)?.opener ?? e.client;
      const at = col.get(host) ?? 0;
      return { ...base, kind: 'transfer', at, ok: e.ok, text: `${e.command}: ${e.ok ? 'done' : 'failed'}`, textX: clampX(center(at), trace.devices.length) };
    }
    return { ...base, kind: 'other', text: e.kind, textX: COL / 2 };
  });
}

/** Keeps a label centred on an edge lifeline inside the diagram. */
function clampX(x: number, n: number): number {
  return Math.min(Math.max(x, COL), Math.max(COL, n * COL - COL));
}

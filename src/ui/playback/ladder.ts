/** Rows of the ladder diagram: one per packet step, placed on the devices' lifelines. */
import { refusalNamed, type Trace } from '../../core/index';
import { natLabel, packetLabel, stepLabel } from './label';
import { fullPacketText } from './keyline';

/** Width of one lifeline column in pixels (the widest; narrow screens pass a smaller one). */
export const COL = 112;
export const MIN_COL = 60;
/** Average advance of a 12 px label character, to keep labels inside the diagram. */
const CHAR_W = 6.9;
/** Longest label kept whole; longer (a data payload that happens to be text) is cut. */
const MAX_LABEL = 72;

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

export function ladderRows(trace: Trace, steps: readonly number[], colW: number = COL, name: (id: string) => string = (id) => id): LadderRow[] {
  return steps.map(ladderRowMaker(trace, colW, name));
}

/**
 * One row at a time: `(eventIndex, step) => row`. The ladder makes only the rows it shows (a
 * long transfer has thousands, each decoding its packet), when they are first scrolled into view.
 */
export function ladderRowMaker(trace: Trace, colW: number = COL, name: (id: string) => string = (id) => id): (ev: number, step: number) => LadderRow {
  const col = new Map(trace.devices.map((d, i) => [d, i]));
  const role = new Map(trace.connections.map((c) => [c.id, c.role]));
  const center = (i: number) => i * colW + colW / 2;
  return (ev, step): LadderRow => {
    const e = trace.events[ev]!;
    const base = { step, t: e.t, from: null, to: null, at: null, conn: 'none' as const, ok: true, title: stepLabel(e, name), anchor: 'middle' as const };
    if (e.kind === 'send') {
      const from = col.get(e.device) ?? 0;
      const to = col.get(e.to) ?? from;
      const full = fullPacketText(e.bytes);
      const text = full.length > MAX_LABEL ? packetLabel(e.bytes) : full;
      // A label wider than the arrow starts at its left end, or ends at its right end in the right half, so it stays inside the diagram.
      const lo = Math.min(center(from), center(to));
      const hi = Math.max(center(from), center(to));
      const wide = text.length * CHAR_W > hi - lo;
      const rightHalf = lo + hi > trace.devices.length * colW;
      const anchor = !wide ? 'middle' : rightHalf ? 'end' : 'start';
      const textX = anchor === 'middle' ? (lo + hi) / 2 : anchor === 'start' ? lo + 4 : hi - 4;
      return { ...base, kind: 'send', from, to, conn: (e.conn && role.get(e.conn)) || 'none', text, textX, anchor, title: `${name(e.device)} → ${name(e.to)}: ${text}` };
    }
    if (e.kind === 'drop') {
      const at = col.get(e.device) ?? 0;
      const how = e.how === 'drop' ? 'DROP (silent)' : e.how === 'reject' ? 'REJECT (answered)' : e.how.toUpperCase();
      const text = `${how}: ${e.rule ? e.rule.text : refusalNamed(e, name(e.device))}`;
      return { ...base, kind: 'drop', at, text, ...placeAt(center(at), text, trace.devices.length * colW) };
    }
    if (e.kind === 'nat') {
      const at = col.get(e.device) ?? 0;
      const text = natLabel(e.what);
      return { ...base, kind: 'nat', at, text, ...placeAt(center(at), text, trace.devices.length * colW) };
    }
    if (e.kind === 'transfer') {
      const host = trace.connections.find((c) => c.client === e.client)?.opener ?? e.client;
      const at = col.get(host) ?? 0;
      const text = `${e.command}: ${e.ok ? 'done' : 'failed'}`;
      return { ...base, kind: 'transfer', at, ok: e.ok, text, ...placeAt(center(at), text, trace.devices.length * colW) };
    }
    return { ...base, kind: 'other', text: e.kind, textX: colW / 2 };
  };
}

/** A label about one lifeline: centred on it, or pushed inward so it stays inside the diagram. */
function placeAt(x: number, text: string, width: number): { textX: number; anchor: 'start' | 'middle' | 'end' } {
  const half = (text.length * CHAR_W) / 2;
  if (x - half < 2) return { textX: 2, anchor: 'start' };
  if (x + half > width - 2) return { textX: width - 2, anchor: 'end' };
  return { textX: x, anchor: 'middle' };
}

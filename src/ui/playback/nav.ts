/**
 * Ways through a long trace other than ±1 step: what each packet step is (an FTP line
 * leaving its sender, a connection opening or closing, a drop), which steps belong to a
 * retransmitted packet (so they can be folded away), the phases of each connection for
 * the timeline, and the next/previous step of a kind. Pure: indices in, indices out.
 *
 * Indices here are packet-step indices (positions in `steps`, as the transport counts).
 */
import { decodePacket, type Trace } from '../../core/index';
import { payloadText } from './label';

/** conn: a connection opening or closing. */
export type Landmark = 'ftp' | 'open' | 'close' | 'conn' | 'drop';

export interface StepInfo {
  /** The FTP line, when this step is the first hop of a packet carrying one on a control connection. */
  ftp: string | null;
  /** First hop of a SYN without ACK (a connection being opened). */
  open: boolean;
  /** First hop of a FIN or RST (a connection being closed or reset). */
  close: boolean;
  /** A device refused or lost a packet here. */
  drop: 'drop' | 'reject' | 'other' | null;
  /** The step belongs to a packet that repeats an earlier one (same connection, flags, sequence number and length). */
  retransmission: boolean;
  /** For the last step of a run of retransmissions: how many packets the run held. */
  foldedCount: number;
}

interface TcpKey {
  /** Null for a bare ACK: it carries nothing to retransmit, and repeats of it are not retransmissions. */
  key: string | null;
  syn: boolean;
  ack: boolean;
  fin: boolean;
  rst: boolean;
  text: string | null;
}

function tcpKey(bytes: Uint8Array, conn: string | undefined): TcpKey | null {
  const p = decodePacket(bytes, { verifyChecksums: false, copyPayload: false });
  if (!p.ok || !p.value.tcp) return null;
  const t = p.value.tcp;
  const f = t.flags;
  const flags = `${+f.syn}${+f.ack}${+f.fin}${+f.rst}${+f.psh}`;
  return {
    key:
      !f.syn && !f.fin && t.payload.length === 0
        ? null
        : `${conn ?? `${p.value.ip.header.src}:${t.srcPort}>${p.value.ip.header.dst}:${t.dstPort}`}|${flags}|${t.seq}|${t.payload.length}`,
    syn: f.syn,
    ack: f.ack,
    fin: f.fin,
    rst: f.rst,
    text: payloadText(t.payload),
  };
}

/** What every step is. Retransmissions: a packet whose first hop repeats an earlier packet's key. */
export function stepInfos(trace: Trace, steps: readonly number[]): StepInfo[] {
  const role = new Map(trace.connections.map((c) => [c.id, c.role]));
  const firstHopSeen = new Set<number>();
  const keysSeen = new Set<string>();
  const retransmitted = new Set<number>();
  const out: StepInfo[] = [];
  for (const ev of steps) {
    const e = trace.events[ev]!;
    const info: StepInfo = { ftp: null, open: false, close: false, drop: null, retransmission: false, foldedCount: 0 };
    if (e.kind === 'send') {
      if (!firstHopSeen.has(e.packetId)) {
        firstHopSeen.add(e.packetId);
        const k = tcpKey(e.bytes, e.conn);
        if (k) {
          if (k.key !== null) {
            if (keysSeen.has(k.key)) retransmitted.add(e.packetId);
            keysSeen.add(k.key);
          }
          if (!retransmitted.has(e.packetId)) {
            info.open = k.syn && !k.ack;
            info.close = k.fin || k.rst;
            if (k.text !== null && e.conn && role.get(e.conn) === 'control') info.ftp = k.text;
          }
        }
      }
      info.retransmission = retransmitted.has(e.packetId);
    } else if (e.kind === 'drop') {
      info.drop = e.how === 'drop' ? 'drop' : e.how === 'reject' ? 'reject' : 'other';
      info.retransmission = retransmitted.has(e.packetId);
    } else if (e.kind === 'nat') {
      info.retransmission = retransmitted.has(e.packetId);
    }
    out.push(info);
  }
  // The last step of each run of retransmitted steps stays visible when they are folded,
  // and says how many packets it stands for.
  let runStart = -1;
  const packets = new Set<number>();
  for (let i = 0; i <= out.length; i++) {
    const r = i < out.length && out[i]!.retransmission;
    if (r) {
      if (runStart < 0) runStart = i;
      const e = trace.events[steps[i]!]!;
      if ('packetId' in e) packets.add(e.packetId);
    } else if (runStart >= 0) {
      out[i - 1]!.foldedCount = packets.size;
      runStart = -1;
      packets.clear();
    }
  }
  return out;
}

/** Whether step i is shown when retransmissions are folded (the last of each run stays). */
export function visibleWhenFolded(info: StepInfo): boolean {
  return !info.retransmission || info.foldedCount > 0;
}

export function isLandmark(info: StepInfo, kind: Landmark): boolean {
  if (kind === 'ftp') return info.ftp !== null;
  if (kind === 'open') return info.open;
  if (kind === 'close') return info.close;
  if (kind === 'conn') return info.open || info.close;
  return info.drop !== null;
}

/**
 * The next (dir 1) or previous (dir -1) step of a kind strictly after/before `from`,
 * skipping hidden steps; -1 when there is none.
 */
export function findStep(infos: readonly StepInfo[], from: number, dir: 1 | -1, kind: Landmark, visible: (i: number) => boolean = () => true): number {
  for (let i = from + dir; i >= 0 && i < infos.length; i += dir) if (visible(i) && isLandmark(infos[i]!, kind)) return i;
  return -1;
}

export interface Phase {
  conn: string;
  role: 'control' | 'data';
  /** Step indices of the connection's first and last packet step. */
  from: number;
  to: number;
  /** A drop or reject happened on it. */
  refused: boolean;
  label: string;
}

/** Each connection's span of steps, for the timeline. */
export function connectionPhases(trace: Trace, steps: readonly number[]): Phase[] {
  const span = new Map<string, { from: number; to: number; refused: boolean }>();
  steps.forEach((ev, i) => {
    const e = trace.events[ev]!;
    const conn = e.kind === 'send' || e.kind === 'drop' ? e.conn : undefined;
    if (!conn) return;
    const s = span.get(conn);
    if (s) s.to = i;
    else span.set(conn, { from: i, to: i, refused: false });
    if (e.kind === 'drop') span.get(conn)!.refused = true;
  });
  return trace.connections
    .filter((c) => span.has(c.id))
    .map((c) => {
      const s = span.get(c.id)!;
      const port = c.dialled.slice(c.dialled.lastIndexOf(':') + 1);
      return { conn: c.id, role: c.role, ...s, label: `${c.role === 'control' ? 'control' : 'data'} :${port}${s.refused ? ' (refused)' : ''}` };
    });
}

/**
 * Play rates. A rate in packets per second steps every visible step; in FTP lines per
 * second it jumps from one FTP command or reply to the next.
 */
export interface Rate {
  unit: 'packets' | 'ftp';
  perSecond: number;
}
export const RATES: readonly Rate[] = [
  { unit: 'ftp', perSecond: 0.5 },
  { unit: 'ftp', perSecond: 1 },
  { unit: 'ftp', perSecond: 2 },
  { unit: 'packets', perSecond: 1 },
  { unit: 'packets', perSecond: 2 },
  { unit: 'packets', perSecond: 5 },
  { unit: 'packets', perSecond: 10 },
  { unit: 'packets', perSecond: 20 },
  { unit: 'packets', perSecond: 50 },
];
export const rateLabel = (r: Rate) => `${r.perSecond} ${r.unit === 'ftp' ? (r.perSecond === 1 ? 'FTP line' : 'FTP lines') : r.perSecond === 1 ? 'packet' : 'packets'}/s`;

/** The slowest packet rate that plays `visibleSteps` steps within `seconds` (at least 2/s). */
export function defaultRate(visibleSteps: number, seconds = 50): Rate {
  const packets = RATES.filter((r) => r.unit === 'packets' && r.perSecond >= 2);
  return packets.find((r) => visibleSteps / r.perSecond <= seconds) ?? packets[packets.length - 1]!;
}

/** The last step whose event happened at or before simulated time `t` (0 when none): two runs stepped together by time. */
export function stepAtTime(trace: Trace, steps: readonly number[], t: number): number {
  let lo = 0;
  let hi = steps.length - 1;
  let best = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (trace.events[steps[mid]!]!.t <= t) {
      best = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best;
}

/** The same scenario with the client in the other mode (active ↔ passive); null when it has no single client with a mode. */
export function otherMode(file: unknown): { file: unknown; from: string; to: string } | null {
  const f = file as { client?: { mode?: string } } | null;
  const mode = f?.client?.mode ?? (f?.client ? 'passive' : undefined);
  if (!f?.client || (mode !== 'active' && mode !== 'passive')) return null;
  const to = mode === 'active' ? 'passive' : 'active';
  return { file: { ...f, client: { ...f.client, mode: to } }, from: mode, to };
}

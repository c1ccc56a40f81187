/**
 * What the panels show "up to the cursor": pure projections of the trace prefix
 * events[0..eventIndex]. Nothing here decides network behaviour; it only selects and
 * groups what the core recorded.
 */
import type { ConnectionInfo, Trace, TraceEvent } from '../../core/index';

export type ConnState = 'open' | 'current' | 'refused';

export interface VisibleConnection extends ConnectionInfo {
  state: ConnState;
  /** Port the opener dialled, from `dialled` ("ip:port"). */
  port: string;
}

/** Connections whose first SYN is at or before the cursor; refused if a drop on them was recorded. */
export function visibleConnections(trace: Trace, eventIndex: number): VisibleConnection[] {
  const current = connOf(trace.events[eventIndex]);
  const refused = new Set<string>();
  for (let i = 0; i <= eventIndex && i < trace.events.length; i++) {
    const e = trace.events[i]!;
    if (e.kind === 'drop' && e.conn) refused.add(e.conn);
  }
  return trace.connections
    .filter((c) => c.firstStep <= eventIndex)
    .map((c) => ({
      ...c,
      port: c.dialled.slice(c.dialled.lastIndexOf(':') + 1),
      state: refused.has(c.id) ? 'refused' : c.id === current ? 'current' : 'open',
    }));
}

function connOf(e: TraceEvent | undefined): string | undefined {
  if (!e) return undefined;
  if (e.kind === 'send' || e.kind === 'recv' || e.kind === 'drop' || e.kind === 'ftp') return e.conn;
  return undefined;
}

/** The client's screen up to the cursor (`ftp -d` style lines), prefixed by client id when several. */
export function transcript(trace: Trace, eventIndex: number): { client: string; text: string }[] {
  const out: { client: string; text: string }[] = [];
  for (let i = 0; i <= eventIndex && i < trace.events.length; i++) {
    const e = trace.events[i]!;
    if (e.kind === 'console') out.push({ client: e.client, text: e.text });
  }
  return out;
}

/**
 * The bytes to inspect for a step: the packet itself for a send, both versions for a NAT
 * rewrite, and for a drop the last copy of that packet the device received or sent. Titles
 * name devices by `name` (their display name, "Server firewall"); `device` keeps the id.
 */
export function stepPackets(trace: Trace, eventIndex: number, name: (id: string) => string = (id) => id): { title: string; device: string; bytes: Uint8Array }[] {
  const e = trace.events[eventIndex];
  if (!e) return [];
  if (e.kind === 'send') return [{ title: `Sent by ${name(e.device)} (${e.iface}) to ${name(e.to)}`, device: e.device, bytes: e.bytes }];
  if (e.kind === 'recv') return [{ title: `Received by ${name(e.device)} (${e.iface})`, device: e.device, bytes: e.bytes }];
  if (e.kind === 'nat')
    return [
      { title: `Before NAT at ${name(e.device)}`, device: e.device, bytes: e.before },
      { title: `After NAT at ${name(e.device)}`, device: e.device, bytes: e.after },
    ];
  if (e.kind === 'drop') {
    for (let i = eventIndex - 1; i >= 0; i--) {
      const p = trace.events[i]!;
      if ((p.kind === 'recv' || p.kind === 'send') && p.packetId === e.packetId) {
        return [{ title: `Refused by ${name(e.device)} (as it arrived)`, device: e.device, bytes: p.bytes }];
      }
    }
  }
  return [];
}

/** The filter decisions recorded for the step's packet since its previous hop (which rule matched). */
export function filterDecisions(trace: Trace, eventIndex: number): Extract<TraceEvent, { kind: 'filter' }>[] {
  const e = trace.events[eventIndex];
  if (!e || !('packetId' in e)) return [];
  const out: Extract<TraceEvent, { kind: 'filter' }>[] = [];
  for (let i = eventIndex - 1; i >= 0; i--) {
    const p = trace.events[i]!;
    if (p.kind === 'send' && p.packetId === e.packetId) break;
    if (p.kind === 'filter' && p.packetId === e.packetId) out.unshift(p);
  }
  return out;
}

/**
 * The Conntrack tab's model: per stateful device, the connection entries and the FTP
 * helper's expectations as the core recorded them up to the cursor (trace events
 * 0..eventIndex). It only groups the core's 'conntrack' events (and the 'nat' events of an
 * entry's first packet) by their tuple and note text; it decides nothing about the network.
 */
import type { Trace, TraceEvent } from '../../core/index';

type CtEvent = Extract<TraceEvent, { kind: 'conntrack' }>;
type NatEvent = Extract<TraceEvent, { kind: 'nat' }>;

export type CtState = 'NEW' | 'ESTABLISHED' | 'RELATED';

export interface CtEntry {
  /** Original-direction tuple as the core formats it ("tcp a:p -> b:q"). */
  tuple: string;
  /** State after the last recorded update. */
  state: CtState;
  /** State of the connection's first packet (NEW, or RELATED when an expectation matched it). */
  first: 'NEW' | 'RELATED';
  /** The FTP helper attached to it (from "CT --helper <name>"), if any. */
  helper: string | null;
  /** NAT decided on (or inherited by) its first packet, in the core's words. */
  nat: string[];
  /** The PORT/227/EPRT/EPSV text of the expectation it came from. */
  expectedBy: string | null;
  /** The last remark on it: the helper's (ignored or dropped text), or an ICMP error about it. */
  helperNote: string | null;
  created: number;
  updated: number;
}

export type ExpectationStatus = 'pending' | 'used' | 'replaced' | 'expired';

export interface CtExpectation {
  /** What is expected, e.g. "tcp 203.0.113.10:* -> 192.168.1.100:54437". */
  expected: string;
  /** The command or reply text it was created from. */
  announced: string;
  note: string;
  status: ExpectationStatus;
  /** The connection that used it. */
  usedBy: string | null;
  created: number;
  updated: number;
}

export interface CtPacketNote {
  action: string;
  tuple: string;
  note: string;
  at: number;
}

export interface CtDevice {
  device: string;
  entries: CtEntry[];
  /** Pending first, then the ones used, replaced or expired (newest first). */
  expectations: CtExpectation[];
  /** Packets that were not put in the table (INVALID, untracked, RELATED ICMP about no listed entry): the latest few. */
  untracked: CtPacketNote[];
  untrackedCount: number;
}

/** What each action the core emits does to the view (src/core/net/netfilter.ts NfEvent). */
const ACTIONS: Record<
  string,
  'entry-new' | 'entry-related' | 'entry-established' | 'helper' | 'helper-note' | 'expect' | 'expect-used' | 'expect-replaced' | 'expect-expired' | 'packet'
> = {
  new: 'entry-new', // first packet of a connection (conntrack -L: a fresh entry)
  related: 'entry-related', // an expected data connection, or an ICMP error about a tracked one
  established: 'entry-established', // first reply seen
  'helper-assigned': 'helper', // raw table CT --helper ftp
  'helper-ignored': 'helper-note', // helper saw text it does not act on
  'helper-drop': 'helper-note', // helper dropped the packet
  expect: 'expect', // PORT/227/EPRT/EPSV parsed: expectation added
  'expect-used': 'expect-used', // the expected connection arrived
  'expect-replaced': 'expect-replaced', // a newer command from the same control connection
  'expect-expired': 'expect-expired', // nobody came within the time-out
  invalid: 'packet', // conntrack state INVALID: no entry
  untracked: 'packet', // CT --notrack: no entry
};

/** "tcp a:p -> b:q" without the source port, so an expectation ("a:0"/"a:*") matches its connection. */
function endpointKey(tuple: string): string {
  const m = /^(\S+) ([^\s:]+):\S+ -> (\S+)$/.exec(tuple);
  return m ? `${m[1]} ${m[2]} -> ${m[3]}` : tuple;
}

/** The quoted command text in a note: `"PORT …": expecting …`, `… from "PORT …"`. */
function quoted(note: string): string | null {
  const m = /"([^"]*)"/.exec(note);
  return m ? m[1]! : null;
}

/** "MASQUERADE: source → 198.51.100.1:38554" from the core's NAT note. */
function natText(e: NatEvent): string {
  const i = e.note.lastIndexOf('): ');
  return `${e.what}: ${i >= 0 ? e.note.slice(i + 3) : e.note}`;
}

const FIRST_PACKET_NAT = new Set(['DNAT', 'SNAT', 'MASQUERADE', 'REDIRECT']);
const KEEP_UNTRACKED = 5;

export function conntrackView(trace: Trace, eventIndex: number): CtDevice[] {
  interface Dev {
    entries: Map<string, CtEntry>;
    expectations: CtExpectation[];
    untracked: CtPacketNote[];
    untrackedCount: number;
    /** packetId → entry created by that packet here (to attach its NAT). */
    createdBy: Map<number, CtEntry>;
  }
  const byDevice = new Map<string, Dev>();
  const dev = (name: string): Dev => {
    let d = byDevice.get(name);
    if (!d) byDevice.set(name, (d = { entries: new Map(), expectations: [], untracked: [], untrackedCount: 0, createdBy: new Map() }));
    return d;
  };
  const end = Math.min(eventIndex, trace.events.length - 1);
  for (let i = 0; i <= end; i++) {
    const e = trace.events[i]!;
    if (e.kind === 'nat') {
      const entry = byDevice.get(e.device)?.createdBy.get(e.packetId);
      if (entry && FIRST_PACKET_NAT.has(e.what)) {
        entry.nat.push(natText(e));
        entry.updated = i;
      }
      continue;
    }
    if (e.kind !== 'conntrack') continue;
    apply(dev(e.device), e, i);
  }

  function apply(d: Dev, e: CtEvent, i: number): void {
    const what = ACTIONS[e.action] ?? 'packet';
    const entry = d.entries.get(e.tuple);
    const pending = (match: (x: CtExpectation) => boolean) => d.expectations.find((x) => x.status === 'pending' && match(x));
    switch (what) {
      case 'entry-new':
      case 'entry-related': {
        const used = what === 'entry-related' ? d.expectations.find((x) => x.usedBy === e.tuple && x.updated === i - 1) : undefined;
        if (what === 'entry-related' && !used) {
          // Not an expected connection: an ICMP error about a tracked one (the core names its
          // original tuple in parentheses). The packet is RELATED; the entry keeps its state.
          const about = /\((\S+ \S+ -> \S+)\)/.exec(e.note)?.[1];
          const target = (about && d.entries.get(about)) || entry;
          if (target) {
            target.helperNote = e.note;
            target.updated = i;
          } else packet(d, e, i);
          return;
        }
        const first = what === 'entry-new' ? 'NEW' : 'RELATED';
        const fresh: CtEntry = { tuple: e.tuple, state: first, first, helper: null, nat: [], expectedBy: used?.announced ?? null, helperNote: null, created: i, updated: i };
        d.entries.set(e.tuple, fresh);
        d.createdBy.set(e.packetId, fresh);
        return;
      }
      case 'entry-established':
        if (entry) {
          entry.state = 'ESTABLISHED';
          entry.updated = i;
        }
        return;
      case 'helper':
        if (entry) {
          entry.helper = /--helper (\S+?):?(?:\s|$)/.exec(e.note)?.[1] ?? 'ftp';
          entry.updated = i;
        }
        return;
      case 'helper-note':
        if (entry) {
          entry.helperNote = e.note;
          entry.updated = i;
        }
        return;
      case 'expect': {
        const expected = e.note.match(/expecting (\S+ \S+ -> [^\s,]+)/)?.[1] ?? e.tuple;
        d.expectations.push({ expected, announced: quoted(e.note) ?? '', note: e.note, status: 'pending', usedBy: null, created: i, updated: i });
        return;
      }
      case 'expect-used':
      case 'expect-expired': {
        const key = endpointKey(e.tuple);
        const from = quoted(e.note);
        const x = pending((p) => endpointKey(p.expected) === key) ?? pending((p) => from !== null && p.announced === from);
        if (!x) return;
        x.status = what === 'expect-used' ? 'used' : 'expired';
        if (what === 'expect-used') x.usedBy = e.tuple;
        x.updated = i;
        return;
      }
      case 'expect-replaced': {
        const from = quoted(e.note);
        const x = pending((p) => p.announced === from);
        if (!x) return;
        x.status = 'replaced';
        x.updated = i;
        return;
      }
      case 'packet':
        packet(d, e, i);
        return;
    }
  }

  function packet(d: Dev, e: CtEvent, i: number): void {
    d.untrackedCount++;
    d.untracked.push({ action: e.action, tuple: e.tuple, note: e.note, at: i });
    if (d.untracked.length > KEEP_UNTRACKED) d.untracked.shift();
  }

  return [...byDevice].map(([device, d]) => ({
    device,
    entries: [...d.entries.values()],
    expectations: [...d.expectations.filter((x) => x.status === 'pending'), ...d.expectations.filter((x) => x.status !== 'pending').reverse()],
    untracked: [...d.untracked].reverse(),
    untrackedCount: d.untrackedCount,
  }));
}

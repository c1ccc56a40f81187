/**
 * The trace: the ordered list of events a run produced. It is the only contract between the
 * core and the UI/CLI: the UI renders it and moves a cursor over it; it never re-derives
 * network behaviour.
 */
import type { SimTime } from './scheduler';

/** Which logical connection a segment belongs to, as its opener sees it. */
export interface ConnectionInfo {
  /** Stable id within a run: "c1-control", "c1-data-1", … */
  id: string;
  role: 'control' | 'data';
  /** The host that sent the SYN, and the host it was addressed to (as the opener dialled it). */
  opener: string;
  acceptor: string;
  /** Destination address and port the opener dialled, e.g. "203.0.113.1:21". */
  dialled: string;
  /** Client id that owns this connection (multi-client runs). */
  client: string;
  /** Step index of the first SYN. */
  firstStep: number;
}

export interface RuleRef {
  table: string;
  chain: string;
  /** 1-based position in the chain, as `iptables -L --line-numbers` shows it. */
  index: number;
  /** Line in the device's iptables-save text. */
  line: number;
  text: string;
}

/** What an iptables REJECT answers with (`--reject-with`): an ICMP error or a TCP reset. */
export type RejectWith =
  | 'icmp-net-unreachable'
  | 'icmp-host-unreachable'
  | 'icmp-proto-unreachable'
  | 'icmp-port-unreachable'
  | 'icmp-net-prohibited'
  | 'icmp-host-prohibited'
  | 'icmp-admin-prohibited'
  | 'tcp-reset';

/**
 * Which part of a device's netfilter refused a packet: the table and chain, and in it a rule
 * (its 1-based number; the event's `rule` has its text), the chain's policy, or connection
 * tracking itself (the FTP helper, an undecodable packet: no rule at all); what it did — DROP
 * (no answer) or REJECT with the answer it sent.
 */
export interface NetfilterVerdict {
  table: string;
  chain: string;
  by: number | 'policy' | 'conntrack';
  target: 'DROP' | 'REJECT';
  /** For REJECT: the answer (`--reject-with`, icmp-port-unreachable when the rule names none). */
  rejectWith?: RejectWith;
  /** For `by: 'conntrack'`: why it dropped the packet. */
  why?: string;
}

export type DropHow = 'drop' | 'reject' | 'no-route' | 'ttl' | 'no-socket' | 'helper';

/**
 * Why a packet went no further where no firewall decided it, as fields: no route to `dst`; no
 * device on the segment answering ARP for the next hop; a host that received a packet for an
 * address not its own (it does not forward); a packet for a router itself, at a port nothing
 * listens on (`port`: the TCP or UDP destination port, null for other packets); the TTL ran out.
 */
export type DropCause =
  | { kind: 'no-route'; dst: string }
  | { kind: 'no-neighbour'; segment: string; nextHop: string }
  | { kind: 'not-addressed'; dst: string }
  | { kind: 'closed-port'; port: number | null }
  | { kind: 'ttl' };

/** What decided a drop: a netfilter verdict (`where`), or another cause (`cause`). Exactly one. */
export type DropFacts = { where: NetfilterVerdict; cause?: never } | { cause: DropCause; where?: never };

interface Base {
  /** Simulated time in microseconds. */
  t: SimTime;
}

export type TraceEvent = Base &
  (
    | {
        /** A packet leaves a device through an interface onto a link. */
        kind: 'send';
        device: string;
        iface: string;
        /** Same id on every hop of one packet (a NAT rewrite keeps it). */
        packetId: number;
        conn?: string;
        bytes: Uint8Array;
        /** Next device on the link (the one that will receive it). */
        to: string;
      }
    | {
        /** A packet arrives at a device's interface. */
        kind: 'recv';
        device: string;
        iface: string;
        packetId: number;
        conn?: string;
        bytes: Uint8Array;
        from: string;
      }
    | {
        /** A device decided a packet's fate in one chain. */
        kind: 'filter';
        device: string;
        packetId: number;
        table: string;
        chain: string;
        verdict: string;
        rule: RuleRef | null;
        ctState: string;
      }
    | ({
        /**
         * A packet was dropped or refused here. Its sentences are built from its fields
         * (sim/refusal.ts): `where` for a netfilter verdict, `cause` for any other drop.
         */
        kind: 'drop';
        device: string;
        packetId: number;
        conn?: string;
        how: DropHow;
        /** The sentence naming the device by id ("Dropped by server-edge, …"), for the CLI's trace and JSON. */
        reason: string;
        rule: RuleRef | null;
      } & DropFacts)
    | {
        kind: 'nat';
        device: string;
        packetId: number;
        what: string;
        before: Uint8Array;
        after: Uint8Array;
        rule: RuleRef | null;
        note: string;
      }
    | { kind: 'conntrack'; device: string; packetId: number; action: string; tuple: string; note: string }
    | {
        /** An FTP command or reply line as an endpoint sent it (one event per line/reply). */
        kind: 'ftp';
        host: string;
        client: string;
        conn: string;
        dir: 'command' | 'reply';
        text: string;
      }
    | { kind: 'state'; actor: string; machine: string; from: string; to: string }
    | { kind: 'timer'; actor: string; name: string; note: string }
    | {
        /** A line the client's user sees on screen (the transcript, `ftp -d` style). */
        kind: 'console';
        client: string;
        text: string;
      }
    | {
        kind: 'transfer';
        client: string;
        command: string;
        ok: boolean;
        bytes: number;
        note: string;
      }
    | { kind: 'budget'; note: string }
  );

export type TraceKind = TraceEvent['kind'];

export interface Trace {
  events: TraceEvent[];
  connections: ConnectionInfo[];
  /** Device ids in topology order (client side first): lifelines of the ladder diagram. */
  devices: string[];
}

/** Append-only recorder handed to every component of a run. */
export class TraceRecorder {
  readonly events: TraceEvent[] = [];
  readonly connections: ConnectionInfo[] = [];
  private nextPacket = 1;

  constructor(private readonly now: () => SimTime) {}

  newPacketId(): number {
    return this.nextPacket++;
  }

  /** Records an event stamped with the current simulated time; returns its step index. */
  emit(e: DistributiveOmit<TraceEvent, 't'>): number {
    // Every caller passes a fresh object literal, so it is stamped in place rather than
    // copied (one allocation less per event; `t` still comes last, as with a spread).
    const stamped = e as TraceEvent;
    stamped.t = this.now();
    this.events.push(stamped);
    return this.events.length - 1;
  }
}

type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;
export type TraceEventInput = DistributiveOmit<TraceEvent, 't'>;

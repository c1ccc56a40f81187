/**
 * Connection tracking for one device, after nf_conntrack: each connection has an original
 * and a reply tuple (the reply one already reflects NAT), the state rules see, its helper,
 * its NAT decisions, its sequence adjustment, and at most one pending FTP expectation.
 * Time is passed in (microseconds of simulated time); nothing here reads a clock.
 */
import { formatIpv4, type Ipv4 } from '../codec/addr';
import { IPPROTO } from '../codec/ipv4';
import { PROTO_NAMES, type CtStateName } from './iptables/types';

/** 0 = original direction (as the first packet went), 1 = reply. */
export type Dir = 0 | 1;

export interface Tuple {
  proto: number;
  src: Ipv4;
  dst: Ipv4;
  /** TCP/UDP ports; for ICMP echo the identifier sits in sport (request) or dport (reply). */
  sport: number;
  dport: number;
}

export const invert = (t: Tuple): Tuple => ({ proto: t.proto, src: t.dst, dst: t.src, sport: t.dport, dport: t.sport });

export function formatTuple(t: Tuple): string {
  const p = PROTO_NAMES[t.proto] ?? String(t.proto);
  if (t.proto === IPPROTO.ICMP) return `${p} ${formatIpv4(t.src)} -> ${formatIpv4(t.dst)} id=${t.sport || t.dport}`;
  return `${p} ${formatIpv4(t.src)}:${t.sport} -> ${formatIpv4(t.dst)}:${t.dport}`;
}

/** nf_ct_seqadj: bytes added (or removed) by payload rewrites, from correctionPos on. */
export interface SeqAdj {
  correctionPos: number;
  offsetBefore: number;
  offsetAfter: number;
}

export interface NatTo {
  ip: Ipv4;
  port: number;
}

export interface Expectation {
  id: number;
  master: Conn;
  /** The expected connection's first packet: from `src` (any port) to `dst`:`dport`, TCP. */
  src: Ipv4;
  dst: Ipv4;
  dport: number;
  createdUs: number;
  expiresUs: number;
  /** What the control connection announced, for the UI (e.g. "PORT 192,168,1,100,50,60"). */
  announced: string;
  /** nf_nat_ftp's nf_nat_follow_master: where the data connection is translated to. */
  nat?: { dnatTo: NatTo; snatIp: Ipv4 };
}

export interface Conn {
  id: number;
  orig: Tuple;
  /** The reply tuple; NAT changes it (the reply comes back to the translated address). */
  reply: Tuple;
  seenReply: boolean;
  /**
   * IPS_ASSURED: TCP once the handshake's last ACK (an original-direction segment after the
   * reply) is seen; other protocols once traffic follows the first reply.
   */
  assured: boolean;
  /** Created from an expectation: RELATED until a reply is seen. */
  master: Conn | null;
  helper: string | null;
  /** Whether the destination (PREROUTING/OUTPUT) and source (POSTROUTING/INPUT) NAT were decided. */
  natDstDone: boolean;
  natSrcDone: boolean;
  natRules: { dst?: { index: number; text: string; line: number }; src?: { index: number; text: string; line: number } };
  seqadj: [SeqAdj, SeqAdj] | null;
  /** nf_conntrack_ftp's memory: seq numbers right after a newline, per direction (up to 2). */
  nlSeq: [number[], number[]];
  expectation: Expectation | null;
  /** TCP teardown seen: FIN per direction, or an RST. */
  fin: [boolean, boolean];
  rst: boolean;
  createdUs: number;
  expiresUs: number;
  confirmed: boolean;
}

/** A dst/src NAT has been applied when the reply tuple is not simply the original inverted. */
export const hasDnat = (c: Conn): boolean => c.reply.src !== c.orig.dst || c.reply.sport !== c.orig.dport;
export const hasSnat = (c: Conn): boolean => c.reply.dst !== c.orig.src || c.reply.dport !== c.orig.sport;
export const isNatted = (c: Conn): boolean => hasDnat(c) || hasSnat(c);

/** The state rules see, as ctinfo maps to it:
 *  - reply direction: ESTABLISHED (IP_CT_ESTABLISHED_REPLY)
 *  - original direction once a reply was seen: ESTABLISHED
 *  - original direction before any reply: NEW, or RELATED for an expected connection
 *    (so a retransmitted data SYN stays RELATED, as in Linux). */
export function ctStateOf(c: Conn, dir: Dir): CtStateName {
  if (dir === 1 || c.seenReply) return 'ESTABLISHED';
  return c.master ? 'RELATED' : 'NEW';
}

/** Timeouts (nf_conntrack_tcp_timeout_*): unanswered 120 s (SYN_SENT), established 5 days,
 * closing 120 s (TIME_WAIT), after an RST 10 s. UDP 30 s / 180 s once answered, ICMP 30 s. */
const S = 1_000_000;
export function timeoutUs(c: Conn): number {
  if (c.orig.proto === IPPROTO.TCP) {
    if (c.rst) return 10 * S;
    if (c.fin[0] && c.fin[1]) return 120 * S;
    return c.seenReply ? 432_000 * S : 120 * S;
  }
  if (c.orig.proto === IPPROTO.UDP) return c.seenReply ? 180 * S : 30 * S;
  return 30 * S;
}

/** FTP expectations live 5 minutes (nf_conntrack_ftp's expect policy). */
export const EXPECT_TIMEOUT_US = 300 * S;

const tupleKey = (t: Tuple): string => `${t.proto}:${t.src}:${t.dst}:${t.sport}:${t.dport}`;

interface Indexed {
  conn: Conn;
  dir: Dir;
}

export class ConntrackTable {
  conns: Conn[] = [];
  expectations: Expectation[] = [];
  private nextId = 1;
  /**
   * Hash of both tuples of every confirmed connection, as nf_conntrack's hash table: a
   * per-packet scan of `conns` made 1,000 clients through one NAT quadratic. `conns` stays
   * the ordered list (first confirmed first); among several matches the earliest wins, as
   * the scan did.
   */
  private index = new Map<string, Indexed[]>();
  private order = new WeakMap<Conn, number>();
  private confirmedCount = 0;
  /** No connection expires before this (a lower bound): expire() sweeps only past it. */
  private earliest = Infinity;

  /** Forgets what has timed out. */
  expire(nowUs: number): Expectation[] {
    if (nowUs >= this.earliest) {
      const kept: Conn[] = [];
      let earliest = Infinity;
      for (const c of this.conns) {
        if (c.expiresUs > nowUs) {
          kept.push(c);
          if (c.expiresUs < earliest) earliest = c.expiresUs;
        } else this.unindex(c);
      }
      this.conns = kept;
      this.earliest = earliest;
    }
    if (!this.expectations.some((e) => e.expiresUs <= nowUs)) return [];
    const gone = this.expectations.filter((e) => e.expiresUs <= nowUs);
    this.expectations = this.expectations.filter((e) => e.expiresUs > nowUs);
    for (const e of gone) if (e.master.expectation === e) e.master.expectation = null;
    return gone;
  }

  /** A packet of the connection was seen: its time-out starts again (may shorten, e.g. after a RST). */
  touch(c: Conn, expiresUs: number): void {
    c.expiresUs = expiresUs;
    if (c.confirmed && expiresUs < this.earliest) this.earliest = expiresUs;
  }

  lookup(t: Tuple): { conn: Conn; dir: Dir } | null {
    const list = this.index.get(tupleKey(t));
    if (!list) return null;
    let best: Indexed | null = null;
    let bestOrder = Infinity;
    for (const x of list) {
      const o = this.order.get(x.conn)!;
      // Same connection under both tuples (orig = reply): the original direction, as the scan checked it first.
      if (o < bestOrder || (o === bestOrder && x.dir === 0)) {
        best = x;
        bestOrder = o;
      }
    }
    return best ? { conn: best.conn, dir: best.dir } : null;
  }

  /** Is a reply tuple taken by another connection? (nf_nat_used_tuple) */
  replyTaken(reply: Tuple, except: Conn): boolean {
    const asReply = this.index.get(tupleKey(reply));
    if (asReply?.some((x) => x.dir === 1 && x.conn !== except)) return true;
    const asOrig = this.index.get(tupleKey(invert(reply)));
    return !!asOrig?.some((x) => x.dir === 0 && x.conn !== except);
  }

  findExpectation(t: Tuple): Expectation | null {
    if (t.proto !== IPPROTO.TCP) return null;
    return this.expectations.find((e) => e.src === t.src && e.dst === t.dst && e.dport === t.dport) ?? null;
  }

  private indexAs(t: Tuple, x: Indexed): void {
    const k = tupleKey(t);
    const list = this.index.get(k);
    if (list) list.push(x);
    else this.index.set(k, [x]);
  }

  private unindexAs(t: Tuple, c: Conn): void {
    const k = tupleKey(t);
    const list = this.index.get(k);
    if (!list) return;
    const rest = list.filter((x) => x.conn !== c);
    if (rest.length) this.index.set(k, rest);
    else this.index.delete(k);
  }

  private unindex(c: Conn): void {
    this.unindexAs(c.orig, c);
    this.unindexAs(c.reply, c);
  }

  /** A connection for a packet's first appearance; not in the table until confirmed. */
  create(t: Tuple, nowUs: number, master: Conn | null = null): Conn {
    const c: Conn = {
      id: this.nextId++,
      orig: t,
      reply: invert(t),
      seenReply: false,
      assured: false,
      master,
      helper: null,
      natDstDone: false,
      natSrcDone: false,
      natRules: {},
      seqadj: null,
      nlSeq: [[], []],
      expectation: null,
      fin: [false, false],
      rst: false,
      createdUs: nowUs,
      expiresUs: nowUs,
      confirmed: false,
    };
    c.expiresUs = nowUs + timeoutUs(c);
    return c;
  }

  /** The packet made it through every hook: the connection now exists (nf_conntrack_confirm). */
  confirm(c: Conn): void {
    if (c.confirmed) return;
    c.confirmed = true;
    this.conns.push(c);
    // Tuples are final once confirmed (NAT binds before): index them now.
    this.order.set(c, this.confirmedCount++);
    this.indexAs(c.orig, { conn: c, dir: 0 });
    this.indexAs(c.reply, { conn: c, dir: 1 });
    if (c.expiresUs < this.earliest) this.earliest = c.expiresUs;
  }

  remove(c: Conn): void {
    const before = this.conns.length;
    this.conns = this.conns.filter((x) => x !== c);
    if (this.conns.length !== before) this.unindex(c);
    if (c.expectation) this.removeExpectation(c.expectation);
  }

  removeExpectation(e: Expectation): void {
    this.expectations = this.expectations.filter((x) => x !== e);
    if (e.master.expectation === e) e.master.expectation = null;
  }

  /** Another master's expectation already waits for this address and port (expect_clash). */
  clashes(dst: Ipv4, dport: number, master: Conn): boolean {
    return this.expectations.some((e) => e.master !== master && e.dst === dst && e.dport === dport);
  }

  /** One pending expectation per control connection: a new one replaces the old. */
  expect(e: Omit<Expectation, 'id'>): { added: Expectation; replaced: Expectation | null } {
    const replaced = e.master.expectation;
    if (replaced) this.removeExpectation(replaced);
    const added: Expectation = { ...e, id: this.nextId++ };
    this.expectations.push(added);
    e.master.expectation = added;
    return { added, replaced };
  }

  /** Consumed by the connection it announced (not permanent, as nf_conntrack_ftp's). */
  take(e: Expectation): void {
    this.removeExpectation(e);
  }
}

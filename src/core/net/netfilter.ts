/**
 * One device's netfilter: the hooks a packet passes, in the kernel's order, with conntrack,
 * NAT, the FTP helper and nf_nat_ftp where the kernel runs them.
 *   forward: raw PREROUTING → conntrack → nat PREROUTING → route → filter FORWARD → nat POSTROUTING → helper → seqadj → confirm
 *   input:   raw PREROUTING → conntrack → nat PREROUTING → filter INPUT → nat INPUT → helper → seqadj → confirm
 *   output:  raw OUTPUT → conntrack → nat OUTPUT → filter OUTPUT → nat POSTROUTING → helper → seqadj → confirm
 * Every decision and rewrite is reported as an event with the rule (table, chain, number, text, line).
 */
import { formatIpv4, parseIpv4, type Ipv4 } from '../codec/addr';
import { IPPROTO } from '../codec/ipv4';
import { rewriteTcpPacket } from '../codec/packet';
import { ConntrackTable, ctStateOf, formatTuple, hasDnat, hasSnat, invert, isNatted, timeoutUs, type Conn, type Dir, type Tuple, EXPECT_TIMEOUT_US } from './conntrack';
import { ftpHelp, helperNames, type HelperConfig } from './ftpHelper';
import { natFtp } from './ftpNat';
import { evaluateChain, type ChainVerdict, type MatchContext } from './iptables/match';
import type { CtStateName, RejectWith, Rule, Ruleset, Target } from './iptables/types';
import { applyManip, bindDst, bindSrc, seqAdjust, translateIcmpError, type Manip } from './nat';
import { isIcmpError, packetInfo, tupleOf, type PacketInfo } from './packetInfo';
import { rejectReply } from './reject';

export interface NetfilterConfig {
  device: string;
  ruleset: Ruleset;
  interfaces: { name: string; ip: Ipv4; prefix: number }[];
  helper: HelperConfig;
}

export interface RuleRefLite {
  index: number;
  text: string;
  line: number;
}

export type NfEvent =
  | {
      kind: 'filter';
      device: string;
      table: string;
      chain: string;
      verdict: string;
      rule: RuleRefLite | null;
      policy?: string;
      ctState: string;
      logs: { text: string; prefix?: string }[];
    }
  | {
      kind: 'nat';
      device: string;
      what: 'DNAT' | 'SNAT' | 'MASQUERADE' | 'REDIRECT' | 'reply-translate' | 'ftp-payload' | 'seq-adjust';
      before: Uint8Array;
      after: Uint8Array;
      rule?: RuleRefLite;
      note: string;
    }
  | {
      kind: 'conntrack';
      device: string;
      action:
        | 'new'
        | 'established'
        | 'related'
        | 'invalid'
        | 'untracked'
        | 'expect'
        | 'expect-used'
        | 'expect-replaced'
        | 'expect-expired'
        | 'helper-assigned'
        | 'helper-ignored'
        | 'helper-drop';
      tuple: string;
      note: string;
    };

export interface NfResult {
  verdict: 'accept' | 'drop' | 'reject';
  bytes: Uint8Array;
  events: NfEvent[];
  reply?: Uint8Array;
  /**
   * For a DROP/REJECT: the table and chain that decided, its rule (null: the chain's policy)
   * and, for REJECT, the answer it sent. Absent when connection tracking itself dropped the
   * packet (the FTP helper, an undecodable packet): then `why` says why.
   */
  culprit?: { table: string; chain: string; rule: RuleRefLite | null; rejectWith?: RejectWith };
  why?: string;
}

const ref = (r: Rule): RuleRefLite => ({ index: r.index, text: r.text, line: r.line });

/** One packet's way through the hooks. */
interface Walk {
  bytes: Uint8Array;
  readonly original: Uint8Array;
  readonly info0: PacketInfo;
  /** packetInfo of `bytes` as it stands, decoded once per rewrite rather than at every chain. */
  infoOf: Uint8Array;
  info: PacketInfo | null;
  events: NfEvent[];
  conn: Conn | null;
  dir: Dir;
  ctState: CtStateName;
  icmpRelated: boolean;
  inIface?: string;
  outIface?: string;
  ctHelper?: string;
  notrack: boolean;
  /** The simulated time the packet is seen (for --ctexpire). */
  nowUs: number;
}

type Stop = NfResult;

export class Netfilter {
  /** This device's connection table (its entries and expectations, as `conntrack -L` lists them). */
  readonly conntrack = new ConntrackTable();

  constructor(private readonly cfg: NetfilterConfig) {}

  /** A router forwarding (or receiving for itself, then `local`). */
  forward(bytes: Uint8Array, inIface: string, route: (dst: Ipv4) => string | null, nowUs: number): NfResult & { outIface?: string; local?: boolean; noRoute?: boolean } {
    const w = this.begin(bytes, nowUs, { inIface });
    if ('verdict' in w) return w;
    const stop = this.raw(w, 'PREROUTING') ?? this.track(w, nowUs) ?? this.nat(w, 'PREROUTING', 'dst');
    if (stop) return stop;
    const cur = current(w) ?? w.info0;
    if (this.cfg.interfaces.some((i) => i.ip === cur.dst)) {
      const r = this.filter(w, 'INPUT') ?? this.nat(w, 'INPUT', 'src') ?? this.finish(w, nowUs);
      return { ...r, local: true };
    }
    const out = route(cur.dst);
    if (out === null) {
      // Not confirmed: the simulator reports "no route" and sends ICMP net-unreachable itself.
      this.note(w, 'invalid', `${this.cfg.device} has no route to ${formatIpv4(cur.dst)}: not forwarded`);
      return { verdict: 'accept', bytes: w.bytes, events: w.events, noRoute: true };
    }
    w.outIface = out;
    const r = this.filter(w, 'FORWARD') ?? this.nat(w, 'POSTROUTING', 'src') ?? this.finish(w, nowUs);
    return r.verdict === 'accept' ? { ...r, outIface: out } : r;
  }

  /** Received by this host. */
  input(bytes: Uint8Array, inIface: string, nowUs: number): NfResult {
    const w = this.begin(bytes, nowUs, { inIface });
    if ('verdict' in w) return w;
    return this.raw(w, 'PREROUTING') ?? this.track(w, nowUs) ?? this.nat(w, 'PREROUTING', 'dst') ?? this.filter(w, 'INPUT') ?? this.nat(w, 'INPUT', 'src') ?? this.finish(w, nowUs);
  }

  /** Generated by this host. */
  output(bytes: Uint8Array, outIface: string, nowUs: number): NfResult {
    // Linux verifies checksums in conntrack at PREROUTING only (nf_conntrack_checksum): a
    // packet this host generated is not checked on its way out.
    const w = this.begin(bytes, nowUs, { outIface }, false);
    if ('verdict' in w) return w;
    return this.raw(w, 'OUTPUT') ?? this.track(w, nowUs) ?? this.nat(w, 'OUTPUT', 'dst') ?? this.filter(w, 'OUTPUT') ?? this.nat(w, 'POSTROUTING', 'src') ?? this.finish(w, nowUs);
  }

  // ── hooks ──

  private begin(bytes: Uint8Array, nowUs: number, ifaces: { inIface?: string; outIface?: string }, verifyChecksums = true): Walk | Stop {
    const events: NfEvent[] = [];
    for (const e of this.conntrack.expire(nowUs)) {
      events.push({
        kind: 'conntrack',
        device: this.cfg.device,
        action: 'expect-expired',
        tuple: `tcp ${formatIpv4(e.src)}:* -> ${formatIpv4(e.dst)}:${e.dport}`,
        note: `expectation from "${e.announced}" expired after ${EXPECT_TIMEOUT_US / 60_000_000} minutes`,
      });
    }
    const info0 = packetInfo(bytes, { verifyChecksums });
    if (!info0) {
      events.push({ kind: 'conntrack', device: this.cfg.device, action: 'invalid', tuple: '?', note: 'undecodable packet: dropped' });
      return { verdict: 'drop', bytes, events, why: 'the packet cannot be decoded' };
    }
    return { bytes, original: bytes, info0, infoOf: bytes, info: info0, events, conn: null, dir: 0, ctState: 'INVALID', icmpRelated: false, ...ifaces, notrack: false, nowUs };
  }

  private ctx(w: Walk, chain: string): MatchContext {
    const p = current(w) ?? w.info0;
    const c: MatchContext = { src: p.src, dst: p.dst, protocol: p.proto, ctState: w.ctState };
    if (p.sport !== undefined && p.proto !== IPPROTO.ICMP) c.srcPort = p.sport;
    if (p.dport !== undefined && p.proto !== IPPROTO.ICMP) c.dstPort = p.dport;
    if (p.flags) c.tcpFlags = p.flags;
    if (p.icmpType !== undefined) c.icmpType = p.icmpType;
    if (p.icmpCode !== undefined) c.icmpCode = p.icmpCode;
    // No in-interface on the way out, no out-interface on the way in (as the kernel leaves them empty).
    if (w.inIface !== undefined && chain !== 'OUTPUT' && chain !== 'POSTROUTING') c.inIface = w.inIface;
    if (w.outIface !== undefined && chain !== 'PREROUTING' && chain !== 'INPUT') c.outIface = w.outIface;
    // xt_helper looks at the master connection's helper.
    const h = w.conn?.master?.helper;
    if (h) c.helper = h;
    const k = w.conn;
    if (k && !w.notrack) {
      c.conn = {
        orig: k.orig,
        reply: k.reply,
        dir: w.dir,
        status: { expected: k.master !== null, seenReply: k.seenReply, assured: k.assured, confirmed: k.confirmed, srcNat: hasSnat(k), dstNat: hasDnat(k) },
        expiresS: k.confirmed ? Math.max(0, Math.floor((k.expiresUs - w.nowUs) / 1_000_000)) : 0,
      };
    }
    return c;
  }

  private report(w: Walk, table: string, chain: string, v: ChainVerdict): void {
    const e: NfEvent = {
      kind: 'filter',
      device: this.cfg.device,
      table,
      chain,
      verdict: v.target.kind,
      rule: v.rule ? ref(v.rule) : null,
      ctState: w.ctState,
      logs: v.logs.map((r) => (r.target.kind === 'LOG' && r.target.prefix !== undefined ? { text: r.text, prefix: r.target.prefix } : { text: r.text })),
    };
    if (!v.rule) e.policy = v.target.kind;
    w.events.push(e);
  }

  private hasChain(table: string, chain: string): boolean {
    return this.cfg.ruleset.tables.some((t) => t.name === table && t.chains.some((c) => c.name === chain && (c.rules.length > 0 || c.policy === 'DROP')));
  }

  private raw(w: Walk, chain: 'PREROUTING' | 'OUTPUT'): Stop | null {
    if (!this.hasChain('raw', chain)) return null;
    const v = evaluateChain(this.cfg.ruleset, 'raw', chain, this.ctx(w, chain));
    if (v.rule || v.ct || v.logs.length || v.target.kind === 'DROP') this.report(w, 'raw', chain, v);
    if (v.ct && v.ct.target.kind === 'CT') {
      if (v.ct.target.notrack) w.notrack = true;
      if (v.ct.target.helper !== undefined) w.ctHelper = v.ct.target.helper;
    }
    return this.decide(w, 'raw', chain, v);
  }

  /** ACCEPT goes on; DROP/REJECT stop with the culprit. */
  private decide(w: Walk, table: string, chain: string, v: ChainVerdict): Stop | null {
    const t: Target = v.target;
    const culprit = { table, chain, rule: v.rule ? ref(v.rule) : null };
    if (t.kind === 'DROP') return { verdict: 'drop', bytes: w.bytes, events: w.events, culprit };
    if (t.kind === 'REJECT') {
      // icmp_send: a packet for this device is answered from the address it was sent to (an
      // extra address too); a forwarded one from the interface's (primary) address.
      const own = (ip: Ipv4) => this.cfg.interfaces.some((i) => i.ip === ip);
      const local = own((current(w) ?? w.info0).dst) && own(w.info0.dst);
      const iface = this.cfg.interfaces.find((i) => i.name === (w.inIface ?? w.outIface)) ?? this.cfg.interfaces[0];
      const from = local ? w.info0.dst : iface?.ip;
      const reply = from !== undefined ? rejectReply(w.original, w.info0, t.with, from) : undefined;
      const r: Stop = { verdict: 'reject', bytes: w.bytes, events: w.events, culprit: { ...culprit, rejectWith: t.with } };
      if (reply) r.reply = reply;
      return r;
    }
    return null;
  }

  private note(w: Walk, action: Extract<NfEvent, { kind: 'conntrack' }>['action'], note: string, tuple?: Tuple): void {
    const t = tuple ?? tupleOf(w.info0);
    w.events.push({ kind: 'conntrack', device: this.cfg.device, action, tuple: t ? formatTuple(t) : describe(w.info0), note });
  }

  /** Connection tracking: find the packet's connection (or an ICMP error's), or start one. */
  private track(w: Walk, nowUs: number): Stop | null {
    const p = w.info0;
    if (w.notrack) {
      w.ctState = 'UNTRACKED';
      this.note(w, 'untracked', 'CT --notrack in the raw table: not tracked');
      return null;
    }
    if (p.badChecksum) {
      this.note(w, 'invalid', 'bad checksum: conntrack marks it INVALID');
      return null;
    }
    if (p.proto === IPPROTO.ICMP && isIcmpError(p.icmpType)) {
      const found = p.inner ? this.conntrack.lookup(invert(p.inner)) : null;
      if (!found) {
        this.note(w, 'invalid', 'ICMP error about no connection this device tracks: INVALID', p.inner);
        return null;
      }
      w.conn = found.conn;
      w.dir = found.dir;
      w.icmpRelated = true;
      w.ctState = 'RELATED';
      this.note(w, 'related', `ICMP error about a tracked connection (${formatTuple(found.conn.orig)}): RELATED`, p.inner);
      return null;
    }
    const t = tupleOf(p);
    if (!t) {
      this.note(w, 'invalid', 'not a trackable packet: INVALID');
      return null;
    }
    let found = this.conntrack.lookup(t);
    const f = p.flags;
    if (found && found.dir === 0 && f?.syn && !f.ack && (found.conn.rst || (found.conn.fin[0] && found.conn.fin[1]))) {
      // A new SYN on a closed connection's tuple starts a new connection.
      this.conntrack.remove(found.conn);
      found = null;
    }
    if (found) {
      const c = found.conn;
      w.conn = c;
      w.dir = found.dir;
      if (found.dir === 1 && !c.seenReply) {
        c.seenReply = true;
        this.note(w, 'established', `first reply seen: ${formatTuple(c.orig)} is ESTABLISHED`, c.orig);
      } else if (c.seenReply && !c.assured && (c.orig.proto !== 6 || (found.dir === 0 && !f?.syn))) {
        c.assured = true;
      }
      if (f?.fin) c.fin[found.dir] = true;
      if (f?.rst) c.rst = true;
      w.ctState = ctStateOf(c, found.dir);
      this.conntrack.touch(c, nowUs + timeoutUs(c));
      return null;
    }
    // No connection: an expected one, a new one, or (TCP) something conntrack will not pick up.
    const exp = this.conntrack.findExpectation(t);
    if (exp) {
      this.conntrack.take(exp);
      const c = this.conntrack.create(t, nowUs, exp.master);
      if (exp.nat) {
        // nf_nat_follow_master: translated like the control connection, no nat table lookup.
        c.reply = invert({ ...t, src: exp.nat.snatIp, dst: exp.nat.dnatTo.ip, dport: exp.nat.dnatTo.port });
        c.natDstDone = true;
        c.natSrcDone = true;
      }
      w.conn = c;
      w.dir = 0;
      w.ctState = 'RELATED';
      this.note(w, 'expect-used', `matches the expectation from "${exp.announced}"${exp.nat ? `, translated to ${formatIpv4(exp.nat.dnatTo.ip)}:${exp.nat.dnatTo.port}` : ''}`, t);
      this.note(w, 'related', 'expected by the FTP helper: RELATED', t);
      return null;
    }
    if (t.proto === IPPROTO.TCP && f && (f.rst || f.fin || (f.syn && f.ack) || (!f.syn && !f.ack))) {
      // nf_conntrack_proto_tcp: no SYN-ACK, FIN or RST opens a connection.
      this.note(w, 'invalid', `${f.rst ? 'RST' : f.fin ? 'FIN' : f.syn ? 'SYN-ACK' : 'segment'} for no known connection: INVALID`, t);
      w.ctState = 'INVALID';
      return null;
    }
    const c = this.conntrack.create(t, nowUs);
    w.conn = c;
    w.dir = 0;
    w.ctState = 'NEW';
    // nf_conntrack_tcp_loose=1: an ACK in mid-stream is picked up as a new connection.
    this.note(w, 'new', t.proto === IPPROTO.TCP && !f?.syn ? 'mid-stream segment picked up (nf_conntrack_tcp_loose=1): NEW' : 'first packet: NEW', t);
    if (w.ctHelper !== undefined) {
      if (t.proto !== IPPROTO.TCP) {
        this.note(w, 'helper-ignored', `CT --helper ${w.ctHelper} on a non-TCP packet: no helper`, t);
      } else if (helperNames(this.cfg.helper).includes(w.ctHelper)) {
        c.helper = w.ctHelper;
        this.note(w, 'helper-assigned', `raw table CT --helper ${w.ctHelper}: the FTP helper watches this connection`, t);
      } else {
        const names = helperNames(this.cfg.helper);
        this.note(
          w,
          'helper-ignored',
          `no helper named "${w.ctHelper}": with ports=${this.cfg.helper.ports.join(',')} the module registers ${names.join(', ') || 'none'} (a real kernel refuses to load the rule)`,
          t,
        );
      }
    }
    return null;
  }

  /** nat table hook: decide on the first packet, then translate every packet of the connection. */
  private nat(w: Walk, chain: 'PREROUTING' | 'OUTPUT' | 'POSTROUTING' | 'INPUT', manip: Manip): Stop | null {
    const c = w.conn;
    if (!c) return null;
    let decided: { what: 'DNAT' | 'SNAT' | 'MASQUERADE' | 'REDIRECT'; rule: Rule } | null = null;
    const done = manip === 'dst' ? c.natDstDone : c.natSrcDone;
    if (!done && !c.confirmed && !w.icmpRelated) {
      if (manip === 'dst') c.natDstDone = true;
      else c.natSrcDone = true;
      if (this.cfg.ruleset.tables.some((t) => t.name === 'nat')) {
        const v = evaluateChain(this.cfg.ruleset, 'nat', chain, this.ctx(w, chain));
        if (v.rule || v.logs.length) this.report(w, 'nat', chain, v);
        const stop = this.decide(w, 'nat', chain, v);
        if (stop) return stop;
        const t = v.target;
        if (v.rule && (t.kind === 'DNAT' || t.kind === 'REDIRECT' || t.kind === 'SNAT' || t.kind === 'MASQUERADE')) {
          const ok = this.bind(c, t, w);
          if (!ok) {
            this.note(w, 'invalid', `${t.kind}: no free port left for this connection: dropped`);
            return { verdict: 'drop', bytes: w.bytes, events: w.events, culprit: { table: 'nat', chain, rule: ref(v.rule) } };
          }
          decided = { what: t.kind, rule: v.rule };
          if (manip === 'dst') c.natRules.dst = ref(v.rule);
          else c.natRules.src = ref(v.rule);
        }
      }
    }
    const before = w.bytes;
    const after = w.icmpRelated ? translateIcmpError(before, c, w.dir, manip) : applyManip(before, c, w.dir, manip);
    if (!after) return null;
    w.bytes = after;
    const tgt = invert(w.dir === 0 ? c.reply : c.orig);
    const where = manip === 'dst' ? `destination → ${formatIpv4(tgt.dst)}:${tgt.dport}` : `source → ${formatIpv4(tgt.src)}:${tgt.sport}`;
    if (decided) {
      w.events.push({
        kind: 'nat',
        device: this.cfg.device,
        what: decided.what,
        before,
        after,
        rule: ref(decided.rule),
        note: `${decided.what} decided on the connection's first packet (nat ${chain}): ${where}`,
      });
    } else {
      const rule = manip === 'dst' ? (w.dir === 0 ? c.natRules.dst : c.natRules.src) : w.dir === 0 ? c.natRules.src : c.natRules.dst;
      const e: NfEvent = {
        kind: 'nat',
        device: this.cfg.device,
        what: w.dir === 1 || w.icmpRelated ? 'reply-translate' : manip === 'dst' ? 'DNAT' : 'SNAT',
        before,
        after,
        note: `${w.icmpRelated ? 'ICMP error and the packet it quotes' : w.dir === 1 ? 'reply' : 'packet'} translated by the connection's NAT binding (nat ${chain}): ${where}`,
      };
      if (rule) e.rule = rule;
      w.events.push(e);
    }
    return null;
  }

  private bind(c: Conn, t: Target, w: Walk): boolean {
    switch (t.kind) {
      case 'DNAT':
        return bindDst(this.conntrack, c, t.to.ip, t.to.ports);
      case 'REDIRECT': {
        const ip = w.inIface !== undefined ? this.ifaceIp(w.inIface) : parseIpv4('127.0.0.1')!;
        return ip !== null && bindDst(this.conntrack, c, ip, t.ports);
      }
      case 'SNAT':
        return bindSrc(this.conntrack, c, t.to.ip, t.to.ports);
      case 'MASQUERADE': {
        const ip = w.outIface !== undefined ? this.ifaceIp(w.outIface) : null;
        return ip !== null && bindSrc(this.conntrack, c, ip, t.ports);
      }
      default:
        return true;
    }
  }

  private ifaceIp(name: string): Ipv4 | null {
    return this.cfg.interfaces.find((i) => i.name === name)?.ip ?? null;
  }

  private filter(w: Walk, chain: 'INPUT' | 'FORWARD' | 'OUTPUT'): Stop | null {
    if (!this.cfg.ruleset.tables.some((t) => t.name === 'filter')) return null;
    const v = evaluateChain(this.cfg.ruleset, 'filter', chain, this.ctx(w, chain));
    this.report(w, 'filter', chain, v);
    return this.decide(w, 'filter', chain, v);
  }

  /** The helper (and nf_nat_ftp), sequence adjustment, then the connection is confirmed. */
  private finish(w: Walk, nowUs: number): NfResult {
    const c = w.conn;
    if (c && c.helper && !w.icmpRelated && w.info0.proto === IPPROTO.TCP) {
      const stop = this.help(w, c, nowUs);
      if (stop) return stop;
    }
    if (c && c.seqadj && !w.icmpRelated) {
      const before = w.bytes;
      const after = seqAdjust(before, c, w.dir);
      if (after) {
        w.bytes = after;
        const o = packetInfo(before);
        const n = packetInfo(after);
        w.events.push({
          kind: 'nat',
          device: this.cfg.device,
          what: 'seq-adjust',
          before,
          after,
          note: `seq ${o?.seq} → ${n?.seq}, ack ${o?.ack} → ${n?.ack}: the FTP text changed length earlier on this connection`,
        });
      }
    }
    if (c && !c.confirmed) this.conntrack.confirm(c);
    return { verdict: 'accept', bytes: w.bytes, events: w.events };
  }

  private help(w: Walk, c: Conn, nowUs: number): Stop | null {
    const p = current(w);
    if (!p || p.seq === undefined) return null;
    // The helper sees the segment before sequence adjustment: its seq as the sender wrote it.
    const d = ftpHelp(c, w.dir, p.seq, p.payload, this.cfg.helper);
    const tuple = c.orig;
    switch (d.kind) {
      case 'skip':
        if (d.why) this.note(w, 'helper-ignored', d.why, tuple);
        return null;
      case 'drop':
        this.note(w, 'helper-drop', d.why, tuple);
        return { verdict: 'drop', bytes: w.bytes, events: w.events, why: `its FTP helper: ${d.why}` };
      case 'ignored':
        this.note(w, 'helper-ignored', d.why, tuple);
        return null;
      case 'expect': {
        const expTuple = { proto: IPPROTO.TCP, src: d.src, dst: d.dst, sport: 0, dport: d.dport };
        if (isNatted(c)) {
          const r = natFtp(this.conntrack, c, w.dir, p.seq, p.payload, d.match, d, nowUs);
          if (!r) {
            this.note(w, 'helper-drop', 'nf_nat_ftp: all ports in use: dropped', tuple);
            return { verdict: 'drop', bytes: w.bytes, events: w.events, why: 'its FTP helper: nf_nat_ftp: all ports in use' };
          }
          const before = w.bytes;
          const after = rewriteTcpPacket(before, { payload: r.payload }) ?? before;
          w.bytes = after;
          w.events.push({
            kind: 'nat',
            device: this.cfg.device,
            what: 'ftp-payload',
            before,
            after,
            note:
              r.before === r.after
                ? `nf_nat_ftp: "${r.before}" needs no change`
                : `nf_nat_ftp rewrote "${r.before}" to "${r.after}"${r.payload.length !== p.payload.length ? ` (${r.payload.length - p.payload.length > 0 ? '+' : ''}${r.payload.length - p.payload.length} bytes: later seq/ack are shifted)` : ''}`,
          });
          if (r.replaced) this.note(w, 'expect-replaced', `replaces the expectation from "${r.replaced.announced}"`, tuple);
          this.note(
            w,
            'expect',
            `"${d.announced}": expecting tcp ${formatIpv4(r.expectation.src)}:* -> ${formatIpv4(r.expectation.dst)}:${r.expectation.dport}, translated to ${formatIpv4(d.dst)}:${d.dport}`,
            { ...expTuple, dst: r.expectation.dst, dport: r.expectation.dport },
          );
          return null;
        }
        if (this.conntrack.clashes(d.dst, d.dport, c)) {
          const why = 'cannot add expectation (another connection expects the same address and port)';
          this.note(w, 'helper-drop', `${why}: dropped`, tuple);
          return { verdict: 'drop', bytes: w.bytes, events: w.events, why: `its FTP helper: ${why}` };
        }
        const { replaced } = this.conntrack.expect({
          master: c,
          src: d.src,
          dst: d.dst,
          dport: d.dport,
          createdUs: nowUs,
          expiresUs: nowUs + EXPECT_TIMEOUT_US,
          announced: d.announced,
        });
        if (replaced) this.note(w, 'expect-replaced', `replaces the expectation from "${replaced.announced}"`, tuple);
        this.note(w, 'expect', `"${d.announced}": expecting tcp ${formatIpv4(d.src)}:* -> ${formatIpv4(d.dst)}:${d.dport} for 5 minutes`, expTuple);
        return null;
      }
    }
  }
}

/** The walk's packet as it stands now; the same bytes are decoded once per walk. */
function current(w: Walk): PacketInfo | null {
  if (w.infoOf !== w.bytes) {
    // Only info0 (the packet as it arrived) answers whether its checksums were right; a
    // rewrite's fields read the same either way, so its checksums are not verified again.
    w.info = packetInfo(w.bytes, { verifyChecksums: false });
    w.infoOf = w.bytes;
  }
  return w.info;
}

function describe(p: PacketInfo): string {
  return `proto ${p.proto} ${formatIpv4(p.src)} -> ${formatIpv4(p.dst)}`;
}

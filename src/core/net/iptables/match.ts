/**
 * Walking a chain for one packet, as ipt_do_table does: rules in order, the first terminal
 * target wins, LOG/CT only note and go on, `-j CHAIN` descends, RETURN (or running off the end
 * of a user chain) comes back, running off a built-in chain gives its policy.
 */
import { inCidr, prefixMask, type Ipv4 } from '../../codec/addr';
import { IPPROTO } from '../../codec/ipv4';
import type { Chain, CtAddr, CtStateName, Match, PortRange, PortSpec, Rule, Ruleset, Target } from './types';

export type CtState = CtStateName;

/** TCP flag bits by name; the codec's TcpFlags fits this shape. */
export interface FlagBits {
  fin?: boolean;
  syn?: boolean;
  rst?: boolean;
  psh?: boolean;
  ack?: boolean;
  urg?: boolean;
}

export interface MatchContext {
  src: Ipv4;
  dst: Ipv4;
  protocol: number;
  srcPort?: number;
  dstPort?: number;
  tcpFlags?: FlagBits;
  icmpType?: number;
  icmpCode?: number;
  /** Absent in chains without one (OUTPUT has no in-interface): `-i x` then never matches. */
  inIface?: string;
  outIface?: string;
  ctState: CtState;
  /** The connection's helper (or its master's, for an expected connection), for `-m helper`. */
  helper?: string;
  /** The packet's connection, for `-m conntrack` beyond --ctstate; absent when untracked or invalid. */
  conn?: CtView;
}

/** What xt_conntrack reads of a connection: its tuples, status bits, and the packet's direction. */
export interface CtView {
  orig: { proto: number; src: Ipv4; dst: Ipv4; sport: number; dport: number };
  reply: { proto: number; src: Ipv4; dst: Ipv4; sport: number; dport: number };
  /** 0: the packet goes the original way; 1: the reply way. */
  dir: 0 | 1;
  status: { expected: boolean; seenReply: boolean; assured: boolean; confirmed: boolean; srcNat: boolean; dstNat: boolean };
  /**
   * Whole seconds until the entry times out (nf_ct_expires / HZ), as the packet being matched
   * left it (conntrack refreshed the timer before the filter table looks). An entry not yet
   * confirmed (the connection's first packet) reads 0: its timer is not running yet.
   */
  expiresS?: number;
}

export interface ChainVerdict {
  /** The terminal target that decided, or the built-in chain's policy as ACCEPT/DROP. */
  target: Target;
  /** null: nothing decided, the policy did. */
  rule: Rule | null;
  /** Chains entered, in order, starting with the built-in one. */
  chainPath: string[];
  /** LOG rules the packet hit on the way. */
  logs: Rule[];
  /** The first CT rule hit (raw table); later ones do nothing, as xt_CT skips a packet that already has a template. */
  ct: Rule | null;
}

/** nf_tables' jump stack: the loader refuses anything nesting deeper (jumps.ts), so this only
 * guards a ruleset built in code from spinning. */
const MAX_DEPTH = 16;

/** Chain positions by name, per chains array: a jump is a lookup, not a scan of every chain. */
const chainIndex = new WeakMap<readonly Chain[], Map<string, number>>();
function findChain(chains: readonly Chain[], name: string): Chain | undefined {
  let idx = chainIndex.get(chains);
  let i = idx?.get(name);
  if (i === undefined || chains[i]?.name !== name) {
    // First lookup, or the array changed since: index it again.
    idx = new Map(chains.map((c, k) => [c.name, k]));
    chainIndex.set(chains, idx);
    i = idx.get(name);
  }
  return i === undefined ? undefined : chains[i];
}

const inRange = (n: number | undefined, r: PortRange): boolean => n !== undefined && n >= r.from && n <= r.to;
const portOk = (n: number | undefined, p: PortSpec | undefined): boolean => p === undefined || (n !== undefined && inRange(n, p) !== p.invert);

/** `eth+` matches every name starting with `eth`; otherwise the name must be equal. */
export function ifaceMatches(pattern: string, name: string | undefined): boolean {
  const n = name ?? '';
  return pattern.endsWith('+') ? n.startsWith(pattern.slice(0, -1)) : n === pattern;
}

const FLAG_NAMES = { FIN: 'fin', SYN: 'syn', RST: 'rst', PSH: 'psh', ACK: 'ack', URG: 'urg' } as const;

/** One match against the packet. Cases:
 *  - protocol: `-p tcp` equal number; `! -p tcp` anything else.
 *  - source/destination: CIDR containment, `!` inverts.
 *  - in/out iface: exact or `+` prefix, `!` inverts; no interface at this hook ⇒ name "".
 *  - tcp/udp: the packet must be that protocol; each given port option must hold (ranges inclusive).
 *  - multiport: any listed port/range; `--ports` tests source or destination.
 *  - state: the conntrack state is in the list (`!` inverts); `state` and `conntrack` agree.
 *  - helper: the connection's helper name; comment: always true. */
export function matchOne(m: Match, c: MatchContext): boolean {
  switch (m.kind) {
    case 'protocol':
      return (c.protocol === m.proto) !== m.invert;
    case 'source':
      return inCidr(c.src, m.cidr) !== m.invert;
    case 'destination':
      return inCidr(c.dst, m.cidr) !== m.invert;
    case 'inIface':
      return ifaceMatches(m.name, c.inIface) !== m.invert;
    case 'outIface':
      return ifaceMatches(m.name, c.outIface) !== m.invert;
    case 'tcp':
    case 'udp': {
      if (c.protocol !== (m.kind === 'tcp' ? 6 : 17)) return false;
      if (!portOk(c.srcPort, m.sport) || !portOk(c.dstPort, m.dport)) return false;
      if (m.tcpFlags) {
        const f = c.tcpFlags ?? {};
        const hit = m.tcpFlags.mask.every((name) => Boolean(f[FLAG_NAMES[name as keyof typeof FLAG_NAMES]]) === m.tcpFlags!.comp.includes(name));
        if (hit === m.tcpFlags.invert) return false;
      }
      return true;
    }
    case 'icmp': {
      if (c.protocol !== IPPROTO.ICMP || c.icmpType === undefined) return false;
      const hit = c.icmpType === m.type && (m.code === undefined || c.icmpCode === m.code);
      return hit !== m.invert;
    }
    case 'multiport': {
      const ports = m.dir === 'dports' ? [c.dstPort] : m.dir === 'sports' ? [c.srcPort] : [c.srcPort, c.dstPort];
      if (ports.every((p) => p === undefined)) return false;
      const hit = m.ranges.some((r) => ports.some((p) => inRange(p, r)));
      return hit !== m.invert;
    }
    case 'state':
      return m.module === 'state' ? m.states.includes(c.ctState) !== m.invert : conntrackMatches(m, c);
    case 'helper':
      return (c.helper === m.name) !== m.invert;
    case 'comment':
      return true;
  }
}

const addrOk = (ip: Ipv4, a: CtAddr | undefined): boolean => a === undefined || (((ip ^ a.ip) & prefixMask(a.prefix)) >>> 0 === 0) !== a.invert;

/**
 * xt_conntrack's conntrack_mt, revision 3:
 *  - --ctstate: the packet's state bit, plus SNAT/DNAT when the connection's source/destination
 *    was translated; any listed bit matches (`!` inverts).
 *  - no connection (untracked, invalid): the match holds only if it had a --ctstate, which passed.
 *  - --ctdir: the packet's direction; --ctproto and the addresses/ports: the original or reply
 *    tuple (addresses under their mask); --ctstatus: any listed bit set (NONE never matches);
 *    --ctexpire: the entry's remaining lifetime in whole seconds within min..max.
 */
function conntrackMatches(m: Extract<Match, { kind: 'state' }>, c: MatchContext): boolean {
  const v = c.conn;
  if (m.states.length > 0) {
    const bits: string[] = [c.ctState];
    if (v?.status.srcNat) bits.push('SNAT');
    if (v?.status.dstNat) bits.push('DNAT');
    if (m.states.some((s) => bits.includes(s)) === m.invert) return false;
  }
  const ct = m.ct;
  if (ct === undefined) return true;
  if (v === undefined) return m.states.length > 0;
  if (ct.dir !== undefined && (v.dir === 0) !== (ct.dir === 'ORIGINAL')) return false;
  if (ct.proto && (v.orig.proto === ct.proto.proto) === ct.proto.invert) return false;
  if (!addrOk(v.orig.src, ct.origSrc) || !addrOk(v.orig.dst, ct.origDst) || !addrOk(v.reply.src, ct.replSrc) || !addrOk(v.reply.dst, ct.replDst)) return false;
  if (!portOk(v.orig.sport, ct.origSrcPort) || !portOk(v.orig.dport, ct.origDstPort)) return false;
  if (!portOk(v.reply.sport, ct.replSrcPort) || !portOk(v.reply.dport, ct.replDstPort)) return false;
  if (ct.status) {
    const s = v.status;
    const have = { EXPECTED: s.expected, SEEN_REPLY: s.seenReply, ASSURED: s.assured, CONFIRMED: s.confirmed };
    if (ct.status.bits.some((b) => have[b]) === ct.status.invert) return false;
  }
  if (ct.expire) {
    const left = v.expiresS ?? 0;
    if ((left >= ct.expire.min && left <= ct.expire.max) === ct.expire.invert) return false;
  }
  return true;
}

export const ruleMatches = (r: Rule, c: MatchContext): boolean => r.matches.every((m) => matchOne(m, c));

/** Walks `table`/`chain` for the packet. A missing table or chain accepts (nothing loaded there). */
export function evaluateChain(ruleset: Ruleset, table: string, chain: string, ctx: MatchContext): ChainVerdict {
  const out: ChainVerdict = { target: { kind: 'ACCEPT' }, rule: null, chainPath: [chain], logs: [], ct: null };
  const t = ruleset.tables.find((x) => x.name === table);
  const start = t ? findChain(t.chains, chain) : undefined;
  if (!t || !start) return out;
  const policy: Target = { kind: start.policy === 'DROP' ? 'DROP' : 'ACCEPT' };
  const stack: { rules: Rule[]; pos: number }[] = [{ rules: start.rules, pos: 0 }];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    const r = frame.rules[frame.pos++];
    if (r === undefined) {
      // Off the end: a user chain returns to its caller, the built-in chain falls to its policy.
      stack.pop();
      continue;
    }
    if (!ruleMatches(r, ctx)) continue;
    switch (r.target.kind) {
      case 'NONE':
        continue;
      case 'LOG':
        out.logs.push(r);
        continue;
      case 'CT':
        if (out.ct === null) out.ct = r;
        continue;
      case 'RETURN':
        stack.pop();
        continue;
      case 'JUMP': {
        const to = findChain(t.chains, (r.target as { chain: string }).chain);
        if (!to || stack.length >= MAX_DEPTH) continue;
        out.chainPath.push(to.name);
        stack.push({ rules: to.rules, pos: 0 });
        continue;
      }
      default:
        out.target = r.target;
        out.rule = r;
        return out;
    }
  }
  out.target = policy;
  return out;
}

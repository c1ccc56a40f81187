/**
 * The iptables ruleset as data: what `iptables-restore` would load into the kernel, kept close
 * to iptables-save's own structure so the UI can edit a rule and print it back.
 */
import type { Cidr, Ipv4 } from '../../codec/addr';
import { IPPROTO } from '../../codec/ipv4';
import type { RejectWith } from '../../sim/trace';

export type TableName = 'raw' | 'nat' | 'filter' | 'mangle';
export type CtStateName = 'INVALID' | 'NEW' | 'RELATED' | 'ESTABLISHED' | 'UNTRACKED';
/** What `--ctstate` may list: the states, and SNAT/DNAT (the connection's NAT status bits). */
export type CtStateMatchName = CtStateName | 'SNAT' | 'DNAT';
/** `--ctstatus` bits (xt_conntrack): NONE is the empty list. */
export type CtStatusName = 'EXPECTED' | 'SEEN_REPLY' | 'ASSURED' | 'CONFIRMED';

/** An address and mask as `--ctorigdst` keeps them (the address as written, compared under the mask). */
export interface CtAddr {
  ip: Ipv4;
  prefix: number;
  invert: boolean;
}

/**
 * `-m conntrack` beyond `--ctstate`: the connection's original/reply tuple, its status bits,
 * the packet's direction (xt_conntrack revision 3, as iptables 1.8 loads it).
 */
export interface CtCriteria {
  proto?: { proto: number; invert: boolean };
  origSrc?: CtAddr;
  origDst?: CtAddr;
  replSrc?: CtAddr;
  replDst?: CtAddr;
  origSrcPort?: PortSpec;
  origDstPort?: PortSpec;
  replSrcPort?: PortSpec;
  replDstPort?: PortSpec;
  status?: { bits: CtStatusName[]; invert: boolean };
  /** `--ctexpire min[:max]`: the connection's remaining lifetime in whole seconds, within min..max. */
  expire?: { min: number; max: number; invert: boolean };
  dir?: 'ORIGINAL' | 'REPLY';
}

/** Built-in chains per table, in the order iptables-save prints them (docs/FIDELITY-NOTES.md, "Reference: netfilter"). */
export const BUILTIN_CHAINS: Record<TableName, readonly string[]> = {
  raw: ['PREROUTING', 'OUTPUT'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
};

export interface PortRange {
  from: number;
  to: number;
}

export interface PortSpec extends PortRange {
  invert: boolean;
}

/** One `-m` module (or one basic option) of a rule. */
export type Match =
  | { kind: 'protocol'; proto: number; invert: boolean }
  | { kind: 'source'; cidr: Cidr; invert: boolean }
  | { kind: 'destination'; cidr: Cidr; invert: boolean }
  | { kind: 'inIface'; name: string; invert: boolean }
  | { kind: 'outIface'; name: string; invert: boolean }
  /** `-m tcp` / `-m udp` (loaded explicitly or implied by `-p tcp --dport …`). */
  | { kind: 'tcp' | 'udp'; sport?: PortSpec; dport?: PortSpec; tcpFlags?: { mask: string[]; comp: string[]; invert: boolean } }
  | { kind: 'icmp'; type: number; code?: number; invert: boolean }
  | { kind: 'multiport'; dir: 'sports' | 'dports' | 'ports'; ranges: PortRange[]; invert: boolean }
  /**
   * `-m state --state` and `-m conntrack --ctstate` mean the same here; `module` keeps the
   * spelling. `states` is empty when a conntrack match has no --ctstate (only `ct` criteria);
   * SNAT/DNAT only with --ctstate.
   */
  | { kind: 'state'; module: 'state' | 'conntrack'; states: CtStateMatchName[]; invert: boolean; ct?: CtCriteria }
  | { kind: 'helper'; name: string; invert: boolean }
  | { kind: 'comment'; text: string };

/** REJECT's answers: defined with the trace, whose drop events name them (sim/trace.ts). */
export type { RejectWith };

export interface NatRange {
  /** Absent for MASQUERADE/REDIRECT (the address comes from the interface). */
  ip?: Ipv4;
  ports?: PortRange;
}

export type Target =
  | { kind: 'ACCEPT' }
  | { kind: 'DROP' }
  | { kind: 'RETURN' }
  /** A rule without `-j`: counts packets, decides nothing. */
  | { kind: 'NONE' }
  | { kind: 'REJECT'; with: RejectWith }
  | { kind: 'LOG'; prefix?: string; level?: string }
  | { kind: 'JUMP'; chain: string }
  | { kind: 'DNAT'; to: NatRange & { ip: Ipv4 } }
  | { kind: 'SNAT'; to: NatRange & { ip: Ipv4 } }
  | { kind: 'MASQUERADE'; ports?: PortRange }
  | { kind: 'REDIRECT'; ports?: PortRange }
  | { kind: 'CT'; helper?: string; notrack: boolean };

export interface Rule {
  table: TableName;
  chain: string;
  /** 1-based position in its chain, as `iptables -L --line-numbers` counts. */
  index: number;
  /** 1-based line in the source text (0 when built in code). */
  line: number;
  /** Canonical text as iptables-save prints it. */
  text: string;
  /** Basic matches first (-s -d -i -o -p), then modules in the order they were loaded. */
  matches: Match[];
  target: Target;
}

export interface Chain {
  name: string;
  builtin: boolean;
  /** Built-in chains only. */
  policy: 'ACCEPT' | 'DROP' | null;
  rules: Rule[];
}

export interface Table {
  name: TableName;
  /** Built-in chains first (iptables-save order), then user chains in declaration order. */
  chains: Chain[];
  /** Lines kept verbatim but not modelled (the mangle table). */
  ignored: string[];
}

export interface Ruleset {
  tables: Table[];
}

export interface Diag {
  line: number;
  column?: number;
  message: string;
}

export const PROTO_NAMES: Record<number, string> = { [IPPROTO.ICMP]: 'icmp', [IPPROTO.TCP]: 'tcp', [IPPROTO.UDP]: 'udp' };

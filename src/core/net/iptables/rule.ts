/**
 * One `-A CHAIN …` line to matches and a target, with iptables' own checks: options belong to
 * a loaded module (a protocol module is loaded implicitly by `-p tcp --dport`), targets
 * belong to their tables and chains, ports need a port protocol.
 */
import { parseCidr } from '../../codec/addr';
import type { Token } from './tokens';
import { BUILTIN_CHAINS, type CtCriteria, type Match, type PortSpec, type TableName, type Target } from './types';
import {
  readCtAddr,
  readCtDir,
  readCtStatus,
  readCtExpire,
  readIcmpType,
  readLogLevel,
  readNatTo,
  readPortList,
  readPortRange,
  readProtocol,
  readRejectWith,
  readStates,
  type Read,
} from './values';

export interface RuleParse {
  matches: Match[];
  target: Target;
  /** Column of the `-j` word's value (to point at an unknown chain later). */
  targetCol: number;
}

export type RuleResult = { ok: true; rule: RuleParse } | { ok: false; col: number; message: string };

class Fail {
  constructor(
    readonly col: number,
    readonly message: string,
  ) {}
}

const TCP = 6;
const UDP = 17;
const ICMP = 1;

type ModuleMatch = Exclude<Match, { kind: 'protocol' | 'source' | 'destination' | 'inIface' | 'outIface' }>;

/** Options each match module understands, with how many values each takes. */
const MODULE_OPTIONS: Record<string, Record<string, number>> = {
  tcp: { '--sport': 1, '--source-port': 1, '--dport': 1, '--destination-port': 1, '--tcp-flags': 2, '--syn': 0 },
  udp: { '--sport': 1, '--source-port': 1, '--dport': 1, '--destination-port': 1 },
  icmp: { '--icmp-type': 1 },
  multiport: { '--dports': 1, '--destination-ports': 1, '--sports': 1, '--source-ports': 1, '--ports': 1 },
  state: { '--state': 1 },
  conntrack: {
    '--ctstate': 1,
    '--ctproto': 1,
    '--ctorigsrc': 1,
    '--ctorigdst': 1,
    '--ctreplsrc': 1,
    '--ctrepldst': 1,
    '--ctorigsrcport': 1,
    '--ctorigdstport': 1,
    '--ctreplsrcport': 1,
    '--ctrepldstport': 1,
    '--ctstatus': 1,
    '--ctexpire': 1,
    '--ctdir': 1,
  },
  helper: { '--helper': 1 },
  comment: { '--comment': 1 },
};

/** Options each target understands. */
const TARGET_OPTIONS: Record<string, Record<string, number>> = {
  ACCEPT: {},
  DROP: {},
  RETURN: {},
  REJECT: { '--reject-with': 1 },
  LOG: { '--log-prefix': 1, '--log-level': 1 },
  DNAT: { '--to-destination': 1 },
  SNAT: { '--to-source': 1 },
  MASQUERADE: { '--to-ports': 1 },
  REDIRECT: { '--to-ports': 1 },
  CT: { '--helper': 1, '--notrack': 0 },
};

/** Where targets may be used: table, and the built-in chains (user chains of that table are allowed). */
const TARGET_PLACES: Record<string, { table: TableName; chains?: string[] }> = {
  REJECT: { table: 'filter' },
  DNAT: { table: 'nat', chains: ['PREROUTING', 'OUTPUT'] },
  REDIRECT: { table: 'nat', chains: ['PREROUTING', 'OUTPUT'] },
  SNAT: { table: 'nat', chains: ['POSTROUTING', 'INPUT'] },
  MASQUERADE: { table: 'nat', chains: ['POSTROUTING'] },
  CT: { table: 'raw' },
};

const TCP_FLAGS = ['SYN', 'ACK', 'FIN', 'RST', 'URG', 'PSH', 'ALL', 'NONE'];

function take<T>(r: Read<T>, col: number): T {
  if (!r.ok) throw new Fail(col, r.message);
  return r.value;
}

function readFlags(text: string, col: number): string[] {
  if (text === 'NONE') return [];
  const flags = text.split(',');
  for (const f of flags) if (!TCP_FLAGS.includes(f)) throw new Fail(col, `unknown TCP flag "${f}"`);
  if (flags.includes('ALL')) return ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG'];
  return ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG'].filter((f) => flags.includes(f));
}

export function parseRuleTokens(tokens: Token[], table: TableName, chain: string): RuleResult {
  try {
    return { ok: true, rule: parseOrThrow(tokens, table, chain) };
  } catch (e) {
    if (e instanceof Fail) return { ok: false, col: e.col, message: e.message };
    throw e;
  }
}

function parseOrThrow(tokens: Token[], table: TableName, chain: string): RuleParse {
  const basic: Partial<Record<'source' | 'destination' | 'inIface' | 'outIface' | 'protocol', Match>> = {};
  const modules: { m: ModuleMatch; name: string; seen: Set<string>; col: number }[] = [];
  let target: { name: string; col: number; opts: Map<string, string[]>; optCol: Map<string, number> } | null = null;
  let i = 0;
  const lastCol = tokens.length ? tokens[tokens.length - 1]!.col : 1;

  const value = (opt: Token): Token => {
    const v = tokens[i++];
    if (v === undefined) throw new Fail(opt.col, `option "${opt.text}" requires an argument`);
    return v;
  };

  const loadModule = (name: string, col: number) => {
    if (!(name in MODULE_OPTIONS)) throw new Fail(col, `Couldn't load match "${name}": No such file or directory (not modelled)`);
    const m: ModuleMatch =
      name === 'tcp' || name === 'udp'
        ? { kind: name }
        : name === 'icmp'
          ? { kind: 'icmp', type: -1, invert: false }
          : name === 'multiport'
            ? { kind: 'multiport', dir: 'dports', ranges: [], invert: false }
            : name === 'state' || name === 'conntrack'
              ? { kind: 'state', module: name, states: [], invert: false }
              : name === 'helper'
                ? { kind: 'helper', name: '', invert: false }
                : { kind: 'comment', text: '' };
    const entry = { m, name, seen: new Set<string>(), col };
    modules.push(entry);
    return entry;
  };

  while (i < tokens.length) {
    let tok = tokens[i++]!;
    let invert = false;
    if (tok.text === '!') {
      invert = true;
      const next = tokens[i++];
      if (next === undefined) throw new Fail(tok.col, '"!" must be followed by an option');
      tok = next;
    }
    const o = tok.text;
    const basicKey =
      o === '-s' || o === '--source' || o === '--src'
        ? 'source'
        : o === '-d' || o === '--destination' || o === '--dst'
          ? 'destination'
          : o === '-i' || o === '--in-interface'
            ? 'inIface'
            : o === '-o' || o === '--out-interface'
              ? 'outIface'
              : o === '-p' || o === '--protocol'
                ? 'protocol'
                : null;
    if (basicKey) {
      const v = value(tok);
      if (basic[basicKey]) throw new Fail(tok.col, `multiple ${o} flags not allowed`);
      if (basicKey === 'source' || basicKey === 'destination') {
        const cidr = parseCidr(v.text);
        if (!cidr) throw new Fail(v.col, `host/network "${v.text}" not found (expected an IPv4 address or CIDR)`);
        basic[basicKey] = { kind: basicKey, cidr, invert };
      } else if (basicKey === 'inIface' || basicKey === 'outIface') {
        if (!/^[A-Za-z0-9_.:-]{1,15}\+?$/.test(v.text)) throw new Fail(v.col, `bad interface name "${v.text}"`);
        if (basicKey === 'inIface' && (chain === 'OUTPUT' || chain === 'POSTROUTING')) throw new Fail(tok.col, `can't use -i with ${chain}`);
        if (basicKey === 'outIface' && (chain === 'PREROUTING' || chain === 'INPUT')) throw new Fail(tok.col, `can't use -o with ${chain}`);
        basic[basicKey] = { kind: basicKey, name: v.text, invert };
      } else {
        const proto = take(readProtocol(v.text), v.col);
        // `-p all` matches every protocol: iptables-save omits it.
        if (proto === 0 && invert) throw new Fail(tok.col, 'rule would never match protocol ("! -p all")');
        if (proto !== 0) basic.protocol = { kind: 'protocol', proto, invert };
      }
      continue;
    }
    if (o === '-m' || o === '--match') {
      if (invert) throw new Fail(tok.col, 'unexpected "!" before -m');
      const v = value(tok);
      loadModule(v.text, v.col);
      continue;
    }
    if (o === '-j' || o === '--jump') {
      if (invert) throw new Fail(tok.col, 'cannot invert -j');
      const v = value(tok);
      if (target) throw new Fail(tok.col, 'multiple -j flags not allowed');
      target = { name: v.text, col: v.col, opts: new Map(), optCol: new Map() };
      continue;
    }
    if (!o.startsWith('-')) throw new Fail(tok.col, `bad argument "${o}"`);

    // An extension option: the target's first, then loaded modules (latest first).
    const tOpts = target ? TARGET_OPTIONS[target.name] : undefined;
    if (target && tOpts && o in tOpts) {
      if (invert) throw new Fail(tok.col, `cannot invert ${o}`);
      if (target.opts.has(o)) throw new Fail(tok.col, `multiple ${o} flags not allowed`);
      const vals: string[] = [];
      for (let k = 0; k < tOpts[o]!; k++) vals.push(value(tok).text);
      target.opts.set(o, vals);
      target.optCol.set(o, tok.col);
      continue;
    }
    let mod = [...modules].reverse().find((e) => o in MODULE_OPTIONS[e.name]!);
    if (!mod) {
      // iptables loads the protocol's own match when it meets an option it does not know.
      const p = basic.protocol?.kind === 'protocol' ? basic.protocol.proto : 0;
      const implicit = p === TCP ? 'tcp' : p === UDP ? 'udp' : p === ICMP ? 'icmp' : null;
      if (implicit && !modules.some((e) => e.name === implicit) && o in MODULE_OPTIONS[implicit]!) mod = loadModule(implicit, tok.col);
    }
    if (!mod) {
      throw new Fail(tok.col, `unknown option "${o}"`);
    }
    const canonical =
      o === '--source-port'
        ? '--sport'
        : o === '--destination-port'
          ? '--dport'
          : o === '--destination-ports'
            ? '--dports'
            : o === '--source-ports'
              ? '--sports'
              : o === '--syn'
                ? '--tcp-flags'
                : o;
    if (mod.name === 'conntrack' && mod.seen.has(canonical)) throw new Fail(tok.col, `conntrack: option "${o}" can only be used once.`);
    if (mod.seen.has(canonical) || (mod.name === 'multiport' && mod.seen.size > 0)) throw new Fail(tok.col, `${mod.name} match: only one ${o} allowed`);
    mod.seen.add(canonical);
    applyModuleOption(mod.m, o, invert, tok, () => value(tok));
  }

  // ── checks once the whole line is known (iptables checks at the end too) ──
  const proto = basic.protocol?.kind === 'protocol' ? basic.protocol : null;
  const protoIs = (n: number) => proto !== null && proto.proto === n && !proto.invert;
  for (const { m, name, col } of modules) {
    if ((name === 'tcp' && !protoIs(TCP)) || (name === 'udp' && !protoIs(UDP)) || (name === 'icmp' && !protoIs(ICMP)))
      throw new Fail(col, `-m ${name} needs -p ${name} (the kernel refuses it: Invalid argument)`);
    if (m.kind === 'multiport') {
      if (!protoIs(TCP) && !protoIs(UDP)) throw new Fail(col, 'multiport needs -p tcp or -p udp');
      if (m.ranges.length === 0) throw new Fail(col, 'multiport needs --dports, --sports or --ports');
    }
    if (m.kind === 'icmp' && m.type < 0) throw new Fail(col, 'icmp match needs --icmp-type');
    if (m.kind === 'state' && m.module === 'state' && m.states.length === 0) throw new Fail(col, 'state match needs --state');
    if (m.kind === 'state' && m.module === 'conntrack' && m.states.length === 0 && m.ct === undefined)
      throw new Fail(col, 'conntrack: At least one option is required (--ctstate, --ctstatus, --ctorigdst, --ctorigdstport, --ctdir…)');
    if (m.kind === 'helper' && m.name === '') throw new Fail(col, 'helper match needs --helper');
  }

  const matches: Match[] = [];
  for (const k of ['source', 'destination', 'inIface', 'outIface', 'protocol'] as const) {
    const m = basic[k];
    if (m) matches.push(m);
  }
  matches.push(...modules.map((e) => e.m));

  if (!target) return { matches, target: { kind: 'NONE' }, targetCol: lastCol };
  const t = buildTarget(target, table, chain, protoIs(TCP) || protoIs(UDP), protoIs(TCP));
  return { matches, target: t, targetCol: target.col };
}

function portSpec(v: Token, invert: boolean): PortSpec {
  return { ...take(readPortRange(v.text), v.col), invert };
}

function applyModuleOption(m: ModuleMatch, o: string, invert: boolean, tok: Token, next: () => Token): void {
  switch (m.kind) {
    case 'tcp':
    case 'udp':
      if (o === '--sport' || o === '--source-port') m.sport = portSpec(next(), invert);
      else if (o === '--dport' || o === '--destination-port') m.dport = portSpec(next(), invert);
      else if (o === '--syn') m.tcpFlags = { mask: ['FIN', 'SYN', 'RST', 'ACK'], comp: ['SYN'], invert };
      else {
        const a = next();
        const b = next();
        m.tcpFlags = { mask: readFlags(a.text, a.col), comp: readFlags(b.text, b.col), invert };
      }
      return;
    case 'icmp': {
      const v = next();
      const t = take(readIcmpType(v.text), v.col);
      m.type = t.type;
      if (t.code !== undefined) m.code = t.code;
      m.invert = invert;
      return;
    }
    case 'multiport': {
      const v = next();
      m.dir = o === '--sports' || o === '--source-ports' ? 'sports' : o === '--ports' ? 'ports' : 'dports';
      m.ranges = take(readPortList(v.text), v.col);
      m.invert = invert;
      return;
    }
    case 'state': {
      const v = next();
      if (o === '--state' || o === '--ctstate') {
        m.states = take(readStates(v.text, o), v.col);
        m.invert = invert;
        return;
      }
      const ct: CtCriteria = (m.ct ??= {});
      switch (o) {
        case '--ctproto': {
          const proto = take(readProtocol(v.text), v.col);
          if (proto === 0) throw new Fail(v.col, 'conntrack: --ctproto all is not a protocol to match (leave the option out)');
          ct.proto = { proto, invert };
          return;
        }
        case '--ctorigsrc':
        case '--ctorigdst':
        case '--ctreplsrc':
        case '--ctrepldst': {
          const key = ({ '--ctorigsrc': 'origSrc', '--ctorigdst': 'origDst', '--ctreplsrc': 'replSrc', '--ctrepldst': 'replDst' } as const)[o];
          ct[key] = { ...take(readCtAddr(v.text), v.col), invert };
          return;
        }
        case '--ctorigsrcport':
        case '--ctorigdstport':
        case '--ctreplsrcport':
        case '--ctrepldstport': {
          const key = ({ '--ctorigsrcport': 'origSrcPort', '--ctorigdstport': 'origDstPort', '--ctreplsrcport': 'replSrcPort', '--ctrepldstport': 'replDstPort' } as const)[o];
          ct[key] = portSpec(v, invert);
          return;
        }
        case '--ctstatus':
          ct.status = { bits: take(readCtStatus(v.text), v.col), invert };
          return;
        case '--ctexpire':
          ct.expire = { ...take(readCtExpire(v.text), v.col), invert };
          return;
        case '--ctdir':
          if (invert) throw new Fail(tok.col, 'conntrack: option "--ctdir" cannot be inverted.');
          ct.dir = take(readCtDir(v.text), v.col);
          return;
      }
      return;
    }
    case 'helper': {
      const v = next();
      if (v.text === '') throw new Fail(v.col, 'empty --helper name');
      m.name = v.text;
      m.invert = invert;
      return;
    }
    case 'comment': {
      if (invert) throw new Fail(tok.col, 'cannot invert --comment');
      const v = next();
      if (v.text.length > 255) throw new Fail(v.col, 'comment may not exceed 255 characters');
      m.text = v.text;
      return;
    }
  }
}

function buildTarget(
  t: { name: string; col: number; opts: Map<string, string[]>; optCol: Map<string, number> },
  table: TableName,
  chain: string,
  portProto: boolean,
  tcp: boolean,
): Target {
  const place = TARGET_PLACES[t.name];
  if (place) {
    if (place.table !== table) throw new Fail(t.col, `${t.name} target: only valid in the ${place.table} table, not ${table}`);
    if (place.chains && BUILTIN_CHAINS[table].includes(chain) && !place.chains.includes(chain))
      throw new Fail(t.col, `${t.name} target: only usable from ${place.chains.join('/')}, not ${chain}`);
  }
  const opt = (o: string) => t.opts.get(o)?.[0];
  const col = (o: string) => t.optCol.get(o) ?? t.col;
  const needPorts = (o: string) => {
    if (!portProto) throw new Fail(col(o), 'Need TCP or UDP (-p tcp|udp) with a port specification');
  };
  switch (t.name) {
    case 'ACCEPT':
    case 'DROP':
    case 'RETURN':
      return { kind: t.name };
    case 'REJECT': {
      const w = opt('--reject-with');
      const rw = w === undefined ? 'icmp-port-unreachable' : take(readRejectWith(w), col('--reject-with'));
      if (rw === 'tcp-reset' && !tcp) throw new Fail(col('--reject-with'), 'REJECT: tcp-reset is only valid with -p tcp');
      return { kind: 'REJECT', with: rw };
    }
    case 'LOG': {
      const prefix = opt('--log-prefix');
      const level = opt('--log-level');
      if (prefix !== undefined && prefix.length > 29) throw new Fail(col('--log-prefix'), 'Maximum prefix length 29 for --log-prefix');
      const out: Target = { kind: 'LOG' };
      if (prefix !== undefined && prefix !== '') out.prefix = prefix;
      if (level !== undefined) {
        const lv = take(readLogLevel(level), col('--log-level'));
        if (lv !== '4') out.level = lv;
      }
      return out;
    }
    case 'DNAT':
    case 'SNAT': {
      const o = t.name === 'DNAT' ? '--to-destination' : '--to-source';
      const v = opt(o);
      if (v === undefined) throw new Fail(t.col, `${t.name} needs ${o}`);
      const to = take(readNatTo(v), col(o));
      if (to.ports) needPorts(o);
      return { kind: t.name, to };
    }
    case 'MASQUERADE':
    case 'REDIRECT': {
      const v = opt('--to-ports');
      if (v === undefined) return { kind: t.name };
      needPorts('--to-ports');
      return { kind: t.name, ports: take(readPortRange(v, '-'), col('--to-ports')) };
    }
    case 'CT': {
      const helper = opt('--helper');
      const notrack = t.opts.has('--notrack');
      // nf_conntrack_ftp names its helper "ftp" for port 21 and "ftp-<n>" for the n-th other entry of ports=.
      if (helper !== undefined && !/^ftp(-\d+)?$/.test(helper))
        throw new Fail(col('--helper'), `CT: no helper "${helper}" (only ftp is modelled; the kernel says: No such file or directory)`);
      if (helper !== undefined && notrack) throw new Fail(col('--helper'), 'CT: --helper and --notrack cannot be combined');
      if (helper !== undefined && !tcp) throw new Fail(col('--helper'), 'CT: the ftp helper needs -p tcp (the kernel refuses it: Invalid argument)');
      return helper !== undefined ? { kind: 'CT', helper, notrack } : { kind: 'CT', notrack };
    }
    default:
      // Anything else is a jump to a user chain, checked against the declared chains at COMMIT.
      return { kind: 'JUMP', chain: t.name };
  }
}

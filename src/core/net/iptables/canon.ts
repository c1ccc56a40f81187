/**
 * Printing rules and rulesets the way iptables-save does, so the UI can regenerate the text
 * after a table edit and what it shows is what `iptables-save` would show.
 */
import { formatIpv4, type Cidr } from '../../codec/addr';
import { PROTO_NAMES, type CtAddr, type CtStateMatchName, type Match, type PortRange, type PortSpec, type Ruleset, type Target } from './types';

/** iptables-save's state order (libxt_state/libxt_conntrack print it this way, whatever the input order). */
export const STATE_ORDER: readonly CtStateMatchName[] = ['INVALID', 'NEW', 'RELATED', 'ESTABLISHED', 'UNTRACKED', 'SNAT', 'DNAT'];

/** An address option as libxt_conntrack prints it: the address as written, `/len` unless 32. */
const ctAddrText = (a: CtAddr): string => `${formatIpv4(a.ip)}${a.prefix === 32 ? '' : `/${a.prefix}`}`;

/**
 * The options after `-m conntrack`, in iptables-save's order (checked against iptables 1.8.9):
 * --ctstate, --ctproto, the four addresses, the four ports, --ctstatus, --ctexpire, --ctdir.
 */
function conntrackText(m: Extract<Match, { kind: 'state' }>): string {
  const parts: string[] = [];
  if (m.states.length > 0) parts.push(`${not(m.invert)}--ctstate ${STATE_ORDER.filter((s) => m.states.includes(s)).join(',')}`);
  const ct = m.ct ?? {};
  if (ct.proto) parts.push(`${not(ct.proto.invert)}--ctproto ${ct.proto.proto}`);
  const addrs = [
    ['origSrc', 'ctorigsrc'],
    ['origDst', 'ctorigdst'],
    ['replSrc', 'ctreplsrc'],
    ['replDst', 'ctrepldst'],
  ] as const;
  for (const [k, name] of addrs) {
    const a = ct[k];
    if (a) parts.push(`${not(a.invert)}--${name} ${ctAddrText(a)}`);
  }
  const ports = [
    ['origSrcPort', 'ctorigsrcport'],
    ['origDstPort', 'ctorigdstport'],
    ['replSrcPort', 'ctreplsrcport'],
    ['replDstPort', 'ctrepldstport'],
  ] as const;
  for (const [k, name] of ports) {
    const p = ct[k];
    if (p) parts.push(`${not(p.invert)}--${name} ${portText(p)}`);
  }
  if (ct.status) parts.push(`${not(ct.status.invert)}--ctstatus ${ct.status.bits.length > 0 ? ct.status.bits.join(',') : 'NONE'}`);
  if (ct.expire) parts.push(`${not(ct.expire.invert)}--ctexpire ${ct.expire.min === ct.expire.max ? ct.expire.min : `${ct.expire.min}:${ct.expire.max}`}`);
  if (ct.dir) parts.push(`--ctdir ${ct.dir}`);
  return `-m conntrack ${parts.join(' ')}`;
}

/** xtables_save_string: bare when only [A-Za-z0-9_-], else double-quoted with \ before " \ '. */
export function saveString(value: string): string {
  if (/^[A-Za-z0-9_-]+$/.test(value)) return value;
  return `"${value.replace(/["\\']/g, (c) => `\\${c}`)}"`;
}

const cidrText = (c: Cidr): string => `${formatIpv4(c.network)}/${c.prefix}`;
const not = (invert: boolean): string => (invert ? '! ' : '');
const portText = (p: PortRange, sep = ':'): string => (p.from === p.to ? `${p.from}` : `${p.from}${sep}${p.to}`);
const portOpt = (name: string, p: PortSpec | undefined): string => (p ? ` ${not(p.invert)}--${name} ${portText(p)}` : '');

export const protoText = (n: number): string => PROTO_NAMES[n] ?? String(n);

export function matchText(m: Match): string {
  switch (m.kind) {
    case 'source':
      return `${not(m.invert)}-s ${cidrText(m.cidr)}`;
    case 'destination':
      return `${not(m.invert)}-d ${cidrText(m.cidr)}`;
    case 'inIface':
      return `${not(m.invert)}-i ${m.name}`;
    case 'outIface':
      return `${not(m.invert)}-o ${m.name}`;
    case 'protocol':
      return `${not(m.invert)}-p ${protoText(m.proto)}`;
    case 'tcp':
    case 'udp': {
      const f = m.tcpFlags ? ` ${not(m.tcpFlags.invert)}--tcp-flags ${m.tcpFlags.mask.join(',')} ${m.tcpFlags.comp.length ? m.tcpFlags.comp.join(',') : 'NONE'}` : '';
      return `-m ${m.kind}${portOpt('sport', m.sport)}${portOpt('dport', m.dport)}${f}`;
    }
    case 'icmp':
      return `-m icmp ${not(m.invert)}--icmp-type ${m.type}${m.code !== undefined ? `/${m.code}` : ''}`;
    case 'multiport':
      return `-m multiport ${not(m.invert)}--${m.dir} ${m.ranges.map((r) => portText(r)).join(',')}`;
    case 'state': {
      const states = STATE_ORDER.filter((s) => m.states.includes(s)).join(',');
      return m.module === 'state' ? `-m state ${not(m.invert)}--state ${states}` : conntrackText(m);
    }
    case 'helper':
      return `-m helper ${not(m.invert)}--helper ${saveString(m.name)}`;
    case 'comment':
      return `-m comment --comment ${saveString(m.text)}`;
  }
}

export function targetText(t: Target): string {
  switch (t.kind) {
    case 'NONE':
      return '';
    case 'ACCEPT':
    case 'DROP':
    case 'RETURN':
      return `-j ${t.kind}`;
    case 'JUMP':
      return `-j ${t.chain}`;
    case 'REJECT':
      return `-j REJECT --reject-with ${t.with}`;
    case 'LOG':
      return `-j LOG${t.prefix !== undefined && t.prefix !== '' ? ` --log-prefix ${saveString(t.prefix)}` : ''}${t.level !== undefined && t.level !== '4' ? ` --log-level ${t.level}` : ''}`;
    case 'DNAT':
    case 'SNAT':
      return `-j ${t.kind} --to-${t.kind === 'DNAT' ? 'destination' : 'source'} ${formatIpv4(t.to.ip)}${t.to.ports ? `:${portText(t.to.ports, '-')}` : ''}`;
    case 'MASQUERADE':
    case 'REDIRECT':
      return `-j ${t.kind}${t.ports ? ` --to-ports ${portText(t.ports, '-')}` : ''}`;
    case 'CT':
      return `-j CT${t.notrack ? ' --notrack' : ''}${t.helper !== undefined ? ` --helper ${t.helper}` : ''}`;
  }
}

/** `-A CHAIN <matches> -j TARGET …`, exactly as iptables-save prints the rule. */
export function ruleText(chain: string, matches: readonly Match[], target: Target): string {
  return [`-A ${chain}`, ...matches.map(matchText), targetText(target)].filter((s) => s !== '').join(' ');
}

/** The whole ruleset as iptables-save text; `parseIptablesSave` reads it back to the same rules. */
export function serializeIptablesSave(ruleset: Ruleset): string {
  const out: string[] = [];
  for (const t of ruleset.tables) {
    out.push(`*${t.name}`);
    if (t.name === 'mangle' || t.ignored.length > 0) {
      // Not modelled (mangle): kept as written between the table header and COMMIT.
      out.push(...t.ignored);
    } else {
      for (const c of t.chains) out.push(`:${c.name} ${c.builtin ? (c.policy ?? 'ACCEPT') : '-'} [0:0]`);
      for (const c of t.chains) for (const r of c.rules) out.push(ruleText(r.chain, r.matches, r.target));
    }
    out.push('COMMIT');
  }
  return out.join('\n') + (out.length ? '\n' : '');
}

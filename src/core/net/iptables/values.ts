/**
 * Reading option values the way the iptables extensions do (ports, port lists, NAT ranges,
 * states, protocols), each returning the value or the message iptables-restore would print.
 */
import { asIpv4, parseIpv4, type Ipv4 } from '../../codec/addr';
import type { CtStateMatchName, CtStatusName, PortRange, RejectWith } from './types';

export type Read<T> = { ok: true; value: T } | { ok: false; message: string };
const good = <T>(value: T): Read<T> => ({ ok: true, value });
const bad = <T>(message: string): Read<T> => ({ ok: false, message });

/** A few /etc/services names people write in rules; iptables-save prints the numbers. */
const SERVICES: Record<string, number> = { 'ftp-data': 20, ftp: 21, ssh: 22, telnet: 23, smtp: 25, domain: 53, http: 80, https: 443, ftps: 990 };

export function readPort(text: string): Read<number> {
  const n = /^\d{1,5}$/.test(text) ? Number(text) : SERVICES[text];
  if (n === undefined || n > 65535) return bad(`invalid port/service "${text}" specified`);
  return good(n);
}

/** `21`, `50000:50100`, `:1024` (0:1024) and `1024:` (1024:65535), as libxt_tcp reads them. */
export function readPortRange(text: string, sep = ':'): Read<PortRange> {
  const i = text.indexOf(sep);
  if (i < 0) {
    const p = readPort(text);
    return p.ok ? good({ from: p.value, to: p.value }) : p;
  }
  const a = text.slice(0, i);
  const b = text.slice(i + 1);
  const from = a === '' ? good(0) : readPort(a);
  if (!from.ok) return from;
  const to = b === '' ? good(65535) : readPort(b);
  if (!to.ok) return to;
  if (from.value > to.value) return bad(`invalid portrange "${text}" (min > max)`);
  return good({ from: from.value, to: to.value });
}

/** `--dports 21,50000:50100`: at most 15 ports, a range counting as two (libxt_multiport). */
export function readPortList(text: string): Read<PortRange[]> {
  const out: PortRange[] = [];
  let slots = 0;
  for (const part of text.split(',')) {
    const r = readPortRange(part);
    if (!r.ok) return r;
    out.push(r.value);
    slots += r.value.from === r.value.to ? 1 : 2;
  }
  if (slots > 15) return bad(`too many ports specified in "${text}" (multiport takes at most 15, a range counts as two)`);
  return good(out);
}

const PROTOCOLS: Record<string, number> = { all: 0, icmp: 1, tcp: 6, udp: 17 };

export function readProtocol(text: string): Read<number> {
  const lower = text.toLowerCase();
  if (lower in PROTOCOLS) return good(PROTOCOLS[lower]!);
  if (/^\d{1,3}$/.test(text) && Number(text) <= 255) return good(Number(text));
  return bad(`unknown protocol "${text}" specified`);
}

/** iptables-save's order for states (libxt_conntrack prints them this way, whatever the input order). */
const STATES: readonly CtStateMatchName[] = ['INVALID', 'NEW', 'RELATED', 'ESTABLISHED', 'UNTRACKED', 'SNAT', 'DNAT'];

/**
 * `--state` (libxt_state: the five states) or `--ctstate` (libxt_conntrack: also SNAT and DNAT),
 * case-insensitive, with iptables' message for a word it does not know.
 */
export function readStates(text: string, option: string): Read<CtStateMatchName[]> {
  const ct = option === '--ctstate';
  const allowed = ct ? STATES : STATES.slice(0, 5);
  const out: CtStateMatchName[] = [];
  for (const s of text.split(',')) {
    const u = s.toUpperCase() as CtStateMatchName;
    if (!allowed.includes(u)) return bad(`Bad ${ct ? 'ctstate' : 'state'} "${s}" (${option} takes ${allowed.join(', ')})`);
    if (!out.includes(u)) out.push(u);
  }
  // Kept in iptables-save's order, whatever order the text gave.
  return good(STATES.filter((x) => out.includes(x)));
}

/** iptables-save's order for `--ctstatus` bits. */
export const STATUS_ORDER: readonly CtStatusName[] = ['EXPECTED', 'SEEN_REPLY', 'ASSURED', 'CONFIRMED'];

/** `--ctstatus NONE` or a list of EXPECTED, SEEN_REPLY, ASSURED, CONFIRMED (case-insensitive). */
export function readCtStatus(text: string): Read<CtStatusName[]> {
  const out: CtStatusName[] = [];
  for (const s of text.split(',')) {
    const u = s.toUpperCase();
    if (u === 'NONE') continue;
    if (!(STATUS_ORDER as readonly string[]).includes(u)) return bad(`Bad ctstatus "${s}" (--ctstatus takes NONE, ${STATUS_ORDER.join(', ')})`);
    if (!out.includes(u as CtStatusName)) out.push(u as CtStatusName);
  }
  return good(STATUS_ORDER.filter((x) => out.includes(x)));
}

/**
 * `--ctexpire min[:max]` (libxt_conntrack's conntrack_ps_expires): whole seconds, 0 – 2³²−1; one
 * number means min = max. A min above max is refused, as iptables does.
 */
export function readCtExpire(text: string): Read<{ min: number; max: number }> {
  const parts = text.split(':');
  const num = (t: string | undefined): number | null => (t !== undefined && /^\d{1,10}$/.test(t) && Number(t) <= 0xffffffff ? Number(t) : null);
  const min = num(parts[0]);
  const max = parts.length === 1 ? min : num(parts[1]);
  if (parts.length > 2 || min === null || max === null) return bad(`conntrack: bad --ctexpire value "${text}" (seconds, or a range like 10:300)`);
  if (min > max) return bad(`expire min. range value "${min}" greater than max. range value "${max}"`);
  return good({ min, max });
}

/** `--ctdir ORIGINAL|REPLY` (case-insensitive). */
export function readCtDir(text: string): Read<'ORIGINAL' | 'REPLY'> {
  const u = text.toUpperCase();
  return u === 'ORIGINAL' || u === 'REPLY' ? good(u) : bad(`conntrack: Bad value for "--ctdir" option: "${text}" (ORIGINAL or REPLY)`);
}

/** `--ctorigdst 203.0.113.10` or `…/24`: the address as written and its prefix length. */
export function readCtAddr(text: string): Read<{ ip: Ipv4; prefix: number }> {
  const [a, len, ...rest] = text.split('/');
  const ip = rest.length === 0 && a !== undefined ? parseIpv4(a) : null;
  const prefix = len === undefined ? 32 : /^\d{1,2}$/.test(len) ? Number(len) : NaN;
  if (ip === null || !(prefix >= 0 && prefix <= 32)) return bad(`host/network "${text}" not found (expected an IPv4 address or CIDR)`);
  return good({ ip, prefix });
}

/** Every spelling libipt_REJECT accepts, by the name iptables-save prints. */
const REJECT_ALIASES: Record<string, RejectWith> = {
  'icmp-net-unreachable': 'icmp-net-unreachable',
  'net-unreach': 'icmp-net-unreachable',
  'icmp-host-unreachable': 'icmp-host-unreachable',
  'host-unreach': 'icmp-host-unreachable',
  'icmp-proto-unreachable': 'icmp-proto-unreachable',
  'proto-unreach': 'icmp-proto-unreachable',
  'icmp-port-unreachable': 'icmp-port-unreachable',
  'port-unreach': 'icmp-port-unreachable',
  'icmp-net-prohibited': 'icmp-net-prohibited',
  'net-prohib': 'icmp-net-prohibited',
  'icmp-host-prohibited': 'icmp-host-prohibited',
  'host-prohib': 'icmp-host-prohibited',
  'icmp-admin-prohibited': 'icmp-admin-prohibited',
  'admin-prohib': 'icmp-admin-prohibited',
  'tcp-reset': 'tcp-reset',
  'tcp-rst': 'tcp-reset',
};

export function readRejectWith(text: string): Read<RejectWith> {
  const r = REJECT_ALIASES[text];
  return r ? good(r) : bad(`unknown reject type "${text}"`);
}

/** ICMP type names iptables knows, with their type[/code]. */
const ICMP_NAMES: Record<string, [number, number?]> = {
  'echo-reply': [0],
  pong: [0],
  'destination-unreachable': [3],
  'network-unreachable': [3, 0],
  'host-unreachable': [3, 1],
  'protocol-unreachable': [3, 2],
  'port-unreachable': [3, 3],
  'fragmentation-needed': [3, 4],
  'communication-prohibited': [3, 13],
  'host-prohibited': [3, 10],
  'network-prohibited': [3, 9],
  'echo-request': [8],
  ping: [8],
  'time-exceeded': [11],
  'ttl-exceeded': [11, 0],
};

export function readIcmpType(text: string): Read<{ type: number; code?: number }> {
  const named = ICMP_NAMES[text];
  if (named) return good(named[1] === undefined ? { type: named[0] } : { type: named[0], code: named[1] });
  const m = /^(\d{1,3})(?:\/(\d{1,3}))?$/.exec(text);
  if (!m || Number(m[1]) > 255 || (m[2] !== undefined && Number(m[2]) > 255)) return bad(`invalid ICMP type "${text}"`);
  return good(m[2] === undefined ? { type: Number(m[1]) } : { type: Number(m[1]), code: Number(m[2]) });
}

/** `ip[:port[-port]]` for --to-destination/--to-source; ranges of addresses are not modelled. */
export function readNatTo(text: string): Read<{ ip: Ipv4; ports?: PortRange }> {
  const [addr, ports, ...rest] = text.split(':');
  if (rest.length > 0 || addr === undefined) return bad(`bad IP address "${text}"`);
  if (addr.includes('-')) return bad(`address ranges ("${addr}") are not modelled: give one address`);
  const ip = parseIpv4(addr);
  if (ip === null) return bad(`bad IP address "${addr}"`);
  if (ports === undefined) return good({ ip: asIpv4(ip) });
  const r = readPortRange(ports, '-');
  if (!r.ok) return r;
  return good({ ip: asIpv4(ip), ports: r.value });
}

/** `--log-level`: a number 0..7 or a syslog name; kept as the number iptables-save prints. */
export function readLogLevel(text: string): Read<string> {
  const names = ['emerg', 'alert', 'crit', 'error', 'warning', 'notice', 'info', 'debug'];
  if (/^[0-7]$/.test(text)) return good(text);
  const i = names.indexOf(text === 'panic' ? 'emerg' : text === 'err' ? 'error' : text === 'warn' ? 'warning' : text);
  return i >= 0 ? good(String(i)) : bad(`log level "${text}" unknown`);
}

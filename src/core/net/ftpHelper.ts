/**
 * nf_conntrack_ftp as a table of four cases. It reads only the start of a segment that
 * begins right after a newline it has already seen in that direction, and only once the
 * connection has seen traffic both ways. The number parsing is local on purpose: it must
 * behave as the kernel's try_number/get_port do (terminator rules, match offsets for
 * nf_nat_ftp), which is laxer in some ways and stricter in others than an FTP client's parser.
 */
import { asIpv4, formatIpv4, type Ipv4 } from '../codec/addr';
import type { Conn, Dir } from './conntrack';

export interface HelperConfig {
  /** nf_conntrack_ftp's ports= (default 21). */
  ports: number[];
  /** loose=1: expect even when the announced address is not the sender's. */
  loose: boolean;
}

/** Helper names the module registers: "ftp" for port 21, "ftp-<i>" for the i-th other port
 * (nf_ct_helper_init). `CT --helper NAME` finds a helper by name and protocol only, never by port. */
export function helperNames(cfg: HelperConfig): string[] {
  return cfg.ports.map((p, i) => (p === 21 ? 'ftp' : `ftp-${i}`));
}

export type FtpKind = 'PORT' | 'EPRT' | 'PASV' | 'EPSV';

export interface FtpMatch {
  kind: FtpKind;
  /** Absent for 229, which carries no address. */
  ip?: Ipv4;
  port: number;
  /** Where the numbers are in the payload (what nf_nat_ftp replaces). */
  off: number;
  len: number;
}

export type FtpParse = { kind: 'none' } | { kind: 'partial'; pattern: string } | { kind: 'match'; m: FtpMatch };

const isDigit = (c: number | undefined) => c !== undefined && c >= 48 && c <= 57;

/** try_number: `count` numbers separated by `sep`, ended by `term` (or anything when term is null). Returns length or 0. */
function tryNumber(d: Uint8Array, start: number, count: number, sep: number, term: number | null, out: number[]): number {
  for (let k = 0; k < count; k++) out[k] = 0;
  let i = 0;
  for (let p = start; p < d.length && i < count; p++) {
    const c = d[p]!;
    if (isDigit(c)) out[i] = out[i]! * 10 + (c - 48);
    else if (c === sep) i++;
    else return (term === null || c === term) && i === count - 1 ? p - start : 0;
  }
  return 0;
}

/** get_port: digits up to the delimiter; returns the index after it, or 0. */
function getPort(d: Uint8Array, start: number, delim: number): { end: number; port: number } | null {
  let port = 0;
  for (let p = start; p < d.length; p++) {
    const c = d[p]!;
    if (c === delim) return port === 0 ? null : { end: p + 1, port: port & 0xffff };
    if (!isDigit(c)) return null;
    port = port * 10 + (c - 48);
  }
  return null;
}

type GetNum = (d: Uint8Array, at: number, term: number | null) => { len: number; off: number; ip?: Ipv4; port: number } | null;

const hostPort = (a: number[]) => ({
  ip: asIpv4(((a[0]! << 24) | (a[1]! << 16) | (a[2]! << 8) | a[3]!) >>> 0),
  port: ((a[4]! << 8) | a[5]!) & 0xffff,
});

/** `h1,h2,h3,h4,p1,p2` then the terminator. */
const tryRfc959: GetNum = (d, at, term) => {
  const a: number[] = [];
  const len = tryNumber(d, at, 6, 44, term, a);
  return len === 0 ? null : { len, off: at, ...hostPort(a) };
};

/** 227: scan to the first digit (parentheses optional), then as above with any terminator. */
const tryRfc1123: GetNum = (d, at) => {
  let p = at;
  while (p < d.length && !isDigit(d[p])) p++;
  return p === d.length ? null : tryRfc959(d, p, null);
};

/** EPRT `|1|a.b.c.d|port|` with any delimiter 33..126 that is not a digit; IPv4 only here. */
const tryEprt: GetNum = (d, at) => {
  if (d.length - at <= 3) return null;
  const delim = d[at]!;
  if (isDigit(delim) || delim < 33 || delim > 126 || d[at + 2] !== delim || d[at + 1] !== 49) return null;
  const a: number[] = [];
  const len = tryNumber(d, at + 3, 4, 46, delim, a);
  if (len === 0) return null;
  const p = getPort(d, at + 3 + len + 1, delim);
  if (!p) return null;
  return { len: p.end - at, off: at, ip: asIpv4(((a[0]! << 24) | (a[1]! << 16) | (a[2]! << 8) | a[3]!) >>> 0), port: p.port };
};

/** 229 `(|||port|)`: after the '(' three equal delimiters, the port, the delimiter. */
const tryEpsv: GetNum = (d, at) => {
  if (d.length - at <= 3) return null;
  const delim = d[at]!;
  if (isDigit(delim) || delim < 33 || delim > 126 || d[at + 1] !== delim || d[at + 2] !== delim) return null;
  const p = getPort(d, at + 3, delim);
  return p ? { len: p.end - at, off: at, port: p.port } : null;
};

interface Search {
  pattern: string;
  /** Skip up to and past this character before the numbers (null: start right after the pattern). */
  skip: string | null;
  term: string | null;
  kind: FtpKind;
  getnum: GetNum;
}

/** The four cases, per direction (client→server is the original direction). */
export const FTP_SEARCH: Record<Dir, Search[]> = {
  0: [
    { pattern: 'PORT', skip: ' ', term: '\r', kind: 'PORT', getnum: tryRfc959 },
    { pattern: 'EPRT', skip: ' ', term: '\r', kind: 'EPRT', getnum: tryEprt },
  ],
  1: [
    // "227-" (a multi-line reply) does not match the pattern "227 ".
    { pattern: '227 ', skip: null, term: null, kind: 'PASV', getnum: tryRfc1123 },
    { pattern: '229 ', skip: '(', term: ')', kind: 'EPSV', getnum: tryEpsv },
  ],
};

function startsWithCi(d: Uint8Array, pattern: string, n: number): boolean {
  for (let i = 0; i < n; i++) {
    const c = d[i]!;
    const lower = c >= 65 && c <= 90 ? c + 32 : c;
    const p = pattern.toLowerCase().charCodeAt(i);
    if (lower !== p) return false;
  }
  return true;
}

/** find_pattern: 0 no match, partial (a command that cannot be parsed: the kernel drops), or a match. */
function findPattern(d: Uint8Array, s: Search): FtpParse {
  const plen = s.pattern.length;
  // A segment no longer than the pattern that starts like it: "partial", dropped.
  if (d.length <= plen) return startsWithCi(d, s.pattern, d.length) ? { kind: 'partial', pattern: s.pattern } : { kind: 'none' };
  if (!startsWithCi(d, s.pattern, plen)) return { kind: 'none' };
  let i = plen;
  if (s.skip !== null) {
    const skip = s.skip.charCodeAt(0);
    while (d[i] !== skip) {
      if (i === d.length - 1) return { kind: 'partial', pattern: s.pattern };
      i++;
    }
    i++;
  }
  const r = s.getnum(d, i, s.term === null ? null : s.term.charCodeAt(0));
  if (!r) return { kind: 'partial', pattern: s.pattern };
  const m: FtpMatch = { kind: s.kind, port: r.port, off: r.off, len: r.len };
  if (r.ip !== undefined) m.ip = r.ip;
  return { kind: 'match', m };
}

export function parseFtpSegment(payload: Uint8Array, dir: Dir): FtpParse {
  for (const s of FTP_SEARCH[dir]) {
    const r = findPattern(payload, s);
    if (r.kind !== 'none') return r;
  }
  return { kind: 'none' };
}

/** A TLS record (handshake/alert/application data, version 3.x): what the control connection carries after AUTH TLS. */
export const looksLikeTls = (p: Uint8Array): boolean => p.length >= 3 && p[0]! >= 0x14 && p[0]! <= 0x17 && p[1] === 3;

export type HelperDecision =
  | { kind: 'skip'; why: string | null }
  | { kind: 'drop'; why: string }
  | { kind: 'ignored'; why: string; match: FtpMatch }
  | { kind: 'expect'; match: FtpMatch; src: Ipv4; dst: Ipv4; dport: number; announced: string };

const textOf = (d: Uint8Array, off: number, len: number) => String.fromCharCode(...d.subarray(off, off + len));

/** update_nl_seq: remember the seq after this segment if it ends in a newline (two per direction). */
function rememberNl(c: Conn, dir: Dir, seq: number, payload: Uint8Array): void {
  if (payload[payload.length - 1] !== 10) return;
  const after = (seq + payload.length) >>> 0;
  const list = c.nlSeq[dir];
  if (list.includes(after)) return;
  if (list.length < 2) list.push(after);
  else {
    // Replace the older (lower) one, as the kernel does.
    const oldest = ((list[0]! - list[1]!) | 0) < 0 ? 0 : 1;
    if (((after - list[oldest]!) | 0) > 0) list[oldest] = after;
  }
}

/** What the helper does with one TCP segment of a connection it is attached to (`help()`). */
export function ftpHelp(c: Conn, dir: Dir, seq: number, payload: Uint8Array, cfg: HelperConfig): HelperDecision {
  // Only for IP_CT_ESTABLISHED / IP_CT_ESTABLISHED_REPLY: once a reply has been seen.
  if (dir === 0 && !c.seenReply) return { kind: 'skip', why: null };
  if (payload.length === 0) return { kind: 'skip', why: null };
  if (!c.nlSeq[dir].includes(seq >>> 0)) {
    rememberNl(c, dir, seq, payload);
    const looks = FTP_SEARCH[dir].some((s) => startsWithCi(payload, s.pattern, Math.min(payload.length, s.pattern.length)));
    return { kind: 'skip', why: looks ? 'the segment does not start right after a newline the helper has seen: not parsed' : null };
  }
  const r = parseFtpSegment(payload, dir);
  if (r.kind === 'none') {
    rememberNl(c, dir, seq, payload);
    return { kind: 'skip', why: looksLikeTls(payload) ? 'encrypted control traffic (TLS): the helper cannot read it' : null };
  }
  if (r.kind === 'partial') {
    // The kernel drops without remembering the newline ("partial matching of ...").
    const line = textOf(payload, 0, Math.min(payload.length, 60)).split('\r')[0]!.split('\n')[0]!;
    return { kind: 'drop', why: `partial matching of "${r.pattern.trim()}": ${JSON.stringify(line)} cannot be parsed, packet dropped` };
  }
  rememberNl(c, dir, seq, payload);
  const m = r.m;
  const sender = dir === 0 ? c.orig.src : c.reply.src;
  const peer = dir === 0 ? c.reply.src : c.orig.src;
  const announced = `${m.kind === 'PASV' ? '227 ' : m.kind === 'EPSV' ? '229 ' : `${m.kind} `}${textOf(payload, m.off, m.len)}`;
  const ip = m.ip ?? sender;
  if (ip !== sender && !cfg.loose) {
    return { kind: 'ignored', match: m, why: `${announced} names ${formatIpv4(ip)}, not the sender's own address ${formatIpv4(sender)}: no expectation (loose=0)` };
  }
  return { kind: 'expect', match: m, src: peer, dst: ip, dport: m.port, announced };
}

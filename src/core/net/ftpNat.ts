/**
 * nf_nat_ftp: when the control connection itself is translated, the address in
 * PORT/EPRT/227/229 is rewritten to what the other side sees, the expectation is moved to
 * that address (keeping the port if no other expectation holds it, else the next one) and
 * told to translate the data connection back (nf_nat_follow_master). A length change is
 * recorded for sequence adjustment of every later segment, both ways.
 */
import { formatIpv4, ipv4Octets, type Ipv4 } from '../codec/addr';
import { type Conn, type ConntrackTable, type Dir, EXPECT_TIMEOUT_US, type Expectation } from './conntrack';
import type { FtpKind, FtpMatch } from './ftpHelper';
import { seqAdjSet } from './nat';

/** nf_nat_ftp_fmt_cmd: the replacement for the matched numbers only (the verb and brackets stay). */
export function formatFtpAddress(kind: FtpKind, ip: Ipv4, port: number): string {
  switch (kind) {
    case 'PORT':
    case 'PASV':
      return [...ipv4Octets(ip), port >>> 8, port & 0xff].join(',');
    case 'EPRT':
      return `|1|${formatIpv4(ip)}|${port}|`;
    case 'EPSV':
      // 229 carries no address: only a changed port would change the text.
      return `|||${port}|`;
  }
}

export interface FtpNatResult {
  payload: Uint8Array;
  expectation: Expectation;
  replaced: Expectation | null;
  before: string;
  after: string;
}

/**
 * Rewrites the segment's payload and registers the translated expectation; null when no
 * port is left (the kernel drops the packet: "all ports in use").
 */
export function natFtp(
  table: ConntrackTable,
  c: Conn,
  dir: Dir,
  seq: number,
  payload: Uint8Array,
  m: FtpMatch,
  exp: { src: Ipv4; dst: Ipv4; dport: number; announced: string },
  nowUs: number,
): FtpNatResult | null {
  // The data connection comes from wherever this packet goes: the other direction's destination.
  const newAddr = dir === 0 ? c.reply.dst : c.orig.dst;
  let port = exp.dport;
  while (port !== 0 && table.clashes(newAddr, port, c)) port = (port + 1) & 0xffff;
  if (port === 0) return null;
  const before = String.fromCharCode(...payload.subarray(m.off, m.off + m.len));
  const after = formatFtpAddress(m.kind, newAddr, port);
  const repl = new TextEncoder().encode(after);
  const out = new Uint8Array(payload.length - m.len + repl.length);
  out.set(payload.subarray(0, m.off), 0);
  out.set(repl, m.off);
  out.set(payload.subarray(m.off + m.len), m.off + repl.length);
  seqAdjSet(c, dir, seq, repl.length - m.len);
  // nf_nat_follow_master: source as the master's `dir` tuple's destination, destination back to the announced one.
  const snatIp = dir === 0 ? c.orig.dst : c.reply.dst;
  const { added, replaced } = table.expect({
    master: c,
    src: exp.src,
    dst: newAddr,
    dport: port,
    createdUs: nowUs,
    expiresUs: nowUs + EXPECT_TIMEOUT_US,
    announced: exp.announced,
    nat: { dnatTo: { ip: exp.dst, port: exp.dport }, snatIp },
  });
  return { payload: out, expectation: added, replaced, before, after };
}

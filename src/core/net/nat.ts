/**
 * NAT as nf_nat does it: decided once per connection (stored as the connection's reply
 * tuple), then every packet of the connection is rewritten in both directions — the
 * destination at PREROUTING/OUTPUT, the source at POSTROUTING/INPUT — with checksums fixed.
 * ICMP errors about a translated flow get their quoted header translated too.
 */
import type { Ipv4 } from '../codec/addr';
import { readU16, readU32, writeU16, writeU32 } from '../codec/bytes';
import { internetChecksum, pseudoHeaderSum } from '../codec/checksum';
import { fixIpv4Checksum, IPPROTO, setIpv4Addresses } from '../codec/ipv4';
import { rewriteTcpPacket } from '../codec/packet';
import { hasDnat, hasSnat, invert, type Conn, type ConntrackTable, type Dir, type Tuple } from './conntrack';
import type { PortRange } from './iptables/types';

export type Manip = 'dst' | 'src';

export interface L4Edit {
  src?: Ipv4;
  dst?: Ipv4;
  sport?: number;
  dport?: number;
}

/** New addresses/ports on a TCP, UDP or ICMP packet, checksums recomputed; a new array. */
export function rewritePacket(bytes: Uint8Array, e: L4Edit): Uint8Array {
  const ihl = (bytes[0]! & 0x0f) * 4;
  const proto = bytes[9];
  if (proto === IPPROTO.TCP) {
    const edit: Parameters<typeof rewriteTcpPacket>[1] = {};
    if (e.src !== undefined) edit.src = e.src;
    if (e.dst !== undefined) edit.dst = e.dst;
    if (e.sport !== undefined) edit.srcPort = e.sport;
    if (e.dport !== undefined) edit.dstPort = e.dport;
    return rewriteTcpPacket(bytes, edit) ?? bytes.slice();
  }
  const addr: { src?: Ipv4; dst?: Ipv4 } = {};
  if (e.src !== undefined) addr.src = e.src;
  if (e.dst !== undefined) addr.dst = e.dst;
  const out = setIpv4Addresses(bytes, addr);
  if (proto === IPPROTO.UDP && out.length >= ihl + 8) {
    if (e.sport !== undefined) writeU16(out, ihl, e.sport);
    if (e.dport !== undefined) writeU16(out, ihl + 2, e.dport);
    if (readU16(out, ihl + 6) !== 0) {
      // UDP checksum 0 means "none"; otherwise recompute over the pseudo-header.
      const seg = out.subarray(ihl);
      writeU16(out, ihl + 6, 0);
      const sum = internetChecksum(seg, pseudoHeaderSum(readU32(out, 12), readU32(out, 16), IPPROTO.UDP, seg.length));
      writeU16(out, ihl + 6, sum === 0 ? 0xffff : sum);
    }
  }
  return out;
}

/** Where a packet in direction `dir` is translated to: the other direction's tuple, inverted. */
export const manipTarget = (c: Conn, dir: Dir): Tuple => invert(dir === 0 ? c.reply : c.orig);

/** Whether this hook changes packets of this direction (nf_nat_packet's status bit test). */
export function manipApplies(c: Conn, dir: Dir, m: Manip): boolean {
  const dstNat = hasDnat(c);
  const srcNat = hasSnat(c);
  if (m === 'dst') return dir === 0 ? dstNat : srcNat;
  return dir === 0 ? srcNat : dstNat;
}

/** The packet after this hook's manip, or null when nothing changes. */
export function applyManip(bytes: Uint8Array, c: Conn, dir: Dir, m: Manip): Uint8Array | null {
  if (!manipApplies(c, dir, m)) return null;
  const t = manipTarget(c, dir);
  const proto = bytes[9];
  const ports = proto === IPPROTO.TCP || proto === IPPROTO.UDP;
  const e: L4Edit = m === 'dst' ? { dst: t.dst, ...(ports ? { dport: t.dport } : {}) } : { src: t.src, ...(ports ? { sport: t.sport } : {}) };
  return rewritePacket(bytes, e);
}

/** nf_nat_icmp_reply_translation: an ICMP error about connection `c`, travelling in `dir`.
 * The outer header gets this hook's manip; the quoted packet (going the other way) the opposite one. */
export function translateIcmpError(bytes: Uint8Array, c: Conn, dir: Dir, m: Manip): Uint8Array | null {
  if (!manipApplies(c, dir, m)) return null;
  const ihl = (bytes[0]! & 0x0f) * 4;
  const icmpAt = ihl;
  const innerAt = icmpAt + 8;
  if (bytes.length < innerAt + 20) return null;
  const innerIhl = (bytes[innerAt]! & 0x0f) * 4;
  const innerL4 = innerAt + innerIhl;
  const t = manipTarget(c, dir);
  const inner = dir === 0 ? c.reply : c.orig; // the tuple the quoted packet belongs to
  const out = bytes.slice();
  const innerProto = out[innerAt + 9];
  const innerPorts = (innerProto === IPPROTO.TCP || innerProto === IPPROTO.UDP) && out.length >= innerL4 + 4;
  // The quoted transport checksum is updated only when the quote holds it whole (tcp_manip_pkt:
  // a full TCP header; udp_manip_pkt: a UDP checksum that is not 0), by the words that change.
  const csumAt =
    innerProto === IPPROTO.TCP && out.length >= innerL4 + 20
      ? innerL4 + 16
      : innerProto === IPPROTO.UDP && out.length >= innerL4 + 8 && readU16(out, innerL4 + 6) !== 0
        ? innerL4 + 6
        : -1;
  const put32 = (at: number, v: number) => {
    if (csumAt >= 0) replaceInChecksum(out, csumAt, at, 4, v);
    writeU32(out, at, v);
  };
  const put16 = (at: number, v: number) => {
    if (csumAt >= 0) replaceInChecksum(out, csumAt, at, 2, v);
    writeU16(out, at, v);
  };
  if (m === 'dst') {
    writeU32(out, 16, t.dst); // outer destination
    put32(innerAt + 12, inner.src); // quoted source
    if (innerPorts) put16(innerL4, inner.sport);
  } else {
    writeU32(out, 12, t.src);
    put32(innerAt + 16, inner.dst);
    if (innerPorts) put16(innerL4 + 2, inner.dport);
  }
  // Quoted IP header checksum, then the ICMP checksum, then the outer header.
  writeU16(out, innerAt + 10, 0);
  writeU16(out, innerAt + 10, internetChecksum(out.subarray(innerAt, innerAt + innerIhl)));
  writeU16(out, icmpAt + 2, 0);
  writeU16(out, icmpAt + 2, internetChecksum(out.subarray(icmpAt)));
  return fixIpv4Checksum(out);
}

/** RFC 1624 eqn. 3: the checksum at `csumAt` after the `len`-byte field at `at` becomes `v` (called before the field is written). */
function replaceInChecksum(b: Uint8Array, csumAt: number, at: number, len: 2 | 4, v: number): void {
  let sum = ~readU16(b, csumAt) & 0xffff;
  const words = len === 4 ? [v >>> 16, v & 0xffff] : [v & 0xffff];
  words.forEach((w, i) => (sum += (~readU16(b, at + 2 * i) & 0xffff) + w));
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  writeU16(b, csumAt, ~sum & 0xffff);
}

/** Linux keeps the source port when free, else searches its class: below 1024 stays below 1024. */
function portClass(p: number): PortRange {
  return p < 1024 ? { from: 1, to: 1023 } : { from: 1024, to: 65535 };
}

/** Picks the port: the original when in range and free, else the next free one (wrapping in the range). */
function pickPort(want: number, range: PortRange, free: (p: number) => boolean): number | null {
  const size = range.to - range.from + 1;
  const start = want >= range.from && want <= range.to ? want : range.from;
  for (let k = 0; k < size; k++) {
    const p = range.from + ((start - range.from + k) % size);
    if (free(p)) return p;
  }
  return null;
}

/** DNAT/REDIRECT: the destination the connection's packets are sent to from now on. */
export function bindDst(table: ConntrackTable, c: Conn, ip: Ipv4, ports: PortRange | undefined): boolean {
  const hasPorts = c.orig.proto === IPPROTO.TCP || c.orig.proto === IPPROTO.UDP;
  const range = ports && hasPorts ? ports : { from: c.orig.dport, to: c.orig.dport };
  const p = pickPort(c.orig.dport, range, (port) => !table.replyTaken({ ...c.reply, src: ip, sport: port }, c));
  if (p === null) return false;
  c.reply = { ...c.reply, src: ip, sport: hasPorts ? p : c.reply.sport };
  return true;
}

/** SNAT/MASQUERADE: the source the connection's packets leave with; port kept if free, else the next. */
export function bindSrc(table: ConntrackTable, c: Conn, ip: Ipv4, ports: PortRange | undefined): boolean {
  const hasPorts = c.orig.proto === IPPROTO.TCP || c.orig.proto === IPPROTO.UDP;
  if (!hasPorts) {
    c.reply = { ...c.reply, dst: ip };
    return true;
  }
  const range = ports ?? portClass(c.orig.sport);
  const p = pickPort(c.orig.sport, range, (port) => !table.replyTaken({ ...c.reply, dst: ip, dport: port }, c));
  if (p === null) return false;
  c.reply = { ...c.reply, dst: ip, dport: p };
  return true;
}

// ── sequence adjustment after a payload changed length (nf_ct_seqadj) ──

const after = (a: number, b: number) => ((a - b) | 0) > 0;

/** Records `off` more bytes on direction `dir` from the segment at `seq` on. */
export function seqAdjSet(c: Conn, dir: Dir, seq: number, off: number): void {
  if (off === 0) return;
  if (!c.seqadj)
    c.seqadj = [
      { correctionPos: 0, offsetBefore: 0, offsetAfter: 0 },
      { correctionPos: 0, offsetBefore: 0, offsetAfter: 0 },
    ];
  const w = c.seqadj[dir];
  if (w.offsetBefore === w.offsetAfter || after(seq, w.correctionPos)) {
    w.correctionPos = seq >>> 0;
    w.offsetBefore = w.offsetAfter;
    w.offsetAfter += off;
  }
}

/** The packet's seq shifted by what this direction gained, its ack by what the other gained; null if unchanged. */
export function seqAdjust(bytes: Uint8Array, c: Conn, dir: Dir): Uint8Array | null {
  if (!c.seqadj || bytes[9] !== IPPROTO.TCP) return null;
  const ihl = (bytes[0]! & 0x0f) * 4;
  const seq = readU32(bytes, ihl + 4);
  const ack = readU32(bytes, ihl + 8);
  const thisWay = c.seqadj[dir];
  const other = c.seqadj[dir === 0 ? 1 : 0];
  const seqOff = after(seq, thisWay.correctionPos) ? thisWay.offsetAfter : thisWay.offsetBefore;
  const ackFlag = (bytes[ihl + 13]! & 0x10) !== 0;
  const ackOff = after((ack - other.offsetBefore) >>> 0, other.correctionPos) ? other.offsetAfter : other.offsetBefore;
  const newSeq = (seq + seqOff) >>> 0;
  const newAck = ackFlag ? (ack - ackOff) >>> 0 : ack;
  const sackAt = ackFlag ? sackBlocksAt(bytes, ihl) : null;
  if (newSeq === seq && newAck === ack && !sackAt) return null;
  const out = newSeq === seq && newAck === ack ? bytes.slice() : rewriteTcpPacket(bytes, { seq: newSeq, ack: newAck });
  if (!out || !sackAt) return out;
  // nf_ct_sack_adjust: SACK block edges acknowledge the other direction's bytes, like the ack field.
  const csumAt = ihl + 16;
  for (let at = sackAt.from; at + 4 <= sackAt.to; at += 4) {
    const edge = readU32(out, at);
    const off = after((edge - other.offsetBefore) >>> 0, other.correctionPos) ? other.offsetAfter : other.offsetBefore;
    if (off !== 0) {
      replaceInChecksum(out, csumAt, at, 4, (edge - off) >>> 0);
      writeU32(out, at, (edge - off) >>> 0);
    }
  }
  return out;
}

/** Where the SACK blocks of a TCP packet lie (the option's body), or null when it has none. */
function sackBlocksAt(bytes: Uint8Array, ihl: number): { from: number; to: number } | null {
  const end = ihl + ((bytes[ihl + 12]! >> 4) << 2);
  let i = ihl + 20;
  while (i < end && i < bytes.length) {
    const kind = bytes[i]!;
    if (kind === 0) break;
    if (kind === 1) {
      i++;
      continue;
    }
    const len = bytes[i + 1] ?? 0;
    if (len < 2 || i + len > end) break;
    if (kind === 5 && len >= 10) return { from: i + 2, to: i + len };
    i += len;
  }
  return null;
}

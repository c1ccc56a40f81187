/** What netfilter reads from a packet's bytes: the 5-tuple, TCP flags and seq, ICMP type and quote. */
import type { Ipv4 } from '../codec/addr';
import { decodePacket } from '../codec/packet';
import { flagsFromByte, tcpChecksumOf, TCP_FIELDS, TCP_MIN_HEADER, type TcpFlags } from '../codec/tcp';
import { IPPROTO, IPV4_FIELDS, IPV4_MIN_HEADER } from '../codec/ipv4';
import { internetChecksum } from '../codec/checksum';
import { readU16, readU32 } from '../codec/bytes';
import { asIpv4 } from '../codec/addr';
import type { Tuple } from './conntrack';

export interface PacketInfo {
  src: Ipv4;
  dst: Ipv4;
  proto: number;
  sport?: number;
  dport?: number;
  flags?: TcpFlags;
  seq?: number;
  ack?: number;
  payload: Uint8Array;
  icmpType?: number;
  icmpCode?: number;
  /** For an ICMP error: the quoted packet's tuple. */
  inner?: Tuple;
  /** Checksums were wrong (conntrack calls such packets INVALID). */
  badChecksum: boolean;
}

const ICMP_ERRORS = new Set([3, 4, 5, 11, 12]);
export const isIcmpError = (t: number | undefined): boolean => t !== undefined && ICMP_ERRORS.has(t);

export function packetInfo(bytes: Uint8Array, opts: { verifyChecksums?: boolean } = {}): PacketInfo | null {
  return plainTcpInfo(bytes, opts.verifyChecksums !== false) ?? decodedInfo(bytes, opts);
}

/** packetInfo through the full decode: every packet plainTcpInfo leaves alone. */
export function decodedInfo(bytes: Uint8Array, opts: { verifyChecksums?: boolean } = {}): PacketInfo | null {
  let badChecksum = false;
  // Netfilter only reads the payload (the helper), so it gets a view instead of a copy.
  let d = decodePacket(bytes, { ...opts, copyPayload: false });
  if (!d.ok) {
    if (d.error.kind !== 'bad-checksum') return null;
    badChecksum = true;
    d = decodePacket(bytes, { verifyChecksums: false, copyPayload: false });
    if (!d.ok) return null;
  }
  const { ip, tcp, icmp } = d.value;
  const h = ip.header;
  const info: PacketInfo = { src: h.src, dst: h.dst, proto: h.protocol, payload: ip.payload, badChecksum };
  if (tcp) {
    info.sport = tcp.srcPort;
    info.dport = tcp.dstPort;
    info.flags = tcp.flags;
    info.seq = tcp.seq;
    info.ack = tcp.ack;
    info.payload = tcp.payload;
  } else if (h.protocol === IPPROTO.UDP && ip.payload.length >= 8) {
    info.sport = (ip.payload[0]! << 8) | ip.payload[1]!;
    info.dport = (ip.payload[2]! << 8) | ip.payload[3]!;
    info.payload = ip.payload.slice(8);
  } else if (icmp) {
    info.icmpType = icmp.type;
    info.icmpCode = icmp.code;
    const o = icmp.original;
    if (o && isIcmpError(icmp.type)) {
      info.inner = { proto: o.header.protocol, src: o.header.src, dst: o.header.dst, sport: o.srcPort ?? 0, dport: o.dstPort ?? 0 };
    }
    if (icmp.type === 8 || icmp.type === 0) {
      // Echo: the identifier plays the port (request: source side, reply: destination side).
      const id = icmp.rest >>> 16;
      if (icmp.type === 8) info.sport = id;
      else info.dport = id;
    }
  }
  return info;
}

/** The conntrack tuple of a packet, or null for what is not tracked (other ICMP, unknown protocols' ports). */
export function tupleOf(p: PacketInfo): Tuple | null {
  if (p.proto === IPPROTO.TCP || p.proto === IPPROTO.UDP) {
    if (p.sport === undefined || p.dport === undefined) return null;
    return { proto: p.proto, src: p.src, dst: p.dst, sport: p.sport, dport: p.dport };
  }
  if (p.proto === IPPROTO.ICMP && (p.icmpType === 8 || p.icmpType === 0)) {
    return { proto: p.proto, src: p.src, dst: p.dst, sport: p.sport ?? 0, dport: p.dport ?? 0 };
  }
  return null;
}

/**
 * packetInfo for the packet nearly every hop carries: IPv4 without options, unfragmented,
 * exactly totalLength bytes, TCP without options, checksums right (when verified). Reads the
 * fields in place instead of building the full decode; anything else (SYNs with options, ICMP,
 * bad checksums, odd headers) returns null and takes the general path, so the answer is the
 * same either way (a property test holds the two paths together).
 */
export function plainTcpInfo(bytes: Uint8Array, verifyChecksums: boolean): PacketInfo | null {
  const n = bytes.length;
  if (n < IPV4_MIN_HEADER + TCP_MIN_HEADER || bytes[0] !== 0x45) return null;
  if (bytes[IPV4_FIELDS.protocol] !== IPPROTO.TCP || readU16(bytes, IPV4_FIELDS.totalLength) !== n) return null;
  if (readU16(bytes, IPV4_FIELDS.flagsFragment) & 0x3fff) return null; // MF or an offset
  if (bytes[IPV4_MIN_HEADER + TCP_FIELDS.dataOffset]! >>> 4 !== 5) return null;
  const src = asIpv4(readU32(bytes, IPV4_FIELDS.src));
  const dst = asIpv4(readU32(bytes, IPV4_FIELDS.dst));
  if (verifyChecksums) {
    if (internetChecksum(bytes.subarray(0, IPV4_MIN_HEADER)) !== 0) return null;
    if (tcpChecksumOf(bytes.subarray(IPV4_MIN_HEADER), src, dst) !== 0) return null;
  }
  const t = IPV4_MIN_HEADER;
  return {
    src,
    dst,
    proto: IPPROTO.TCP,
    payload: bytes.subarray(t + TCP_MIN_HEADER),
    badChecksum: false,
    sport: readU16(bytes, t + TCP_FIELDS.srcPort),
    dport: readU16(bytes, t + TCP_FIELDS.dstPort),
    flags: flagsFromByte(bytes[t + TCP_FIELDS.flags]!),
    seq: readU32(bytes, t + TCP_FIELDS.seq),
    ack: readU32(bytes, t + TCP_FIELDS.ack),
  };
}

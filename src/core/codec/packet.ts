/**
 * Whole packets: IPv4 + TCP or ICMP, as devices see them. Devices decide from
 * `decodePacket(bytes)`; senders build with encodeTcpPacket / encodeIcmpPacket.
 */
import { formatIpv4, type Ipv4, type Port } from './addr';
import { allocBytes, copyBytes, readU16, writeU16, writeU32 } from './bytes';
import { describeIcmp, decodeIcmp, type IcmpMessage } from './icmp';
import { decodeIpv4, emitIpv4, encodeIpv4, fixIpv4Checksum, IPPROTO, IPV4_FIELDS, IPV4_MIN_HEADER, type Ipv4Build, type Ipv4Packet } from './ipv4';
import { ok, type Decoded, type DecodeError } from './result';
import { decodeTcp, encodeTcp, encodeTcpOptions, formatTcpFlags, tcpBuildOf, TCP_FIELDS, TCP_MIN_HEADER, writeTcp, type TcpBuild, type TcpSegment } from './tcp';

export interface DecodedPacket {
  ip: Ipv4Packet;
  tcp?: TcpSegment;
  icmp?: IcmpMessage;
}

/**
 * Decodes IPv4 and, for an unfragmented TCP or ICMP packet, the transport header.
 * Checksums (IP header, TCP with pseudo-header, ICMP) are verified unless
 * `verifyChecksums: false`; `copyPayload: false` returns the TCP payload as a view of `bytes`
 * (for read-only callers). Fragments are returned without a transport layer: only the
 * first fragment holds the header and the simulator never fragments.
 */
export function decodePacket(bytes: Uint8Array, opts: { verifyChecksums?: boolean; copyPayload?: boolean } = {}): Decoded<DecodedPacket> {
  const verify = opts.verifyChecksums !== false;
  const ip = decodeIpv4(bytes, { verifyChecksum: verify });
  if (!ip.ok) return ip;
  const { header, payload } = ip.value;
  if (header.moreFragments || header.fragmentOffset !== 0) return ok({ ip: ip.value });
  const headerLen = header.ihl * 4;
  if (header.protocol === IPPROTO.TCP) {
    const tcp = decodeTcp(payload, verify ? { src: header.src, dst: header.dst } : undefined, opts.copyPayload);
    if (!tcp.ok) return shift(tcp, headerLen);
    return ok({ ip: ip.value, tcp: tcp.value });
  }
  if (header.protocol === IPPROTO.ICMP) {
    const icmp = decodeIcmp(payload, { verifyChecksum: verify });
    if (!icmp.ok) return shift(icmp, headerLen);
    return ok({ ip: ip.value, icmp: icmp.value });
  }
  return ok({ ip: ip.value });
}

/** Transport errors carry offsets within the transport header; report them within the packet. */
function shift(r: { ok: false; error: DecodeError }, by: number): Decoded<never> {
  return { ok: false, error: { ...r.error, offset: r.error.offset + by } };
}

export type PacketIp = Omit<Ipv4Build, 'protocol' | 'payload'>;

/**
 * Same bytes as encodeIpv4 around encodeTcp, built in one array: every segment a stack sends
 * comes through here, and the two-step build copied each one twice.
 */
export function encodeTcpPacket(ip: PacketIp, tcp: TcpBuild): Uint8Array {
  const opts = encodeTcpOptions(tcp.options ?? []);
  const tcpLen = TCP_MIN_HEADER + opts.length + (tcp.payload?.length ?? 0);
  const total = IPV4_MIN_HEADER + tcpLen;
  if (total > 0xffff) throw new RangeError(`IPv4 packet of ${total} bytes exceeds 65535`);
  const out = allocBytes(total);
  writeTcp(out.subarray(IPV4_MIN_HEADER), tcp, opts, ip.src, ip.dst);
  out[0] = 0x45; // version 4, IHL 5
  out[IPV4_FIELDS.tos] = (((ip.dscp ?? 0) & 0x3f) << 2) | ((ip.ecn ?? 0) & 3);
  writeU16(out, IPV4_FIELDS.totalLength, total);
  writeU16(out, IPV4_FIELDS.identification, ip.identification ?? 0);
  writeU16(out, IPV4_FIELDS.flagsFragment, (ip.dontFragment ?? true) ? 0x4000 : 0);
  out[IPV4_FIELDS.ttl] = (ip.ttl ?? 64) & 0xff;
  out[IPV4_FIELDS.protocol] = IPPROTO.TCP;
  writeU32(out, IPV4_FIELDS.src, ip.src);
  writeU32(out, IPV4_FIELDS.dst, ip.dst);
  return fixIpv4Checksum(out);
}

export function encodeIcmpPacket(ip: PacketIp, icmp: Uint8Array): Uint8Array {
  return encodeIpv4({ ...ip, protocol: IPPROTO.ICMP, payload: icmp });
}

export interface TcpPacketEdit {
  src?: Ipv4;
  dst?: Ipv4;
  srcPort?: number;
  dstPort?: number;
  seq?: number;
  ack?: number;
  payload?: Uint8Array;
}

/**
 * NAT's rewrite of a TCP packet: new addresses, ports, seq/ack or payload, keeping every
 * other IP and TCP field (TTL, id, options), with totalLength and both checksums
 * recomputed — what nf_nat does. Returns null if the bytes are not an unfragmented
 * TCP packet.
 */
export function rewriteTcpPacket(bytes: Uint8Array, edit: TcpPacketEdit): Uint8Array | null {
  if (edit.payload === undefined) {
    const patched = patchTcpPacket(bytes, edit);
    if (patched) return patched;
  }
  const p = decodePacket(bytes, { verifyChecksums: false });
  if (!p.ok || !p.value.tcp) return null;
  const h = p.value.ip.header;
  const src = edit.src ?? h.src;
  const dst = edit.dst ?? h.dst;
  const b = tcpBuildOf(p.value.tcp);
  const seg = encodeTcp(
    {
      ...b,
      srcPort: edit.srcPort ?? b.srcPort,
      dstPort: edit.dstPort ?? b.dstPort,
      seq: edit.seq ?? b.seq,
      ack: edit.ack ?? b.ack,
      payload: edit.payload ?? b.payload,
    },
    src,
    dst,
  );
  const header = { ...h, src, dst, totalLength: h.ihl * 4 + seg.length, checksum: 0 };
  return fixIpv4Checksum(emitIpv4({ header, payload: seg }));
}

/**
 * rewriteTcpPacket's fast path (NAT rewrites every forwarded segment): patch the fields in a
 * copy and recompute both checksums. Taken for a packet without reserved bits, nothing after
 * totalLength, unfragmented; its TCP options are kept byte for byte (for options the codec
 * wrote, exactly what re-encoding gives — the general path's result); anything else returns
 * null and goes the general way.
 */
function patchTcpPacket(bytes: Uint8Array, edit: TcpPacketEdit): Uint8Array | null {
  if (bytes.length < IPV4_MIN_HEADER || bytes[0]! >> 4 !== 4) return null;
  const ihl = (bytes[0]! & 0x0f) * 4;
  const total = readU16(bytes, IPV4_FIELDS.totalLength);
  if (ihl < IPV4_MIN_HEADER || total !== bytes.length || total < ihl + TCP_MIN_HEADER) return null;
  if (readU16(bytes, IPV4_FIELDS.flagsFragment) & 0xbfff) return null; // reserved bit, MF or an offset
  if (bytes[IPV4_FIELDS.protocol] !== IPPROTO.TCP) return null;
  const off = bytes[ihl + TCP_FIELDS.dataOffset]!;
  // Reserved bits clear and a header that fits; the options are copied as they are (nf_nat leaves them alone).
  if ((off & 0x0f) !== 0 || off >> 4 < 5 || ihl + (off >> 4) * 4 > total) return null;
  const out = copyBytes(bytes);
  // The TCP checksum is updated for the words that change (RFC 1624 eqn. 3), as nf_nat does
  // with inet_proto_csum_replace4, instead of summing the whole segment again. For a segment
  // whose checksum was right this gives exactly the recomputed value (the sum over a TCP
  // pseudo-header is never zero, so both land in 1..0xffff); NAT never sees any other kind,
  // since conntrack marks a bad checksum INVALID before the nat table.
  const at = ihl + TCP_FIELDS.checksum;
  let sum = ~readU16(out, at) & 0xffff;
  const put16 = (o: number, v: number): void => {
    sum += (~readU16(out, o) & 0xffff) + v;
    writeU16(out, o, v);
  };
  const put32 = (o: number, v: number): void => {
    put16(o, v >>> 16);
    put16(o + 2, v & 0xffff);
  };
  if (edit.src !== undefined) put32(IPV4_FIELDS.src, edit.src >>> 0);
  if (edit.dst !== undefined) put32(IPV4_FIELDS.dst, edit.dst >>> 0);
  if (edit.srcPort !== undefined) put16(ihl + TCP_FIELDS.srcPort, edit.srcPort & 0xffff);
  if (edit.dstPort !== undefined) put16(ihl + TCP_FIELDS.dstPort, edit.dstPort & 0xffff);
  if (edit.seq !== undefined) put32(ihl + TCP_FIELDS.seq, edit.seq >>> 0);
  if (edit.ack !== undefined) put32(ihl + TCP_FIELDS.ack, edit.ack >>> 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  writeU16(out, at, ~sum & 0xffff);
  return fixIpv4Checksum(out);
}

const MAX_TEXT = 60;

/** The first line of a payload if it looks like text (FTP), else null. */
function textPreview(payload: Uint8Array): string | null {
  if (payload.length === 0) return null;
  const n = Math.min(payload.length, 200);
  let s = '';
  for (let i = 0; i < n; i++) {
    const c = payload[i]!;
    if (c === 13 || c === 10) break;
    if (c < 32 || c > 126) return null;
    s += String.fromCharCode(c);
  }
  return s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT - 1)}…` : s;
}

const endpoint = (ip: Ipv4, port: Port | number) => `${formatIpv4(ip)}:${port}`;

/**
 * One line for logs and the CLI, e.g.
 * `192.168.150.80:3762 → 192.168.150.90:21 [PSH, ACK] seq=1 ack=1 len=6 "PASV"`.
 * Never throws: undecodable bytes are described as such.
 */
export function describePacket(bytes: Uint8Array): string {
  const p = decodePacket(bytes, { verifyChecksums: false });
  if (!p.ok) return `undecodable ${p.error.layer} (${p.error.kind} at byte ${p.error.offset}): ${p.error.message}`;
  const { ip, tcp, icmp } = p.value;
  const h = ip.header;
  if (tcp) {
    const text = textPreview(tcp.payload);
    return (
      `${endpoint(h.src, tcp.srcPort)} → ${endpoint(h.dst, tcp.dstPort)} [${formatTcpFlags(tcp.flags)}] ` +
      `seq=${tcp.seq} ack=${tcp.ack} len=${tcp.payload.length}` +
      (text !== null ? ` ${JSON.stringify(text)}` : '')
    );
  }
  if (icmp) {
    const o = icmp.original;
    const about = o
      ? ` about ${o.srcPort !== undefined ? endpoint(o.header.src, o.srcPort) : formatIpv4(o.header.src)} → ${o.dstPort !== undefined ? endpoint(o.header.dst, o.dstPort) : formatIpv4(o.header.dst)}`
      : '';
    return `${formatIpv4(h.src)} → ${formatIpv4(h.dst)} ICMP ${describeIcmp(icmp.type, icmp.code)}${about}`;
  }
  return `${formatIpv4(h.src)} → ${formatIpv4(h.dst)} protocol ${h.protocol} len=${ip.payload.length}`;
}

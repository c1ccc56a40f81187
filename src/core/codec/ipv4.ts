/**
 * IPv4 header (RFC 791). `decodeIpv4` is a checked view over bytes; `encodeIpv4` builds a
 * packet the way a host stack does (no options, totalLength and checksum computed);
 * `emitIpv4` writes a decoded packet back verbatim, so a decoded fixture re-encodes to
 * identical bytes.
 */
import { asIpv4, type Ipv4 } from './addr';
import { allocBytes, copyBytes, readU16, readU32, writeU16, writeU32 } from './bytes';
import { internetChecksum } from './checksum';
import { fail, ok, type Decoded } from './result';

export const IPPROTO = { ICMP: 1, TCP: 6, UDP: 17 } as const;

/** Byte offsets of the header fields (RFC 791 §3.1). */
export const IPV4_FIELDS = {
  versionIhl: 0, // version (high nibble), IHL in 32-bit words (low nibble)
  tos: 1, // DSCP (high 6 bits), ECN (low 2 bits)
  totalLength: 2,
  identification: 4,
  flagsFragment: 6, // reserved, DF, MF, then the 13-bit fragment offset
  ttl: 8,
  protocol: 9,
  checksum: 10,
  src: 12,
  dst: 16,
  options: 20,
} as const;

export const IPV4_MIN_HEADER = 20;

export interface Ipv4Header {
  version: number;
  /** Header length in 32-bit words (5 without options). */
  ihl: number;
  dscp: number;
  ecn: number;
  totalLength: number;
  identification: number;
  dontFragment: boolean;
  moreFragments: boolean;
  /** The raw 13-bit field, in units of 8 bytes. */
  fragmentOffset: number;
  ttl: number;
  protocol: number;
  checksum: number;
  src: Ipv4;
  dst: Ipv4;
  /** Raw option bytes including any padding: (ihl - 5) * 4 bytes. */
  options: Uint8Array;
}

export interface Ipv4Packet {
  header: Ipv4Header;
  payload: Uint8Array;
}

const err = (kind: 'truncated' | 'bad-value' | 'bad-checksum', offset: number, message: string) => fail('ipv4', kind, offset, message);

const NO_OPTIONS = new Uint8Array(0);

/**
 * Reads the header only; the payload may be shorter than totalLength. This is what an
 * ICMP error quotes (header + 8 bytes), so icmp.ts uses it too.
 */
export function decodeIpv4Header(bytes: Uint8Array): Decoded<Ipv4Header> {
  if (bytes.length < IPV4_MIN_HEADER) return err('truncated', bytes.length, `IPv4 header needs 20 bytes, got ${bytes.length}`);
  const version = bytes[0]! >>> 4;
  const ihl = bytes[0]! & 0x0f;
  if (version !== 4) return err('bad-value', 0, `IP version ${version}, expected 4`);
  if (ihl < 5) return err('bad-value', 0, `IHL ${ihl} is below the minimum of 5 words`);
  if (bytes.length < ihl * 4) return err('truncated', bytes.length, `IHL says ${ihl * 4} header bytes, got ${bytes.length}`);
  const totalLength = readU16(bytes, IPV4_FIELDS.totalLength);
  if (totalLength < ihl * 4) return err('bad-value', IPV4_FIELDS.totalLength, `total length ${totalLength} is shorter than the ${ihl * 4}-byte header`);
  const ff = readU16(bytes, IPV4_FIELDS.flagsFragment);
  const tos = bytes[IPV4_FIELDS.tos]!;
  return ok({
    version,
    ihl,
    dscp: tos >>> 2,
    ecn: tos & 3,
    totalLength,
    identification: readU16(bytes, IPV4_FIELDS.identification),
    dontFragment: (ff & 0x4000) !== 0,
    moreFragments: (ff & 0x2000) !== 0,
    fragmentOffset: ff & 0x1fff,
    ttl: bytes[IPV4_FIELDS.ttl]!,
    protocol: bytes[IPV4_FIELDS.protocol]!,
    checksum: readU16(bytes, IPV4_FIELDS.checksum),
    src: asIpv4(readU32(bytes, IPV4_FIELDS.src)),
    dst: asIpv4(readU32(bytes, IPV4_FIELDS.dst)),
    // Almost every header has none: one shared empty array instead of a new buffer per decode.
    options: ihl === 5 ? NO_OPTIONS : bytes.slice(IPV4_FIELDS.options, ihl * 4),
  });
}

/**
 * Full packet. Bytes after totalLength (e.g. Ethernet padding) are ignored, as a kernel
 * does. The header checksum is verified unless `verifyChecksum: false` — a router or host
 * silently drops a packet whose header checksum is wrong.
 */
export function decodeIpv4(bytes: Uint8Array, opts: { verifyChecksum?: boolean } = {}): Decoded<Ipv4Packet> {
  const h = decodeIpv4Header(bytes);
  if (!h.ok) return h;
  const header = h.value;
  if (bytes.length < header.totalLength) return err('truncated', bytes.length, `total length says ${header.totalLength} bytes, got ${bytes.length}`);
  if (opts.verifyChecksum !== false) {
    const sum = internetChecksum(bytes.subarray(0, header.ihl * 4));
    if (sum !== 0) return err('bad-checksum', IPV4_FIELDS.checksum, `header checksum 0x${hex4(header.checksum)} is wrong`);
  }
  // A view, not a copy: the transport decoder reads it (and copies what it hands out), and
  // copying every segment twice per decode was a large share of the per-hop cost.
  return ok({ header, payload: bytes.subarray(header.ihl * 4, header.totalLength) });
}

export interface Ipv4Build {
  src: Ipv4;
  dst: Ipv4;
  protocol: number;
  payload: Uint8Array;
  /** Default 64, Linux's net.ipv4.ip_default_ttl. */
  ttl?: number;
  /** Default 0 (Linux uses 0 for DF packets of many sockets). */
  identification?: number;
  /** Default true: Linux sets DF on TCP (path MTU discovery). */
  dontFragment?: boolean;
  dscp?: number;
  ecn?: number;
}

/** A header-only packet from build parameters; totalLength and checksum computed. */
export function encodeIpv4(p: Ipv4Build): Uint8Array {
  const header: Ipv4Header = {
    version: 4,
    ihl: 5,
    dscp: p.dscp ?? 0,
    ecn: p.ecn ?? 0,
    totalLength: IPV4_MIN_HEADER + p.payload.length,
    identification: p.identification ?? 0,
    dontFragment: p.dontFragment ?? true,
    moreFragments: false,
    fragmentOffset: 0,
    ttl: p.ttl ?? 64,
    protocol: p.protocol,
    checksum: 0,
    src: p.src,
    dst: p.dst,
    options: new Uint8Array(0),
  };
  if (header.totalLength > 0xffff) throw new RangeError(`IPv4 packet of ${header.totalLength} bytes exceeds 65535`);
  const out = emitIpv4({ header, payload: p.payload });
  return fixIpv4Checksum(out);
}

/**
 * Writes every header field as given (ihl, totalLength and checksum included) followed by
 * the options and payload; use fixIpv4Checksum afterwards when fields changed.
 */
export function emitIpv4(p: Ipv4Packet): Uint8Array {
  const h = p.header;
  const headerLen = h.ihl * 4;
  const out = allocBytes(headerLen + p.payload.length);
  out[0] = ((h.version & 0x0f) << 4) | (h.ihl & 0x0f);
  out[IPV4_FIELDS.tos] = ((h.dscp & 0x3f) << 2) | (h.ecn & 3);
  writeU16(out, IPV4_FIELDS.totalLength, h.totalLength);
  writeU16(out, IPV4_FIELDS.identification, h.identification);
  writeU16(out, IPV4_FIELDS.flagsFragment, (h.dontFragment ? 0x4000 : 0) | (h.moreFragments ? 0x2000 : 0) | (h.fragmentOffset & 0x1fff));
  out[IPV4_FIELDS.ttl] = h.ttl & 0xff;
  out[IPV4_FIELDS.protocol] = h.protocol & 0xff;
  writeU16(out, IPV4_FIELDS.checksum, h.checksum);
  writeU32(out, IPV4_FIELDS.src, h.src);
  writeU32(out, IPV4_FIELDS.dst, h.dst);
  out.set(h.options.subarray(0, Math.max(0, headerLen - IPV4_MIN_HEADER)), IPV4_FIELDS.options);
  out.set(p.payload, headerLen);
  return out;
}

/** Recomputes the header checksum in place (after NAT or TTL edits) and returns the array. */
export function fixIpv4Checksum(bytes: Uint8Array): Uint8Array {
  if (bytes.length < IPV4_MIN_HEADER) return bytes;
  const headerLen = Math.min(bytes.length, (bytes[0]! & 0x0f) * 4);
  writeU16(bytes, IPV4_FIELDS.checksum, 0);
  writeU16(bytes, IPV4_FIELDS.checksum, internetChecksum(bytes.subarray(0, headerLen)));
  return bytes;
}

/** A copy with the given TTL and a correct header checksum. */
export function setIpv4Ttl(bytes: Uint8Array, ttl: number): Uint8Array {
  const out = copyBytes(bytes);
  if (out.length < IPV4_MIN_HEADER) return out;
  out[IPV4_FIELDS.ttl] = ttl & 0xff;
  return fixIpv4Checksum(out);
}

/**
 * What a router does on forwarding: TTL - 1 and a fixed checksum, in a new array. The
 * router checks TTL <= 1 first (and sends Time Exceeded); a TTL of 0 stays 0 here.
 */
export function decrementTtl(bytes: Uint8Array): Uint8Array {
  const ttl = bytes.length >= IPV4_MIN_HEADER ? bytes[IPV4_FIELDS.ttl]! : 0;
  return setIpv4Ttl(bytes, Math.max(0, ttl - 1));
}

/** A copy with new source and/or destination addresses and a fixed header checksum (NAT).
 * Transport checksums cover these addresses too: see rewriteAddresses in packet.ts. */
export function setIpv4Addresses(bytes: Uint8Array, addr: { src?: Ipv4; dst?: Ipv4 }): Uint8Array {
  const out = copyBytes(bytes);
  if (out.length < IPV4_MIN_HEADER) return out;
  if (addr.src !== undefined) writeU32(out, IPV4_FIELDS.src, addr.src);
  if (addr.dst !== undefined) writeU32(out, IPV4_FIELDS.dst, addr.dst);
  return fixIpv4Checksum(out);
}

export const hex4 = (n: number): string => n.toString(16).padStart(4, '0');

/**
 * ICMP (RFC 792) as the simulator uses it: errors that a router or a REJECT rule sends
 * back, quoting the offending packet so the sender's stack can find the connection.
 */
import { readU16, readU32, writeU16, writeU32 } from './bytes';
import { internetChecksum } from './checksum';
import { decodeIpv4Header, IPPROTO, type Ipv4Header } from './ipv4';
import { fail, ok, type Decoded } from './result';

export const ICMP_TYPE = { ECHO_REPLY: 0, DEST_UNREACH: 3, ECHO_REQUEST: 8, TIME_EXCEEDED: 11 } as const;

/** Destination-unreachable codes; comments give the iptables --reject-with name. */
export const UNREACH_CODE = {
  NET: 0, // icmp-net-unreachable
  HOST: 1, // icmp-host-unreachable
  PROTOCOL: 2, // icmp-proto-unreachable
  PORT: 3, // icmp-port-unreachable (REJECT's default)
  FRAG_NEEDED: 4, // path MTU discovery; `rest` carries the next-hop MTU
  NET_PROHIBITED: 9, // icmp-net-prohibited
  HOST_PROHIBITED: 10, // icmp-host-prohibited
  ADMIN_PROHIBITED: 13, // icmp-admin-prohibited
} as const;

export const ICMP_FIELDS = { type: 0, code: 1, checksum: 2, rest: 4, body: 8 } as const;
export const ICMP_HEADER = 8;

/** Types whose body quotes the offending datagram (RFC 792; 4 = source quench, 12 = parameter problem). */
const ERROR_TYPES: ReadonlySet<number> = new Set([3, 4, 5, 11, 12]);

export interface IcmpOriginal {
  header: Ipv4Header;
  /** The first (up to) 8 bytes of the original payload: enough for TCP ports and seq. */
  first8: Uint8Array;
  /** Bytes of the original packet quoted (its IP header included). */
  quotedLength: number;
  srcPort?: number;
  dstPort?: number;
  tcpSeq?: number;
}

export interface IcmpMessage {
  type: number;
  code: number;
  checksum: number;
  /** The 32-bit "rest of header" (echo id/seq, next-hop MTU, or unused zero). */
  rest: number;
  body: Uint8Array;
  /** For error types: the quoted datagram, when its header parses. */
  original?: IcmpOriginal;
}

/** Checksum verified by default: a host drops an ICMP message with a bad checksum. */
export function decodeIcmp(bytes: Uint8Array, opts: { verifyChecksum?: boolean } = {}): Decoded<IcmpMessage> {
  if (bytes.length < ICMP_HEADER) return fail('icmp', 'truncated', bytes.length, `ICMP header needs 8 bytes, got ${bytes.length}`);
  const checksum = readU16(bytes, ICMP_FIELDS.checksum);
  if (opts.verifyChecksum !== false && internetChecksum(bytes) !== 0) {
    return fail('icmp', 'bad-checksum', ICMP_FIELDS.checksum, `ICMP checksum 0x${checksum.toString(16).padStart(4, '0')} is wrong`);
  }
  const type = bytes[ICMP_FIELDS.type]!;
  const body = bytes.slice(ICMP_HEADER);
  const msg: IcmpMessage = { type, code: bytes[ICMP_FIELDS.code]!, checksum, rest: readU32(bytes, ICMP_FIELDS.rest), body };
  if (ERROR_TYPES.has(type)) {
    const original = decodeOriginal(body);
    if (original) msg.original = original;
  }
  return ok(msg);
}

function decodeOriginal(body: Uint8Array): IcmpOriginal | undefined {
  const h = decodeIpv4Header(body);
  if (!h.ok) return undefined;
  const start = h.value.ihl * 4;
  const first8 = body.slice(start, start + 8);
  const o: IcmpOriginal = { header: h.value, first8, quotedLength: body.length };
  const hasPorts = h.value.protocol === IPPROTO.TCP || h.value.protocol === IPPROTO.UDP;
  if (hasPorts && first8.length >= 4) {
    o.srcPort = readU16(first8, 0);
    o.dstPort = readU16(first8, 2);
  }
  if (h.value.protocol === IPPROTO.TCP && first8.length >= 8) o.tcpSeq = readU32(first8, 4);
  return o;
}

/** Any ICMP message from its parts; the checksum is computed. */
export function encodeIcmp(m: { type: number; code: number; rest?: number; body: Uint8Array }): Uint8Array {
  const out = new Uint8Array(ICMP_HEADER + m.body.length);
  out[ICMP_FIELDS.type] = m.type & 0xff;
  out[ICMP_FIELDS.code] = m.code & 0xff;
  writeU32(out, ICMP_FIELDS.rest, m.rest ?? 0);
  out.set(m.body, ICMP_HEADER);
  writeU16(out, ICMP_FIELDS.checksum, internetChecksum(out));
  return out;
}

/** icmp_send: an ICMP error datagram is at most 576 bytes (RFC 1812 §4.3.2.3), IP header included. */
export const ICMP_ERROR_MAX_DATAGRAM = 576;
/** So the quote holds at most 576 − 20 (IP) − 8 (ICMP header) = 548 bytes of the offending packet. */
export const ICMP_ERROR_MAX_QUOTE = ICMP_ERROR_MAX_DATAGRAM - 20 - ICMP_HEADER;

/**
 * An error about `originalIpPacket`, quoting as much of it as Linux's icmp_send does: the
 * whole packet when it fits in a 576-byte ICMP datagram, else its first 548 bytes (its IP
 * header and as much payload as fits; RFC 792 asks only for the header + 8 bytes). A
 * 60-byte SYN is quoted whole: 20 + 8 + 60 = 88 bytes of IP. `rest` is the next-hop MTU
 * for FRAG_NEEDED, otherwise unused (0).
 */
export function encodeIcmpError(type: number, code: number, originalIpPacket: Uint8Array, rest = 0): Uint8Array {
  const h = decodeIpv4Header(originalIpPacket);
  const len = h.ok ? Math.min(h.value.totalLength, originalIpPacket.length) : originalIpPacket.length;
  return encodeIcmp({ type, code, rest, body: originalIpPacket.slice(0, Math.min(len, ICMP_ERROR_MAX_QUOTE)) });
}

/** Wireshark-style wording; the parenthesis is the code's meaning. */
const UNREACH_TEXT: Record<number, string> = {
  0: 'Network unreachable',
  1: 'Host unreachable',
  2: 'Protocol unreachable',
  3: 'Port unreachable',
  4: 'Fragmentation needed',
  5: 'Source route failed',
  6: 'Destination network unknown',
  7: 'Destination host unknown',
  9: 'Network administratively prohibited',
  10: 'Host administratively prohibited',
  11: 'Network unreachable for TOS',
  12: 'Host unreachable for TOS',
  13: 'Communication administratively filtered',
};
const TIME_EXCEEDED_TEXT: Record<number, string> = { 0: 'Time to live exceeded in transit', 1: 'Fragment reassembly time exceeded' };
const TYPE_TEXT: Record<number, string> = {
  0: 'Echo (ping) reply',
  3: 'Destination unreachable',
  4: 'Source quench',
  5: 'Redirect',
  8: 'Echo (ping) request',
  11: 'Time-to-live exceeded',
  12: 'Parameter problem',
};

/** e.g. "Destination unreachable (Host administratively prohibited)". */
export function describeIcmp(type: number, code: number): string {
  const t = TYPE_TEXT[type] ?? `ICMP type ${type}`;
  const detail = type === ICMP_TYPE.DEST_UNREACH ? UNREACH_TEXT[code] : type === ICMP_TYPE.TIME_EXCEEDED ? TIME_EXCEEDED_TEXT[code] : undefined;
  if (detail) return `${t} (${detail})`;
  return code === 0 && (type === 0 || type === 8) ? t : `${t} (code ${code})`;
}

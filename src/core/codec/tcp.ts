/**
 * TCP header (RFC 9293 §3.1) with the options Linux uses: on a SYN MSS, SACK-permitted,
 * timestamps and window scale (RFC 7323); on later segments timestamps and SACK blocks
 * (RFC 2018). The checksum covers the IPv4 pseudo-header, so encoding
 * needs the addresses and decoding verifies only when they are given.
 */
import { asPort, type Ipv4, type Port } from './addr';
import { allocBytes, readU16, readU32, writeU16, writeU32 } from './bytes';
import { internetChecksum, pseudoHeaderSum } from './checksum';
import { IPPROTO } from './ipv4';
import { fail, ok, type Decoded } from './result';

/** Byte offsets of the header fields. */
export const TCP_FIELDS = {
  srcPort: 0,
  dstPort: 2,
  seq: 4,
  ack: 8,
  dataOffset: 12, // high nibble, in 32-bit words; low bits reserved (and the old NS flag)
  flags: 13,
  window: 14,
  checksum: 16,
  urgentPointer: 18,
  options: 20,
} as const;

export const TCP_MIN_HEADER = 20;
export const TCP_MAX_OPTIONS = 40;

export interface TcpFlags {
  fin: boolean;
  syn: boolean;
  rst: boolean;
  psh: boolean;
  ack: boolean;
  urg: boolean;
  ece: boolean;
  cwr: boolean;
}

/** Bit of each flag in byte 13, listed in Wireshark's display order. */
export const TCP_FLAG_BITS: ReadonlyArray<readonly [keyof TcpFlags, number, string]> = [
  ['fin', 0x01, 'FIN'],
  ['syn', 0x02, 'SYN'],
  ['rst', 0x04, 'RST'],
  ['psh', 0x08, 'PSH'],
  ['ack', 0x10, 'ACK'],
  ['urg', 0x20, 'URG'],
  ['ece', 0x40, 'ECE'],
  ['cwr', 0x80, 'CWR'],
];

export type TcpOption =
  | { kind: 'mss'; value: number }
  | { kind: 'wscale'; shift: number }
  | { kind: 'sack-permitted' }
  | { kind: 'timestamps'; tsval: number; tsecr: number }
  /** Selective acknowledgment: 1–4 blocks of received data, each [left, right) in sequence numbers. */
  | { kind: 'sack'; blocks: SackBlock[] }
  | { kind: 'nop' }
  | { kind: 'eol' }
  | { kind: 'unknown'; type: number; data: Uint8Array };

export interface SackBlock {
  left: number;
  right: number;
}

export interface TcpSegment {
  srcPort: Port;
  dstPort: Port;
  seq: number;
  ack: number;
  /** Header length in 32-bit words (5 without options). */
  dataOffset: number;
  flags: TcpFlags;
  window: number;
  checksum: number;
  urgentPointer: number;
  options: TcpOption[];
  payload: Uint8Array;
}

/** Option kind numbers and the exact total length each known kind must have (IANA). */
export const TCP_OPTION_KIND = { eol: 0, nop: 1, mss: 2, wscale: 3, 'sack-permitted': 4, sack: 5, timestamps: 8 } as const;
const OPT = TCP_OPTION_KIND;
const OPT_LEN: Record<number, number> = { [OPT.mss]: 4, [OPT.wscale]: 3, [OPT['sack-permitted']]: 2, [OPT.timestamps]: 10 };
/** A SACK option is 2 + 8 bytes per block, 1 to 4 blocks (RFC 2018 §3). */
const sackLenOk = (len: number) => len >= 10 && len <= 34 && (len - 2) % 8 === 0;

/** Bytes an option takes on the wire (its kind and length bytes included). */
export function tcpOptionLength(o: TcpOption): number {
  switch (o.kind) {
    case 'eol':
    case 'nop':
      return 1;
    case 'mss':
      return 4;
    case 'wscale':
      return 3;
    case 'sack-permitted':
      return 2;
    case 'timestamps':
      return 10;
    case 'sack':
      return 2 + 8 * o.blocks.length;
    case 'unknown':
      return 2 + o.data.length;
  }
}

const err = (kind: 'truncated' | 'bad-value' | 'bad-checksum', offset: number, message: string) => fail('tcp', kind, offset, message);

/** The flags of a flags byte. Decoded flags are shared, frozen objects: one per byte value. */
export function flagsFromByte(b: number): TcpFlags {
  return FLAGS_BY_BYTE[b & 0xff]!;
}

const FLAGS_BY_BYTE: readonly TcpFlags[] = Array.from({ length: 256 }, (_, b) =>
  // Spelled out, same keys and order as TCP_FLAG_BITS.
  Object.freeze({
    fin: (b & 0x01) !== 0,
    syn: (b & 0x02) !== 0,
    rst: (b & 0x04) !== 0,
    psh: (b & 0x08) !== 0,
    ack: (b & 0x10) !== 0,
    urg: (b & 0x20) !== 0,
    ece: (b & 0x40) !== 0,
    cwr: (b & 0x80) !== 0,
  }),
);

export function flagsToByte(f: Partial<TcpFlags>): number {
  let b = 0;
  for (const [name, bit] of TCP_FLAG_BITS) if (f[name]) b |= bit;
  return b;
}

/** "SYN, ACK" — Wireshark's Info-column order; "<None>" when no flag is set, as Wireshark shows. */
export function formatTcpFlags(f: TcpFlags): string {
  const names = TCP_FLAG_BITS.filter(([name]) => f[name]).map(([, , label]) => label);
  return names.length ? names.join(', ') : '<None>';
}

/**
 * Options area → list. A known kind with the wrong length is kept as 'unknown' (Linux
 * skips options it cannot use rather than dropping the segment). Parsing stops at EOL;
 * what follows is padding.
 */
export function decodeTcpOptions(area: Uint8Array, base = TCP_FIELDS.options): Decoded<TcpOption[]> {
  const out: TcpOption[] = [];
  let i = 0;
  while (i < area.length) {
    const type = area[i]!;
    if (type === OPT.eol) {
      out.push({ kind: 'eol' });
      break;
    }
    if (type === OPT.nop) {
      out.push({ kind: 'nop' });
      i += 1;
      continue;
    }
    if (i + 1 >= area.length) return err('truncated', base + i, `option ${type} has no length byte`);
    const len = area[i + 1]!;
    if (len < 2) return err('bad-value', base + i + 1, `option ${type} has length ${len} (minimum 2)`);
    if (i + len > area.length) return err('truncated', base + i, `option ${type} of length ${len} runs past the header`);
    const body = area.subarray(i + 2, i + len);
    if (type === OPT.sack) {
      if (!sackLenOk(len)) out.push({ kind: 'unknown', type, data: body.slice() });
      else {
        const blocks: SackBlock[] = [];
        for (let b = 0; b < body.length; b += 8) blocks.push({ left: readU32(body, b), right: readU32(body, b + 4) });
        out.push({ kind: 'sack', blocks });
      }
    } else if (OPT_LEN[type] !== len) out.push({ kind: 'unknown', type, data: body.slice() });
    else if (type === OPT.mss) out.push({ kind: 'mss', value: readU16(body, 0) });
    else if (type === OPT.wscale) out.push({ kind: 'wscale', shift: body[0]! });
    else if (type === OPT['sack-permitted']) out.push({ kind: 'sack-permitted' });
    else out.push({ kind: 'timestamps', tsval: readU32(body, 0), tsecr: readU32(body, 4) });
    i += len;
  }
  return ok(out);
}

/** Options → bytes, padded with zeros (EOL) to a multiple of 4 as RFC 9293 requires. */
export function encodeTcpOptions(options: readonly TcpOption[]): Uint8Array {
  const parts: number[] = [];
  for (const o of options) {
    switch (o.kind) {
      case 'eol':
        parts.push(OPT.eol);
        break;
      case 'nop':
        parts.push(OPT.nop);
        break;
      case 'mss':
        parts.push(OPT.mss, 4, (o.value >>> 8) & 0xff, o.value & 0xff);
        break;
      case 'wscale':
        parts.push(OPT.wscale, 3, o.shift & 0xff);
        break;
      case 'sack-permitted':
        parts.push(OPT['sack-permitted'], 2);
        break;
      case 'timestamps': {
        const b = new Uint8Array(8);
        writeU32(b, 0, o.tsval);
        writeU32(b, 4, o.tsecr);
        parts.push(OPT.timestamps, 10, ...b);
        break;
      }
      case 'sack': {
        if (o.blocks.length < 1 || o.blocks.length > 4) throw new RangeError(`a SACK option holds 1 to 4 blocks, not ${o.blocks.length}`);
        const b = new Uint8Array(8 * o.blocks.length);
        o.blocks.forEach((blk, k) => (writeU32(b, 8 * k, blk.left >>> 0), writeU32(b, 8 * k + 4, blk.right >>> 0)));
        parts.push(OPT.sack, 2 + b.length, ...b);
        break;
      }
      case 'unknown':
        parts.push(o.type & 0xff, (o.data.length + 2) & 0xff, ...o.data);
        break;
    }
  }
  while (parts.length % 4 !== 0) parts.push(0);
  if (parts.length > TCP_MAX_OPTIONS) throw new RangeError(`TCP options take ${parts.length} bytes; at most 40 fit`);
  return Uint8Array.from(parts);
}

/**
 * Decodes a segment (the IPv4 payload). With `pseudo` the checksum is verified over the
 * pseudo-header, as the receiving host does; without it the field is only reported.
 */
export function decodeTcp(bytes: Uint8Array, pseudo?: { src: Ipv4; dst: Ipv4 }, copyPayload = true): Decoded<TcpSegment> {
  if (bytes.length < TCP_MIN_HEADER) return err('truncated', bytes.length, `TCP header needs 20 bytes, got ${bytes.length}`);
  const dataOffset = bytes[TCP_FIELDS.dataOffset]! >>> 4;
  if (dataOffset < 5) return err('bad-value', TCP_FIELDS.dataOffset, `data offset ${dataOffset} is below the minimum of 5 words`);
  if (bytes.length < dataOffset * 4) return err('truncated', bytes.length, `data offset says ${dataOffset * 4} header bytes, got ${bytes.length}`);
  if (pseudo && tcpChecksumOf(bytes, pseudo.src, pseudo.dst) !== 0) {
    return err('bad-checksum', TCP_FIELDS.checksum, `TCP checksum 0x${readU16(bytes, TCP_FIELDS.checksum).toString(16).padStart(4, '0')} is wrong`);
  }
  const options = decodeTcpOptions(bytes.subarray(TCP_FIELDS.options, dataOffset * 4));
  if (!options.ok) return options;
  return ok({
    srcPort: asPort(readU16(bytes, TCP_FIELDS.srcPort)),
    dstPort: asPort(readU16(bytes, TCP_FIELDS.dstPort)),
    seq: readU32(bytes, TCP_FIELDS.seq),
    ack: readU32(bytes, TCP_FIELDS.ack),
    dataOffset,
    flags: flagsFromByte(bytes[TCP_FIELDS.flags]!),
    window: readU16(bytes, TCP_FIELDS.window),
    checksum: readU16(bytes, TCP_FIELDS.checksum),
    urgentPointer: readU16(bytes, TCP_FIELDS.urgentPointer),
    options: options.value,
    // A copy by default (a host hands it to its application); a read-only caller may take a view.
    payload: copyPayload ? bytes.slice(dataOffset * 4) : bytes.subarray(dataOffset * 4),
  });
}

export interface TcpBuild {
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  flags: Partial<TcpFlags>;
  window: number;
  options?: TcpOption[];
  payload?: Uint8Array;
  urgentPointer?: number;
}

/** A segment with options padded, data offset set and the pseudo-header checksum filled in. */
export function encodeTcp(seg: TcpBuild, src: Ipv4, dst: Ipv4): Uint8Array {
  const opts = encodeTcpOptions(seg.options ?? []);
  const out = allocBytes(TCP_MIN_HEADER + opts.length + (seg.payload?.length ?? 0));
  return writeTcp(out, seg, opts, src, dst);
}

/**
 * Writes the segment into `out` (exactly its length: header, encoded options, payload) and
 * fills in the checksum; encodeTcpPacket uses it to build a whole packet in one array.
 */
export function writeTcp(out: Uint8Array, seg: TcpBuild, opts: Uint8Array, src: Ipv4, dst: Ipv4): Uint8Array {
  const headerLen = TCP_MIN_HEADER + opts.length;
  writeU16(out, TCP_FIELDS.srcPort, seg.srcPort);
  writeU16(out, TCP_FIELDS.dstPort, seg.dstPort);
  writeU32(out, TCP_FIELDS.seq, seg.seq >>> 0);
  writeU32(out, TCP_FIELDS.ack, seg.ack >>> 0);
  out[TCP_FIELDS.dataOffset] = (headerLen / 4) << 4;
  out[TCP_FIELDS.flags] = flagsToByte(seg.flags);
  writeU16(out, TCP_FIELDS.window, seg.window);
  writeU16(out, TCP_FIELDS.urgentPointer, seg.urgentPointer ?? 0);
  out.set(opts, TCP_FIELDS.options);
  if (seg.payload) out.set(seg.payload, headerLen);
  return fixTcpChecksum(out, src, dst);
}

/** The build parameters that re-encode a decoded segment. */
export function tcpBuildOf(s: TcpSegment): TcpBuild {
  const { srcPort, dstPort, seq, ack, flags, window, options, payload, urgentPointer } = s;
  return { srcPort, dstPort, seq, ack, flags, window, options, payload, urgentPointer };
}

/** Checksum over pseudo-header + segment as it stands: 0 when the stored field is right. */
export function tcpChecksumOf(segment: Uint8Array, src: Ipv4, dst: Ipv4): number {
  return internetChecksum(segment, pseudoHeaderSum(src, dst, IPPROTO.TCP, segment.length));
}

/** Recomputes the checksum in place (after NAT rewrites addresses or payload). */
export function fixTcpChecksum(segment: Uint8Array, src: Ipv4, dst: Ipv4): Uint8Array {
  if (segment.length < TCP_MIN_HEADER) return segment;
  writeU16(segment, TCP_FIELDS.checksum, 0);
  writeU16(segment, TCP_FIELDS.checksum, tcpChecksumOf(segment, src, dst));
  return segment;
}

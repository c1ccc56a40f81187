/**
 * Classic libpcap files (the format tcpdump writes; Wireshark's pcap(5) page). We write
 * little-endian, microsecond resolution, LINKTYPE_RAW (raw IPv4, no link header) by
 * default or LINKTYPE_ETHERNET for Ethernet frames (the capture export: it matches a
 * tcpdump capture frame for frame), so a simulated session opens in Wireshark/tshark and
 * dissects as IPv4/TCP/FTP.
 * Time comes from the simulation: timeUs after a fixed base epoch, never the wall clock.
 */
import { fail, ok, type Decoded } from './result';

export interface PcapRecord {
  /** Simulated microseconds since the start. */
  timeUs: number;
  bytes: Uint8Array;
}

/** 2023-11-14T22:13:20Z: a fixed, recognisable start so files are byte-identical run to run. */
export const PCAP_BASE_EPOCH = 1_700_000_000;
export const LINKTYPE_RAW = 101;
export const LINKTYPE_ETHERNET = 1;
export const PCAP_SNAPLEN = 65535;

const GLOBAL_HEADER = 24;
const RECORD_HEADER = 16;
/** Header magics as read little-endian: their byte order and time resolution. */
const MAGIC: ReadonlyArray<{ le: number; littleEndian: boolean; nano: boolean }> = [
  { le: 0xa1b2c3d4, littleEndian: true, nano: false },
  { le: 0xd4c3b2a1, littleEndian: false, nano: false },
  { le: 0xa1b23c4d, littleEndian: true, nano: true },
  { le: 0x4d3cb2a1, littleEndian: false, nano: true },
];
const PCAPNG_MAGIC = 0x0a0d0d0a;
/** Records larger than this are garbage, not packets (Wireshark uses 256 KiB too). */
const MAX_RECORD = 262_144;

export function writePcap(records: readonly PcapRecord[], opts: { baseEpochSeconds?: number; linktype?: number } = {}): Uint8Array {
  const base = opts.baseEpochSeconds ?? PCAP_BASE_EPOCH;
  const size = GLOBAL_HEADER + records.reduce((n, r) => n + RECORD_HEADER + Math.min(r.bytes.length, PCAP_SNAPLEN), 0);
  const out = new Uint8Array(size);
  const v = new DataView(out.buffer);
  v.setUint32(0, 0xa1b2c3d4, true);
  v.setUint16(4, 2, true); // version 2.4
  v.setUint16(6, 4, true);
  v.setInt32(8, 0, true); // thiszone: UTC
  v.setUint32(12, 0, true); // sigfigs
  v.setUint32(16, PCAP_SNAPLEN, true);
  v.setUint32(20, opts.linktype ?? LINKTYPE_RAW, true);
  let o = GLOBAL_HEADER;
  for (const r of records) {
    const us = Math.max(0, Math.floor(r.timeUs));
    const incl = Math.min(r.bytes.length, PCAP_SNAPLEN);
    v.setUint32(o, base + Math.floor(us / 1_000_000), true);
    v.setUint32(o + 4, us % 1_000_000, true);
    v.setUint32(o + 8, incl, true);
    v.setUint32(o + 12, r.bytes.length, true);
    out.set(r.bytes.subarray(0, incl), o + RECORD_HEADER);
    o += RECORD_HEADER + incl;
  }
  return out;
}

/**
 * Reads either byte order, microsecond or nanosecond resolution. timeUs is relative to
 * `baseEpochSeconds` (the same default as writePcap), so writePcap → readPcap round-trips.
 */
export function readPcap(bytes: Uint8Array, opts: { baseEpochSeconds?: number } = {}): Decoded<{ linktype: number; records: PcapRecord[] }> {
  const base = opts.baseEpochSeconds ?? PCAP_BASE_EPOCH;
  if (bytes.length < GLOBAL_HEADER) return fail('pcap', 'truncated', bytes.length, `pcap global header needs 24 bytes, got ${bytes.length}`);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = v.getUint32(0, true);
  if (magic === PCAPNG_MAGIC) return fail('pcap', 'bad-value', 0, 'pcapng files are not supported; save as classic pcap');
  const kind = MAGIC.find((m) => m.le === magic);
  if (!kind) return fail('pcap', 'bad-value', 0, `not a pcap file (magic 0x${magic.toString(16).padStart(8, '0')})`);
  const le = kind.littleEndian;
  const major = v.getUint16(4, le);
  if (major !== 2) return fail('pcap', 'bad-value', 4, `pcap version ${major}.${v.getUint16(6, le)}, expected 2.4`);
  const linktype = v.getUint32(20, le) & 0x0fffffff; // upper bits carry FCS info
  const records: PcapRecord[] = [];
  let o = GLOBAL_HEADER;
  while (o < bytes.length) {
    if (bytes.length - o < RECORD_HEADER) return fail('pcap', 'truncated', o, `record header needs 16 bytes, ${bytes.length - o} left`);
    const sec = v.getUint32(o, le);
    const frac = v.getUint32(o + 4, le);
    const incl = v.getUint32(o + 8, le);
    if (frac >= (kind.nano ? 1_000_000_000 : 1_000_000)) return fail('pcap', 'bad-value', o + 4, `sub-second field ${frac} is out of range`);
    if (incl > MAX_RECORD) return fail('pcap', 'bad-value', o + 8, `record length ${incl} is implausible`);
    if (bytes.length - o - RECORD_HEADER < incl) return fail('pcap', 'truncated', o + RECORD_HEADER, `record says ${incl} bytes, ${bytes.length - o - RECORD_HEADER} left`);
    const us = kind.nano ? Math.floor(frac / 1000) : frac;
    records.push({ timeUs: (sec - base) * 1_000_000 + us, bytes: bytes.slice(o + RECORD_HEADER, o + RECORD_HEADER + incl) });
    o += RECORD_HEADER + incl;
  }
  return ok({ linktype, records });
}

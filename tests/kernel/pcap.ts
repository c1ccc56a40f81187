/**
 * Reads a classic pcap file as tcpdump -w writes it (Ethernet link type) into the IPv4 TCP
 * segments and ICMP errors the comparison needs. Malformed records are skipped, never thrown on.
 */
export interface Pkt {
  /** Seconds since the epoch (wall clock of the capture). */
  t: number;
  src: string;
  dst: string;
  proto: 'tcp' | 'icmp' | 'other';
  sport: number;
  dport: number;
  syn: boolean;
  ack: boolean;
  rst: boolean;
  fin: boolean;
  seq: number;
  payload: Uint8Array;
  /** ICMP type/code, and for an error the TCP ports of the packet it quotes. */
  icmpType: number;
  icmpCode: number;
  quoted: { src: string; dst: string; sport: number; dport: number } | null;
}

const ip4 = (b: Uint8Array, o: number): string => `${b[o]}.${b[o + 1]}.${b[o + 2]}.${b[o + 3]}`;

export function parsePcap(buf: Uint8Array): Pkt[] {
  if (buf.length < 24) return [];
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const magicLE = dv.getUint32(0, true);
  let le: boolean;
  let nano: boolean;
  if (magicLE === 0xa1b2c3d4 || magicLE === 0xa1b23c4d) {
    le = true;
    nano = magicLE === 0xa1b23c4d;
  } else {
    const magicBE = dv.getUint32(0, false);
    if (magicBE !== 0xa1b2c3d4 && magicBE !== 0xa1b23c4d) return [];
    le = false;
    nano = magicBE === 0xa1b23c4d;
  }
  const linktype = dv.getUint32(20, le);
  const out: Pkt[] = [];
  let o = 24;
  while (o + 16 <= buf.length) {
    const sec = dv.getUint32(o, le);
    const frac = dv.getUint32(o + 4, le);
    const incl = dv.getUint32(o + 8, le);
    o += 16;
    if (o + incl > buf.length) break;
    const frame = buf.subarray(o, o + incl);
    o += incl;
    const t = sec + frac / (nano ? 1e9 : 1e6);
    let l3 = -1;
    if (linktype === 1) {
      let et = (frame[12]! << 8) | frame[13]!;
      l3 = 14;
      if (et === 0x8100 && frame.length >= 18) {
        et = (frame[16]! << 8) | frame[17]!;
        l3 = 18;
      }
      if (et !== 0x0800) continue;
    } else if (linktype === 113) {
      l3 = 16; // Linux cooked capture
    } else continue;
    const p = parseIpv4(frame.subarray(l3), t);
    if (p) out.push(p);
  }
  return out;
}

export function parseIpv4(b: Uint8Array, t: number): Pkt | null {
  if (b.length < 20 || b[0]! >> 4 !== 4) return null;
  const ihl = (b[0]! & 15) * 4;
  const total = Math.min((b[2]! << 8) | b[3]!, b.length);
  const proto = b[9]!;
  const base: Pkt = {
    t,
    src: ip4(b, 12),
    dst: ip4(b, 16),
    proto: 'other',
    sport: 0,
    dport: 0,
    syn: false,
    ack: false,
    rst: false,
    fin: false,
    seq: 0,
    payload: new Uint8Array(0),
    icmpType: -1,
    icmpCode: -1,
    quoted: null,
  };
  const l4 = b.subarray(ihl, total);
  if (proto === 6 && l4.length >= 20) {
    const off = (l4[12]! >> 4) * 4;
    const flags = l4[13]!;
    return {
      ...base,
      proto: 'tcp',
      sport: (l4[0]! << 8) | l4[1]!,
      dport: (l4[2]! << 8) | l4[3]!,
      seq: ((l4[4]! << 24) | (l4[5]! << 16) | (l4[6]! << 8) | l4[7]!) >>> 0,
      fin: (flags & 1) !== 0,
      syn: (flags & 2) !== 0,
      rst: (flags & 4) !== 0,
      ack: (flags & 16) !== 0,
      payload: l4.subarray(off),
    };
  }
  if (proto === 1 && l4.length >= 8) {
    const type = l4[0]!;
    const code = l4[1]!;
    let quoted: Pkt['quoted'] = null;
    const inner = l4.subarray(8);
    if ((type === 3 || type === 11) && inner.length >= 28 && inner[9] === 6) {
      const ihl2 = (inner[0]! & 15) * 4;
      quoted = {
        src: ip4(inner, 12),
        dst: ip4(inner, 16),
        sport: (inner[ihl2]! << 8) | inner[ihl2 + 1]!,
        dport: (inner[ihl2 + 2]! << 8) | inner[ihl2 + 3]!,
      };
    }
    return { ...base, proto: 'icmp', icmpType: type, icmpCode: code, quoted };
  }
  return base;
}

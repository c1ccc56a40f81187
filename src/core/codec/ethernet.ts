/**
 * Ethernet II framing for captures (IEEE 802.3 with an EtherType): destination MAC,
 * source MAC, EtherType 0x0800 for IPv4, then the packet. The simulator has no link
 * layer; the capture adds one so a .pcap looks like one taken with tcpdump on a Linux
 * host (14 bytes in front of every packet: a SYN with Linux's options is 74 bytes).
 */
import { readU16 } from './bytes';
import { fail, ok, type Decoded } from './result';

export const ETHERNET_HEADER = 14;
export const ETHERTYPE_IPV4 = 0x0800;

export type Mac = Uint8Array;

/**
 * A made-up but stable MAC for an interface: locally administered, unicast (first byte
 * 0x02), the other five bytes an FNV-1a hash of its name, so the same interface has the
 * same address in every capture and every run.
 */
export function macFor(name: string): Mac {
  let h = 0x811c9dc5;
  let g = 0x01000193;
  for (let i = 0; i < name.length; i++) {
    h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
    g = Math.imul(g ^ name.charCodeAt(i), 0x5bd1e995) >>> 0;
  }
  return Uint8Array.from([0x02, h >>> 24, (h >>> 16) & 0xff, (h >>> 8) & 0xff, h & 0xff, g >>> 24]);
}

export function formatMac(m: Mac): string {
  return [...m].map((b) => b.toString(16).padStart(2, '0')).join(':');
}

/** An Ethernet II frame around an IPv4 packet (no padding to 60 bytes: as captured on the sending host, before the NIC pads). */
export function encodeEthernet(dst: Mac, src: Mac, ipv4: Uint8Array): Uint8Array {
  const out = new Uint8Array(ETHERNET_HEADER + ipv4.length);
  out.set(dst.subarray(0, 6), 0);
  out.set(src.subarray(0, 6), 6);
  out[12] = ETHERTYPE_IPV4 >> 8;
  out[13] = ETHERTYPE_IPV4 & 0xff;
  out.set(ipv4, ETHERNET_HEADER);
  return out;
}

export interface EthernetFrame {
  dst: Mac;
  src: Mac;
  etherType: number;
  payload: Uint8Array;
}

export function decodeEthernet(bytes: Uint8Array): Decoded<EthernetFrame> {
  if (bytes.length < ETHERNET_HEADER) return fail('ethernet', 'truncated', bytes.length, `Ethernet header needs 14 bytes, got ${bytes.length}`);
  return ok({ dst: bytes.slice(0, 6), src: bytes.slice(6, 12), etherType: readU16(bytes, 12), payload: bytes.slice(ETHERNET_HEADER) });
}

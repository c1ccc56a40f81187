/**
 * What a packet capture at one interface would hold: every packet sent or received there,
 * with the simulated time. Used by the CLI's --pcap and the UI's export, which write
 * Ethernet frames (as tcpdump on a Linux host does), so a teacher can put the file beside
 * a real capture: a SYN is 74 bytes in both. The MACs are made up but stable per
 * interface (codec/ethernet.ts macFor); the simulator itself has no link layer.
 */
import { encodeEthernet, macFor } from '../codec/ethernet';
import { LINKTYPE_ETHERNET, writePcap, type PcapRecord } from '../codec/pcap';
import type { Trace } from '../sim/trace';

/** "device:iface" names of every interface that saw traffic, in order of first use. */
export function capturePoints(trace: Trace): string[] {
  const seen = new Set<string>();
  for (const e of trace.events) if (e.kind === 'send' || e.kind === 'recv') seen.add(`${e.device}:${e.iface}`);
  return [...seen];
}

/** The IPv4 packets seen at one interface (no link header). */
export function captureRecords(trace: Trace, point: string): PcapRecord[] {
  const out: PcapRecord[] = [];
  for (const e of trace.events) {
    if ((e.kind === 'send' || e.kind === 'recv') && `${e.device}:${e.iface}` === point) out.push({ timeUs: e.t, bytes: e.bytes });
  }
  return out;
}

/**
 * The same packets as Ethernet frames: the source MAC is the sending interface's, the
 * destination the receiving interface's (found from the packet's other end on the link).
 */
export function captureFrames(trace: Trace, point: string): PcapRecord[] {
  // Which interface of `device` faces `peer`: learnt from any packet between the two.
  const facing = new Map<string, string>();
  for (const e of trace.events) {
    if (e.kind === 'send') facing.set(`${e.device}>${e.to}`, e.iface);
    else if (e.kind === 'recv') facing.set(`${e.device}>${e.from}`, e.iface);
  }
  const mac = (device: string, peer: string) => macFor(`${device}:${facing.get(`${device}>${peer}`) ?? '?'}`);
  const out: PcapRecord[] = [];
  for (const e of trace.events) {
    if ((e.kind !== 'send' && e.kind !== 'recv') || `${e.device}:${e.iface}` !== point) continue;
    const self = macFor(point);
    const frame = e.kind === 'send' ? encodeEthernet(mac(e.to, e.device), self, e.bytes) : encodeEthernet(self, mac(e.from, e.device), e.bytes);
    out.push({ timeUs: e.t, bytes: frame });
  }
  return out;
}

/** A classic pcap of Ethernet frames at one interface. */
export function pcapAt(trace: Trace, point: string): Uint8Array {
  return writePcap(captureFrames(trace, point), { linktype: LINKTYPE_ETHERNET });
}

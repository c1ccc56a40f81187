/**
 * What a packet capture at one interface would hold: every packet sent or received there,
 * as bytes, with the simulated time. Used by the CLI's --pcap and the UI's export.
 */
import { writePcap, type PcapRecord } from '../codec/pcap';
import type { Trace } from '../sim/trace';

/** "device:iface" names of every interface that saw traffic, in order of first use. */
export function capturePoints(trace: Trace): string[] {
  const seen = new Set<string>();
  for (const e of trace.events) if (e.kind === 'send' || e.kind === 'recv') seen.add(`${e.device}:${e.iface}`);
  return [...seen];
}

export function captureRecords(trace: Trace, point: string): PcapRecord[] {
  const out: PcapRecord[] = [];
  for (const e of trace.events) {
    if ((e.kind === 'send' || e.kind === 'recv') && `${e.device}:${e.iface}` === point) out.push({ timeUs: e.t, bytes: e.bytes });
  }
  return out;
}

export function pcapAt(trace: Trace, point: string): Uint8Array {
  return writePcap(captureRecords(trace, point));
}

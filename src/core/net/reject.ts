/** What a REJECT rule sends back (ipt_REJECT): an ICMP error or a TCP RST, fully encoded. */
import type { Ipv4 } from '../codec/addr';
import { IPPROTO } from '../codec/ipv4';
import { encodeIcmpError, ICMP_TYPE, UNREACH_CODE } from '../codec/icmp';
import { encodeIcmpPacket, encodeTcpPacket } from '../codec/packet';
import type { RejectWith } from './iptables/types';
import { isIcmpError, type PacketInfo } from './packetInfo';

/** --reject-with → ICMP destination-unreachable code. */
export const REJECT_CODES: Record<Exclude<RejectWith, 'tcp-reset'>, number> = {
  'icmp-net-unreachable': UNREACH_CODE.NET,
  'icmp-host-unreachable': UNREACH_CODE.HOST,
  'icmp-proto-unreachable': UNREACH_CODE.PROTOCOL,
  'icmp-port-unreachable': UNREACH_CODE.PORT,
  'icmp-net-prohibited': UNREACH_CODE.NET_PROHIBITED,
  'icmp-host-prohibited': UNREACH_CODE.HOST_PROHIBITED,
  'icmp-admin-prohibited': UNREACH_CODE.ADMIN_PROHIBITED,
};

/**
 * The reply to `original` (the bytes as they arrived, before any NAT, so the sender
 * recognises its own packet). Cases:
 *  - tcp-reset: RST from the packet's destination address and port (nf_send_reset spoofs
 *    the target); seq = the packet's ack if it had one, else RST+ACK acking its sequence space.
 *    No RST in answer to an RST.
 *  - icmp-*: destination unreachable with that code, from `ifaceIp`; never about an ICMP error.
 */
export function rejectReply(original: Uint8Array, p: PacketInfo, how: RejectWith, ifaceIp: Ipv4): Uint8Array | undefined {
  if (how === 'tcp-reset') {
    if (p.flags === undefined || p.flags.rst || p.sport === undefined || p.dport === undefined) return undefined;
    const len = p.payload.length + (p.flags.syn ? 1 : 0) + (p.flags.fin ? 1 : 0);
    const tcp = p.flags.ack
      ? { srcPort: p.dport, dstPort: p.sport, seq: p.ack ?? 0, ack: 0, flags: { rst: true }, window: 0 }
      : { srcPort: p.dport, dstPort: p.sport, seq: 0, ack: ((p.seq ?? 0) + len) >>> 0, flags: { rst: true, ack: true }, window: 0 };
    return encodeTcpPacket({ src: p.dst, dst: p.src }, tcp);
  }
  if (p.proto === IPPROTO.ICMP && isIcmpError(p.icmpType)) return undefined;
  const icmp = encodeIcmpError(ICMP_TYPE.DEST_UNREACH, REJECT_CODES[how], original);
  return encodeIcmpPacket({ src: ifaceIp, dst: p.src, dontFragment: false }, icmp);
}

/**
 * The inspector's field tree for one packet, like Wireshark's middle pane: sections for
 * IPv4, TCP (or ICMP with its quoted header) and FTP, each a list of name/value fields.
 * Everything is read from the bytes with the core's decoders.
 */
import { decodePacket, formatTcpFlags, tcpOptionLength, type TcpOption, describeIcmp, formatIpv4 } from '../../core/index';
import { payloadText } from './label';

export interface TreeSection {
  title: string;
  fields: [string, string][];
  children?: TreeSection[];
}

const hex = (n: number, w: number) => `0x${n.toString(16).padStart(w, '0')}`;
const PROTO: Record<number, string> = { 1: 'ICMP', 6: 'TCP', 17: 'UDP' };

/** An option as Wireshark names it, with its value and its size on the wire. */
function optionText(o: TcpOption): string {
  const size = (n: number) => `${n} byte${n === 1 ? '' : 's'}`;
  const len = size(tcpOptionLength(o));
  switch (o.kind) {
    case 'mss':
      return `Maximum segment size: ${o.value} bytes (kind 2, ${len})`;
    case 'wscale':
      return `Window scale: shift ${o.shift}, multiply by ${2 ** o.shift} (kind 3, ${len})`;
    case 'sack-permitted':
      return `SACK permitted (kind 4, ${len})`;
    case 'timestamps':
      return `Timestamps: TSval ${o.tsval}, TSecr ${o.tsecr} (kind 8, ${len})`;
    case 'sack':
      return `SACK: ${o.blocks.map((b) => `${b.left}–${b.right} (${(b.right - b.left) >>> 0} bytes)`).join(', ')} (kind 5, ${len})`;
    case 'nop':
      return `No-Operation (NOP): padding to a 4-byte boundary (kind 1, ${len})`;
    case 'eol':
      return `End of option list (kind 0, ${len}; the rest is zero padding)`;
    default:
      return `Option kind ${o.type} (${len})`;
  }
}

export function packetTree(bytes: Uint8Array): TreeSection[] {
  const p = decodePacket(bytes, { verifyChecksums: false });
  if (!p.ok) return [{ title: `Undecodable ${p.error.layer}`, fields: [['Error', `${p.error.kind} at byte ${p.error.offset}: ${p.error.message}`]] }];
  const { ip, tcp, icmp } = p.value;
  const h = ip.header;
  const out: TreeSection[] = [
    {
      title: `Internet Protocol Version 4, Src: ${formatIpv4(h.src)}, Dst: ${formatIpv4(h.dst)}`,
      fields: [
        ['Version', String(h.version)],
        ['Header length', `${h.ihl * 4} bytes (${h.ihl} × 4)`],
        ['DSCP / ECN', `${h.dscp} / ${h.ecn}`],
        ['Total length', String(h.totalLength)],
        ['Identification', `${hex(h.identification, 4)} (${h.identification})`],
        ['Flags', [h.dontFragment ? "Don't fragment" : '', h.moreFragments ? 'More fragments' : ''].filter(Boolean).join(', ') || 'none'],
        ['Fragment offset', String(h.fragmentOffset * 8)],
        ['Time to live', String(h.ttl)],
        ['Protocol', `${PROTO[h.protocol] ?? 'unknown'} (${h.protocol})`],
        ['Header checksum', hex(h.checksum, 4)],
        ['Source address', formatIpv4(h.src)],
        ['Destination address', formatIpv4(h.dst)],
      ],
    },
  ];
  if (tcp) {
    const hdr = tcp.dataOffset * 4;
    const ipHdr = h.ihl * 4;
    const optBytes = hdr - 20;
    out.push({
      title: `Transmission Control Protocol, Src Port: ${tcp.srcPort}, Dst Port: ${tcp.dstPort}, Seq: ${tcp.seq}, Ack: ${tcp.ack}, Len: ${tcp.payload.length}`,
      fields: [
        ['Source port', String(tcp.srcPort)],
        ['Destination port', String(tcp.dstPort)],
        ['Sequence number', `${tcp.seq} (raw)`],
        ['Acknowledgment number', `${tcp.ack} (raw)`],
        ['Header length', optBytes > 0 ? `${hdr} bytes (${tcp.dataOffset} × 4) = 20 fixed + ${optBytes} of options` : `${hdr} bytes (${tcp.dataOffset} × 4), no options`],
        ['Flags', formatTcpFlags(tcp.flags)],
        [
          'Window',
          tcp.flags.syn ? `${tcp.window} bytes (never scaled on a SYN)` : `${tcp.window} (the receiver multiplies it by 2^shift when the handshake agreed on a window scale)`,
        ],
        ['Checksum', hex(tcp.checksum, 4)],
        ['Urgent pointer', String(tcp.urgentPointer)],
        ['Payload', `${tcp.payload.length} bytes = ${h.totalLength} IP total − ${ipHdr} IP header − ${hdr} TCP header`],
      ],
      children: tcp.options.length
        ? [
            {
              title: `Options: ${optBytes} bytes (${tcp.options.length} option${tcp.options.length === 1 ? '' : 's'})`,
              fields: tcp.options.map((o, i) => [`Option ${i + 1}`, optionText(o)]),
            },
          ]
        : undefined,
    });
    const text = payloadText(tcp.payload);
    if (text !== null) {
      const reply = /^\d{3}[ -]/.test(text);
      out.push({
        title: 'File Transfer Protocol (FTP)',
        fields: [
          [reply ? 'Response' : 'Request', text],
          ...(reply ? [['Response code', text.slice(0, 3)] as [string, string]] : [['Request command', text.split(' ')[0] ?? ''] as [string, string]]),
        ],
      });
    }
  } else if (icmp) {
    const o = icmp.original;
    out.push({
      title: `Internet Control Message Protocol: ${describeIcmp(icmp.type, icmp.code)}`,
      fields: [
        ['Type', String(icmp.type)],
        ['Code', String(icmp.code)],
        ['Checksum', hex(icmp.checksum, 4)],
      ],
      children: o
        ? [
            {
              title: `Quoted packet: ${formatIpv4(o.header.src)}${o.srcPort !== undefined ? `:${o.srcPort}` : ''} → ${formatIpv4(o.header.dst)}${o.dstPort !== undefined ? `:${o.dstPort}` : ''}`,
              fields: [
                ['Quoted', `${o.quotedLength} bytes of the ${o.header.totalLength}-byte packet (Linux quotes up to 548: a 576-byte ICMP datagram − 20 IP − 8 ICMP)`],
                ['Protocol', `${PROTO[o.header.protocol] ?? 'unknown'} (${o.header.protocol})`],
                ['Source', formatIpv4(o.header.src)],
                ['Destination', formatIpv4(o.header.dst)],
                ...(o.srcPort !== undefined ? [['Source port', String(o.srcPort)] as [string, string]] : []),
                ...(o.dstPort !== undefined ? [['Destination port', String(o.dstPort)] as [string, string]] : []),
                ...(o.tcpSeq !== undefined ? [['TCP sequence', String(o.tcpSeq)] as [string, string]] : []),
              ],
            },
          ]
        : undefined,
    });
  }
  return out;
}

/** Wireshark-style hex dump lines: offset, `perLine` bytes in hex (grouped by 8), printable ASCII. */
export function hexDump(bytes: Uint8Array, perLine = 16): string[] {
  const lines: string[] = [];
  const width = perLine * 3 + Math.ceil(perLine / 8) - 2;
  for (let off = 0; off < bytes.length; off += perLine) {
    const chunk = [...bytes.subarray(off, off + perLine)];
    const groups: string[] = [];
    for (let g = 0; g < chunk.length; g += 8)
      groups.push(
        chunk
          .slice(g, g + 8)
          .map((b) => b.toString(16).padStart(2, '0'))
          .join(' '),
      );
    const ascii = chunk.map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    lines.push(`${off.toString(16).padStart(4, '0')}  ${groups.join('  ').padEnd(width)}  ${ascii}`);
  }
  return lines;
}

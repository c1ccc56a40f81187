/**
 * Which bytes of a packet each field of the packet tree (tree.ts) occupies, so the
 * inspector can highlight a field's bytes and find the field a byte belongs to. Offsets
 * follow the headers' layouts (RFC 791, RFC 793, RFC 792); the packet is decoded through
 * the core's decoder for the header lengths. Pure.
 */
import { decodePacket, tcpOptionLength } from '../../core/index';

/** [start, end) byte offsets. */
export type Range = [number, number];

/** Field ranges by section kind ('ip' | 'tcp' | 'ftp' | 'icmp') and field name, as tree.ts names them. */
export function fieldRanges(bytes: Uint8Array): Map<string, Range> {
  const out = new Map<string, Range>();
  const p = decodePacket(bytes, { verifyChecksums: false, copyPayload: false });
  if (!p.ok) return out;
  const ip = (name: string, a: number, b: number) => out.set(`ip:${name}`, [a, b]);
  ip('Version', 0, 1);
  ip('Header length', 0, 1);
  ip('DSCP / ECN', 1, 2);
  ip('Total length', 2, 4);
  ip('Identification', 4, 6);
  ip('Flags', 6, 7);
  ip('Fragment offset', 6, 8);
  ip('Time to live', 8, 9);
  ip('Protocol', 9, 10);
  ip('Header checksum', 10, 12);
  ip('Source address', 12, 16);
  ip('Destination address', 16, 20);
  const o = p.value.ip.header.ihl * 4;
  const { tcp, icmp } = p.value;
  if (tcp) {
    const t = (name: string, a: number, b: number) => out.set(`tcp:${name}`, [o + a, o + b]);
    t('Source port', 0, 2);
    t('Destination port', 2, 4);
    t('Sequence number', 4, 8);
    t('Acknowledgment number', 8, 12);
    t('Header length', 12, 13);
    t('Flags', 12, 14);
    t('Window', 14, 16);
    t('Checksum', 16, 18);
    t('Urgent pointer', 18, 20);
    const h = tcp.dataOffset * 4;
    if (h > 20) out.set('tcp:Options', [o + 20, o + h]);
    // Each option, in the order the tree lists them ("Option 1", …).
    let at = o + 20;
    tcp.options.forEach((opt, i) => {
      const n = opt.kind === 'eol' ? o + h - at : tcpOptionLength(opt);
      out.set(`tcp:Option ${i + 1}`, [at, at + n]);
      at += n;
    });
    const start = o + h;
    out.set('tcp:Payload', [start, bytes.length]);
    if (tcp.payload.length) {
      const text = new TextDecoder().decode(tcp.payload);
      if (/^\d{3}[ -]/.test(text)) {
        out.set('ftp:Response', [start, bytes.length]);
        out.set('ftp:Response code', [start, start + 3]);
      } else {
        out.set('ftp:Request', [start, bytes.length]);
        const word = text.split(/[ \r\n]/)[0] ?? '';
        out.set('ftp:Request command', [start, start + word.length]);
      }
    }
  } else if (icmp) {
    out.set('icmp:Type', [o, o + 1]);
    out.set('icmp:Code', [o + 1, o + 2]);
    out.set('icmp:Checksum', [o + 2, o + 4]);
    out.set('icmp:Quoted packet', [o + 8, bytes.length]);
  }
  return out;
}

/** The section kind of a tree section title. */
export function sectionKind(title: string): 'ip' | 'tcp' | 'ftp' | 'icmp' | 'other' {
  if (title.startsWith('Internet Protocol')) return 'ip';
  if (title.startsWith('Transmission Control') || title.startsWith('Options')) return 'tcp';
  if (title.startsWith('File Transfer')) return 'ftp';
  if (title.startsWith('Internet Control') || title.startsWith('Quoted')) return 'icmp';
  return 'other';
}

/** The narrowest field holding byte `i` (a port rather than the whole payload). */
export function fieldAt(ranges: Map<string, Range>, i: number): string | null {
  let best: string | null = null;
  let width = Infinity;
  for (const [k, [a, b]] of ranges) if (i >= a && i < b && b - a < width) [best, width] = [k, b - a];
  return best;
}

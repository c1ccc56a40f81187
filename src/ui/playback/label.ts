/**
 * One short line per step for the ladder and the canvas marker, read from the packet's
 * bytes through the core's decoder (the UI never builds its own view of a packet).
 */
import { decodePacket, formatTcpFlags, describeIcmp, refusalBesideName, type TraceEvent } from '../../core/index';

const MAX = 60;

/** The FTP line carried by a TCP payload, if it is printable text (else null). */
export function payloadText(payload: Uint8Array): string | null {
  if (payload.length === 0) return null;
  let s = '';
  for (const b of payload) {
    if (b === 0x0d || b === 0x0a) continue;
    if (b < 0x20 || b > 0x7e) return null;
    s += String.fromCharCode(b);
  }
  return s;
}

const cut = (s: string) => (s.length > MAX ? `${s.slice(0, MAX - 1)}…` : s);

/** e.g. `SYN`, `PSH, ACK "PASV"`, `ICMP Destination unreachable (…)`. */
export function packetLabel(bytes: Uint8Array): string {
  const p = decodePacket(bytes, { verifyChecksums: false });
  if (!p.ok) return `undecodable ${p.error.layer}`;
  const { tcp, icmp } = p.value;
  if (tcp) {
    const text = payloadText(tcp.payload);
    const flags = formatTcpFlags(tcp.flags);
    if (text !== null) return cut(`"${text}"`);
    if (tcp.payload.length > 0) return `${flags} ${tcp.payload.length} bytes`;
    return flags;
  }
  if (icmp) return cut(`ICMP ${describeIcmp(icmp.type, icmp.code)}`);
  return `IP protocol ${p.value.ip.header.protocol}`;
}

/**
 * A NAT step's short name for the ladder and the inspector. The iptables targets keep their names
 * (DNAT, SNAT, MASQUERADE, REDIRECT: what the rules say, in the glossary); the kernel's own
 * steps were shown as the simulator's codes ("NAT reply-translate", "NAT ftp-payload") and are
 * said in words.
 */
export function natLabel(what: Extract<TraceEvent, { kind: 'nat' }>['what']): string {
  switch (what) {
    case 'reply-translate':
      return 'NAT: reply changed back';
    case 'ftp-payload':
      return 'NAT: FTP text rewritten';
    case 'seq-adjust':
      return 'NAT: TCP numbers shifted';
    default:
      return `NAT ${what}`;
  }
}

/** What a step is, in words, for the ladder row's accessible name and the inspector; `name` gives a device's display name. */
export function stepLabel(e: TraceEvent, name: (id: string) => string = (id) => id): string {
  switch (e.kind) {
    case 'send':
      return packetLabel(e.bytes);
    case 'drop':
      return `✗ ${e.how.toUpperCase()} at ${name(e.device)}: ${refusalBesideName(e)}`;
    case 'nat':
      return `${natLabel(e.what)}${e.note ? ` (${e.note})` : ''}`;
    case 'transfer':
      return `${e.ok ? '✓' : '✗'} ${e.command}: ${e.note}`;
    default:
      return e.kind;
  }
}

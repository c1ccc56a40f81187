/**
 * A NAT step in a beginner's words for the step line: what the router changed, from what to
 * what (read from the packet before and after), and in one sentence why. The rule's own
 * technical note stays on the canvas's NAT callout and in the CLI.
 */
import { decodePacket, formatIpv4, type Ipv4 } from '../../core/index';
import { natLabel, payloadText } from './label';

export interface NatStep {
  what: string;
  note: string;
  before: Uint8Array;
  after: Uint8Array;
}

interface Ends {
  src: string;
  dst: string;
  text: string | null;
  payloadLength: number;
  seq: number | null;
  ack: number | null;
}

function ends(bytes: Uint8Array): Ends | null {
  const p = decodePacket(bytes, { verifyChecksums: false, copyPayload: false });
  if (!p.ok) return null;
  const { ip, tcp } = p.value;
  const at = (a: Ipv4, port: number | undefined) => (port === undefined ? formatIpv4(a) : `${formatIpv4(a)}:${port}`);
  return {
    src: at(ip.header.src, tcp?.srcPort),
    dst: at(ip.header.dst, tcp?.dstPort),
    text: tcp ? payloadText(tcp.payload) : null,
    payloadLength: tcp?.payload.length ?? 0,
    seq: tcp?.seq ?? null,
    ack: tcp?.ack ?? null,
  };
}

/** Why, per kind of rewrite: one sentence a beginner can follow. */
const WHY: Record<string, string> = {
  MASQUERADE: "MASQUERADE: the router writes its own public address in place of the sender's private one, and remembers the change, so it can change the replies back.",
  SNAT: "Source NAT: the router writes another address in place of the sender's, as it did for this connection's first packet, and changes the replies back.",
  DNAT: "Destination NAT (port forwarding): the router sends the packet on to another machine, as it did for this connection's first packet, and changes the replies back.",
  REDIRECT: 'REDIRECT: the router sends the packet to a port on itself.',
  'reply-translate': 'A reply on a connection whose first packet NAT changed: the router changes it back, so it reaches the machine that opened the connection.',
};

const len = (n: number) => `${Math.abs(n)} byte${Math.abs(n) === 1 ? '' : 's'}`;

/** The step line's head and second line for a NAT event. */
export function natLine(e: NatStep): { text: string; detail: string } {
  const b = ends(e.before);
  const a = ends(e.after);
  if (!b || !a) return { text: natLabel(e.what), detail: e.note };
  if (e.what === 'ftp-payload') {
    const grew = a.payloadLength - b.payloadLength;
    const shift =
      grew === 0 ? '' : ` The text got ${len(grew)} ${grew > 0 ? 'longer' : 'shorter'}, so the router also shifts the sequence numbers of the later packets on this connection.`;
    if (b.text === a.text)
      return { text: `NAT's FTP helper reads "${b.text ?? ''}": nothing to change`, detail: 'The address written in the FTP text is already one the other side can reach.' };
    return {
      text: `NAT's FTP helper rewrites the FTP text: "${b.text ?? ''}" → "${a.text ?? ''}"`,
      detail: `The FTP helper (nf_nat_ftp) changes the address written inside the FTP text to the router's public one, so the other side connects to an address it can reach.${shift}`,
    };
  }
  if (e.what === 'seq-adjust')
    return {
      text: `NAT shifts the sequence numbers: seq ${b.seq} → ${a.seq}, ack ${b.ack} → ${a.ack}`,
      detail: "The FTP helper changed the FTP text's length earlier on this connection, so the router moves the sequence and acknowledgement numbers to match.",
    };
  const changes: string[] = [];
  if (b.src !== a.src) changes.push(`sender ${b.src} → ${a.src}`);
  if (b.dst !== a.dst) changes.push(`destination ${b.dst} → ${a.dst}`);
  return {
    text: changes.length > 0 ? `NAT changes the ${changes.join(', the ')}` : `${natLabel(e.what)} — no address changed`,
    detail: WHY[e.what] ?? e.note,
  };
}

/**
 * "What is happening" in one line, for the current playback step: the packet in words a
 * beginner reads ("The server answers PASV: it will wait for a connection on port 50069
 * (195×256+149)"), a drop with its reason, a NAT rewrite, a transfer's end. Pure.
 */
import { decodePacket, describePacket, refusalAfterName, type Trace } from '../core/index';
import { portArithmetic } from './arithmetic';
import { glossaryEntry } from './glossary';
import { plainText } from './markup';
import { ftpPayloadLine } from './targets';

/**
 * `hideNumbers`: a lesson's question asks for the port, so the caption does not give it away.
 * `name`: a device's display name (the app passes the canvas's names; ids otherwise).
 * `hop: false` leaves out the "(sender → receiver)" tail, for a line that already names them.
 */
export function stepCaption(trace: Trace, eventIndex: number, opts: { hideNumbers?: boolean; name?: (id: string) => string; hop?: boolean } = {}): string {
  const e = trace.events[eventIndex];
  if (!e) return '';
  const nm = opts.name ?? ((id: string) => id);
  const tail = (s: string) => (opts.hop === false ? '' : ` (${s})`);
  switch (e.kind) {
    case 'drop':
      return `${nm(e.device)} ${e.how === 'reject' ? 'refuses' : 'drops'} the packet: ${refusalAfterName(e)}`;
    case 'nat':
      return `${nm(e.device)} rewrites the packet (${e.what}): ${e.note}`;
    case 'transfer':
      return `The transfer "${e.command}" ${e.ok ? `finished: ${e.bytes} bytes arrived` : `failed${e.note ? ` (${e.note})` : ''}`}.`;
    case 'send': {
      const conn = e.conn ? trace.connections.find((c) => c.id === e.conn) : undefined;
      const line = ftpPayloadLine(e.bytes);
      const hop = `${nm(e.device)} → ${nm(e.to)}`;
      if (line) {
        const a = portArithmetic(line);
        if (a && opts.hideNumbers)
          return `${a.kind === 'PORT' || a.kind === 'EPRT' ? 'The client names the address and port it listens on' : 'The server names the port it will wait on'}: work it out from the ${a.kind} line in the packet inspector.${tail(hop)}`;
        if (a?.kind === '227') return `The server answers PASV: it will wait for a connection on port ${a.port} (${a.p1}×256+${a.p2}) at ${a.address}.${tail(hop)}`;
        if (a?.kind === '229') return `The server answers EPSV: it will wait for a connection on port ${a.port}, at the address the client already uses.${tail(hop)}`;
        if (a?.kind === 'PORT') return `The client says PORT: "connect back to me at ${a.address}, port ${a.port} (${a.p1}×256+${a.p2})".${tail(hop)}`;
        if (a?.kind === 'EPRT') return `The client says EPRT: "connect back to me at ${a.address}, port ${a.port}".${tail(hop)}`;
        const code = /^(\d{3})[ -]/.exec(line)?.[1];
        const meaning = code ? glossaryEntry(code) : undefined;
        if (meaning) return `Reply ${code}: ${plainText(meaning.text)}${tail(hop)}`;
        if (code) return `The server replies "${line}".${tail(hop)}`;
        // The password is shown, as on the wire: that FTP sends it unencrypted is the lesson.
        if (/^PASS /i.test(line)) return `The client sends its password: "${line}". Plain FTP does not encrypt it: anyone who can see these packets can read it.${tail(hop)}`;
        return `The client sends the command "${line}".${tail(hop)}`;
      }
      const p = decodePacket(e.bytes, { verifyChecksums: false });
      const tcp = p.ok ? p.value.tcp : undefined;
      const what = conn ? `the ${conn.role} connection` : 'a connection';
      if (tcp && conn) {
        const f = tcp.flags;
        if (f.syn && !f.ack) {
          const again = trace.events.slice(0, eventIndex).some((x) => x.kind === 'send' && x.conn === e.conn && x.device === e.device && x.packetId !== e.packetId);
          return again
            ? `No answer yet: ${nm(conn.opener)}'s SYN for ${what} to ${conn.dialled} is sent again (a retransmission).${tail(hop)}`
            : `${nm(conn.opener)} opens ${what}: a SYN to ${conn.dialled}.${tail(hop)}`;
        }
        if (f.syn && f.ack) return `${nm(conn.acceptor)} accepts ${what} (SYN-ACK).${tail(hop)}`;
        if (f.rst) return `A reset (RST): ${what} is refused or torn down.${tail(hop)}`;
        if (f.fin) return `One side closes ${what} (FIN).${tail(hop)}`;
        if (tcp.payload.length > 0 && conn.role === 'data') return `Data on the data connection: ${tcp.payload.length} bytes.${tail(hop)}`;
        return `An acknowledgement on ${what}.${tail(hop)}`;
      }
      return `${describePacket(e.bytes)}${tail(hop)}`;
    }
    default:
      return '';
  }
}

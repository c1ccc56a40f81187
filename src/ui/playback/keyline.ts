/**
 * The current step in one line a room can read: who sent what to whom, with the FTP text
 * whole (a PORT or 227 line's numbers are never cut), or what a device did to the packet.
 * DROP and REJECT are told apart in words and symbols, not by colour: a DROP is silent (⧖,
 * the sender hears nothing and retries until it gives up), a REJECT answers at once (⛔).
 */
import { refusalBesideName, type Trace } from '../../core/index';
import { packetLabel, payloadText } from './label';
import { decodePacket } from '../../core/index';
import { portArithmetic } from '../../teach/arithmetic';
import { natLine } from './natLine';

export interface KeyLine {
  kind: 'send' | 'drop' | 'reject' | 'refused' | 'nat' | 'transfer' | 'none';
  /** Symbol that carries the meaning without colour. */
  icon: string;
  /** "Laptop → Client router" or the device that acted. */
  who: string;
  /** The packet or the action, unshortened. */
  text: string;
  /** A second line: the rule, the rewrite, what happens next. */
  detail: string;
}

/** Display name of a device: its label, with the id after it where the two differ. */
export type Names = ReadonlyMap<string, string>;
export const nameOf = (names: Names, id: string): string => names.get(id) ?? id;

/** The whole FTP line (no length cut) or the packet's short label when it carries none. */
export function fullPacketText(bytes: Uint8Array): string {
  const p = decodePacket(bytes, { verifyChecksums: false });
  if (p.ok && p.value.tcp) {
    const text = payloadText(p.value.tcp.payload);
    if (text !== null) return `"${text}"`;
  }
  return packetLabel(bytes);
}

/** `hideNumbers`: a lesson's open question asks for the port, so its arithmetic is kept back. */
export function keyLine(trace: Trace, eventIndex: number, names: Names, opts: { hideNumbers?: boolean } = {}): KeyLine {
  const e = trace.events[eventIndex];
  const n = (id: string) => nameOf(names, id);
  if (!e) return { kind: 'none', icon: '', who: '', text: 'Nothing has happened yet.', detail: '' };
  switch (e.kind) {
    case 'send': {
      const text = fullPacketText(e.bytes);
      // A PORT/EPRT/227/229 line: its numbers spelled out (195×256+149 = 50069).
      const sum = text.startsWith('"') && !opts.hideNumbers ? portArithmetic(text.slice(1, -1)) : null;
      return { kind: 'send', icon: '▶', who: `${n(e.device)} → ${n(e.to)}`, text, detail: sum ? sum.text : '' };
    }
    case 'drop': {
      // The line names the device already ("Server firewall:"), so the reason does not again ("Dropped by the FORWARD chain's policy").
      const reason = refusalBesideName(e);
      const rule = e.rule ? `rule ${e.rule.index} of ${e.rule.table}/${e.rule.chain}: ${e.rule.text}` : reason;
      if (e.how === 'drop')
        return {
          kind: 'drop',
          icon: '',
          who: n(e.device),
          text: 'DROP — the packet vanishes silently',
          detail: `${rule}. No answer is sent: the sender waits, retries, and gives up after its time-out.`,
        };
      if (e.how === 'reject')
        return {
          kind: 'reject',
          icon: '',
          who: n(e.device),
          text: 'REJECT — refused at once, with an answer',
          detail: `${rule}. The sender is told immediately (an ICMP error or a TCP RST comes back), so it fails fast.`,
        };
      return { kind: 'refused', icon: '✗', who: n(e.device), text: `${e.how.toUpperCase()} — the packet goes no further`, detail: reason };
    }
    case 'nat':
      return {
        kind: 'nat',
        icon: '⇄',
        who: n(e.device),
        ...natLine(e),
      };
    case 'transfer':
      return { kind: 'transfer', icon: e.ok ? '✓' : '✗', who: n(e.client), text: `${e.command}: ${e.ok ? 'done' : 'failed'}`, detail: e.note };
    default:
      return { kind: 'none', icon: '', who: '', text: e.kind, detail: '' };
  }
}

/**
 * The numbers inside PORT, EPRT, 227 and 229 lines, spelled out for a beginner:
 *
 *   227 Entering Passive Mode (192,168,150,90,195,149)
 *     → "port = 195×256+149 = 50069, address 192.168.150.90"
 *
 * Used by lessons, the packet inspector and the always-visible key line. Pure.
 */

export type AddressLineKind = 'PORT' | 'EPRT' | '227' | '229';

export interface PortArithmetic {
  kind: AddressLineKind;
  /** Dotted address the line names; null for 229 (it names none: the control connection's is used). */
  address: string | null;
  port: number;
  /** The two port bytes of PORT/227 (port = p1×256+p2); absent for EPRT/229, which write the port out. */
  p1?: number;
  p2?: number;
  /** "195×256+149 = 50069" for PORT/227; "50044" for EPRT/229. */
  sum: string;
  /** One line: "port = 195×256+149 = 50069, address 192.168.150.90". */
  text: string;
}

const SIX = /(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})/;

function sixNumbers(s: string): { address: string; p1: number; p2: number } | null {
  const m = SIX.exec(s);
  if (!m) return null;
  const n = m.slice(1, 7).map(Number);
  if (n.some((x) => x > 255)) return null;
  return { address: n.slice(0, 4).join('.'), p1: n[4]!, p2: n[5]! };
}

/** EPRT/229 use a delimiter chosen by the sender: |1|addr|port| or |||port|. */
function delimited(s: string): string[] | null {
  const d = s.trim()[0] === '(' ? s.trim()[1] : s.trim()[0];
  if (!d || /[0-9A-Za-z]/.test(d)) return null;
  const body = s
    .trim()
    .replace(/^\(/, '')
    .replace(/\)\.?$/, '');
  const parts = body.split(d);
  // "|1|addr|port|" → ["", "1", "addr", "port", ""]
  if (parts.length !== 5 || parts[0] !== '' || parts[4] !== '') return null;
  return parts.slice(1, 4);
}

/** The arithmetic of one PORT/EPRT command or 227/229 reply line; null for any other line. */
export function portArithmetic(line: string): PortArithmetic | null {
  const s = String(line ?? '').trim();
  const word = /^(\S+)\s*(.*)$/.exec(s);
  if (!word) return null;
  const head = word[1]!.toUpperCase().replace(/-$/, '');
  const rest = word[2]!;
  if (head === 'PORT' || head === '227') {
    const six = sixNumbers(rest);
    if (!six) return null;
    const port = six.p1 * 256 + six.p2;
    const sum = `${six.p1}×256+${six.p2} = ${port}`;
    return { kind: head, address: six.address, port, p1: six.p1, p2: six.p2, sum, text: `port = ${sum}, address ${six.address}` };
  }
  if (head === 'EPRT') {
    const parts = delimited(rest);
    if (!parts || !/^\d{1,5}$/.test(parts[2]!)) return null;
    const port = Number(parts[2]);
    if (port > 65535) return null;
    const family = parts[0] === '2' ? 'IPv6' : 'IPv4';
    return { kind: 'EPRT', address: parts[1]!, port, sum: String(port), text: `port = ${port} (written out), address ${parts[1]} (${family})` };
  }
  if (head === '229') {
    const open = rest.indexOf('(');
    if (open < 0) return null;
    const parts = delimited(rest.slice(open));
    if (!parts || !/^\d{1,5}$/.test(parts[2]!)) return null;
    const port = Number(parts[2]);
    if (port > 65535) return null;
    return { kind: '229', address: null, port, sum: String(port), text: `port = ${port} (written out); no address: the client uses the control connection's` };
  }
  return null;
}

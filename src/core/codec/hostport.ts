/**
 * The address arguments FTP carries in text: PORT/227 `h1,h2,h3,h4,p1,p2` (RFC 959),
 * EPRT `|1|a.b.c.d|port|` and 229 `(|||port|)` (RFC 2428). The parsers follow what
 * nf_conntrack_ftp accepts, since a firewall's helper is what the simulator models:
 *   PORT  → six decimal numbers separated by commas
 *   227   → skip the code, scan to the first digit (parentheses optional), six numbers
 *   229   → needs '(' and three equal delimiters, then the port and the delimiter again
 *   EPRT  → any delimiter 33..126, |1| IPv4 or |2| IPv6, port
 */
import { asIpv4, asPort, formatIpv4, ipv4Octets, parseIpv4, type Ipv4, type Port } from './addr';
import { fail, ok, type Decoded } from './result';

const bad = (kind: 'bad-value' | 'syntax', offset: number, message: string) => fail('hostport', kind, offset, message);

/** `192,168,150,80,14,178` for 192.168.150.80 port 3762 (14·256 + 178). */
export function encodeHostPort(ip: Ipv4, port: number): string {
  return [...ipv4Octets(ip), (port >>> 8) & 0xff, port & 0xff].join(',');
}

const HOSTPORT = /^(\d+),(\d+),(\d+),(\d+),(\d+),(\d+)/;

/**
 * Six comma-separated numbers at the start of `text` (after optional spaces). Trailing
 * text is ignored when `allowTrailing` (227 replies end in ")."), else it is an error.
 * Octets above 255 and port 0 are bad values: no real stack announces either.
 */
function decodeAt(text: string, start: number, allowTrailing: boolean): Decoded<{ ip: Ipv4; port: Port; end: number }> {
  const m = HOSTPORT.exec(text.slice(start));
  if (!m) return bad('syntax', start, 'expected six comma-separated numbers h1,h2,h3,h4,p1,p2');
  const nums = m.slice(1, 7).map(Number);
  let col = start;
  for (let i = 0; i < 6; i++) {
    if (nums[i]! > 255) return bad('bad-value', col, `${i < 4 ? 'address octet' : 'port byte'} ${nums[i]} is above 255`);
    col += m[i + 1]!.length + 1;
  }
  const [h1, h2, h3, h4, p1, p2] = nums as [number, number, number, number, number, number];
  const port = p1 * 256 + p2;
  if (port === 0) return bad('bad-value', start, 'port 0 is not a valid data port');
  const end = start + m[0].length;
  if (!allowTrailing && text.slice(end).trim() !== '') return bad('syntax', end, `unexpected text after the port: ${JSON.stringify(text.slice(end))}`);
  return ok({ ip: asIpv4(((h1 << 24) | (h2 << 16) | (h3 << 8) | h4) >>> 0), port: asPort(port), end });
}

/** The PORT argument; surrounding whitespace is allowed. */
export function decodeHostPort(text: string): Decoded<{ ip: Ipv4; port: Port }> {
  const start = text.length - text.trimStart().length;
  const r = decodeAt(text, start, false);
  return r.ok ? ok({ ip: r.value.ip, port: r.value.port }) : r;
}

/** vsftpd's wording. */
export function format227(ip: Ipv4, port: number): string {
  return `227 Entering Passive Mode (${encodeHostPort(ip, port)}).`;
}

/**
 * A 227 reply line or its text. Real variants (Wireshark's packet-ftp.c lists them):
 *   `227 Entering Passive Mode (h,h,h,h,p,p).`  vsftpd, ProFTPD
 *   `227 Entering Passive Mode h,h,h,h,p,p`     no parentheses
 *   `227 =h,h,h,h,p,p`                          some old servers
 * Like nf_conntrack_ftp and most clients: skip the code, then scan to the first digit.
 */
export function parse227(replyText: string): Decoded<{ ip: Ipv4; port: Port }> {
  const from = /^227[ -]/.test(replyText) ? 4 : 0;
  const rel = replyText.slice(from).search(/\d/);
  if (rel < 0) return bad('syntax', replyText.length, '227 reply carries no address');
  const r = decodeAt(replyText, from + rel, true);
  return r.ok ? ok({ ip: r.value.ip, port: r.value.port }) : r;
}

/** vsftpd's wording: no period after the parenthesis (captured from vsftpd 3.0.3). */
export function format229(port: number): string {
  return `229 Entering Extended Passive Mode (|||${port}|)`;
}

/** `(|||port|)` — the delimiter may be any of 33..126 but all four must be the same. */
export function parse229(replyText: string): Decoded<{ port: Port }> {
  const open = replyText.indexOf('(');
  if (open < 0) return bad('syntax', replyText.length, "229 reply has no '('");
  const d = replyText.charAt(open + 1);
  const dc = d.charCodeAt(0);
  if (!(dc >= 33 && dc <= 126) || /\d/.test(d)) return bad('syntax', open + 1, 'expected a delimiter after "("');
  if (replyText.charAt(open + 2) !== d || replyText.charAt(open + 3) !== d) return bad('syntax', open + 2, `expected three "${d}" delimiters`);
  const m = /^(\d+)/.exec(replyText.slice(open + 4));
  if (!m) return bad('syntax', open + 4, 'expected a port number');
  if (replyText.charAt(open + 4 + m[1]!.length) !== d) return bad('syntax', open + 4 + m[1]!.length, `expected "${d}" after the port`);
  const port = Number(m[1]);
  if (port < 1 || port > 65535) return bad('bad-value', open + 4, `port ${m[1]} is out of range 1..65535`);
  return ok({ port: asPort(port) });
}

export function formatEprtArg(ip: Ipv4, port: number): string {
  return `|1|${formatIpv4(ip)}|${port}|`;
}

/** Loose IPv6 text check: hex groups, colons, an optional embedded IPv4, a zone id. */
const IPV6_TEXT = /^(?=.*:)[0-9A-Fa-f:.]+(%[\w.-]+)?$/;

/** RFC 2428 `<d><af><d><addr><d><port><d>`; af 1 = IPv4, 2 = IPv6 (address kept as text). */
export function parseEprtArg(arg: string): Decoded<{ family: 1 | 2; address: string; ip?: Ipv4; port: Port }> {
  const d = arg.charAt(0);
  const dc = d.charCodeAt(0);
  if (!(dc >= 33 && dc <= 126)) return bad('syntax', 0, 'EPRT argument must start with a delimiter (ASCII 33..126)');
  const parts = arg.split(d);
  if (parts.length !== 5 || parts[0] !== '' || parts[4] !== '') return bad('syntax', 0, `expected ${d}af${d}address${d}port${d}`);
  const [, af, address, portText] = parts as [string, string, string, string, string];
  const addrCol = 2 + af.length;
  const portCol = addrCol + address.length + 1;
  if (af !== '1' && af !== '2') return bad('bad-value', 1, `address family ${JSON.stringify(af)} is not 1 (IPv4) or 2 (IPv6)`);
  if (!/^\d{1,5}$/.test(portText)) return bad('syntax', portCol, 'port must be a decimal number');
  const port = Number(portText);
  if (port < 1 || port > 65535) return bad('bad-value', portCol, `port ${port} is out of range 1..65535`);
  if (af === '1') {
    const ip = parseIpv4(address);
    if (ip === null || address !== address.trim()) return bad('bad-value', addrCol, `${JSON.stringify(address)} is not an IPv4 address`);
    return ok({ family: 1, address, ip, port: asPort(port) });
  }
  if (!IPV6_TEXT.test(address)) return bad('bad-value', addrCol, `${JSON.stringify(address)} is not an IPv6 address`);
  return ok({ family: 2, address, port: asPort(port) });
}

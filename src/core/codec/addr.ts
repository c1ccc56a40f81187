/** IPv4 address as an unsigned 32-bit number. Branded so ports and addresses never mix. */
export type Ipv4 = number & { readonly __brand: 'Ipv4' };
/** TCP/UDP port 0..65535. */
export type Port = number & { readonly __brand: 'Port' };

export const asIpv4 = (n: number): Ipv4 => (n >>> 0) as Ipv4;
export const asPort = (n: number): Port => n as Port;

const DOTTED = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** Parses dotted-quad text; null when it is not exactly four octets 0..255. */
export function parseIpv4(text: string): Ipv4 | null {
  const m = DOTTED.exec(text.trim());
  if (!m) return null;
  let n = 0;
  for (let i = 1; i <= 4; i++) {
    const octet = Number(m[i]);
    if (octet > 255) return null;
    n = n * 256 + octet;
  }
  return asIpv4(n);
}

export function formatIpv4(ip: Ipv4): string {
  return `${(ip >>> 24) & 255}.${(ip >>> 16) & 255}.${(ip >>> 8) & 255}.${ip & 255}`;
}

export function ipv4Octets(ip: Ipv4): [number, number, number, number] {
  return [(ip >>> 24) & 255, (ip >>> 16) & 255, (ip >>> 8) & 255, ip & 255];
}

export interface Cidr {
  readonly network: Ipv4;
  readonly prefix: number;
}

/** `10.0.0.0/8`, or a bare address as /32. */
export function parseCidr(text: string): Cidr | null {
  const [addr, len, ...rest] = text.trim().split('/');
  if (rest.length > 0 || addr === undefined) return null;
  const ip = parseIpv4(addr);
  if (ip === null) return null;
  const prefix = len === undefined ? 32 : /^\d{1,2}$/.test(len) ? Number(len) : NaN;
  if (!(prefix >= 0 && prefix <= 32)) return null;
  return { network: asIpv4(ip & prefixMask(prefix)), prefix };
}

export function prefixMask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

export function inCidr(ip: Ipv4, c: Cidr): boolean {
  return (ip & prefixMask(c.prefix)) >>> 0 === c.network;
}

export function formatCidr(c: Cidr): string {
  return c.prefix === 32 ? formatIpv4(c.network) : `${formatIpv4(c.network)}/${c.prefix}`;
}

/** RFC 1918 private ranges: what FileZilla calls an "unroutable" passive address. */
export function isPrivateIpv4(ip: Ipv4): boolean {
  return ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'].some((c) => inCidr(ip, parseCidr(c)!));
}

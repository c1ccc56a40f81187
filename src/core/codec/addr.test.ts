import { describe, expect, it } from 'vitest';
import { formatIpv4, inCidr, isPrivateIpv4, parseCidr, parseIpv4 } from './addr';

describe('addresses', () => {
  it('parses and formats dotted quads', () => {
    expect(parseIpv4('192.168.150.80')).toBe(0xc0a89650);
    expect(formatIpv4(parseIpv4('203.0.113.10')!)).toBe('203.0.113.10');
    expect(parseIpv4('256.1.1.1')).toBeNull();
    expect(parseIpv4('1.2.3')).toBeNull();
  });
  it('matches CIDR prefixes', () => {
    const net = parseCidr('192.168.1.0/24')!;
    expect(inCidr(parseIpv4('192.168.1.77')!, net)).toBe(true);
    expect(inCidr(parseIpv4('192.168.2.1')!, net)).toBe(false);
    expect(parseCidr('0.0.0.0/0')!.prefix).toBe(0);
    expect(inCidr(parseIpv4('8.8.8.8')!, parseCidr('0.0.0.0/0')!)).toBe(true);
    expect(parseCidr('10.0.0.0/33')).toBeNull();
    expect(isPrivateIpv4(parseIpv4('10.0.0.10')!)).toBe(true);
    expect(isPrivateIpv4(parseIpv4('203.0.113.10')!)).toBe(false);
  });
});

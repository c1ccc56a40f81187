import { describe, expect, it } from 'vitest';
import { encodeTcpPacket, parseIpv4, type Ipv4 } from '../../core/index';
import { fieldAt, fieldRanges } from './byteRanges';

const ip = (s: string) => parseIpv4(s) as Ipv4;

describe('field ↔ byte ranges', () => {
  const bytes = encodeTcpPacket(
    { src: ip('192.168.1.100'), dst: ip('203.0.113.10'), ttl: 64, identification: 1 },
    { srcPort: 50069, dstPort: 21, seq: 1000, ack: 2000, flags: { psh: true, ack: true }, window: 64240, payload: new TextEncoder().encode('PORT 192,168,1,100,195,149\r\n') },
  );
  const r = fieldRanges(bytes);
  const slice = (k: string) => bytes.subarray(...r.get(k)!);

  it('the ranges hold the values the tree shows', () => {
    expect([...slice('ip:Source address')]).toEqual([192, 168, 1, 100]);
    expect([...slice('ip:Destination address')]).toEqual([203, 0, 113, 10]);
    const sp = slice('tcp:Source port');
    expect(sp[0]! * 256 + sp[1]!).toBe(50069);
    const dp = slice('tcp:Destination port');
    expect(dp[0]! * 256 + dp[1]!).toBe(21);
    expect(new TextDecoder().decode(slice('ftp:Request command'))).toBe('PORT');
    expect(new TextDecoder().decode(slice('ftp:Request'))).toBe('PORT 192,168,1,100,195,149\r\n');
  });

  it('a byte finds its narrowest field', () => {
    expect(fieldAt(r, 13)).toBe('ip:Source address');
    expect(fieldAt(r, 20)).toBe('tcp:Source port');
    expect(fieldAt(r, r.get('ftp:Request')![0])).toBe('ftp:Request command');
    expect(fieldAt(r, bytes.length - 1)).toMatch(/^(tcp:Payload|ftp:Request|ftp:Response)$/);
    expect(fieldAt(r, bytes.length)).toBeNull();
  });
});

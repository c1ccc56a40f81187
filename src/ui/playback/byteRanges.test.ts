import { describe, expect, it } from 'vitest';
import { encodeTcpPacket, parseIpv4, type Ipv4 } from '../../core/index';
import { fieldAt, fieldRanges } from './byteRanges';
import { packetTree } from './tree';

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

describe('TCP options in the tree and their bytes', () => {
  const syn = encodeTcpPacket(
    { src: ip('192.168.1.100'), dst: ip('203.0.113.10') },
    {
      srcPort: 40000,
      dstPort: 21,
      seq: 1,
      ack: 0,
      flags: { syn: true },
      window: 64240,
      options: [{ kind: 'mss', value: 1460 }, { kind: 'sack-permitted' }, { kind: 'timestamps', tsval: 123, tsecr: 0 }, { kind: 'nop' }, { kind: 'wscale', shift: 7 }],
    },
  );

  it('each option is a field with its size; header and payload show their arithmetic', () => {
    // The IP header's length is counted in 4-byte words too: the tree says so, as it does for TCP's.
    const ipv4 = packetTree(syn).find((s) => s.title.startsWith('Internet Protocol'))!;
    expect(Object.fromEntries(ipv4.fields)['Header length']).toBe('20 bytes (5 × 4)');
    const tcp = packetTree(syn).find((s) => s.title.startsWith('Transmission Control'))!;
    const fields = Object.fromEntries(tcp.fields);
    expect(fields['Header length']).toBe('40 bytes (10 × 4) = 20 fixed + 20 of options');
    expect(fields['Payload']).toBe('0 bytes = 60 IP total − 20 IP header − 40 TCP header');
    const opts = tcp.children![0]!;
    expect(opts.title).toBe('Options: 20 bytes (5 options)');
    expect(opts.fields.map(([k]) => k)).toEqual(['Option 1', 'Option 2', 'Option 3', 'Option 4', 'Option 5']);
    expect(opts.fields[0]![1]).toBe('Maximum segment size: 1460 bytes (kind 2, 4 bytes)');
    expect(opts.fields[2]![1]).toBe('Timestamps: TSval 123, TSecr 0 (kind 8, 10 bytes)');
    expect(opts.fields[4]![1]).toBe('Window scale: shift 7, multiply by 128 (kind 3, 3 bytes)');
  });

  it('each option field owns its bytes: kind and length first', () => {
    const r = fieldRanges(syn);
    const at = (k: string) => [...syn.subarray(...r.get(k)!)];
    expect(at('tcp:Option 1')).toEqual([2, 4, 0x05, 0xb4]);
    expect(at('tcp:Option 2')).toEqual([4, 2]);
    expect(at('tcp:Option 3').slice(0, 2)).toEqual([8, 10]);
    expect(at('tcp:Option 3').length).toBe(10);
    expect(at('tcp:Option 4')).toEqual([1]);
    expect(at('tcp:Option 5')).toEqual([3, 3, 7]);
    expect(fieldAt(r, 20 + 20 + 4 + 2 + 3)).toBe('tcp:Option 3'); // MSS 4, SACK_PERM 2, then inside TS
  });
});

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatIpv4, parseIpv4 } from './addr';
import { ipv4BuildArb, tcpBuildArb } from '../../../tests/fixtures/codec/arbitraries.testkit';
import { expectDecodedShape, FIXTURES, truncations } from '../../../tests/fixtures/codec/fixtures.testkit';
import { decodeIpv4, emitIpv4, encodeIpv4, fixIpv4Checksum } from './ipv4';
import { decodePacket, describePacket, encodeTcpPacket, rewriteTcpPacket } from './packet';
import { decodeTcp, encodeTcp } from './tcp';

const enc = (s: string) => new TextEncoder().encode(s);

describe('decodePacket', () => {
  it('decodes each fixture down to its transport', () => {
    const syn = decodePacket(FIXTURES.syn);
    expect(syn.ok && syn.value.tcp?.flags.syn).toBe(true);
    const icmp = decodePacket(FIXTURES.icmpHostProhibited);
    expect(icmp.ok && icmp.value.icmp?.code).toBe(10);
  });

  it('reports a bad TCP checksum at its offset within the packet', () => {
    const bad = FIXTURES.portData.slice();
    bad[bad.length - 3] = bad[bad.length - 3]! ^ 1;
    const r = decodePacket(bad);
    expect(!r.ok && r.error).toMatchObject({ layer: 'tcp', kind: 'bad-checksum', offset: 20 + 16 });
    expect(decodePacket(bad, { verifyChecksums: false }).ok).toBe(true);
  });

  it('does not read a transport header in a non-first fragment', () => {
    const d = decodeIpv4(FIXTURES.syn);
    if (!d.ok) throw new Error(d.error.message);
    const frag = fixIpv4Checksum(emitIpv4({ ...d.value, header: { ...d.value.header, fragmentOffset: 3 } }));
    const r = decodePacket(frag);
    expect(r.ok && r.value.tcp).toBeUndefined();
  });
});

describe('describePacket', () => {
  it('summarises TCP with flags, seq/ack, length and the FTP line', () => {
    expect(describePacket(FIXTURES.portData)).toBe(`192.168.150.80:3761 → 192.168.150.90:21 [PSH, ACK] seq=${0x5f3a2c29} ack=${0x9c0e7a8b} len=28 "PORT 192,168,150,80,14,178"`);
    expect(describePacket(FIXTURES.syn)).toBe(`192.168.150.80:3761 → 192.168.150.90:21 [SYN] seq=${0x5f3a2c10} ack=0 len=0`);
  });

  it('summarises ICMP errors with the flow they are about', () => {
    expect(describePacket(FIXTURES.icmpHostProhibited)).toBe(
      '192.168.150.1 → 192.168.150.80 ICMP Destination unreachable (Host administratively prohibited) about 192.168.150.80:3761 → 192.168.150.90:21',
    );
  });

  it('never throws, even on garbage', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 80 }), (b) => void expect(typeof describePacket(b)).toBe('string')));
    expect(describePacket(new Uint8Array(3))).toMatch(/^undecodable ipv4 \(truncated/);
  });
});

describe('encodeTcpPacket / rewriteTcpPacket', () => {
  it('decodePacket(encodeTcpPacket(ip, tcp)) gives both layers back with valid checksums', () => {
    fc.assert(
      fc.property(ipv4BuildArb, tcpBuildArb, (ip, tcp) => {
        const r = decodePacket(encodeTcpPacket(ip, tcp));
        if (!r.ok) throw new Error(r.error.message);
        expect([r.value.ip.header.src, r.value.ip.header.dst, r.value.ip.header.ttl]).toEqual([ip.src, ip.dst, ip.ttl]);
        expect([r.value.tcp?.srcPort, r.value.tcp?.seq, r.value.tcp?.payload]).toEqual([tcp.srcPort, tcp.seq, tcp.payload]);
      }),
    );
  });

  it('rewrites addresses, ports, seq and payload like nf_nat, keeping options and TTL, checksums valid', () => {
    const pub = parseIpv4('203.0.113.7')!;
    const out = rewriteTcpPacket(FIXTURES.portData, { src: pub, srcPort: 40000, seq: 100, payload: enc('PORT 203,0,113,7,156,64\r\n') });
    if (!out) throw new Error('not rewritten');
    const r = decodePacket(out);
    if (!r.ok) throw new Error(r.error.message);
    expect(formatIpv4(r.value.ip.header.src)).toBe('203.0.113.7');
    expect(r.value.ip.header.ttl).toBe(64);
    expect(r.value.ip.header.totalLength).toBe(out.length);
    expect(r.value.tcp).toMatchObject({ srcPort: 40000, dstPort: 21, seq: 100, ack: 0x9c0e7a8b });
    expect(r.value.tcp?.options).toHaveLength(3);
    expect(new TextDecoder().decode(r.value.tcp?.payload)).toBe('PORT 203,0,113,7,156,64\r\n');
    expect(rewriteTcpPacket(FIXTURES.icmpHostProhibited, { src: pub })).toBeNull();
  });

  it('encodeTcpPacket gives the bytes of encodeIpv4 around encodeTcp', () => {
    fc.assert(
      fc.property(ipv4BuildArb, tcpBuildArb, (ip, tcp) => {
        const { protocol: _p, payload: _pl, ...fields } = ip;
        expect(encodeTcpPacket(fields, tcp)).toEqual(encodeIpv4({ ...fields, protocol: 6, payload: encodeTcp(tcp, ip.src, ip.dst) }));
        expect(encodeTcpPacket({ src: ip.src, dst: ip.dst }, tcp)).toEqual(encodeIpv4({ src: ip.src, dst: ip.dst, protocol: 6, payload: encodeTcp(tcp, ip.src, ip.dst) }));
      }),
    );
  });

  it('a header-only rewrite (NAT) gives the bytes that re-encoding the edited segment gives, options or not', () => {
    const edit = fc.record(
      {
        src: fc.integer({ min: 0, max: 0xffffffff }),
        dst: fc.integer({ min: 0, max: 0xffffffff }),
        srcPort: fc.integer({ min: 0, max: 0xffff }),
        dstPort: fc.integer({ min: 0, max: 0xffff }),
        seq: fc.integer({ min: 0, max: 0xffffffff }),
        ack: fc.integer({ min: 0, max: 0xffffffff }),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(ipv4BuildArb, tcpBuildArb, fc.boolean(), edit, (ip, tcp, noOptions, e) => {
        const seg = noOptions ? { ...tcp, options: [] } : tcp;
        const before = encodeTcpPacket(ip, seg);
        const out = rewriteTcpPacket(before, e as never);
        const ed = e as { src?: number; dst?: number; srcPort?: number; dstPort?: number; seq?: number; ack?: number };
        const expected = encodeTcpPacket(
          { ...ip, src: (ed.src ?? ip.src) as never, dst: (ed.dst ?? ip.dst) as never },
          { ...seg, srcPort: ed.srcPort ?? seg.srcPort, dstPort: ed.dstPort ?? seg.dstPort, seq: ed.seq ?? seg.seq, ack: ed.ack ?? seg.ack },
        );
        expect(out).toEqual(expected);
      }),
    );
  });

  it('a rewrite re-encodes what it cannot patch as is (reserved TCP bits are cleared, as before)', () => {
    const bytes = encodeTcpPacket({ src: parseIpv4('10.0.0.1')!, dst: parseIpv4('10.0.0.2')! }, { srcPort: 1, dstPort: 2, seq: 3, ack: 4, flags: { ack: true }, window: 5 });
    bytes[20 + 12] = 0x51; // a reserved bit in the data-offset byte
    const out = rewriteTcpPacket(bytes, { srcPort: 9 });
    expect(out?.[20 + 12]).toBe(0x50);
    const r = decodePacket(out!);
    expect(r.ok && r.value.tcp?.srcPort).toBe(9);
  });

  it('every truncation of a valid packet gives an error, never a throw', () => {
    for (const f of Object.values(FIXTURES)) {
      for (const t of truncations(f)) {
        const r = expectDecodedShape(() => decodePacket(t));
        expect(r.ok).toBe(false);
      }
    }
    fc.assert(fc.property(fc.uint8Array({ maxLength: 19 }), (tail) => void expectDecodedShape(() => decodeTcp(tail))));
  });
  it('random bytes behind a valid IPv4 header (TCP or ICMP) never throw', () => {
    fc.assert(
      fc.property(ipv4BuildArb, fc.constantFrom(1, 6), fc.uint8Array({ maxLength: 70 }), fc.boolean(), (ip, protocol, payload, verify) => {
        const r = expectDecodedShape(() => decodePacket(encodeIpv4({ ...ip, protocol, payload }), { verifyChecksums: verify }));
        if (r.ok && verify) expect(r.value.tcp ?? r.value.icmp).toBeDefined();
      }),
    );
  });
});

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatIpv4, parseIpv4 } from './addr';
import { u32 } from '../../../tests/fixtures/codec/arbitraries.testkit';
import { expectDecodedShape, FIXTURES, truncations } from '../../../tests/fixtures/codec/fixtures.testkit';
import { decodeIcmp, describeIcmp, encodeIcmp, encodeIcmpError, ICMP_FIELDS, ICMP_TYPE, UNREACH_CODE } from './icmp';
import { encodeIcmpPacket } from './packet';
import { IPPROTO } from './ipv4';

describe('ICMP fixture: host-prohibited about the SYN to port 21', () => {
  const icmp = FIXTURES.icmpHostProhibited.slice(20);

  it('decodes type, code, checksum and the quoted flow', () => {
    const r = decodeIcmp(icmp);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value).toMatchObject({ type: ICMP_TYPE.DEST_UNREACH, code: UNREACH_CODE.HOST_PROHIBITED, checksum: 0x62e5, rest: 0 });
    const o = r.value.original!;
    expect([formatIpv4(o.header.src), formatIpv4(o.header.dst), o.header.protocol]).toEqual(['192.168.150.80', '192.168.150.90', IPPROTO.TCP]);
    expect({ srcPort: o.srcPort, dstPort: o.dstPort, tcpSeq: o.tcpSeq }).toEqual({ srcPort: 3761, dstPort: 21, tcpSeq: 0x5f3a2c10 });
    expect(o.first8).toEqual(FIXTURES.syn.slice(20, 28));
  });

  it('decodes a quote of only header + 8 bytes (RFC 792’s minimum, what some routers send)', () => {
    const r = decodeIcmp(icmp);
    expect(r.ok && r.value.original!.quotedLength).toBe(28);
    expect(icmp.slice(8)).toEqual(FIXTURES.syn.slice(0, 28));
  });

  it('encodeIcmpError quotes the whole offending SYN, as Linux’s icmp_send does (88 bytes of IP, not 56)', () => {
    const err = encodeIcmpError(ICMP_TYPE.DEST_UNREACH, UNREACH_CODE.HOST_PROHIBITED, FIXTURES.syn);
    expect(err.length).toBe(8 + FIXTURES.syn.length);
    expect(err.slice(8)).toEqual(FIXTURES.syn);
    const r = decodeIcmp(err);
    expect(r.ok && r.value.original).toMatchObject({ srcPort: 3761, dstPort: 21, tcpSeq: 0x5f3a2c10, quotedLength: 60 });
    const whole = encodeIcmpPacket({ src: parseIpv4('192.168.150.1')!, dst: parseIpv4('192.168.150.80')!, dontFragment: false }, err);
    expect(whole.length).toBe(20 + 8 + 60);
  });

  it('a packet too big for a 576-byte ICMP datagram is cut to its first 548 bytes; bytes after the IP total length are not quoted', () => {
    const big = encodeIcmpPacket({ src: parseIpv4('10.0.0.1')!, dst: parseIpv4('10.0.0.2')! }, new Uint8Array(1480));
    const err = encodeIcmpError(ICMP_TYPE.DEST_UNREACH, UNREACH_CODE.NET, big);
    expect(20 + err.length).toBe(576);
    expect(err.slice(8)).toEqual(big.slice(0, 548));
    const padded = Uint8Array.from([...FIXTURES.syn, 0, 0, 0, 0, 0, 0]); // Ethernet-style trailer
    expect(encodeIcmpError(ICMP_TYPE.DEST_UNREACH, UNREACH_CODE.NET, padded).length).toBe(8 + 60);
  });

  it('verifies the checksum unless told not to', () => {
    const bad = icmp.slice();
    bad[ICMP_FIELDS.code] = UNREACH_CODE.PORT;
    const r = decodeIcmp(bad);
    expect(!r.ok && r.error).toMatchObject({ layer: 'icmp', kind: 'bad-checksum', offset: ICMP_FIELDS.checksum });
    expect(decodeIcmp(bad, { verifyChecksum: false }).ok).toBe(true);
  });
});

describe('describeIcmp', () => {
  it.each([
    [3, 10, 'Destination unreachable (Host administratively prohibited)'],
    [3, 3, 'Destination unreachable (Port unreachable)'],
    [3, 13, 'Destination unreachable (Communication administratively filtered)'],
    [3, 0, 'Destination unreachable (Network unreachable)'],
    [11, 0, 'Time-to-live exceeded (Time to live exceeded in transit)'],
    [8, 0, 'Echo (ping) request'],
    [42, 1, 'ICMP type 42 (code 1)'],
  ])('type %i code %i', (type, code, text) => expect(describeIcmp(type, code)).toBe(text));
});

describe('ICMP properties', () => {
  const msgArb = fc.record({ type: fc.integer({ min: 0, max: 255 }), code: fc.integer({ min: 0, max: 255 }), rest: u32, body: fc.uint8Array({ maxLength: 100 }) });

  it('decode(encode(x)) = x with a valid checksum', () => {
    fc.assert(
      fc.property(msgArb, (m) => {
        const r = decodeIcmp(encodeIcmp(m));
        if (!r.ok) throw new Error(r.error.message);
        expect({ type: r.value.type, code: r.value.code, rest: r.value.rest, body: r.value.body }).toEqual(m);
      }),
    );
  });

  it('errors quote the whole of a small packet, and the quote decodes back', () => {
    fc.assert(
      fc.property(fc.constantFrom(FIXTURES.syn, FIXTURES.portData), fc.constantFrom(...Object.values(UNREACH_CODE)), (pkt, code) => {
        const r = decodeIcmp(encodeIcmpError(ICMP_TYPE.DEST_UNREACH, code, pkt));
        if (!r.ok) throw new Error(r.error.message);
        expect(r.value.body).toEqual(pkt);
        expect(r.value.original?.dstPort).toBe(21);
      }),
    );
  });

  it('random bytes and every truncation never throw', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 80 }), fc.boolean(), (b, verify) => void expectDecodedShape(() => decodeIcmp(b, { verifyChecksum: verify }))));
    // An error type with a random quoted body exercises the quote parser.
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 60 }), (body) => void expectDecodedShape(() => decodeIcmp(encodeIcmp({ type: 3, code: 1, body: Uint8Array.from([0x45, ...body]) })))),
    );
    for (const t of truncations(FIXTURES.icmpHostProhibited.slice(20))) void expectDecodedShape(() => decodeIcmp(t));
  });
});

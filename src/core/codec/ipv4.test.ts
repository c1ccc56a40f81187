import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { asIpv4, formatIpv4 } from './addr';
import { ipv4BuildArb } from '../../../tests/fixtures/codec/arbitraries.testkit';
import { expectDecodedShape, FIXTURES, truncations } from '../../../tests/fixtures/codec/fixtures.testkit';
import { internetChecksum } from './checksum';
import { decodeIpv4, decrementTtl, emitIpv4, encodeIpv4, IPPROTO, IPV4_FIELDS, setIpv4Addresses } from './ipv4';

describe('IPv4 fixture (SYN 192.168.150.80 → 192.168.150.90)', () => {
  const bytes = FIXTURES.syn;

  it('decodes every header field', () => {
    const r = decodeIpv4(bytes);
    if (!r.ok) throw new Error(r.error.message);
    const h = r.value.header;
    expect(h).toMatchObject({
      version: 4,
      ihl: 5,
      dscp: 0,
      ecn: 0,
      totalLength: 60,
      identification: 0x4d2a,
      dontFragment: true,
      moreFragments: false,
      fragmentOffset: 0,
      ttl: 64,
      protocol: IPPROTO.TCP,
      checksum: 0x3f96,
    });
    expect(formatIpv4(h.src)).toBe('192.168.150.80');
    expect(formatIpv4(h.dst)).toBe('192.168.150.90');
    expect(h.options.length).toBe(0);
    expect(r.value.payload.length).toBe(40);
  });

  it('re-encodes to identical bytes, both from build parameters and verbatim', () => {
    const r = decodeIpv4(bytes);
    if (!r.ok) throw new Error(r.error.message);
    const h = r.value.header;
    const rebuilt = encodeIpv4({
      src: h.src,
      dst: h.dst,
      protocol: h.protocol,
      payload: r.value.payload,
      ttl: h.ttl,
      identification: h.identification,
      dontFragment: h.dontFragment,
      dscp: h.dscp,
      ecn: h.ecn,
    });
    expect(rebuilt).toEqual(bytes);
    expect(emitIpv4(r.value)).toEqual(bytes);
  });

  it('its header checksum verifies, and a flipped bit is reported as bad-checksum', () => {
    expect(internetChecksum(bytes.subarray(0, 20))).toBe(0);
    const bad = bytes.slice();
    bad[IPV4_FIELDS.identification] = bad[IPV4_FIELDS.identification]! ^ 0x01;
    const r = decodeIpv4(bad);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ layer: 'ipv4', kind: 'bad-checksum', offset: IPV4_FIELDS.checksum });
    expect(decodeIpv4(bad, { verifyChecksum: false }).ok).toBe(true);
  });

  it('decrementTtl lowers TTL by one and keeps the checksum right, without touching the input', () => {
    const out = decrementTtl(bytes);
    expect(out[IPV4_FIELDS.ttl]).toBe(63);
    expect(bytes[IPV4_FIELDS.ttl]).toBe(64);
    expect(decodeIpv4(out).ok).toBe(true);
    expect(out.subarray(20)).toEqual(bytes.subarray(20));
  });

  it('setIpv4Addresses rewrites addresses with a valid header checksum', () => {
    const out = setIpv4Addresses(bytes, { src: asIpv4(0xcb007101) });
    const r = decodeIpv4(out);
    expect(r.ok && formatIpv4(r.value.header.src)).toBe('203.0.113.1');
  });
});

describe('IPv4 errors', () => {
  it('names the problem and the byte', () => {
    const cases: Array<[string, (b: Uint8Array) => Uint8Array, string, number]> = [
      ['version 6', (b) => ((b[0] = 0x65), b), 'bad-value', 0],
      ['IHL 4', (b) => ((b[0] = 0x44), b), 'bad-value', 0],
      ['total length below header', (b) => ((b[2] = 0), (b[3] = 19), b), 'bad-value', 2],
      ['total length beyond the bytes', (b) => ((b[2] = 0), (b[3] = 61), b), 'truncated', 60],
      ['IHL beyond the bytes', (b) => b.slice(0, 22).fill(0x46, 0, 1), 'truncated', 22],
    ];
    for (const [name, mutate, kind, offset] of cases) {
      const r = decodeIpv4(mutate(FIXTURES.syn.slice()), { verifyChecksum: false });
      expect(r.ok, name).toBe(false);
      if (!r.ok) expect({ kind: r.error.kind, offset: r.error.offset }, name).toEqual({ kind, offset });
    }
  });

  it('ignores bytes after totalLength (link-layer padding)', () => {
    const padded = Uint8Array.from([...FIXTURES.syn, 0, 0, 0, 0]);
    const r = decodeIpv4(padded);
    expect(r.ok && r.value.payload.length).toBe(40);
  });
});

describe('IPv4 properties', () => {
  it('decode(encode(x)) gives x back, with a valid checksum', () => {
    fc.assert(
      fc.property(ipv4BuildArb, (p) => {
        const bytes = encodeIpv4(p);
        const r = decodeIpv4(bytes);
        if (!r.ok) throw new Error(r.error.message);
        const h = r.value.header;
        expect({ src: h.src, dst: h.dst, protocol: h.protocol, ttl: h.ttl, identification: h.identification, dontFragment: h.dontFragment, dscp: h.dscp, ecn: h.ecn }).toEqual({
          src: p.src,
          dst: p.dst,
          protocol: p.protocol,
          ttl: p.ttl,
          identification: p.identification,
          dontFragment: p.dontFragment,
          dscp: p.dscp,
          ecn: p.ecn,
        });
        expect(h.totalLength).toBe(bytes.length);
        expect(r.value.payload).toEqual(p.payload);
        expect(emitIpv4(r.value)).toEqual(bytes); // re-encoding is stable
      }),
    );
  });

  it('random bytes and every truncation never throw', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 80 }), (b) => void expectDecodedShape(() => decodeIpv4(b))));
    // Random bytes that start like an IPv4 header reach the deeper checks.
    fc.assert(fc.property(fc.uint8Array({ minLength: 19, maxLength: 80 }), (b) => void expectDecodedShape(() => decodeIpv4(Uint8Array.from([0x45, ...b])))));
    for (const t of truncations(FIXTURES.syn)) {
      const r = expectDecodedShape(() => decodeIpv4(t));
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.kind).toBe('truncated');
    }
  });
});

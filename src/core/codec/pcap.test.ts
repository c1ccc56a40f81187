import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { expectDecodedShape, FIXTURES, truncations } from '../../../tests/fixtures/codec/fixtures.testkit';
import { toHex } from './hex';
import { LINKTYPE_RAW, PCAP_BASE_EPOCH, readPcap, writePcap, type PcapRecord } from './pcap';

describe('writePcap', () => {
  it('writes the classic little-endian header: magic a1b2c3d4, 2.4, snaplen 65535, LINKTYPE_RAW', () => {
    const f = writePcap([]);
    expect(toHex(f)).toBe('d4c3b2a1' + '0200' + '0400' + '00000000' + '00000000' + 'ffff0000' + '65000000');
  });

  it('stamps records at the base epoch plus simulated time, with no wall clock', () => {
    const f = writePcap([{ timeUs: 2_500_001, bytes: FIXTURES.syn }]);
    const v = new DataView(f.buffer);
    expect(v.getUint32(24, true)).toBe(PCAP_BASE_EPOCH + 2);
    expect(v.getUint32(28, true)).toBe(500_001);
    expect([v.getUint32(32, true), v.getUint32(36, true)]).toEqual([60, 60]);
    expect(f.slice(40)).toEqual(FIXTURES.syn);
    expect(writePcap([{ timeUs: 0, bytes: FIXTURES.syn }], { baseEpochSeconds: 1 })[24]).toBe(1);
  });
});

describe('readPcap', () => {
  const recordArb: fc.Arbitrary<PcapRecord> = fc.record({ timeUs: fc.integer({ min: 0, max: 1e12 }) /* 11 days of simulated time */, bytes: fc.uint8Array({ maxLength: 100 }) });

  it('readPcap(writePcap(records)) round-trips', () => {
    fc.assert(
      fc.property(fc.array(recordArb, { maxLength: 6 }), (records) => {
        const r = readPcap(writePcap(records));
        expect(r.ok && r.value).toEqual({ linktype: LINKTYPE_RAW, records });
      }),
    );
  });

  it('reads a big-endian, nanosecond file', () => {
    const f = new Uint8Array(24 + 16 + 4);
    const v = new DataView(f.buffer);
    v.setUint32(0, 0xa1b23c4d, false);
    v.setUint16(4, 2, false);
    v.setUint16(6, 4, false);
    v.setUint32(16, 65535, false);
    v.setUint32(20, 101, false);
    v.setUint32(24, PCAP_BASE_EPOCH + 1, false);
    v.setUint32(28, 123_456_789, false);
    v.setUint32(32, 4, false);
    v.setUint32(36, 4, false);
    f.set([1, 2, 3, 4], 40);
    const r = readPcap(f);
    expect(r.ok && r.value).toEqual({ linktype: 101, records: [{ timeUs: 1_123_456, bytes: Uint8Array.from([1, 2, 3, 4]) }] });
  });

  it.each([
    ['empty', new Uint8Array(0), 'truncated', 0],
    ['pcapng', Uint8Array.from([0x0a, 0x0d, 0x0d, 0x0a, ...new Uint8Array(24)]), 'bad-value', 0],
    ['wrong magic', new Uint8Array(24).fill(7), 'bad-value', 0],
  ])('%s → typed error', (_n, bytes, kind, offset) => {
    const r = readPcap(bytes);
    expect(!r.ok && { kind: r.error.kind, offset: r.error.offset }).toEqual({ kind, offset });
  });

  it('every truncation and random bytes give a value or a typed error, never a throw', () => {
    const file = writePcap([
      { timeUs: 0, bytes: FIXTURES.syn },
      { timeUs: 10, bytes: FIXTURES.portData },
    ]);
    for (const t of truncations(file)) {
      const r = expectDecodedShape(() => readPcap(t));
      // Cuts on a record boundary are valid shorter files; every other cut is reported.
      if (![24, 24 + 16 + 60].includes(t.length)) expect(!r.ok && r.error.kind).toBe('truncated');
    }
    fc.assert(fc.property(fc.uint8Array({ maxLength: 100 }), (b) => void expectDecodedShape(() => readPcap(b))));
    fc.assert(fc.property(fc.uint8Array({ maxLength: 60 }), (b) => void expectDecodedShape(() => readPcap(Uint8Array.from([...file.slice(0, 24), ...b])))));
  });
});

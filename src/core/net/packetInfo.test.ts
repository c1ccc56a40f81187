import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ipv4BuildArb, tcpBuildArb } from '../../../tests/fixtures/codec/arbitraries.testkit';
import { encodeTcpPacket } from '../codec/packet';
import { decodedInfo, packetInfo, plainTcpInfo } from './packetInfo';

/** A well-formed TCP packet, then some of its bytes overwritten (flags, checksums, lengths, ...). */
const packetArb = fc
  .tuple(ipv4BuildArb, tcpBuildArb, fc.boolean(), fc.array(fc.tuple(fc.nat(60), fc.integer({ min: 0, max: 255 })), { maxLength: 3 }))
  .map(([ip, tcp, noOptions, pokes]) => {
    const bytes = encodeTcpPacket(ip, noOptions ? { ...tcp, options: [] } : tcp).slice();
    for (const [at, v] of pokes) if (at < bytes.length) bytes[at] = v;
    return bytes;
  });

describe('packetInfo', () => {
  it('reads a plain TCP packet in place exactly as the full decode does', () => {
    let fast = 0;
    fc.assert(
      fc.property(packetArb, fc.boolean(), (bytes, verify) => {
        const quick = plainTcpInfo(bytes, verify);
        const full = decodedInfo(bytes, { verifyChecksums: verify });
        if (quick) {
          fast++;
          expect(quick).toEqual(full);
        }
        expect(packetInfo(bytes, { verifyChecksums: verify })).toEqual(full);
      }),
      { numRuns: 2000 },
    );
    // The property means something only if both paths were taken.
    expect(fast).toBeGreaterThan(100);
  });

  it('leaves a packet with a wrong checksum to the full decode, which marks it', () => {
    const bytes = encodeTcpPacket(
      { src: 0x0a000001 as never, dst: 0x0a000002 as never },
      { srcPort: 1, dstPort: 2, seq: 1, ack: 0, flags: { ack: true }, window: 100, payload: Uint8Array.of(1, 2, 3) },
    ).slice();
    bytes[bytes.length - 1]! ^= 0xff;
    expect(plainTcpInfo(bytes, true)).toBeNull();
    expect(packetInfo(bytes)?.badChecksum).toBe(true);
    expect(plainTcpInfo(bytes, false)?.badChecksum).toBe(false);
  });
});

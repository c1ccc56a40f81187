import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { asIpv4, parseIpv4 } from './addr';
import { ipArb, optionsLength, rawOptionsLength, tcpBuildArb, tcpFlagsArb } from '../../../tests/fixtures/codec/arbitraries.testkit';
import { expectDecodedShape, FIXTURES, truncations } from '../../../tests/fixtures/codec/fixtures.testkit';
import { decodeTcp, decodeTcpOptions, encodeTcp, encodeTcpOptions, flagsFromByte, formatTcpFlags, TCP_FIELDS, tcpBuildOf, tcpOptionLength, type TcpOption } from './tcp';

const CLIENT = parseIpv4('192.168.150.80')!;
const SERVER = parseIpv4('192.168.150.90')!;
const pseudo = { src: CLIENT, dst: SERVER };
const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe('TCP fixture: Linux SYN with MSS, SACK_PERM, TS, NOP, WS', () => {
  const seg = FIXTURES.syn.slice(20);

  it('decodes the fields and options', () => {
    const r = decodeTcp(seg, pseudo);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value).toMatchObject({ srcPort: 3761, dstPort: 21, seq: 0x5f3a2c10, ack: 0, dataOffset: 10, window: 64240, checksum: 0xceaa, urgentPointer: 0 });
    expect(formatTcpFlags(r.value.flags)).toBe('SYN');
    expect(r.value.options).toEqual<TcpOption[]>([
      { kind: 'mss', value: 1460 },
      { kind: 'sack-permitted' },
      { kind: 'timestamps', tsval: 0x0a1b2c3d, tsecr: 0 },
      { kind: 'nop' },
      { kind: 'wscale', shift: 7 },
    ]);
    expect(r.value.payload.length).toBe(0);
  });

  it('re-encodes to identical bytes', () => {
    const r = decodeTcp(seg, pseudo);
    if (!r.ok) throw new Error(r.error.message);
    expect(encodeTcp(tcpBuildOf(r.value), CLIENT, SERVER)).toEqual(seg);
  });

  it('checksum is verified over the pseudo-header: other addresses (un-fixed NAT) fail', () => {
    const r = decodeTcp(seg, { src: asIpv4(0xcb007101), dst: SERVER });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ layer: 'tcp', kind: 'bad-checksum', offset: TCP_FIELDS.checksum });
    expect(decodeTcp(seg).ok).toBe(true); // without pseudo-header nothing is verified
  });
});

describe('TCP fixture: data segment carrying an FTP PORT line', () => {
  const seg = FIXTURES.portData.slice(20);

  it('decodes the fields and the payload text', () => {
    const r = decodeTcp(seg, pseudo);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value).toMatchObject({ srcPort: 3761, dstPort: 21, seq: 0x5f3a2c29, ack: 0x9c0e7a8b, dataOffset: 8, window: 502, checksum: 0xa83d });
    expect(formatTcpFlags(r.value.flags)).toBe('PSH, ACK');
    expect(r.value.options).toEqual([{ kind: 'nop' }, { kind: 'nop' }, { kind: 'timestamps', tsval: 0x0a1b2d01, tsecr: 0x77aa0102 }]);
    expect(text(r.value.payload)).toBe('PORT 192,168,150,80,14,178\r\n');
  });

  it('re-encodes to identical bytes; a changed payload byte fails the checksum', () => {
    const r = decodeTcp(seg, pseudo);
    if (!r.ok) throw new Error(r.error.message);
    expect(encodeTcp(tcpBuildOf(r.value), CLIENT, SERVER)).toEqual(seg);
    const bad = seg.slice();
    bad[bad.length - 3] = 0x39; // "178" → "179"
    const b = decodeTcp(bad, pseudo);
    expect(!b.ok && b.error.kind).toBe('bad-checksum');
  });
});

describe('TCP flags', () => {
  it('are listed in Wireshark order', () => {
    const cases: Array<[number, string]> = [
      [0x02, 'SYN'],
      [0x12, 'SYN, ACK'],
      [0x11, 'FIN, ACK'],
      [0x18, 'PSH, ACK'],
      [0x14, 'RST, ACK'],
      [0xc2, 'SYN, ECE, CWR'],
      [0x00, '<None>'],
    ];
    for (const [byte, label] of cases) expect(formatTcpFlags(flagsFromByte(byte))).toBe(label);
  });
});

describe('TCP header errors', () => {
  const seg = FIXTURES.syn.slice(20);
  const cases: Array<[string, (b: Uint8Array) => Uint8Array, string, number]> = [
    ['data offset 4', (b) => ((b[12] = 0x40), b), 'bad-value', 12],
    ['data offset past the bytes', (b) => ((b[12] = 0xf0), b), 'truncated', 40],
    ['option length 1', (b) => ((b[21] = 1), b), 'bad-value', 21],
    ['option runs past the header', (b) => ((b[36] = 9), (b[37] = 40), b), 'truncated', 36],
  ];
  it.each(cases)('%s', (_name, mutate, kind, offset) => {
    const r = decodeTcp(mutate(seg.slice()));
    expect(r.ok).toBe(false);
    if (!r.ok) expect({ kind: r.error.kind, offset: r.error.offset }).toEqual({ kind, offset });
  });
});

describe('TCP properties', () => {
  it('decode(encode(x)) = x (options gain a trailing EOL when padding was needed), checksum verifies, re-encode is stable', () => {
    fc.assert(
      fc.property(tcpBuildArb, ipArb, ipArb, (b, src, dst) => {
        const bytes = encodeTcp(b, src, dst);
        const r = decodeTcp(bytes, { src, dst });
        if (!r.ok) throw new Error(r.error.message);
        const opts = b.options ?? [];
        const expected = rawOptionsLength(opts) % 4 === 0 ? opts : [...opts, { kind: 'eol' }];
        expect(r.value.options).toEqual(expected);
        expect({ ...r.value, options: undefined, checksum: undefined, dataOffset: undefined }).toEqual({
          srcPort: b.srcPort,
          dstPort: b.dstPort,
          seq: b.seq,
          ack: b.ack,
          flags: b.flags,
          window: b.window,
          urgentPointer: b.urgentPointer,
          payload: b.payload,
          options: undefined,
          checksum: undefined,
          dataOffset: undefined,
        });
        expect(r.value.dataOffset * 4).toBe(20 + optionsLength(opts));
        expect(encodeTcp(tcpBuildOf(r.value), src, dst)).toEqual(bytes);
      }),
    );
  });

  it('seq and ack are stored as uint32 (negative and wrapped inputs)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -0x80000000, max: 0x1ffffffff }), tcpFlagsArb, (n, flags) => {
        const r = decodeTcp(encodeTcp({ srcPort: 1, dstPort: 2, seq: n, ack: n + 1, flags, window: 0 }, CLIENT, SERVER));
        expect(r.ok && [r.value.seq, r.value.ack]).toEqual([n >>> 0, (n + 1) >>> 0]);
      }),
    );
  });

  it('random bytes and every truncation never throw', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 80 }), ipArb, ipArb, (b, src, dst) => void expectDecodedShape(() => decodeTcp(b, { src, dst }))));
    // Valid fixed header, random options area: exercises the option parser.
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 40 }), (opts) => {
        const head = FIXTURES.syn.slice(20, 40);
        head[12] = (Math.ceil((20 + opts.length) / 4) << 4) & 0xf0;
        void expectDecodedShape(() => decodeTcp(Uint8Array.from([...head, ...opts])));
      }),
    );
    for (const f of [FIXTURES.syn, FIXTURES.portData]) {
      for (const t of truncations(f.slice(20))) void expectDecodedShape(() => decodeTcp(t, pseudo));
    }
  });
});

describe('TCP options Linux sends after the handshake', () => {
  it('NOP, NOP, timestamps: 12 bytes, header 32; SACK blocks round-trip with their sequence edges', () => {
    const ts: TcpOption[] = [{ kind: 'nop' }, { kind: 'nop' }, { kind: 'timestamps', tsval: 0xfffffff0, tsecr: 7 }];
    expect(encodeTcpOptions(ts)).toEqual(Uint8Array.from([1, 1, 8, 10, 0xff, 0xff, 0xff, 0xf0, 0, 0, 0, 7]));
    const sack: TcpOption[] = [
      ...ts,
      { kind: 'nop' },
      { kind: 'nop' },
      {
        kind: 'sack',
        blocks: [
          { left: 1000, right: 2448 },
          { left: 0xfffffe00, right: 0x100 },
        ],
      },
    ];
    const bytes = encodeTcp({ srcPort: 21, dstPort: 40000, seq: 1, ack: 1000, flags: { ack: true }, window: 502, options: sack }, CLIENT, SERVER);
    expect(bytes.length).toBe(20 + 12 + 2 + 18);
    const r = decodeTcp(bytes, pseudo);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.options).toEqual(sack);
    expect(sack.reduce((n, o) => n + tcpOptionLength(o), 0)).toBe(32);
  });

  it('a SACK option of a length that is not 2 + 8n is kept as unknown; more than four blocks are refused', () => {
    const odd = Uint8Array.from([5, 6, 0, 0, 0, 1]);
    const r = decodeTcpOptions(Uint8Array.from([...odd, 0, 0]));
    expect(r.ok && r.value[0]).toEqual({ kind: 'unknown', type: 5, data: Uint8Array.from([0, 0, 0, 1]) });
    const five = Array.from({ length: 5 }, (_, i) => ({ left: i, right: i + 1 }));
    expect(() => encodeTcpOptions([{ kind: 'sack', blocks: five }])).toThrow(/1 to 4 blocks/);
  });
});

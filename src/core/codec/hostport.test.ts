import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatIpv4, parseIpv4 } from './addr';
import { ipArb } from '../../../tests/fixtures/codec/arbitraries.testkit';
import { expectDecodedShape } from '../../../tests/fixtures/codec/fixtures.testkit';
import { decodeHostPort, encodeHostPort, format227, format229, formatEprtArg, parse227, parse229, parseEprtArg } from './hostport';
import { parseFtpCommand } from './ftp';

const ip = (s: string) => parseIpv4(s)!;
const portArb = fc.integer({ min: 1, max: 65535 });
const show = (r: ReturnType<typeof decodeHostPort>) => (r.ok ? `${formatIpv4(r.value.ip)}:${r.value.port}` : r.error.kind);

describe("the seeds' numbers", () => {
  it('PORT 192,168,150,80,14,178 → 192.168.150.80:3762 (14·256 + 178)', () => {
    const cmd = parseFtpCommand('PORT 192,168,150,80,14,178\r\n');
    if (!cmd.ok) throw new Error(cmd.error.message);
    expect(show(decodeHostPort(cmd.value.arg))).toBe('192.168.150.80:3762');
  });
  it('227 Entering Passive Mode (192,168,150,90,195,149) → port 50069', () => {
    expect(show(parse227('227 Entering Passive Mode (192,168,150,90,195,149).'))).toBe('192.168.150.90:50069');
  });
  it('PORT 192,168,1,100,50,60 → 12860', () => expect(show(decodeHostPort('192,168,1,100,50,60'))).toBe('192.168.1.100:12860'));
  it('(192,168,1,1,100,200) → 25800', () => expect(show(parse227('227 Entering Passive Mode (192,168,1,1,100,200)'))).toBe('192.168.1.1:25800'));
  it('12,166 in the port position → 3238 (the incident port outside 3001–3100)', () => {
    const r = decodeHostPort('10,0,0,10,12,166');
    expect(r.ok && r.value.port).toBe(3238);
  });
  it('encodes back to the same text', () => {
    expect(encodeHostPort(ip('192.168.150.80'), 3762)).toBe('192,168,150,80,14,178');
    expect(format227(ip('192.168.150.90'), 50069)).toBe('227 Entering Passive Mode (192,168,150,90,195,149).');
  });
});

describe('host-port errors', () => {
  it.each([
    ['192,168,1,256,50,60', 'bad-value', 10],
    ['192,168,1,100,256,0', 'bad-value', 14],
    ['192,168,1,100,0,0', 'bad-value', 0],
    ['192,168,1,100,50', 'syntax', 0],
    ['192.168.1.100,50,60', 'syntax', 0],
    ['192,168,1,100,50,60 junk', 'syntax', 19],
    ['', 'syntax', 0],
  ])('%j → %s at %i', (text, kind, offset) => {
    const r = decodeHostPort(text);
    expect(!r.ok && { kind: r.error.kind, offset: r.error.offset }).toEqual({ kind, offset });
  });
});

describe('227 variants (Wireshark packet-ftp.c lists them; nf_conntrack_ftp scans to the first digit)', () => {
  it.each([
    '227 Entering Passive Mode (192,168,150,90,195,149).',
    '227 Entering Passive Mode (192,168,150,90,195,149)',
    '227 Entering Passive Mode 192,168,150,90,195,149',
    '227 =192,168,150,90,195,149',
    'Entering Passive Mode (192,168,150,90,195,149).', // the reply text without its code
  ])('%s', (line) => expect(show(parse227(line))).toBe('192.168.150.90:50069'));

  it('rejects a reply without numbers or with an octet above 255', () => {
    expect(parse227('227 Entering Passive Mode').ok).toBe(false);
    expect(show(parse227('227 Entering Passive Mode (300,1,1,1,1,1).'))).toBe('bad-value');
  });
});

describe('229 and EPRT', () => {
  it('formats and parses vsftpd 229', () => {
    expect(format229(50069)).toBe('229 Entering Extended Passive Mode (|||50069|)');
    const r = parse229('229 Entering Extended Passive Mode (|||50069|)');
    expect(r.ok && r.value.port).toBe(50069);
    expect(parse229('229 Extended (!!!3238!)').ok).toBe(true);
  });
  it.each([
    ['229 Entering Extended Passive Mode |||50069|', 'syntax'], // no "("
    ['229 (||!50069|)', 'syntax'], // unequal delimiters
    ['229 (|||50069!)', 'syntax'],
    ['229 (|||0|)', 'bad-value'],
    ['229 (|||70000|)', 'bad-value'],
  ])('%s → %s', (text, kind) => {
    const r = parse229(text);
    expect(!r.ok && r.error.kind).toBe(kind);
  });

  it('EPRT |1| and |2| with any delimiter 33..126', () => {
    expect(formatEprtArg(ip('192.168.1.100'), 3762)).toBe('|1|192.168.1.100|3762|');
    const v4 = parseEprtArg('|1|192.168.1.100|3762|');
    expect(v4.ok && [v4.value.family, v4.value.ip && formatIpv4(v4.value.ip), v4.value.port]).toEqual([1, '192.168.1.100', 3762]);
    const v6 = parseEprtArg('!2!fe80::1%eth0!5282!');
    expect(v6.ok && [v6.value.family, v6.value.address, v6.value.ip, v6.value.port]).toEqual([2, 'fe80::1%eth0', undefined, 5282]);
  });
  it.each([
    [' 1 1.2.3.4 5 ', 'syntax'], // space is not a legal delimiter
    ['|3|1.2.3.4|5|', 'bad-value'],
    ['|1|1.2.3.256|5|', 'bad-value'],
    ['|1|1.2.3.4|0|', 'bad-value'],
    ['|1|1.2.3.4|5', 'syntax'],
    ['|2|not-ipv6|5|', 'bad-value'],
  ])('EPRT %j → %s', (arg, kind) => {
    const r = parseEprtArg(arg);
    expect(!r.ok && r.error.kind).toBe(kind);
  });
});

describe('host-port properties', () => {
  it('decodeHostPort(encodeHostPort(ip, port)) round-trips', () => {
    fc.assert(
      fc.property(ipArb, portArb, (a, p) => {
        const r = decodeHostPort(encodeHostPort(a, p));
        expect(r.ok && [r.value.ip, r.value.port]).toEqual([a, p]);
      }),
    );
  });
  it('parse227(format227) and parse229(format229) round-trip', () => {
    fc.assert(
      fc.property(ipArb, portArb, (a, p) => {
        const r = parse227(format227(a, p));
        expect(r.ok && [r.value.ip, r.value.port]).toEqual([a, p]);
        const e = parse229(format229(p));
        expect(e.ok && e.value.port).toBe(p);
      }),
    );
  });
  it('parseEprtArg(formatEprtArg) round-trips, with any legal delimiter', () => {
    fc.assert(
      fc.property(ipArb, portArb, fc.integer({ min: 33, max: 126 }), (a, p, dc) => {
        const d = String.fromCharCode(dc);
        fc.pre(!/[0-9.]/.test(d));
        const r = parseEprtArg(formatEprtArg(a, p).replaceAll('|', d));
        expect(r.ok && [r.value.family, r.value.ip, r.value.port]).toEqual([1, a, p]);
      }),
    );
  });
  it('random text never throws', () => {
    const textArb = fc.oneof(fc.string({ maxLength: 40 }), fc.stringMatching(/^[0-9,()|! =a-z]{0,40}$/));
    fc.assert(
      fc.property(textArb, (t) => {
        expectDecodedShape(() => decodeHostPort(t));
        expectDecodedShape(() => parse227(t));
        expectDecodedShape(() => parse229(t));
        expectDecodedShape(() => parseEprtArg(t));
      }),
    );
  });
  it('every truncation of valid text gives a value or a typed error', () => {
    const prefixes = (t: string) => Array.from({ length: t.length + 1 }, (_, n) => t.slice(0, n));
    for (const t of prefixes('192,168,150,80,14,178')) expectDecodedShape(() => decodeHostPort(t));
    for (const t of prefixes('227 Entering Passive Mode (192,168,150,90,195,149).')) expectDecodedShape(() => parse227(t));
    for (const t of prefixes('229 Entering Extended Passive Mode (|||50069|)')) expectDecodedShape(() => parse229(t));
    for (const t of prefixes('|1|192.168.1.100|3762|')) expectDecodedShape(() => parseEprtArg(t));
  });
});

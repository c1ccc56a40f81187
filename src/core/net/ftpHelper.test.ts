import { describe, expect, it } from 'vitest';
import { formatIpv4 } from '../codec/addr';
import { helperNames, parseFtpSegment } from './ftpHelper';
import type { Dir } from './conntrack';

const enc = (s: string) => new TextEncoder().encode(s);

describe('parseFtpSegment: the four cases as nf_conntrack_ftp reads them', () => {
  // [direction, segment, outcome: 'none' | 'partial' | "KIND ip:port [the text nf_nat_ftp would replace]"]
  const cases: [Dir, string, string][] = [
    [0, 'PORT 192,168,1,100,50,60\r\n', 'PORT 192.168.1.100:12860 [192,168,1,100,50,60]'],
    [0, 'port 192,168,150,80,14,178\r\n', 'PORT 192.168.150.80:3762 [192,168,150,80,14,178]'], // case-insensitive
    [0, 'PORT 1,2,3\r\n', 'partial'], // starts like a command, cannot be parsed: dropped
    [0, 'PORT 1,2,3,4,5,6\n', 'partial'], // a bare LF is not the terminator the kernel wants
    [0, 'PORT 1,2,3,4,5,6', 'partial'], // no terminator in the segment
    [0, 'PO', 'partial'], // a short segment that could be the start of PORT
    [0, 'EPRT |1|192.168.1.100|12860|\r\n', 'EPRT 192.168.1.100:12860 [|1|192.168.1.100|12860|]'],
    [0, 'EPRT !1!10.0.0.5!2000!\r\n', 'EPRT 10.0.0.5:2000 [!1!10.0.0.5!2000!]'],
    [0, 'EPRT |2|::1|5000|\r\n', 'partial'], // IPv6 on an IPv4 connection
    [0, 'NOOP\r\nPORT 1,2,3,4,5,6\r\n', 'none'], // only the start of a segment is read
    [0, 'LIST\r\n', 'none'],
    [1, '227 Entering Passive Mode (192,168,150,90,195,149).\r\n', 'PASV 192.168.150.90:50069 [192,168,150,90,195,149]'],
    [1, '227 Entering Passive Mode 10,0,0,10,12,166\r\n', 'PASV 10.0.0.10:3238 [10,0,0,10,12,166]'], // no parentheses
    [1, '227-Entering Passive Mode (192,168,150,90,195,149).\r\n', 'none'], // multi-line: not "227 "
    [1, '227 Entering Passive Mode.\r\n', 'partial'], // no digits
    [1, '229 Entering Extended Passive Mode (|||50070|)\r\n', 'EPSV ?:50070 [|||50070|]'],
    [1, '229 Entering Extended Passive Mode |||50070|\r\n', 'partial'], // needs "("
    [1, '229 Entering Extended Passive Mode (|!|50070|).\r\n', 'partial'], // delimiters differ
    [1, '226 Transfer complete.\r\n', 'none'],
    [1, 'PORT 192,168,1,100,50,60\r\n', 'none'], // PORT only counts from the client
    [0, '227 Entering Passive Mode (1,2,3,4,5,6)\r\n', 'none'], // and 227 only from the server
  ];
  it.each(cases)('dir %i %j → %s', (dir, seg, want) => {
    const r = parseFtpSegment(enc(seg), dir);
    const got = r.kind === 'match' ? `${r.m.kind} ${r.m.ip !== undefined ? formatIpv4(r.m.ip) : '?'}:${r.m.port} [${seg.slice(r.m.off, r.m.off + r.m.len)}]` : r.kind;
    expect(got).toBe(want);
  });

  it('the match offsets cover exactly the numbers nf_nat_ftp replaces', () => {
    const seg = '227 Entering Passive Mode (192,168,150,90,195,149).\r\n';
    const r = parseFtpSegment(enc(seg), 1);
    if (r.kind !== 'match') throw new Error('no match');
    expect(seg.slice(r.m.off, r.m.off + r.m.len)).toBe('192,168,150,90,195,149');
  });
});

describe('helperNames (nf_ct_helper_init naming)', () => {
  it.each([
    [[21], ['ftp']],
    [
      [21, 3069],
      ['ftp', 'ftp-1'],
    ],
    [[2121], ['ftp-0']],
  ])('ports=%j → %j', (ports, names) => {
    expect(helperNames({ ports, loose: false })).toEqual(names);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VirtualFs, listLine, lsDate, mdtmTime, normalizePath, patternBytes } from './files';
import { TlsChannel, looksLikeTlsRecord } from '../ftps';
import { encodeReplyText, featReply, reply } from './replies';

const text = (b: Uint8Array) => String.fromCharCode(...b);

describe('VirtualFs', () => {
  const fs = new VirtualFs({ '/readme.txt': { size: 1024 }, '/pub/a/deep.bin': { size: 5 }, '/pub/notes.txt': { text: 'hi\n' }, '/.hidden': { size: 1 } });

  it('implies directories from paths and sorts entries by name', () => {
    expect(fs.isDir('/pub/a')).toBe(true);
    expect(fs.entries('/pub').map((e) => e.name)).toEqual(['a', 'notes.txt']);
  });

  it('formats LIST lines as vsftpd ls.c does, byte for byte', () => {
    expect(fs.listing('/', undefined, true, 0).text).toBe(
      'drwxr-xr-x    2 0        0            4096 Jan 01 00:00 pub\r\n-rw-r--r--    1 0        0            1024 Jan 01 00:00 readme.txt\r\n',
    );
    expect(fs.listing('/', '-la /pub', false, 0).text).toBe('a\r\nnotes.txt\r\n');
    expect(fs.listing('/', 'readme.txt', true, 0).text).toBe('-rw-r--r--    1 0        0            1024 Jan 01 00:00 readme.txt\r\n');
    expect(fs.listing('/', '/nowhere/x', true, 0)).toEqual({ text: '', opened: false });
  });

  it('pads large sizes and dates uploads by simulated time', () => {
    const f = new VirtualFs();
    f.store('/big.iso', 123456789, 3723);
    expect(listLine({ name: 'big.iso', node: { kind: 'file', size: 123456789, mtimeS: 3723 } }, 3723)).toBe('-rw-r--r--    1 0        0        123456789 Jan 01 01:02 big.iso\r\n');
    expect(f.size('/big.iso')).toBe(123456789);
    expect(lsDate(0, 400 * 86400)).toBe('Jan 01  1970');
    expect(lsDate(31 * 86400 + 59 * 60, 31 * 86400 + 59 * 60)).toBe('Feb 01 00:59');
  });

  it('gives text files their text and sized files a repeatable printable pattern', () => {
    expect(text(fs.content('/pub/notes.txt')!)).toBe('hi\n');
    const a = fs.content('/readme.txt')!;
    expect(a.length).toBe(1024);
    expect(a).toEqual(patternBytes('/readme.txt', 1024));
    expect(a.every((b) => b === 0x0a || (b >= 0x20 && b < 0x7f))).toBe(true);
    expect(fs.content('/pub')).toBeNull();
  });

  it('normalizes paths without climbing above the root', () => {
    expect(normalizePath('/pub', '../../etc/./passwd')).toBe('/etc/passwd');
    expect(normalizePath('/pub', '/x//y/')).toBe('/x/y');
    expect(normalizePath('/pub', '')).toBe('/pub');
  });

  it('MKD, RMD, DELE and create checks', () => {
    const f = new VirtualFs({ '/a.txt': { size: 1 } });
    expect(f.mkdir('/d', 0)).toBe(true);
    expect(f.mkdir('/d', 0)).toBe(false);
    expect(f.mkdir('/no/such', 0)).toBe(false);
    expect(f.canCreate('/a.txt', true)).toBe(false);
    expect(f.canCreate('/a.txt', false)).toBe(true);
    expect(f.canCreate('/d', false)).toBe(false);
    expect(f.remove('/d')).toBe(false);
    expect(f.rmdir('/d')).toBe(true);
    expect(f.remove('/a.txt')).toBe(true);
  });
});

describe('pseudo-TLS records', () => {
  it('wraps in application-data records the other end unwraps, one keystream per direction', () => {
    const c = new TlsChannel('c1', 'client');
    const s = new TlsChannel('srv', 'server');
    const line = new TextEncoder().encode('PORT 192,168,1,100,14,178\r\n');
    const rec = c.wrap(line);
    expect([...rec.slice(0, 5)]).toEqual([0x17, 0x03, 0x03, 0, line.length]);
    expect(looksLikeTlsRecord(rec)).toBe(true);
    expect(text(rec)).not.toContain('PORT');
    expect(s.unwrap(rec)).toEqual(line);
    // Same plaintext again: different bytes on the wire (the keystream moved on).
    const again = c.wrap(line);
    expect(again).not.toEqual(rec);
    expect(s.unwrap(again)).toEqual(line);
    expect(c.unwrap(s.wrap(line))).toEqual(line);
  });

  it('reassembles records cut anywhere by TCP segmentation', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ minLength: 0, maxLength: 40 }), { minLength: 1, maxLength: 6 }), fc.array(fc.nat(), { maxLength: 8 }), (chunks, cuts) => {
        const c = new TlsChannel('c', 'client');
        const s = new TlsChannel('s', 'server');
        const wire = Uint8Array.from(chunks.flatMap((ch) => [...c.wrap(ch)]));
        const points = [...new Set(cuts.map((x) => x % (wire.length + 1)))].sort((a, b) => a - b);
        let got: number[] = [];
        let prev = 0;
        for (const p of [...points, wire.length]) {
          got = got.concat([...s.unwrap(wire.slice(prev, p))]);
          prev = p;
        }
        expect(got).toEqual(chunks.flatMap((ch) => [...ch]));
      }),
    );
  });

  it('splits payloads above 16384 bytes into several records', () => {
    const c = new TlsChannel();
    const rec = c.wrap(new Uint8Array(20000));
    expect(rec.length).toBe(20000 + 10);
    expect([rec[3], rec[4]]).toEqual([0x40, 0x00]);
    expect(new TlsChannel('', 'server').unwrap(rec).length).toBe(20000);
  });
});

describe('reply texts', () => {
  it('formats single and multi-line replies with CRLF', () => {
    expect(encodeReplyText(reply('vsftpd', 'failedConnect'))).toBe('425 Failed to establish connection.\r\n');
    expect(encodeReplyText(reply('vsftpd', 'pasvOk', { hostPort: '192,168,150,90,195,149' }))).toBe('227 Entering Passive Mode (192,168,150,90,195,149).\r\n');
    expect(encodeReplyText(reply('vsftpd', 'epsvOk', { port: 50069 }))).toBe('229 Entering Extended Passive Mode (|||50069|)\r\n');
    expect(encodeReplyText(reply('vsftpd', 'retrStart', { file: 'f.bin', size: 7 }))).toBe('150 Opening BINARY mode data connection for f.bin (7 bytes).\r\n');
    expect(encodeReplyText(featReply('vsftpd', { ssl: false, port: false, pasv: false }))).toBe('211-Features:\r\n MDTM\r\n REST STREAM\r\n SIZE\r\n TVFS\r\n211 End\r\n');
  });

  it('keeps vsftpd texts where ProFTPD has no word of its own', () => {
    expect(reply('proftpd', 'badIp')).toEqual(reply('vsftpd', 'badIp'));
    expect(reply('proftpd', 'transferOk').lines).toEqual(['Transfer complete.']);
    expect(reply('proftpd', 'goodbye').lines).toEqual(['Goodbye.']);
  });
});

describe('MDTM time', () => {
  it('formats simulated seconds as UTC YYYYMMDDHHMMSS, leap years included', () => {
    expect(mdtmTime(0)).toBe('19700101000000');
    expect(mdtmTime(365 * 86400 + 3661)).toBe('19710101010101');
    expect(mdtmTime(951782400)).toBe('20000229000000'); // 2000 is a leap year
    expect(mdtmTime(4107542400 + 59)).toBe('21000301000059'); // 2100 is not
  });
});

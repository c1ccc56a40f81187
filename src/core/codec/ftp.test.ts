import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { expectDecodedShape } from '../../../tests/fixtures/codec/fixtures.testkit';
import { formatFtpCommand, formatFtpReply, FTP_COMMANDS, FtpReplyParser, LineSplitter, parseFtpCommand, parseFtpReply, type FtpReply } from './ftp';

describe('FTP commands', () => {
  it('knows the verbs the simulator speaks', () => {
    for (const v of 'USER PASS SYST TYPE PWD CWD LIST NLST RETR STOR PORT PASV EPRT EPSV FEAT AUTH PBSZ PROT QUIT NOOP SIZE MKD DELE'.split(' ')) {
      expect(FTP_COMMANDS[v], v).toBeDefined();
    }
  });

  it.each([
    ['PORT 192,168,150,80,14,178\r\n', 'PORT', '192,168,150,80,14,178'],
    ['pasv', 'PASV', ''],
    ['USER slacker\r\n', 'USER', 'slacker'],
    ['RETR my file.txt\n', 'RETR', 'my file.txt'], // bare LF tolerated; spaces kept
    ['XYZZY now', 'XYZZY', 'now'], // unknown verb: parsed, the server answers 500
    ['LIST', 'LIST', ''],
    ['EPSV ALL', 'EPSV', 'ALL'],
  ])('%j → %s %j', (line, verb, arg) => {
    const r = parseFtpCommand(line);
    expect(r.ok && r.value).toEqual({ verb, arg });
  });

  it.each([
    ['', 0],
    ['\r\n', 0],
    ['RETR\r\n', 4], // required argument missing → 501
    ['PORT \r\n', 5],
    ['LİST /', 1], // non-ASCII verb
    ['CW1 x', 2],
    [' USER a', 0],
    ['USER a\r\nPASS b', 6], // a second line inside: not one command
  ])('syntax error in %j at %i', (line, offset) => {
    const r = parseFtpCommand(line);
    expect(!r.ok && r.error).toMatchObject({ layer: 'ftp', kind: 'syntax', offset });
  });

  it('formats with CRLF and no space when there is no argument', () => {
    expect(formatFtpCommand('PORT', '192,168,1,100,50,60')).toBe('PORT 192,168,1,100,50,60\r\n');
    expect(formatFtpCommand('PASV')).toBe('PASV\r\n');
  });

  it('parse(format(verb, arg)) round-trips', () => {
    const verbArb = fc.oneof(fc.constantFrom(...Object.keys(FTP_COMMANDS)), fc.stringMatching(/^[A-Z]{1,6}$/));
    const argArb = fc.stringMatching(/^[\x20-\x7e]{0,30}$/);
    fc.assert(
      fc.property(verbArb, argArb, (verb, arg) => {
        fc.pre(FTP_COMMANDS[verb]?.arity !== 'required' || arg.trim() !== '');
        const r = parseFtpCommand(formatFtpCommand(verb, arg));
        expect(r.ok && r.value).toEqual({ verb, arg });
      }),
    );
  });

  it('LineSplitter hands out complete lines however the stream is cut', () => {
    const stream = 'USER slacker\r\nPASS XXXX\r\nPASV\r\nLIS';
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: stream.length }), { maxLength: 6 }), (cuts) => {
        const s = new LineSplitter();
        const points = [0, ...[...cuts].sort((a, b) => a - b), stream.length];
        const lines = points.slice(1).flatMap((p, i) => s.push(stream.slice(points[i], p)));
        expect(lines).toEqual(['USER slacker', 'PASS XXXX', 'PASV']);
        expect(s.pending).toBe('LIS');
      }),
    );
  });
});

describe('FTP replies', () => {
  it('formats single and multi-line replies', () => {
    expect(formatFtpReply(227, 'Entering Passive Mode (192,168,150,90,195,149).')).toBe('227 Entering Passive Mode (192,168,150,90,195,149).\r\n');
    expect(formatFtpReply(211, ['Features:', ' EPRT', ' EPSV', ' PASV', 'End'])).toBe('211-Features:\r\n EPRT\r\n EPSV\r\n PASV\r\n211 End\r\n');
    // An inner line that would end the reply early is indented (RFC 959 §4.2).
    expect(formatFtpReply(230, ['Welcome', '230 tricky', 'ok'])).toBe('230-Welcome\r\n 230 tricky\r\n230 ok\r\n');
  });

  it('parses one complete reply, with or without the final CRLF', () => {
    const r = parseFtpReply('220 testbox2.slacksite.com FTP server ready.');
    expect(r.ok && r.value).toEqual<FtpReply>({
      code: 220,
      lines: ['220 testbox2.slacksite.com FTP server ready.'],
      text: 'testbox2.slacksite.com FTP server ready.',
      multiline: false,
    });
    const m = parseFtpReply('211-Features:\r\n EPSV\r\n211-MDTM\r\n211 End\r\n');
    expect(m.ok && m.value).toMatchObject({ code: 211, multiline: true, text: 'Features:\n EPSV\n211-MDTM\nEnd' });
  });

  it.each([
    ['hello\r\n', 'syntax'],
    ['230-still going\r\n', 'syntax'], // never ends
    ['200 a\r\n200 b\r\n', 'syntax'], // two replies
  ])('rejects %j', (text, kind) => {
    const r = parseFtpReply(text);
    expect(!r.ok && r.error.kind).toBe(kind);
  });

  it('streaming: keeps partial lines and open multi-line replies, reports junk lines and goes on', () => {
    const p = new FtpReplyParser();
    expect(p.push('220 ready\r\n331 Pass').replies.map((r) => r.code)).toEqual([220]);
    expect(p.push('word required\r\n230-Welcome\r\n').replies.map((r) => r.text)).toEqual(['Password required']);
    expect(p.idle).toBe(false);
    const mid = p.push('  to the server\r\n230 Logged in\r\nnonsense\r\n215 UNIX Type: L8\r\n');
    expect(mid.replies.map((r) => [r.code, r.text])).toEqual([
      [230, 'Welcome\n  to the server\nLogged in'],
      [215, 'UNIX Type: L8'],
    ]);
    expect(mid.errors).toHaveLength(1);
    expect(mid.errors[0]).toMatchObject({ layer: 'ftp', kind: 'syntax' });
    expect(p.idle).toBe(true);
  });

  const lineArb = fc.stringMatching(/^[\x20-\x7e]{0,20}$/);
  const replyArb = fc.record({ code: fc.integer({ min: 100, max: 599 }), lines: fc.array(lineArb, { minLength: 1, maxLength: 5 }) });

  it('parse(format(code, lines)) round-trips, however the stream is cut', () => {
    fc.assert(
      fc.property(fc.array(replyArb, { minLength: 1, maxLength: 4 }), fc.array(fc.nat(), { maxLength: 5 }), (replies, cuts) => {
        const wire = replies.map((r) => formatFtpReply(r.code, r.lines)).join('');
        const p = new FtpReplyParser();
        const points = [0, ...cuts.map((c) => c % (wire.length + 1)).sort((a, b) => a - b), wire.length];
        const got = points.slice(1).flatMap((end, i) => {
          const out = p.push(wire.slice(points[i], end));
          expect(out.errors).toEqual([]);
          return out.replies;
        });
        const expected = replies.map((r) => ({
          code: r.code,
          multiline: r.lines.length > 1,
          // Inner lines that look like the end line come back indented.
          text: r.lines.map((l, i) => (i > 0 && i < r.lines.length - 1 && (l === String(r.code) || l.startsWith(`${r.code} `)) ? ` ${l}` : l)).join('\n'),
        }));
        expect(got.map((g) => ({ code: g.code, multiline: g.multiline, text: g.text }))).toEqual(expected);
        expect(p.idle).toBe(true);
      }),
    );
  });

  it('random text never throws', () => {
    const textArb = fc.oneof(fc.string({ maxLength: 60 }), fc.stringMatching(/^([0-9]{3}[ -]?[a-z ]{0,5}\r?\n?){0,4}$/));
    fc.assert(
      fc.property(textArb, (t) => {
        expectDecodedShape(() => parseFtpReply(t));
        expectDecodedShape(() => parseFtpCommand(t));
        expect(() => new FtpReplyParser().push(t)).not.toThrow();
      }),
    );
  });
});

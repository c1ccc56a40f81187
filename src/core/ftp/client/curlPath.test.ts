/**
 * curl's directory changes (--ftp-method multicwd, curl 7.88.1 lib/ftp.c), pure and then on the
 * wire against the model's vsftpd: the CWDs, the file name alone in SIZE/RETR/STOR, the entry
 * path on a reused connection (captured: tests/kernel vsftpd-upload-553 with curl sends
 * `CWD incoming`, gets `550 Failed to change directory.` and exits 9).
 */
import { describe, expect, it } from 'vitest';
import { curlCwds, curlMkdAfterRefusedCwd, curlUrlPath, parseCurlPath, pwdReplyPath } from './curlPath';
import { FILE_SIZE, run } from './machine.testkit';

describe('curl reads a URL path the multicwd way', () => {
  it('one CWD per directory, the rest is the file; a leading slash is a CWD to /, empty pieces are skipped', () => {
    expect(parseCurlPath('incoming/report.txt')).toEqual({ dirs: ['incoming'], file: 'report.txt', dir: 'incoming/' });
    expect(parseCurlPath('a//b/f.txt')).toEqual({ dirs: ['a', 'b'], file: 'f.txt', dir: 'a//b/' });
    expect(parseCurlPath('/etc/x')).toEqual({ dirs: ['/', 'etc'], file: 'x', dir: '/etc/' });
    expect(parseCurlPath('pub/')).toEqual({ dirs: ['pub'], file: '', dir: 'pub/' });
    expect(parseCurlPath('readme.txt')).toEqual({ dirs: [], file: 'readme.txt', dir: '' });
  });

  it('the script’s cd lines come first; ls DIR lists DIR/', () => {
    expect(curlUrlPath(['pub'], 'readme.txt', false)).toBe('pub/readme.txt');
    expect(curlUrlPath([], 'pub', true)).toBe('pub/');
    expect(curlUrlPath(['pub'], undefined, true)).toBe('pub/');
  });

  it('a new connection changes only to the URL’s directories; a reused one goes back to the entry path first, unless the directory is the same', () => {
    const url = parseCurlPath('pub/readme.txt');
    expect(curlCwds({ entryPath: '/', prevPath: '', reused: false }, url)).toEqual(['pub']);
    expect(curlCwds({ entryPath: '/', prevPath: 'pub/', reused: true }, url)).toEqual([]);
    expect(curlCwds({ entryPath: '/', prevPath: '', reused: true }, url)).toEqual(['/', 'pub']);
    expect(curlCwds({ entryPath: '/', prevPath: 'pub/', reused: true }, parseCurlPath('readme.txt'))).toEqual(['/']);
    // After a refused CWD nothing is remembered: back to the entry path even for the same URL.
    expect(curlCwds({ entryPath: '/home/a', prevPath: null, reused: true }, parseCurlPath('x/y'))).toEqual(['/home/a', 'x']);
    // An absolute path needs no way back.
    expect(curlCwds({ entryPath: '/home/a', prevPath: '', reused: true }, parseCurlPath('/etc/x'))).toEqual(['/', 'etc']);
  });

  it('the entry path is the quoted part of the 257 (doubled quotes are one)', () => {
    expect(pwdReplyPath('"/" is the current directory')).toBe('/');
    expect(pwdReplyPath('"/home/a ""b""" is the current directory')).toBe('/home/a "b"');
    expect(pwdReplyPath('no path')).toBeNull();
  });
});

describe('curl on the wire', () => {
  const files = { '/pub/readme.txt': { size: FILE_SIZE } };
  const cwdAndTransfer = (commands: string[]) => commands.filter((c) => /^(CWD|SIZE|RETR|STOR|LIST)\b/.test(c));

  it('put incoming/report.txt into a directory that does not exist: CWD incoming, 550, exit 9, no STOR (captured)', () => {
    const s = run('curl', ['login', 'put incoming/report.txt 2048'], { conf: { write_enable: true, anon_upload_enable: true } });
    expect(s.commands).toEqual(['USER anonymous', 'PASS guest@', 'PWD', 'CWD incoming', 'QUIT']);
    expect(s.printed).toContain('550 Failed to change directory.');
    expect(s.printed).toContain('curl: (9) Server denied you to change to the given directory');
    expect(s.reports).toEqual([
      expect.objectContaining({ command: 'put incoming/report.txt', ok: false, symptom: expect.objectContaining({ kind: 'reply', verb: 'CWD', code: 550 }) }),
    ]);
  });

  it('get pub/readme.txt: CWD pub, then SIZE and RETR name the file alone', () => {
    const s = run('curl', ['login', 'get pub/readme.txt'], { files });
    expect(cwdAndTransfer(s.commands)).toEqual(['CWD pub', 'SIZE readme.txt', 'RETR readme.txt']);
    expect(s.reports[0]).toMatchObject({ ok: true, bytes: FILE_SIZE });
  });

  it('on the same connection: no CWD for the same directory, back to the entry path (CWD /) for another', () => {
    const s = run('curl', ['login', 'get pub/readme.txt', 'get pub/readme.txt', 'get readme.txt', 'get pub/readme.txt'], { files });
    expect(cwdAndTransfer(s.commands)).toEqual([
      'CWD pub',
      'SIZE readme.txt',
      'RETR readme.txt',
      'SIZE readme.txt',
      'RETR readme.txt',
      'CWD /',
      'SIZE readme.txt',
      'RETR readme.txt',
      'CWD /',
      'CWD pub',
      'SIZE readme.txt',
      'RETR readme.txt',
    ]);
    expect(s.reports.map((r) => r.ok)).toEqual([true, true, true, true]);
  });

  it('after a refused CWD the next URL goes back to the entry path first', () => {
    const s = run('curl', ['login', 'get nodir/x.txt', 'get readme.txt']);
    expect(cwdAndTransfer(s.commands)).toEqual(['CWD nodir', 'CWD /', 'SIZE readme.txt', 'RETR readme.txt']);
    expect(s.reports.map((r) => r.ok)).toEqual([false, true]);
  });

  it('the script’s cd is the URL’s directory: cd pub, get readme.txt is CWD pub once; ls after it lists there without CWD', () => {
    const s = run('curl', ['login', 'cd pub', 'get readme.txt', 'ls'], { files });
    expect(cwdAndTransfer(s.commands)).toEqual(['CWD pub', 'SIZE readme.txt', 'RETR readme.txt', 'LIST']);
  });
});

describe('curl --ftp-create-dirs (lib/ftp.c FTP_CWD, FTP_MKD; the tool asks CURLFTP_CREATE_DIR_RETRY)', () => {
  const up = { write_enable: true, anon_upload_enable: true, anon_mkdir_write_enable: true };
  // incoming/ is the anonymous user's (ftp, uid 100), locked/ root's.
  const files = { '/incoming': { dir: true, owner: { uid: 100, gid: 100 }, mode: 0o755 }, '/locked': { dir: true, owner: { uid: 0, gid: 0 }, mode: 0o755 } };
  const cwdMkd = (commands: string[]) => commands.filter((c) => /^(CWD|MKD|STOR|RETR)\b/.test(c));

  it('which refusals are answered with MKD: a directory of the URL’s path, once; not the way back to the entry path', () => {
    const url = parseCurlPath('new/dir/f.txt');
    expect(curlMkdAfterRefusedCwd(['new', 'dir'], url, 0, false)).toBe('new');
    expect(curlMkdAfterRefusedCwd(['new', 'dir'], url, 1, false)).toBe('dir');
    expect(curlMkdAfterRefusedCwd(['new', 'dir'], url, 1, true)).toBeNull();
    expect(curlMkdAfterRefusedCwd(['/home/a', 'new', 'dir'], url, 0, false)).toBeNull();
    expect(curlMkdAfterRefusedCwd(['/home/a', 'new', 'dir'], url, 2, false)).toBe('dir');
  });

  it('put into directories that do not exist: each refused CWD is answered with MKD, then the same CWD, and the file is stored there', () => {
    const s = run('curl', ['login', 'put incoming/new/deep/report.txt 2048'], { conf: up, files, createDirs: true });
    expect(cwdMkd(s.commands)).toEqual(['CWD incoming', 'CWD new', 'MKD new', 'CWD new', 'CWD deep', 'MKD deep', 'CWD deep', 'STOR report.txt']);
    expect(s.printed).toContain('257 "/incoming/new" created');
    expect(s.printed).toContain('257 "/incoming/new/deep" created');
    expect(s.reports).toEqual([expect.objectContaining({ ok: true, bytes: 2048 })]);
  });

  it('MKD refused too: the CWD is asked once more, and its second refusal ends the URL as without the option (exit 9); QUIT follows', () => {
    const s = run('curl', ['login', 'put locked/sub/x.txt 10'], { conf: up, files, createDirs: true });
    expect(s.commands).toEqual(['USER anonymous', 'PASS guest@', 'PWD', 'CWD locked', 'CWD sub', 'MKD sub', 'CWD sub', 'QUIT']);
    expect(s.printed.filter((l) => /^(550|curl:)/.test(l))).toEqual([
      '550 Failed to change directory.',
      '550 Create directory operation failed.',
      '550 Failed to change directory.',
      'curl: (9) Server denied you to change to the given directory',
    ]);
    expect(s.reports).toEqual([expect.objectContaining({ ok: false, symptom: expect.objectContaining({ kind: 'reply', verb: 'CWD', code: 550 }) })]);
  });

  it('without the option the first refusal ends the URL, no MKD', () => {
    const s = run('curl', ['login', 'put incoming/new/report.txt'], { conf: up, files });
    expect(cwdMkd(s.commands)).toEqual(['CWD incoming', 'CWD new']);
  });
});

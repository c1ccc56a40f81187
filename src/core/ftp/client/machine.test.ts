/**
 * The client machine on its own: one client host and a vsftpd server on one wire (tcp's test
 * bench: no routers, no firewall), each real client's commands in the order it sends them, and what it does
 * with the answers.
 */
import { describe, expect, it } from 'vitest';
import { FILE_SIZE, run } from './machine.testkit';

describe('each client sends its own commands, in its own order', () => {
  it('curl: PWD after login; TYPE I and SIZE once the data connection is open, before RETR', () => {
    const s = run('curl', ['login', 'get readme.txt']);
    expect(s.verbs).toEqual(['USER', 'PASS', 'PWD', 'EPSV', 'TYPE', 'SIZE', 'RETR', 'QUIT']);
    expect(s.commands).toContain('TYPE I');
    expect(s.commands).toContain('SIZE readme.txt');
    expect(s.reports).toEqual([expect.objectContaining({ command: 'get readme.txt', ok: true, bytes: FILE_SIZE, dataCommand: 'EPSV' })]);
  });

  it('curl: TYPE A before a listing, TYPE I before the file after it — only when the type changes', () => {
    const s = run('curl', ['login', 'ls', 'get readme.txt', 'get readme.txt']);
    expect(s.commands.filter((c) => c.startsWith('TYPE') || /^(LIST|RETR)/.test(c))).toEqual(['TYPE A', 'LIST', 'TYPE I', 'RETR readme.txt', 'RETR readme.txt']);
  });

  it('curl: a SIZE answered 550 ends the transfer before RETR, with that reply as the symptom', () => {
    const s = run('curl', ['login', 'get missing.bin']);
    expect(s.verbs).not.toContain('RETR');
    expect(s.reports[0]).toMatchObject({ ok: false, symptom: { kind: 'reply', verb: 'SIZE', code: 550 } });
  });

  it('tnftp: SYST and FEAT after login; TYPE I and SIZE before the data command of a download; MDTM after it', () => {
    const s = run('tnftp', ['login', 'get readme.txt']);
    expect(s.verbs).toEqual(['USER', 'PASS', 'SYST', 'FEAT', 'TYPE', 'SIZE', 'EPSV', 'RETR', 'MDTM', 'QUIT']);
    expect(s.reports[0]).toMatchObject({ ok: true, bytes: FILE_SIZE });
  });

  it('tnftp: a listing sends neither TYPE, SIZE nor MDTM', () => {
    const s = run('tnftp', ['login', 'ls']);
    expect(s.verbs).toEqual(['USER', 'PASS', 'SYST', 'FEAT', 'EPSV', 'LIST', 'QUIT']);
  });

  it('FileZilla: SYST after login, TYPE I once before its first transfer, PASV', () => {
    const s = run('filezilla', ['login', 'ls', 'get readme.txt']);
    expect(s.verbs).toEqual(['USER', 'PASS', 'SYST', 'TYPE', 'PASV', 'LIST', 'PASV', 'RETR', 'QUIT']);
  });

  it('classic netkit ftp: SYST (and the lines it prints), then active mode with PORT', () => {
    const s = run('classic', ['login', 'get readme.txt']);
    // TYPE I before a download: BSD ftp's type switch (captured from inetutils ftp).
    expect(s.verbs).toEqual(['USER', 'PASS', 'SYST', 'TYPE', 'PORT', 'RETR', 'QUIT']);
    expect(s.printed).toContain('Remote system type is UNIX.');
    expect(s.printed).toContain(`${FILE_SIZE} bytes received.`);
  });

  it('lftp asks FEAT and AUTH TLS before login and PWD after it; Windows ftp.exe sends nothing after login', () => {
    // Captured from lftp 4.9.2: AUTH TLS refused (vsftpd without FTPS), it goes on in the clear.
    expect(run('lftp', ['login', 'ls']).verbs).toEqual(['FEAT', 'AUTH', 'USER', 'PASS', 'PWD', 'PASV', 'LIST', 'QUIT']);
    expect(run('windows', ['login', 'ls']).verbs).toEqual(['USER', 'PASS', 'PORT', 'LIST', 'QUIT']);
  });

  it('put sends the upload on the data connection and counts its bytes (anonymous uploads allowed)', () => {
    // Into a directory the anonymous user (ftp) may write in: "/" is root's 0755.
    const incoming = { '/incoming': { dir: true, owner: { uid: 100, gid: 100 }, mode: 0o755 } };
    const s = run('curl', ['login', 'cd incoming', 'put up.bin 5000'], { conf: { write_enable: true, anon_upload_enable: true }, files: incoming });
    expect(s.commands).toContain('STOR up.bin');
    expect(s.reports[0]).toMatchObject({ ok: true, bytes: 5000 });
  });

  it('tnftp, classic/inetutils and lftp send TYPE I before an upload’s data command, as before a download (captured: tests/kernel vsftpd-upload-553)', () => {
    const conf = { write_enable: true, anon_upload_enable: true };
    expect(run('tnftp', ['login', 'put up.bin 10'], { conf }).verbs.filter((v) => /^(TYPE|EPSV|STOR)$/.test(v))).toEqual(['TYPE', 'EPSV', 'STOR']);
    expect(run('classic', ['login', 'put up.bin 10'], { mode: 'passive', conf }).verbs.filter((v) => /^(TYPE|PASV|STOR)$/.test(v))).toEqual(['TYPE', 'PASV', 'STOR']);
    expect(run('lftp', ['login', 'put up.bin 10'], { conf }).verbs.filter((v) => /^(TYPE|PASV|STOR)$/.test(v))).toEqual(['TYPE', 'PASV', 'STOR']);
  });

  it('put refused by the server (vsftpd’s default: no anonymous uploads) fails with its reply', () => {
    const s = run('curl', ['login', 'put up.bin 5000']);
    expect(s.reports[0]).toMatchObject({ ok: false, bytes: 0, symptom: { kind: 'reply', verb: 'STOR', code: 550 } });
  });
});

describe('when the server says no', () => {
  it('curl goes from EPSV to PASV on an error reply, and fails with the last reply when both are refused', () => {
    const s = run('curl', ['login', 'ls'], { conf: { pasv_enable: false } });
    expect(s.verbs).toEqual(['USER', 'PASS', 'PWD', 'EPSV', 'PASV', 'QUIT']);
    expect(s.reports[0]).toMatchObject({ ok: false, symptom: { kind: 'reply', verb: 'PASV' } });
  });

  it('tnftp in its default mode: EPSV refused → PASV (extended commands off), PASV refused → PORT, and active for the rest of the session', () => {
    const s = run('tnftp', ['login', 'ls', 'ls'], { conf: { pasv_enable: false } });
    expect(s.verbs.filter((v) => /^(EPSV|PASV|EPRT|PORT|LIST)$/.test(v))).toEqual(['EPSV', 'PASV', 'PORT', 'LIST', 'PORT', 'LIST']);
    expect(s.printed).toContain('disabling epsv4 for this connection');
    expect(s.reports.map((r) => r.ok)).toEqual([true, true]);
  });

  it('classic ftp told to use passive mode does not fall back', () => {
    const s = run('classic', ['login', 'ls'], { mode: 'passive', conf: { pasv_enable: false } });
    expect(s.verbs).toEqual(['USER', 'PASS', 'SYST', 'PASV', 'QUIT']);
    expect(s.reports[0]).toMatchObject({ ok: false, symptom: { kind: 'reply', verb: 'PASV' } });
  });
});

describe('lftp remembers its directory (captured: tests/kernel/scenarios/cd-pub.json)', () => {
  it('sends `cd pub` as CWD /pub, resolved against the directory it is in, and answers pwd without a command', () => {
    const s = run('lftp', ['login', 'cd pub', 'pwd', 'cd ..', 'pwd']);
    expect(s.commands.filter((c) => /^(CWD|PWD)/.test(c))).toEqual(['PWD', 'CWD /pub', 'CWD /']);
    expect(s.reports.map((r) => [r.command, r.ok])).toEqual([
      ['cd pub', true],
      ['pwd', true],
      ['cd ..', true],
      ['pwd', true],
    ]);
    expect(s.printed).toContain('ftp://anonymous@203.0.113.10/pub');
  });
});

describe('lftp and curl connect for a command that needs the server (seen on the kernel: a script of logins, pwd and quit opens no connection)', () => {
  const connected = (s: { printed: string[] }) => s.printed.some((l) => l.startsWith('Connected to'));

  it('lftp with only a login and pwd: pwd answered from memory, not a packet sent, also after a wait', () => {
    for (const script of [
      ['login', 'pwd', 'quit'],
      ['wait 1', 'login', 'pwd', 'quit'],
    ]) {
      const s = run('lftp', script);
      expect(connected(s)).toBe(false);
      expect(s.commands).toEqual([]);
      expect(s.reports.map((r) => [r.command, r.ok])).toEqual([['pwd', true]]);
      expect(s.done).toBe(true);
    }
  });

  it('curl with no URL (only logins): no connection, no login', () => {
    const s = run('curl', ['login', 'login bob secret', 'quit']);
    expect(connected(s)).toBe(false);
    expect(s.commands).toEqual([]);
    expect(s.done).toBe(true);
  });

  it('a cd is a command lftp connects for; a listing is a URL curl connects for', () => {
    expect(run('lftp', ['login', 'cd pub', 'quit']).commands).toContain('CWD /pub');
    expect(run('curl', ['login', 'ls', 'quit']).verbs).toContain('LIST');
  });
});

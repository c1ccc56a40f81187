import { describe, expect, it } from 'vitest';
import { accessCheckFile, commandAllowed, createdMode, filenamePassesFilter, modeString, unixAccess, userlistRefuses } from './accounts';

describe('vsftpd account rules', () => {
  it('matches deny_file/hide_file patterns as vsf_filename_passes_filter does', () => {
    expect(filenamePassesFilter('secret.txt', '*.txt')).toBe(true);
    expect(filenamePassesFilter('notes.doc', '*.txt')).toBe(false);
    expect(filenamePassesFilter('a.mp3', '{*.mp3,*.mov}')).toBe(true);
    expect(filenamePassesFilter('a.mov', '{*.mp3,*.mov}')).toBe(true);
    expect(filenamePassesFilter('a.avi', '{*.mp3,*.mov}')).toBe(false);
    expect(filenamePassesFilter('ab', 'a?')).toBe(true);
    expect(filenamePassesFilter('a', 'a?')).toBe(false);
    // vsftpd finds the first occurrence after "*": "x.txt.txt" does not match "*.txt".
    expect(filenamePassesFilter('x.txt.txt', '*.txt')).toBe(false);
  });

  it('refuses a name that matches the pattern or contains its text (access.c)', () => {
    expect(accessCheckFile('private', null)).toBe(true);
    expect(accessCheckFile('top.secret', '*.secret')).toBe(false);
    expect(accessCheckFile('dir/.private/x', '.private')).toBe(false);
    expect(accessCheckFile('public.txt', '.private')).toBe(true);
  });

  it('applies cmds_allowed, then cmds_denied', () => {
    expect(commandAllowed('STOR', 'USER,PASS,RETR,QUIT', null)).toBe(false);
    expect(commandAllowed('RETR', 'USER,PASS,RETR,QUIT', null)).toBe(true);
    expect(commandAllowed('DELE', null, 'DELE,RMD')).toBe(false);
    expect(commandAllowed('LIST', null, 'DELE,RMD')).toBe(true);
  });

  it('reads the user list as a deny list by default and as an allow list with userlist_deny=NO', () => {
    const list = ['root', 'bin'];
    expect(userlistRefuses('root', { userlist_enable: true, userlist_deny: true }, list)).toBe(true);
    expect(userlistRefuses('alice', { userlist_enable: true, userlist_deny: true }, list)).toBe(false);
    expect(userlistRefuses('alice', { userlist_enable: true, userlist_deny: false }, list)).toBe(true);
    expect(userlistRefuses('root', { userlist_enable: false, userlist_deny: true }, list)).toBe(false);
  });

  it('checks owner, then group, then other bits; root passes', () => {
    const dir = { uid: 1000, gid: 100, mode: 0o750 };
    expect(unixAccess({ uid: 1000, gid: 1000 }, dir, 'w')).toBe(true);
    expect(unixAccess({ uid: 1001, gid: 100 }, dir, 'w')).toBe(false);
    expect(unixAccess({ uid: 1001, gid: 100 }, dir, 'x')).toBe(true);
    expect(unixAccess({ uid: 1002, gid: 200 }, dir, 'r')).toBe(false);
    expect(unixAccess({ uid: 0, gid: 0 }, dir, 'w')).toBe(true);
  });

  it('gives new files and directories the mode less the umask', () => {
    expect(modeString(false, createdMode(false, 0o077))).toBe('-rw-------');
    expect(modeString(false, createdMode(false, 0o022))).toBe('-rw-r--r--');
    expect(modeString(true, createdMode(true, 0o022))).toBe('drwxr-xr-x');
  });
});

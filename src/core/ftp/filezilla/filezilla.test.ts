import { describe, expect, it } from 'vitest';
import { VirtualFs } from '../server/files';
import { FzAutobanState } from './autoban';
import { fzListLine } from './listing';
import { accountOf, changeDir, checkDir, checkFile, isOk, realDirectory } from './permissions';
import { fzWelcome } from './replies';
import { decideFz, drawFzPasvPort, fzPassiveIp, fzRoutable, initialFzSession, splitFzCommand, type FzEnv, type FzSessionState } from './session';
import { DEFAULT_WELCOME, FZ_VERSION, parseFzSettings, type FzSettingsSpec } from './settings';

const ip = (s: string) => s.split('.').reduce((n, o) => n * 256 + Number(o), 0) >>> 0;

/** The seeds' Windows server (003): "Read, List, Subdirs" on the share, "write, append, make, list, subdirs" on upload/. */
const SEED_003: FzSettingsSpec = {
  ports: [3069],
  maxUsers: 0,
  users: [
    {
      name: 'themoonlanding',
      password: 'wasfaked',
      maxPerIp: 2,
      maxConnections: 3,
      folders: [
        { path: '/ftp', home: true, rights: ['fileRead', 'dirList', 'dirSubdirs'] },
        { path: '/ftp/upload', rights: ['fileWrite', 'fileAppend', 'dirCreate', 'dirList', 'dirSubdirs'] },
      ],
    },
  ],
};

function tree(): VirtualFs {
  return new VirtualFs({
    '/ftp/readme.txt': { size: 1024 },
    '/ftp/music/song.mp3': { size: 4000 },
    '/ftp/upload/old.txt': { size: 10 },
    '/ftp/upload/inbox': { dir: true },
    '/private/secret.txt': { size: 5 },
  });
}

function setup(spec: FzSettingsSpec = SEED_003) {
  const { settings, issues } = parseFzSettings(spec);
  expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
  const fs = tree();
  const autoban = new FzAutobanState(settings.autoban);
  const counts = { connections: 1, fromIp: 0, users: new Map<string, number>() };
  const env = (nowS = 0, peer = '198.51.100.7'): FzEnv => ({
    settings,
    fs,
    autoban,
    peerIp: ip(peer),
    localIp: ip('10.0.0.10'),
    nowS,
    connections: counts.connections,
    loggedInFromIp: counts.fromIp,
    loggedInAs: (u) => counts.users.get(u) ?? 0,
  });
  let s: FzSessionState = initialFzSession();
  const run = (line: string, e = env()) => {
    const o = decideFz(s, e, splitFzCommand(line));
    s = { ...s, ...o.patch };
    return o;
  };
  const text = (line: string, e?: FzEnv) =>
    run(line, e)
      .replies.map((r) => `${r.code} ${r.lines.join('\n')}`)
      .join('\n');
  const login = () => {
    run('USER themoonlanding');
    return text('PASS wasfaked');
  };
  return { settings, fs, autoban, counts, env, run, text, login, state: () => s };
}

describe('FileZilla Server settings (scenario form)', () => {
  it('fills FileZilla Server 0.9.60 defaults', () => {
    const { settings } = parseFzSettings({});
    expect(settings.ports).toEqual([21]);
    expect(settings.passive).toEqual({ range: null, ip: null, noExternalIpOnLocal: true });
    expect([settings.timeoutS, settings.noTransferTimeoutS, settings.loginTimeoutS]).toEqual([120, 120, 60]);
    expect(settings.autoban).toEqual({ enabled: false, attempts: 10, banHours: 1 });
  });

  it('reads the seed 000 passive settings and the seed 003 accounts', () => {
    const { settings } = parseFzSettings({ ...SEED_003, passive: { minPort: 5000, maxPort: 6000, ip: '203.0.113.10' } });
    expect(settings.passive.range).toEqual({ min: 5000, max: 6000 });
    expect(settings.passive.ip).toBe('203.0.113.10');
    expect(settings.users[0]!.folders[1]!.rights).toMatchObject({
      fileRead: false,
      fileWrite: true,
      fileAppend: true,
      dirCreate: true,
      dirList: true,
      dirSubdirs: true,
      fileDelete: false,
    });
  });

  it('says where and what is wrong, and keeps the rest', () => {
    const { settings, issues } = parseFzSettings({
      ports: [70000],
      passive: { minPort: 5000 },
      maxUsers: 5,
      users: [
        { name: 'Bob', folders: [{ path: '/x', rights: ['read'] }] },
        { name: 'eve', group: 'nobody' },
      ],
      colour: 'red',
    });
    const at = (p: string) => issues.find((i) => i.path === p);
    expect(at('ports[0]')?.message).toMatch(/1 to 65535/);
    expect(at('passive.maxPort')?.message).toMatch(/both minPort and maxPort/);
    expect(at('maxUsers')).toMatchObject({ severity: 'warning' });
    expect(settings.maxUsers).toBe(15);
    expect(at('users[0].folders[0].rights[0]')?.message).toMatch(/unknown right "read" \(use fileRead/);
    expect(at('users[0].name')?.message).toMatch(/lower-cases/);
    expect(at('users[1].group')?.message).toMatch(/no group named "nobody"/);
    expect(at('colour')?.severity).toBe('error');
    expect(settings.users.map((u) => u.name)).toEqual(['bob', 'eve']);
  });
});

describe('FileZilla Server permissions (Permissions.cpp)', () => {
  const { settings } = parseFzSettings(SEED_003);
  const acc = accountOf(settings, 'THEMOONLANDING')!;
  const fs = tree();

  it('maps the user\'s "/" onto the home folder', () => {
    expect(acc.home).toBe('/ftp');
    expect(realDirectory(acc, fs, '/').tree).toBe('/ftp');
  });

  it("inherits a folder's rights into subdirectories only with +Subdirs", () => {
    expect(realDirectory(acc, fs, '/music')).toMatchObject({ result: {}, truematch: false });
    expect(realDirectory(acc, fs, '/upload/inbox').rights?.fileWrite).toBe(true);
    const noSub = accountOf(parseFzSettings({ users: [{ name: 'a', folders: [{ path: '/ftp', home: true, rights: ['fileRead', 'dirList'] }] }] }).settings, 'a')!;
    expect(realDirectory(noSub, fs, '/').result).toEqual({});
    expect(realDirectory(noSub, fs, '/music').result).toEqual({ denied: true });
  });

  it('takes the closest folder: upload/ gives write, the share around it does not', () => {
    expect(isOk(checkFile(acc, fs, '/', 'new.txt', 'write').result)).toBe(false);
    expect(checkFile(acc, fs, '/', 'new.txt', 'write').result).toEqual({ denied: true });
    expect(checkFile(acc, fs, '/upload', 'new.txt', 'write').result).toEqual({});
    expect(checkFile(acc, fs, '/', 'upload/inbox/deep.txt', 'write').result).toEqual({});
    // Overwriting needs delete; upload/ has none.
    expect(checkFile(acc, fs, '/upload', 'old.txt', 'write').result).toEqual({ denied: true });
    expect(checkFile(acc, fs, '/upload', 'old.txt', 'append').result).toEqual({});
    expect(checkFile(acc, fs, '/upload', 'old.txt', 'read').result).toEqual({ denied: true });
  });

  it("uses the group's folders where the user has none", () => {
    const { settings: gs } = parseFzSettings({
      groups: [{ name: 'class', maxPerIp: 4, folders: [{ path: '/ftp', home: true }] }],
      users: [{ name: 'stu', password: 'x', group: 'class', folders: [{ path: '/ftp/upload', rights: ['fileWrite', 'dirList'] }] }],
    });
    const a = accountOf(gs, 'stu')!;
    expect(a.home).toBe('/ftp');
    expect(a.maxPerIp).toBe(4);
    expect(checkFile(a, fs, '/', 'readme.txt', 'read').result).toEqual({});
    expect(checkFile(a, fs, '/upload', 'x', 'write').result).toEqual({});
    // upload/ is the user's own folder without +Subdirs: inbox/ below it is denied, the group's /ftp does not apply.
    expect(changeDir(a, fs, '/', '/upload/inbox').result).toEqual({ denied: true });
  });

  it("decides MKD and RMD by the parent's rights", () => {
    expect(checkDir(acc, fs, '/', 'newdir', 'create').result).toEqual({ denied: true });
    expect(checkDir(acc, fs, '/upload', 'newdir', 'create').result).toEqual({});
    expect(checkDir(acc, fs, '/upload', 'inbox', 'create').result).toEqual({ exists: true });
    expect(checkDir(acc, fs, '/upload', 'inbox', 'delete').result).toEqual({ denied: true });
    expect(checkDir(acc, fs, '/', '..', 'create').result).toEqual({ invalidName: true });
  });
});

describe('FileZilla Server session (ControlSocket.cpp)', () => {
  it('logs in: 331 with the lower-cased name, 230, and 530 for a wrong password', () => {
    const t = setup();
    expect(t.text('PWD')).toBe('530 Please log in with USER and PASS first.');
    expect(t.text('USER TheMoonLanding')).toBe('331 Password required for themoonlanding');
    expect(t.text('PASS nope')).toBe('530 Login or password incorrect!');
    expect(t.text('USER nobody')).toBe('331 Password required for nobody');
    expect(t.text('PASS x')).toBe('530 Login or password incorrect!');
    expect(t.login()).toBe('230 Logged on');
    expect(t.text('PWD')).toBe('257 "/" is current directory.');
    expect(t.text('PASS again')).toBe('503 Bad sequence of commands.');
  });

  it('walks the tree: CWD 250, CWD 550, CDUP 200', () => {
    const t = setup();
    t.login();
    expect(t.text('CWD upload')).toBe('250 CWD successful. "/upload" is current directory.');
    expect(t.text('CDUP')).toBe('200 CDUP successful. "/" is current directory.');
    expect(t.text('CWD nowhere')).toBe('550 CWD failed. "nowhere": directory not found.');
    expect(t.text('CWD ..')).toBe('550 CWD failed. "..": Filename invalid.');
    expect(t.text('CDUP')).toBe('550 CDUP failed, filename invalid.');
  });

  it('refuses an upload outside upload/ with 550, accepts it inside', () => {
    const t = setup();
    t.login();
    expect(t.text('STOR new.txt')).toBe('503 Bad sequence of commands.');
    t.run('PASV');
    expect(t.text('STOR new.txt')).toBe('550 Permission denied');
    expect(t.state().dataMode).toBe('none');
    t.run('PASV');
    const o = t.run('STOR upload/new.txt');
    expect(o.replies).toEqual([]);
    const plan = o.effects.find((e) => e.kind === 'transfer');
    expect(plan).toMatchObject({
      plan: {
        verb: 'STOR',
        tree: '/ftp/upload/new.txt',
        resource: '/upload/new.txt',
        mark: { code: 150, lines: ['Opening data channel for file upload to server of "/upload/new.txt"'] },
      },
    });
    t.run('PASV');
    expect(t.run('APPE upload/old.txt').effects.find((e) => e.kind === 'transfer')).toMatchObject({ plan: { verb: 'APPE', appendTo: 10 } });
  });

  it('makes, renames and removes in upload/: 257, 350, 250, 553', () => {
    const t = setup({
      ...SEED_003,
      users: [
        {
          ...SEED_003.users![0]!,
          folders: [SEED_003.users![0]!.folders![0]!, { path: '/ftp/upload', rights: ['fileRead', 'fileWrite', 'fileDelete', 'dirCreate', 'dirDelete', 'dirList', 'dirSubdirs'] }],
        },
      ],
    });
    t.login();
    expect(t.text('MKD newdir')).toBe("550 Can't create directory. Permission denied");
    expect(t.text('MKD upload/a/b')).toBe('257 "/upload/a/b" created successfully');
    expect(t.fs.isDir('/ftp/upload/a/b')).toBe(true);
    expect(t.text('MKD upload/a')).toBe('550 Directory already exists');
    expect(t.text('RNFR upload/old.txt')).toBe('350 File exists, ready for destination name.');
    t.fs.store('/ftp/upload/taken.txt', 1, 0);
    expect(t.text('RNTO upload/taken.txt')).toBe('553 file exists');
    t.run('RNFR upload/old.txt');
    expect(t.text('RNTO upload/inbox')).toBe('553 Filename invalid');
    expect(t.text('RNTO upload/x.txt')).toBe('503 Bad sequence of commands!');
    t.run('RNFR upload/old.txt');
    expect(t.text('RNTO upload/renamed.txt')).toBe('250 file renamed successfully');
    expect(t.fs.isFile('/ftp/upload/renamed.txt')).toBe(true);
    expect(t.text('RNFR readme.txt')).toBe('550 Permission denied');
    expect(t.text('RMD upload/a')).toBe('550 Directory not empty.');
    expect(t.text('RMD upload/a/b')).toBe('250 Directory deleted successfully');
    expect(t.text('DELE upload/renamed.txt')).toBe('250 File deleted successfully');
    expect(t.text('DELE readme.txt')).toBe('550 Permission denied');
    expect(t.text('DELE upload/none')).toBe('550 File not found');
  });

  it('answers SIZE and MDTM, lists in its own ls format', () => {
    const t = setup();
    t.login();
    expect(t.text('SIZE readme.txt')).toBe('213 1024');
    expect(t.text('MDTM readme.txt')).toBe('213 19700101000000');
    expect(t.text('SIZE nothere')).toBe('550 File not found');
    t.run('PASV');
    const list = t.run('LIST').effects.find((e) => e.kind === 'transfer');
    expect(list && list.kind === 'transfer' && list.plan.listing).toBe(
      'drwxr-xr-x 1 ftp ftp              0 Jan 01 00:00 music\r\n' +
        '-r--r--r-- 1 ftp ftp           1024 Jan 01 00:00 readme.txt\r\n' +
        'drwxr-xr-x 1 ftp ftp              0 Jan 01 00:00 upload\r\n',
    );
    t.run('PASV');
    const nlst = t.run('NLST upload').effects.find((e) => e.kind === 'transfer');
    expect(nlst && nlst.kind === 'transfer' && nlst.plan.listing).toBe('upload/inbox\r\nupload/old.txt\r\n');
    t.run('PASV');
    expect(t.text('LIST nowhere')).toBe('550 Directory not found.');
  });

  it('formats sizes and old dates as AddLongListingEntry does', () => {
    const rw = { fileRead: true, fileWrite: true, fileDelete: false, fileAppend: false, dirCreate: false, dirDelete: false, dirList: true, dirSubdirs: true };
    expect(fzListLine('setup.EXE', { kind: 'file', size: 123456789, mtimeS: 0 }, rw, 400 * 86400)).toBe('-rwxr-xr-x 1 ftp ftp      123456789 Jan 01  1970 setup.EXE\r\n');
  });

  it('counts limits at PASS: per IP, per account, all users — 421 and the close', () => {
    const t = setup();
    t.counts.fromIp = 2;
    t.run('USER themoonlanding');
    const o = t.run('PASS wasfaked', t.env());
    expect(o.replies[0]).toEqual({ code: 421, lines: ['Refusing connection. No more connections allowed from your IP.'] });
    expect(o.effects).toEqual([{ kind: 'close' }]);
    const u = setup();
    u.counts.users.set('themoonlanding', 3);
    u.run('USER themoonlanding');
    expect(u.text('PASS wasfaked')).toBe('421 Too many users logged in for this account. Try again later.');
    const g = setup({ ...SEED_003, maxUsers: 15 });
    g.counts.connections = 16;
    g.run('USER themoonlanding');
    expect(g.text('PASS wasfaked')).toBe('421 Too many users are connected, please try again later.');
    g.counts.connections = 15;
    g.run('USER themoonlanding');
    expect(g.text('PASS wasfaked')).toBe('230 Logged on');
  });

  it('answers a disabled account and a user without a home', () => {
    const t = setup({
      users: [
        { name: 'off', password: 'p', enabled: false, folders: [{ path: '/ftp', home: true }] },
        { name: 'nohome', password: 'p', folders: [{ path: '/ftp' }] },
      ],
    });
    t.run('USER off');
    expect(t.run('PASS p').replies[0]!.lines[0]).toBe('Not logged in, user account has been disabled');
    t.run('USER nohome');
    expect(t.text('PASS p')).toBe('550 User does not have permission to access own home directory');
  });

  it('bans after N failed logins from one address and lifts the ban on the purge after the ban time', () => {
    const t = setup({ ...SEED_003, autoban: { enabled: true, attempts: 3, banHours: 1 } });
    const peer = ip('198.51.100.7');
    t.run('USER themoonlanding');
    expect(t.text('PASS a', t.env(10))).toBe('530 Login or password incorrect!');
    expect(t.text('PASS b', t.env(20))).toBe('530 Login or password incorrect!');
    const third = t.run('PASS c', t.env(30));
    expect(third.replies[0]).toEqual({ code: 421, lines: ['Temporarily banned for too many failed login attempts'] });
    expect(third.effects).toEqual([{ kind: 'close' }]);
    expect(t.autoban.isBanned(peer, 31)).toBe(true);
    expect(t.autoban.isBanned(ip('198.51.100.8'), 31)).toBe(false);
    expect(t.autoban.banEndsS(peer)).toBe(3660);
    expect(t.autoban.isBanned(peer, 3659)).toBe(true);
    expect(t.autoban.isBanned(peer, 3660)).toBe(false);
  });

  it('forgets failures older than the ban time', () => {
    const a = new FzAutobanState({ enabled: true, attempts: 2, banHours: 1 });
    expect(a.registerAttempt(1, 0)).toBe(false);
    expect(a.registerAttempt(1, 3700)).toBe(false);
    expect(a.failures(1)).toBe(1);
    expect(a.registerAttempt(1, 3710)).toBe(true);
  });
});

describe('FileZilla Server data connections', () => {
  it('announces the Passive IP to the internet, its own address to a private peer', () => {
    const { settings } = parseFzSettings({ passive: { minPort: 5000, maxPort: 6000, ip: '203.0.113.10' } });
    expect(fzPassiveIp(settings, ip('198.51.100.7'), ip('10.0.0.10'))).toBe(ip('203.0.113.10'));
    expect(fzPassiveIp(settings, ip('192.168.1.5'), ip('10.0.0.10'))).toBe(ip('10.0.0.10'));
    const off = parseFzSettings({ passive: { ip: '203.0.113.10', noExternalIpOnLocal: false } }).settings;
    expect(fzPassiveIp(off, ip('192.168.1.5'), ip('10.0.0.10'))).toBe(ip('203.0.113.10'));
    expect(fzPassiveIp(parseFzSettings({}).settings, ip('198.51.100.7'), ip('10.0.0.10'))).toBe(ip('10.0.0.10'));
  });

  it('treats every 172.* address as unroutable, as iputils.cpp does', () => {
    expect(fzRoutable(ip('172.32.0.1'))).toBe(false);
    expect(fzRoutable(ip('169.254.1.1'))).toBe(false);
    expect(fzRoutable(ip('198.51.100.7'))).toBe(true);
  });

  it('draws passive ports in the range, then the next ones in turn', () => {
    const { settings } = parseFzSettings({ passive: { minPort: 5000, maxPort: 5002 } });
    expect(
      drawFzPasvPort(
        settings,
        () => 2,
        () => false,
      ),
    ).toBe(5002);
    expect(
      drawFzPasvPort(
        settings,
        () => 2,
        (p) => p === 5002,
      ),
    ).toBe(5000);
    expect(
      drawFzPasvPort(
        settings,
        () => 0,
        () => true,
      ),
    ).toBeNull();
  });

  it('rewrites a private PORT address from a routable peer to the peer; refuses another public one', () => {
    const t = setup();
    t.login();
    const o = t.run('PORT 192,168,1,100,14,178');
    expect(o.replies[0]!.lines[0]).toBe('Port command successful');
    expect(o.effects).toContainEqual({ kind: 'port', ip: ip('198.51.100.7'), port: 3762 });
    expect(t.text('PORT 203,0,113,99,14,178')).toBe('421 Rejected command, requested IP address does not match control connection IP.');
    expect(t.text('PORT 1,2,3')).toBe('501 Syntax error');
  });

  it('greets with the welcome message of 0.9.60', () => {
    expect(fzWelcome(DEFAULT_WELCOME, FZ_VERSION)).toEqual({
      code: 220,
      lines: ['FileZilla Server 0.9.60 beta', '220-written by Tim Kosse (tim.kosse@filezilla-project.org)', 'Please visit https://filezilla-project.org/'],
    });
  });
});

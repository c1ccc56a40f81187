/**
 * FileZilla Server over real HostStacks: client hosts and the server on one wire, a raw
 * control socket per session, the simulated clock for limits, time-outs and autoban.
 */
import { describe, expect, it } from 'vitest';
import type { HostStack, TcpSocket } from '../../tcp/hostStack';
import { seconds } from '../../sim/scheduler';
import { startFzServer } from './server';
import { parseFzSettings, type FzSettingsSpec } from './settings';
import { controlSession, dec, ip, openData as openDataTo, pasvPortOf as portOf, stackWire } from '../server/stackWorld.testkit';

const SERVER = ip('10.0.0.10');
const WELCOME = '220-FileZilla Server 0.9.60 beta\r\n220-written by Tim Kosse (tim.kosse@filezilla-project.org)\r\n220 Please visit https://filezilla-project.org/\r\n';

const SPEC: FzSettingsSpec = {
  passive: { minPort: 5000, maxPort: 6000 },
  users: [
    {
      name: 'student',
      password: 'pw',
      maxPerIp: 2,
      folders: [
        { path: '/ftp', home: true, rights: ['fileRead', 'dirList', 'dirSubdirs'] },
        { path: '/ftp/upload', rights: ['fileWrite', 'fileAppend', 'dirCreate', 'dirList', 'dirSubdirs'] },
      ],
    },
  ],
};

function world(spec: FzSettingsSpec = SPEC) {
  const { scheduler, prng, trace, host, settle } = stackWire(7);
  const srv = host('srv', SERVER);
  const cliA = host('a', ip('198.51.100.7'));
  const cliB = host('b', ip('198.51.100.8'));
  const { settings } = parseFzSettings(spec);
  let dataN = 0;
  const server = startFzServer({
    stack: srv,
    hostId: 'srv',
    settings,
    prng: prng.fork('server'),
    scheduler,
    trace,
    files: { '/ftp/readme.txt': { size: 3000 }, '/ftp/upload/old.txt': { size: 10 } },
    connLabel: (kind) => (kind === 'control' ? 'c/control' : `c/data${++dataN}`),
  });
  let nextPort = 40000;
  const session = (from: HostStack = cliA) => {
    const c = controlSession(from, { dst: SERVER, port: settings.ports[0]!, srcPort: nextPort++, conn: 'c/control' }, settle);
    settle();
    return { ...c, from };
  };
  return { scheduler, server, session, settle, cliA, cliB, srv };
}

const openData = (from: HostStack, port: number) => openDataTo(from, SERVER, port, 'c/data');

describe('FileZilla Server over HostStack', () => {
  it('greets, logs in and lists in passive mode: 227 in the range, 150, the listing, 226', () => {
    const w = world();
    const s = w.session();
    expect(s.replies()).toBe(WELCOME);
    expect(s.cmd('USER student')).toBe('331 Password required for student\r\n');
    expect(s.cmd('PASS pw')).toBe('230 Logged on\r\n');
    const pasv = s.cmd('PASV');
    expect(pasv).toMatch(/^227 Entering Passive Mode \(10,0,0,10,\d+,\d+\)\r\n$/);
    const port = portOf(pasv);
    expect(port).toBeGreaterThanOrEqual(5000);
    expect(port).toBeLessThanOrEqual(6000);
    const d = openData(w.cliA, port);
    w.settle();
    expect(s.cmd('LIST')).toBe('150 Opening data channel for directory listing of "/"\r\n226 Successfully transferred "/"\r\n');
    expect(dec(Uint8Array.from(d.got))).toBe('-r--r--r-- 1 ftp ftp           3000 Jan 01 00:00 readme.txt\r\ndrwxr-xr-x 1 ftp ftp              0 Jan 01 00:00 upload\r\n');
    expect(s.cmd('QUIT')).toBe('221 Goodbye\r\n');
  });

  it('an upload outside upload/ is refused (550); inside it is stored (226) and APPE adds to it', () => {
    const w = world();
    const s = w.session();
    s.cmd('USER student');
    s.cmd('PASS pw');
    s.cmd('PASV');
    expect(s.cmd('STOR new.txt')).toBe('550 Permission denied\r\n');
    const port = portOf(s.cmd('PASV'));
    const d = openData(w.cliA, port);
    w.settle();
    expect(s.cmd('STOR upload/new.txt')).toBe('150 Opening data channel for file upload to server of "/upload/new.txt"\r\n');
    d.sock.send(new Uint8Array(700));
    d.sock.close();
    w.settle();
    expect(s.replies().endsWith('226 Successfully transferred "/upload/new.txt"\r\n')).toBe(true);
    expect(w.server.fs.size('/ftp/upload/new.txt')).toBe(700);
    const d2 = openData(w.cliA, portOf(s.cmd('PASV')));
    w.settle();
    expect(s.cmd('APPE upload/new.txt')).toMatch(/^150 /);
    d2.sock.send(new Uint8Array(5));
    d2.sock.close();
    w.settle();
    expect(s.replies().endsWith('226 Successfully transferred "/upload/new.txt"\r\n')).toBe(true);
    expect(w.server.fs.size('/ftp/upload/new.txt')).toBe(705);
  });

  it('active mode: connects from the control port − 1, sends the 150 first; a refused connect is 425', () => {
    const w = world();
    const s = w.session();
    s.cmd('USER student');
    s.cmd('PASS pw');
    let accepted: TcpSocket | null = null;
    const got: number[] = [];
    w.cliA.listen(40123, (sock) => {
      accepted = sock;
      sock.setHandlers({ onData: (b) => got.push(...b), onPeerClosed: () => sock.close() });
    });
    // A private PORT address from a public peer is replaced by the peer's address.
    expect(s.cmd('PORT 192,168,1,100,156,187')).toBe('200 Port command successful\r\n');
    expect(s.cmd('RETR readme.txt')).toBe('150 Opening data channel for file download from server of "/readme.txt"\r\n226 Successfully transferred "/readme.txt"\r\n');
    expect(accepted!.remotePort).toBe(20);
    expect(got.length).toBe(3000);
    s.cmd('PORT 198,51,100,7,156,188');
    expect(s.cmd('LIST')).toBe('150 Opening data channel for directory listing of "/"\r\n425 Can\'t open data connection for transfer of "/"\r\n');
  });

  it('a data connection from another address: 425 Rejected data connection', () => {
    const w = world();
    const s = w.session();
    s.cmd('USER student');
    s.cmd('PASS pw');
    const port = portOf(s.cmd('PASV'));
    openData(w.cliB, port);
    w.settle();
    expect(s.cmd('LIST')).toBe('425 Rejected data connection for transfer of "/", IP addresses of control and data connection do not match\r\n');
  });

  it('per-IP limit counts logged-in sessions, refuses at PASS with 421 and the close, and frees a place when a session ends', () => {
    const w = world();
    const one = w.session();
    const two = w.session();
    for (const s of [one, two]) {
      s.cmd('USER student');
      expect(s.cmd('PASS pw')).toBe('230 Logged on\r\n');
    }
    const three = w.session();
    expect(three.replies()).toBe(WELCOME);
    three.cmd('USER student');
    expect(three.cmd('PASS pw')).toBe('421 Refusing connection. No more connections allowed from your IP.\r\n');
    expect(three.state.closed).toBe(true);
    // Another address is not counted against this one.
    const other = w.session(w.cliB);
    other.cmd('USER student');
    expect(other.cmd('PASS pw')).toBe('230 Logged on\r\n');
    expect(w.server.loggedIn('student')).toBe(3);
    one.cmd('QUIT');
    w.settle();
    const four = w.session();
    four.cmd('USER student');
    expect(four.cmd('PASS pw')).toBe('230 Logged on\r\n');
  });

  it('drops an idle session after the connection time-out: 421 Connection timed out. and the close', () => {
    const w = world({ ...SPEC, timeoutS: 30, noTransferTimeoutS: 0 });
    const s = w.session();
    s.cmd('USER student');
    s.cmd('PASS pw');
    const t0 = w.scheduler.now;
    w.scheduler.run({ until: t0 + seconds(29) });
    expect(s.state.closed).toBe(false);
    w.scheduler.run({ until: t0 + seconds(32) });
    expect(s.replies().endsWith('421 Connection timed out.\r\n')).toBe(true);
    expect(s.state.closed).toBe(true);
    expect(w.server.sessions).toBe(0);
  });

  it('closes a connection that never logs in after the login time-out', () => {
    const w = world({ ...SPEC, timeoutS: 120, loginTimeoutS: 60 });
    const s = w.session();
    w.scheduler.run({ until: w.scheduler.now + seconds(62) });
    expect(s.replies()).toBe(`${WELCOME}421 Login time exceeded. Closing control connection.\r\n`);
  });

  it('autoban: the Nth failure gets 421 and the address is turned away with 550 until the ban ends', () => {
    const w = world({ ...SPEC, autoban: { enabled: true, attempts: 3, banHours: 1 } });
    const s = w.session();
    s.cmd('USER student');
    expect(s.cmd('PASS a')).toBe('530 Login or password incorrect!\r\n');
    expect(s.cmd('PASS b')).toBe('530 Login or password incorrect!\r\n');
    expect(s.cmd('PASS c')).toBe('421 Temporarily banned for too many failed login attempts\r\n');
    expect(s.state.closed).toBe(true);
    const again = w.session();
    expect(again.replies()).toBe('550 No connections allowed from your IP\r\n');
    expect(w.session(w.cliB).replies()).toBe(WELCOME);
    // Nothing is scheduled that late: a no-op event moves the clock past the first purge after the hour.
    w.scheduler.after(seconds(3661) - w.scheduler.now, () => {});
    w.scheduler.run({ until: seconds(3661) });
    const after = w.session();
    expect(after.replies()).toBe(WELCOME);
    after.cmd('USER student');
    expect(after.cmd('PASS pw')).toBe('230 Logged on\r\n');
  });
});

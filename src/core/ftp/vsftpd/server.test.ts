import { describe, expect, it } from 'vitest';
import { parseIpv4, type Ipv4 } from '../../codec/addr';
import { defaultVsftpdConf, type VsftpdConf } from './conf';
import { Prng } from '../../sim/prng';
import { Scheduler, seconds } from '../../sim/scheduler';
import { TraceRecorder } from '../../sim/trace';
import type { HostStack, SocketHandlers, TcpSocket } from '../../tcp/hostStack';
import { drawPasvPort } from './session.machine';
import { pamFailDelayS } from './commands';
import { startFtpServer } from './server';
import { FTP_UID } from './accounts';
import type { ReplyStyle } from '../server/replies';
import type { FileSpec } from '../server/files';
import { TlsChannel } from '../ftps';

const ip = (s: string): Ipv4 => parseIpv4(s)!;
const SERVER = ip('10.0.0.10');
const CLIENT = ip('192.168.1.100');
const OTHER = ip('198.51.100.7');
const enc = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const dec = (b: Iterable<number>) => String.fromCharCode(...b);

/** The server side of one TCP connection; the test plays the peer by calling its handlers. */
class FakeSock implements TcpSocket {
  h: SocketHandlers = {};
  out: number[] = [];
  state = 'ESTABLISHED';
  how: 'open' | 'close' | 'abort' = 'open';
  constructor(
    readonly conn: string,
    readonly localIp: Ipv4,
    readonly localPort: number,
    readonly remoteIp: Ipv4,
    readonly remotePort: number,
  ) {}
  send(b: Uint8Array) {
    this.out.push(...b);
  }
  close() {
    if (this.how === 'open') this.how = 'close';
    this.state = 'FIN_WAIT_1';
  }
  abort() {
    this.how = 'abort';
    this.state = 'CLOSED';
  }
  setHandlers(h: SocketHandlers) {
    this.h = h;
  }
  text() {
    return dec(this.out);
  }
}

/** Just enough of HostStack: listeners the test dials into, connects the test answers. */
class FakeStack {
  listeners = new Map<number, { onAccept: (s: TcpSocket) => void; conn?: (ip: Ipv4, port: number) => string }>();
  connects: { opts: { dst: Ipv4; dstPort: number; srcPort?: number; conn: string; timeoutMs?: number }; sock: FakeSock }[] = [];
  used = new Set<number>();
  listen(port: number, onAccept: (s: TcpSocket) => void, opts?: { conn?: (ip: Ipv4, port: number) => string }) {
    if (this.listeners.has(port)) throw new Error(`port ${port} in use`);
    this.listeners.set(port, { onAccept, conn: opts?.conn });
    return { port, close: () => void this.listeners.delete(port) };
  }
  connect(opts: { dst: Ipv4; dstPort: number; srcPort?: number; conn: string; timeoutMs?: number }, h: SocketHandlers) {
    const s = new FakeSock(opts.conn, SERVER, opts.srcPort ?? 40001, opts.dst, opts.dstPort);
    s.h = h;
    s.state = 'SYN_SENT';
    this.connects.push({ opts, sock: s });
    return s;
  }
  isPortInUse(p: number) {
    return this.used.has(p) || this.listeners.has(p);
  }
  /** `used` stands for a port another listener holds, so a bind there fails. */
  isListening(p: number) {
    return this.used.has(p) || this.listeners.has(p);
  }
  ephemeralPort() {
    return 40001;
  }
  /** A peer connects to `port`; returns the server's socket. */
  dial(port: number, from: Ipv4, fromPort: number): FakeSock {
    const l = this.listeners.get(port);
    if (!l) throw new Error(`nobody listens on ${port}`);
    const s = new FakeSock(l.conn?.(from, fromPort) ?? 'anon', SERVER, port, from, fromPort);
    l.onAccept(s);
    return s;
  }
}

function setup(over: Partial<VsftpdConf> = {}, o: { seed?: number; style?: ReplyStyle; files?: Record<string, FileSpec>; users?: { name: string; password: string }[] } = {}) {
  const scheduler = new Scheduler();
  const trace = new TraceRecorder(() => scheduler.now);
  const stack = new FakeStack();
  const conf = { ...defaultVsftpdConf(), ...over };
  const server = startFtpServer({
    stack: stack as unknown as HostStack,
    hostId: 'srv',
    conf,
    files: o.files ?? { '/readme.txt': { size: 1024 }, '/pub/notes.txt': { text: 'hello\n' } },
    style: o.style ?? 'vsftpd',
    users: o.users,
    prng: new Prng(o.seed ?? 1),
    scheduler,
    trace,
    connLabel: (kind, _ip, _port, control) => (kind === 'control' ? 'c1/control' : `${(control ?? '?').split('/')[0]}/data`),
  });
  const ctl = stack.dial(conf.listen_port, CLIENT, 50000);
  let seen = 0;
  /** Sends a command line; returns the reply bytes the server wrote since the last call. */
  const cmd = (line: string): string => {
    ctl.h.onData?.(enc(`${line}\r\n`));
    return take();
  };
  const take = (): string => {
    const t = ctl.text().slice(seen);
    seen = ctl.out.length;
    return t;
  };
  return { scheduler, trace, stack, server, ctl, cmd, take, conf };
}

function loggedIn(over: Partial<VsftpdConf> = {}, o: Parameters<typeof setup>[1] = {}) {
  const t = setup(over, o);
  t.take();
  t.cmd('USER anonymous');
  expect(t.cmd('PASS guest@')).toBe('230 Login successful.\r\n');
  return t;
}

const pasvPort = (reply: string): number => {
  const m = /\((?:\d+,){4}(\d+),(\d+)\)/.exec(reply) ?? /\(\|\|\|(\d+)\|\)/.exec(reply);
  if (!m) throw new Error(`no port in ${reply}`);
  return m.length === 3 ? Number(m[1]) * 256 + Number(m[2]) : Number(m[1]);
};

describe('login', () => {
  it('greets with the vsFTPd banner, or ftpd_banner', () => {
    expect(setup().take()).toBe('220 (vsFTPd 3.0.3)\r\n');
    expect(setup({ ftpd_banner: 'Welcome to blah FTP service.' }).take()).toBe('220 Welcome to blah FTP service.\r\n');
  });

  it('logs an anonymous user in with any password; commands before login get 530', () => {
    const t = setup();
    t.take();
    expect(t.cmd('SYST')).toBe('530 Please login with USER and PASS.\r\n');
    expect(t.cmd('PASS x')).toBe('503 Login with USER first.\r\n');
    expect(t.cmd('USER ftp')).toBe('331 Please specify the password.\r\n');
    expect(t.cmd('PASS whatever')).toBe('230 Login successful.\r\n');
    expect(t.cmd('SYST')).toBe('215 UNIX Type: L8\r\n');
  });

  it('refuses local users unless local_enable, and anonymous ones unless anonymous_enable', () => {
    const a = setup();
    a.take();
    expect(a.cmd('USER bob')).toBe('530 This FTP server is anonymous only.\r\n');
    const b = setup({ local_enable: true });
    b.take();
    expect(b.cmd('USER bob')).toBe('331 Please specify the password.\r\n');
    expect(b.cmd('PASS secret')).toBe('230 Login successful.\r\n');
    const c = setup({ anonymous_enable: false, local_enable: true, delay_failed_login: 0 });
    c.take();
    expect(c.cmd('USER anonymous')).toBe('331 Please specify the password.\r\n');
    // Without anonymous_enable "anonymous" is a local user name: PAM says no, after its delay.
    expect(c.cmd('PASS x')).toBe('');
    c.scheduler.run({ until: c.scheduler.now + 3_000_000 });
    expect(c.take()).toBe('530 Login incorrect.\r\n');
  });

  it('closes the session after the third failed login', () => {
    // (With neither login on, vsftpd would not greet at all: local_enable is on, "ftp" a local name.)
    const t = setup({ anonymous_enable: false, local_enable: true, delay_failed_login: 0 });
    t.take();
    for (let i = 0; i < 3; i++) {
      t.cmd('USER ftp');
      t.cmd('PASS x');
      t.scheduler.run({ until: t.scheduler.now + 3_100_000 });
      expect(t.take()).toBe('530 Login incorrect.\r\n');
    }
    expect(t.ctl.how).toBe('close');
  });

  it("checks a local user's password; answers a wrong one after PAM's delay and delay_failed_login; closes at max_login_fails", () => {
    const t = setup({ local_enable: true, max_login_fails: 2 }, { users: [{ name: 'alice', password: 'right' }] });
    t.take();
    t.cmd('USER alice');
    const t0 = t.scheduler.now;
    // pam_unix's 2 s, scaled by PAM (1–3 s), then vsftpd's own second.
    const wait = Math.round((pamFailDelayS(Math.floor(t0 / 1_000_000)) + 1) * 1_000_000);
    expect(wait).toBeGreaterThanOrEqual(2_000_000);
    expect(wait).toBeLessThanOrEqual(4_000_000);
    expect(t.cmd('PASS wrong')).toBe('');
    t.scheduler.run({ until: t0 + wait - 1_000 });
    expect(t.take()).toBe('');
    t.scheduler.run({ until: t0 + wait });
    expect(t.take()).toBe('530 Login incorrect.\r\n');
    expect(t.ctl.how).toBe('open');
    t.cmd('USER bob');
    t.cmd('PASS right');
    t.scheduler.run({ until: t0 + 9_000_000 });
    expect(t.take()).toBe('530 Login incorrect.\r\n');
    expect(t.ctl.how).toBe('close');
    const ok = setup({ local_enable: true }, { users: [{ name: 'alice', password: 'right' }] });
    ok.take();
    ok.cmd('USER alice');
    expect(ok.cmd('PASS right')).toBe('230 Login successful.\r\n');
  });

  it('cmds_allowed and cmds_denied refuse commands after login with 550 Permission denied.; deny_file refuses names', () => {
    const t = loggedIn({ cmds_denied: 'SIZE,MDTM', deny_file: '*.txt' }, { files: { '/readme.txt': { size: 10 }, '/pub/x.bin': { size: 3 } } });
    expect(t.cmd('SIZE pub/x.bin')).toBe('550 Permission denied.\r\n');
    expect(t.cmd('CWD pub')).toBe('250 Directory successfully changed.\r\n');
    expect(t.cmd('PASV')).toMatch(/^227 /);
    expect(t.cmd('RETR ../readme.txt')).toBe('550 Permission denied.\r\n');
    const a = loggedIn({ cmds_allowed: 'PASV,RETR,QUIT' });
    expect(a.cmd('PWD')).toBe('550 Permission denied.\r\n');
  });

  it('renames with RNFR/RNTO and appends with APPE where write_enable allows it', () => {
    const t = setup({ local_enable: true, write_enable: true }, { users: [{ name: 'alice', password: 'pw' }] });
    // Her home is "/" here: hers to write in (a directory nobody was given is root's 0755).
    t.server.fs.adopt('/', { uid: 1000, gid: 1000, mode: 0o755 });
    t.take();
    t.cmd('USER alice');
    t.cmd('PASS pw');
    expect(t.cmd('RNTO b.txt')).toBe('503 RNFR required first.\r\n');
    expect(t.cmd('RNFR nothing')).toBe('550 RNFR command failed.\r\n');
    expect(t.cmd('RNFR readme.txt')).toBe('350 Ready for RNTO.\r\n');
    expect(t.cmd('RNTO renamed.txt')).toBe('250 Rename successful.\r\n');
    expect(t.server.fs.size('/renamed.txt')).toBe(1024);
    const anon = loggedIn({ write_enable: true, anon_upload_enable: true });
    expect(anon.cmd('RNFR readme.txt')).toBe('550 Permission denied.\r\n');
    expect(anon.cmd('APPE readme.txt')).toBe('550 Permission denied.\r\n');
  });

  it('QUIT answers 221 and closes the control connection', () => {
    const t = loggedIn();
    expect(t.cmd('QUIT')).toBe('221 Goodbye.\r\n');
    expect(t.ctl.how).toBe('close');
    expect(t.server.sessions).toBe(0);
  });
});

describe('simple commands', () => {
  it('answers SYST, TYPE, PWD, CWD, NOOP, SIZE and unknown verbs byte for byte', () => {
    const t = loggedIn();
    expect(t.cmd('TYPE I')).toBe('200 Switching to Binary mode.\r\n');
    expect(t.cmd('TYPE A')).toBe('200 Switching to ASCII mode.\r\n');
    expect(t.cmd('PWD')).toBe('257 "/" is the current directory\r\n');
    expect(t.cmd('CWD pub')).toBe('250 Directory successfully changed.\r\n');
    expect(t.cmd('PWD')).toBe('257 "/pub" is the current directory\r\n');
    expect(t.cmd('CWD nowhere')).toBe('550 Failed to change directory.\r\n');
    expect(t.cmd('SIZE notes.txt')).toBe('213 6\r\n');
    expect(t.cmd('SIZE /readme.txt')).toBe('213 1024\r\n');
    expect(t.cmd('SIZE missing')).toBe('550 Could not get file size.\r\n');
    expect(t.cmd('NOOP')).toBe('200 NOOP ok.\r\n');
    expect(t.cmd('XYZZY')).toBe('500 Unknown command.\r\n');
  });

  it('lists features in a multi-line FEAT that depends on the configuration', () => {
    const t = loggedIn();
    expect(t.cmd('FEAT')).toBe('211-Features:\r\n EPRT\r\n EPSV\r\n MDTM\r\n PASV\r\n REST STREAM\r\n SIZE\r\n TVFS\r\n211 End\r\n');
    const s = setup({ ssl_enable: true, pasv_enable: false });
    s.take();
    expect(s.cmd('FEAT')).toBe('211-Features:\r\n AUTH TLS\r\n EPRT\r\n MDTM\r\n PBSZ\r\n PROT\r\n REST STREAM\r\n SIZE\r\n TVFS\r\n211 End\r\n');
  });

  it('MKD and DELE need write_enable (and a local user)', () => {
    const ro = loggedIn();
    expect(ro.cmd('MKD new')).toBe('550 Permission denied.\r\n');
    expect(ro.cmd('DELE readme.txt')).toBe('550 Permission denied.\r\n');
    const rw = setup({ local_enable: true, write_enable: true });
    // bob (no account of his own here: ftp's uid) owns the tree he writes in; root's 0755 would refuse him.
    rw.server.fs.adopt('/', { uid: FTP_UID, gid: FTP_UID, mode: 0o755 });
    rw.take();
    rw.cmd('USER bob');
    rw.cmd('PASS x');
    expect(rw.cmd('MKD new')).toBe('257 "/new" created\r\n');
    expect(rw.cmd('MKD new')).toBe('550 Create directory operation failed.\r\n');
    expect(rw.cmd('DELE readme.txt')).toBe('250 Delete operation successful.\r\n');
    expect(rw.cmd('SIZE readme.txt')).toBe('550 Could not get file size.\r\n');
  });

  it('speaks ProFTPD 1.2 words in the proftpd style', () => {
    const t = setup({ local_enable: true }, { style: 'proftpd' });
    expect(t.take()).toBe('220 srv FTP server ready.\r\n');
    expect(t.cmd('USER slacker')).toBe('331 Password required for slacker.\r\n');
    expect(t.cmd('PASS TmpPass')).toBe('230 User slacker logged in.\r\n');
    expect(t.cmd('SYST')).toBe('215 UNIX Type: L8\r\n');
    expect(t.cmd('PORT 192,168,1,100,14,178')).toBe('200 PORT command successful.\r\n');
    t.cmd('LIST');
    t.stack.connects[0]!.sock.h.onConnected?.();
    expect(t.take()).toBe('150 Opening ASCII mode data connection for file list.\r\n');
  });
});

describe('PORT and EPRT', () => {
  it('accepts the control peer at an unprivileged port', () => {
    const t = loggedIn();
    expect(t.cmd('PORT 192,168,1,100,14,178')).toBe('200 PORT command successful. Consider using PASV.\r\n');
    expect(t.cmd('EPRT |1|192.168.1.100|3762|')).toBe('200 EPRT command successful. Consider using EPSV.\r\n');
  });

  it('refuses another address or a port below 1024 unless port_promiscuous', () => {
    const t = loggedIn();
    expect(t.cmd('PORT 198,51,100,7,14,178')).toBe('500 Illegal PORT command.\r\n');
    expect(t.cmd('PORT 192,168,1,100,3,255')).toBe('500 Illegal PORT command.\r\n');
    expect(t.cmd('PORT 192,168,1,100')).toBe('500 Illegal PORT command.\r\n');
    expect(t.cmd('EPRT |1|198.51.100.7|3762|')).toBe('500 Illegal EPRT command.\r\n');
    expect(t.cmd('EPRT |1|192.168.1.100|21|')).toBe('500 Illegal EPRT command.\r\n');
    expect(t.cmd('EPRT |2|::1|3762|')).toBe('500 Bad EPRT protocol.\r\n');
    expect(t.cmd('EPRT |1|nonsense|3762|')).toBe('500 Bad EPRT command.\r\n');
    // A refused PORT leaves no data channel behind.
    expect(t.cmd('LIST')).toBe('425 Use PORT or PASV first.\r\n');
    const p = loggedIn({ port_promiscuous: true });
    expect(p.cmd('PORT 198,51,100,7,14,178')).toBe('200 PORT command successful. Consider using PASV.\r\n');
  });

  it('answers 550 Permission denied with port_enable=NO', () => {
    const t = loggedIn({ port_enable: false });
    expect(t.cmd('PORT 192,168,1,100,14,178')).toBe('550 Permission denied.\r\n');
  });
});

describe('PASV and EPSV', () => {
  it('draws passive ports inside the range, the same for the same seed, covering it across seeds', () => {
    const seen = new Set<number>();
    for (let seed = 1; seed <= 200; seed++) {
      const t = loggedIn({ pasv_min_port: 3001, pasv_max_port: 3010 }, { seed });
      const port = pasvPort(t.cmd('PASV'));
      expect(port).toBeGreaterThanOrEqual(3001);
      expect(port).toBeLessThanOrEqual(3010);
      expect(pasvPort(loggedIn({ pasv_min_port: 3001, pasv_max_port: 3010 }, { seed }).cmd('PASV'))).toBe(port);
      seen.add(port);
    }
    expect(seen.size).toBe(10);
  });

  it('retries a used port up to 9 draws, then dies like vsftpd', () => {
    const prng = new Prng(7);
    const first = drawPasvPort(new Prng(7), { pasv_min_port: 3001, pasv_max_port: 3002 }, () => false)!;
    expect(drawPasvPort(prng, { pasv_min_port: 3001, pasv_max_port: 3002 }, (p) => p === first)).toBe(first === 3001 ? 3002 : 3001);
    let tries = 0;
    expect(drawPasvPort(new Prng(7), { pasv_min_port: 3001, pasv_max_port: 3002 }, () => (tries++, true))).toBeNull();
    expect(tries).toBe(9);
    const t = loggedIn({ pasv_min_port: 3001, pasv_max_port: 3001 });
    t.stack.used.add(3001);
    expect(t.cmd('PASV')).toBe('500 OOPS: vsf_sysutil_bind\r\n');
    expect(t.ctl.how).toBe('abort');
  });

  it('announces the control socket address, or pasv_address', () => {
    const t = loggedIn({ pasv_min_port: 50069, pasv_max_port: 50069 });
    expect(t.cmd('PASV')).toBe('227 Entering Passive Mode (10,0,0,10,195,149).\r\n');
    const n = loggedIn({ pasv_min_port: 50069, pasv_max_port: 50069, pasv_address: '203.0.113.10' });
    expect(n.cmd('PASV')).toBe('227 Entering Passive Mode (203,0,113,10,195,149).\r\n');
  });

  it('answers EPSV with the port only', () => {
    const t = loggedIn({ pasv_min_port: 3069, pasv_max_port: 3069 });
    expect(t.cmd('EPSV')).toBe('229 Entering Extended Passive Mode (|||3069|)\r\n');
    expect(t.cmd('EPSV 2')).toBe('522 Bad network protocol.\r\n');
  });

  it('a new PASV closes the previous listener; PORT cancels PASV', () => {
    const t = loggedIn();
    const a = pasvPort(t.cmd('PASV'));
    const b = pasvPort(t.cmd('PASV'));
    expect(t.stack.listeners.has(a) && a !== b).toBe(false);
    expect(t.stack.listeners.has(b)).toBe(true);
    t.cmd('PORT 192,168,1,100,14,178');
    expect(t.stack.listeners.has(b)).toBe(false);
  });
});

describe('passive transfers', () => {
  it('LIST: 150 once the client connects, the listing, close, then 226', () => {
    const t = loggedIn();
    const port = pasvPort(t.cmd('PASV'));
    expect(t.cmd('LIST')).toBe('');
    const data = t.stack.dial(port, CLIENT, 50001);
    expect(data.conn).toBe('c1/data');
    expect(t.take()).toBe('150 Here comes the directory listing.\r\n');
    expect(data.text()).toBe('drwxr-xr-x    2 0        0            4096 Jan 01 00:00 pub\r\n-rw-r--r--    1 0        0            1024 Jan 01 00:00 readme.txt\r\n');
    expect(data.how).toBe('close');
    data.h.onPeerClosed?.();
    expect(t.take()).toBe('226 Directory send OK.\r\n');
    expect(t.stack.listeners.has(port)).toBe(false);
    expect(t.cmd('LIST')).toBe('425 Use PORT or PASV first.\r\n');
  });

  it('RETR sends the file bytes with a 150 naming the size', () => {
    const t = loggedIn();
    const port = pasvPort(t.cmd('PASV'));
    t.cmd('RETR readme.txt');
    const data = t.stack.dial(port, CLIENT, 50002);
    expect(t.take()).toBe('150 Opening BINARY mode data connection for readme.txt (1024 bytes).\r\n');
    expect(data.out.length).toBe(1024);
    data.h.onPeerClosed?.();
    expect(t.take()).toBe('226 Transfer complete.\r\n');
  });

  it('accepts a data connection that arrived before the command (the listen backlog)', () => {
    const t = loggedIn();
    const port = pasvPort(t.cmd('EPSV'));
    const data = t.stack.dial(port, CLIENT, 50003);
    expect(t.cmd('NLST')).toBe('150 Here comes the directory listing.\r\n');
    expect(data.text()).toBe('pub\r\nreadme.txt\r\n');
  });

  it('refuses a data connection from another address: 425 Security: Bad IP connecting.', () => {
    const t = loggedIn();
    const port = pasvPort(t.cmd('PASV'));
    t.cmd('LIST');
    const intruder = t.stack.dial(port, OTHER, 40000);
    expect(t.take()).toBe('425 Security: Bad IP connecting.\r\n');
    expect(intruder.how).toBe('close');
    expect(intruder.out.length).toBe(0);
    expect(t.stack.listeners.has(port)).toBe(false);
  });

  it('pasv_promiscuous=YES takes a data connection from anywhere', () => {
    const t = loggedIn({ pasv_promiscuous: true });
    const port = pasvPort(t.cmd('PASV'));
    t.cmd('LIST');
    t.stack.dial(port, OTHER, 40000);
    expect(t.take()).toBe('150 Here comes the directory listing.\r\n');
  });

  it('gives up after exactly accept_timeout seconds with 425 Failed to establish connection.', () => {
    const t = loggedIn();
    pasvPort(t.cmd('PASV'));
    const start = t.scheduler.now;
    expect(t.cmd('LIST')).toBe('');
    t.scheduler.run({ until: start + seconds(60) - 1 });
    expect(t.take()).toBe('');
    t.scheduler.run({ until: start + seconds(60) });
    expect(t.take()).toBe('425 Failed to establish connection.\r\n');
    const at = t.trace.events.find((e) => e.kind === 'ftp' && e.text.startsWith('425'))!.t;
    expect(at - start).toBe(seconds(60));
  });

  it('queues commands sent during a transfer and answers them afterwards', () => {
    const t = loggedIn();
    const port = pasvPort(t.cmd('PASV'));
    t.cmd('LIST');
    expect(t.cmd('NOOP')).toBe('');
    const data = t.stack.dial(port, CLIENT, 50004);
    t.take();
    data.h.onPeerClosed?.();
    expect(t.take()).toBe('226 Directory send OK.\r\n200 NOOP ok.\r\n');
  });
});

describe('active transfers', () => {
  it('connects first (from port 20 with connect_from_port_20), then 150, data and 226', () => {
    const t = loggedIn({ connect_from_port_20: true });
    t.cmd('PORT 192,168,1,100,14,178');
    expect(t.cmd('LIST')).toBe('');
    const c = t.stack.connects[0]!;
    expect(c.opts).toMatchObject({ dst: CLIENT, dstPort: 3762, srcPort: 20, conn: 'c1/data', timeoutMs: 60_000 });
    c.sock.h.onConnected?.();
    expect(t.take()).toBe('150 Here comes the directory listing.\r\n');
    expect(c.sock.text()).toContain('readme.txt\r\n');
    c.sock.h.onPeerClosed?.();
    expect(t.take()).toBe('226 Directory send OK.\r\n');
  });

  it('uses an ephemeral source port without connect_from_port_20', () => {
    const t = loggedIn();
    t.cmd('EPRT |1|192.168.1.100|3762|');
    t.cmd('RETR readme.txt');
    expect(t.stack.connects[0]!.opts.srcPort).toBeUndefined();
  });

  it('a failed connect is a bare 425, with no 150 before it', () => {
    for (const err of [{ kind: 'refused' as const }, { kind: 'timeout' as const, synCount: 7, elapsedUs: 60_000_000 }, { kind: 'icmp' as const, type: 3, code: 1, from: OTHER }]) {
      const t = loggedIn();
      t.cmd('PORT 192,168,1,100,14,178');
      t.cmd('LIST');
      t.stack.connects[0]!.sock.h.onError?.(err);
      expect(t.take()).toBe('425 Failed to establish connection.\r\n');
    }
  });

  it('port_promiscuous=YES with connect_from_port_20=YES dies on LIST with 500 OOPS: vsf_sysutil_bind', () => {
    const t = loggedIn({ port_promiscuous: true, connect_from_port_20: true });
    t.cmd('PORT 198,51,100,7,14,178');
    expect(t.cmd('LIST')).toBe('500 OOPS: vsf_sysutil_bind\r\n');
    expect(t.ctl.how).toBe('abort');
    expect(t.stack.connects).toHaveLength(0);
  });
});

describe('transfer checks', () => {
  it('LIST/RETR without PORT or PASV: 425 Use PORT or PASV first.', () => {
    const t = loggedIn();
    expect(t.cmd('RETR readme.txt')).toBe('425 Use PORT or PASV first.\r\n');
  });

  it('RETR of a missing file: 550 before any data connection, PASV stays armed', () => {
    const t = loggedIn();
    const port = pasvPort(t.cmd('PASV'));
    expect(t.cmd('RETR nothere.bin')).toBe('550 Failed to open file.\r\n');
    expect(t.stack.listeners.has(port)).toBe(true);
    const a = loggedIn();
    a.cmd('PORT 192,168,1,100,14,178');
    a.cmd('RETR nothere.bin');
    expect(a.stack.connects).toHaveLength(0);
  });

  it('STOR needs write permission; with it the upload is stored', () => {
    const ro = loggedIn();
    expect(ro.cmd('STOR up.bin')).toBe('550 Permission denied.\r\n');
    const t = setup({ local_enable: true, write_enable: true });
    t.server.fs.adopt('/', { uid: FTP_UID, gid: FTP_UID, mode: 0o755 });
    t.take();
    t.cmd('USER bob');
    t.cmd('PASS x');
    const port = pasvPort(t.cmd('PASV'));
    t.cmd('STOR up.bin');
    const data = t.stack.dial(port, CLIENT, 50005);
    expect(t.take()).toBe('150 Ok to send data.\r\n');
    data.h.onData?.(new Uint8Array(700));
    data.h.onData?.(new Uint8Array(300));
    data.h.onPeerClosed?.();
    expect(data.how).toBe('close');
    data.h.onClosed?.();
    expect(t.take()).toBe('226 Transfer complete.\r\n');
    expect(t.cmd('SIZE up.bin')).toBe('213 1000\r\n');
  });

  it('Unix permissions: only the owner writes in a 755 directory; uploads get the mode less local_umask', () => {
    const users = [
      { name: 'alice', password: 'a' },
      { name: 'bob', password: 'b' },
    ];
    const files = {
      '/incoming': { dir: true, owner: { uid: 1000, gid: 1000 }, mode: 0o755 },
      '/private': { dir: true, owner: { uid: 1000, gid: 1000 }, mode: 0o700 },
      '/secret.txt': { size: 5, owner: { uid: 1000, gid: 1000 }, mode: 0o600 },
    };
    const as = (name: string, password: string, over: Partial<VsftpdConf> = {}) => {
      const t = setup({ local_enable: true, write_enable: true, delay_failed_login: 0, ...over }, { users, files });
      t.take();
      t.cmd(`USER ${name}`);
      expect(t.cmd(`PASS ${password}`)).toBe('230 Login successful.\r\n');
      return t;
    };
    const bob = as('bob', 'b');
    bob.cmd('PASV');
    expect(bob.cmd('STOR incoming/x.bin')).toBe('553 Could not create file.\r\n');
    expect(bob.cmd('MKD incoming/d')).toBe('550 Create directory operation failed.\r\n');
    expect(bob.cmd('CWD private')).toBe('550 Failed to change directory.\r\n');
    expect(bob.cmd('RETR secret.txt')).toBe('550 Failed to open file.\r\n');
    const upload = (t: ReturnType<typeof as>, name: string) => {
      const port = pasvPort(t.cmd('PASV'));
      t.cmd(`STOR ${name}`);
      const data = t.stack.dial(port, CLIENT, 50006);
      expect(t.take()).toBe('150 Ok to send data.\r\n');
      data.h.onData?.(new Uint8Array(10));
      data.h.onPeerClosed?.();
      data.h.onClosed?.();
      expect(t.take()).toBe('226 Transfer complete.\r\n');
    };
    const alice = as('alice', 'a');
    upload(alice, 'incoming/x.bin');
    expect(alice.server.fs.ownerOf('/incoming/x.bin')).toEqual({ uid: 1000, gid: 1000, mode: 0o600 });
    expect(alice.cmd('CWD private')).toBe('250 Directory successfully changed.\r\n');
    const relaxed = as('alice', 'a', { local_umask: 0o022 });
    upload(relaxed, 'incoming/y.bin');
    expect(relaxed.server.fs.ownerOf('/incoming/y.bin')?.mode).toBe(0o644);
  });
});

describe('AUTH TLS', () => {
  it('without ssl_enable AUTH is just a command before login', () => {
    const t = setup();
    t.take();
    expect(t.cmd('AUTH TLS')).toBe('530 Please login with USER and PASS.\r\n');
  });

  it('with ssl_enable: 234 in clear, then every line both ways in pseudo-TLS records', () => {
    const t = setup({ ssl_enable: true, allow_anon_ssl: true });
    t.take();
    expect(t.cmd('AUTH TLS')).toBe('234 Proceed with negotiation.\r\n');
    const client = new TlsChannel('c1', 'client');
    t.ctl.h.onData?.(client.wrap(enc('USER anonymous\r\n')));
    const raw = enc(t.take());
    expect([...raw.slice(0, 3)]).toEqual([0x17, 0x03, 0x03]);
    expect(dec(raw)).not.toContain('331');
    expect(dec(client.unwrap(raw))).toBe('331 Please specify the password.\r\n');
    const ftpEvents = t.trace.events.filter((e) => e.kind === 'ftp').map((e) => (e.kind === 'ftp' ? `${e.dir}:${e.text}` : ''));
    expect(ftpEvents).toContain('command:USER anonymous');
  });

  it('refuses a local login in clear with force_local_logins_ssl (the default)', () => {
    const t = setup({ ssl_enable: true, local_enable: true });
    t.take();
    expect(t.cmd('USER bob')).toBe('530 Non-anonymous sessions must use encryption.\r\n');
    expect(t.ctl.how).toBe('close');
  });
});

describe('trace', () => {
  it('records each command and reply with the conn label, and state changes', () => {
    const t = loggedIn();
    t.cmd('NOOP');
    const ftp = t.trace.events.filter((e) => e.kind === 'ftp');
    expect(ftp.map((e) => (e.kind === 'ftp' ? [e.dir, e.text] : []))).toEqual([
      ['reply', '220 (vsFTPd 3.0.3)'],
      ['command', 'USER anonymous'],
      ['reply', '331 Please specify the password.'],
      ['command', 'PASS guest@'],
      ['reply', '230 Login successful.'],
      ['command', 'NOOP'],
      ['reply', '200 NOOP ok.'],
    ]);
    expect(ftp.every((e) => e.kind === 'ftp' && e.conn === 'c1/control' && e.client === 'c1' && e.host === 'srv')).toBe(true);
    const states = t.trace.events.filter((e) => e.kind === 'state').map((e) => (e.kind === 'state' ? e.to : ''));
    expect(states).toEqual(['preLogin', 'ready']);
  });
});

describe("PAM's delay after a failed password (Linux-PAM pam_delay.c)", () => {
  it("is pam_unix's 2 s scaled by 1 + (mean of three LCG numbers − 0.5), seeded with the time in seconds", () => {
    // Worked by hand from _pam_compute_delay with its fallback generator (N1 1664525, N2 1013904223).
    expect([0, 1, 2, 3].map((n) => pamFailDelayS(n))).toEqual([2.347, 2.152, 1.956, 2.092]);
    const all = Array.from({ length: 2000 }, (_, n) => pamFailDelayS(n));
    expect(Math.min(...all)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...all)).toBeLessThanOrEqual(3);
    expect(all.reduce((a, b) => a + b, 0) / all.length).toBeCloseTo(2, 1);
  });
});

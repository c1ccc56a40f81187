/**
 * The server over real HostStacks: a client host and the server host on one wire (each
 * packet reaches the stack that owns its destination address after a fixed latency).
 */
import { describe, expect, it } from 'vitest';
import { defaultVsftpdConf, type VsftpdConf } from './conf';
import { seconds } from '../../sim/scheduler';
import type { HostStack, TcpSocket } from '../../tcp/hostStack';
import { startFtpServer } from './server';
import { controlSession, dec, ip, openData as openDataTo, pasvPortOf as portOf, stackWire } from '../server/stackWorld.testkit';

const SERVER = ip('10.0.0.10');
const CLIENT = ip('10.0.0.20');
const OTHER = ip('10.0.0.30');

function world(over: Partial<VsftpdConf> = {}, seed = 1) {
  const { scheduler, trace, prng, host, settle } = stackWire(seed);
  const srv = host('srv', SERVER);
  const cli = host('cli', CLIENT);
  const other = host('other', OTHER);
  const conf = { ...defaultVsftpdConf(), ...over };
  let dataN = 0;
  const server = startFtpServer({
    stack: srv,
    hostId: 'srv',
    conf,
    files: { '/readme.txt': { size: 3000 } },
    style: 'vsftpd',
    prng: prng.fork('server'),
    scheduler,
    trace,
    connLabel: (kind) => (kind === 'control' ? 'c1/control' : `c1/data${++dataN}`),
  });
  // The test's client: a raw control socket and what came back on it.
  const { sock: ctl, cmd, replies } = controlSession(cli, { dst: SERVER, port: conf.listen_port, conn: 'c1/control' }, settle);
  settle();
  return { scheduler, trace, srv, cli, other, server, ctl, cmd, settle, replies };
}

function login(w: ReturnType<typeof world>) {
  expect(w.replies()).toBe('220 (vsFTPd 3.0.3)\r\n');
  w.cmd('USER anonymous');
  expect(w.cmd('PASS x')).toBe('230 Login successful.\r\n');
}

const openData = (from: HostStack, port: number) => openDataTo(from, SERVER, port, 'c1/data');

describe('ftpServer over HostStack', () => {
  it('passive LIST and RETR: 150, the bytes, FIN, 226', () => {
    const w = world({ pasv_min_port: 3001, pasv_max_port: 3100 });
    login(w);
    const port = portOf(w.cmd('PASV'));
    expect(port).toBeGreaterThanOrEqual(3001);
    expect(port).toBeLessThanOrEqual(3100);
    const d = openData(w.cli, port);
    w.settle();
    expect(w.cmd('RETR readme.txt')).toBe('150 Opening BINARY mode data connection for readme.txt (3000 bytes).\r\n226 Transfer complete.\r\n');
    expect(d.got.length).toBe(3000);
    expect(d.state.closed).toBe(true);
    const port2 = portOf(w.cmd('PASV'));
    const d2 = openData(w.cli, port2);
    expect(w.cmd('LIST')).toBe('150 Here comes the directory listing.\r\n226 Directory send OK.\r\n');
    expect(dec(Uint8Array.from(d2.got))).toBe('-rw-r--r--    1 0        0            3000 Jan 01 00:00 readme.txt\r\n');
    expect(w.cmd('QUIT')).toBe('221 Goodbye.\r\n');
  });

  it('a data connection from another host: 425 Security: Bad IP connecting.', () => {
    const w = world();
    login(w);
    const port = portOf(w.cmd('PASV'));
    const intruder = openData(w.other, port);
    expect(w.cmd('LIST')).toBe('425 Security: Bad IP connecting.\r\n');
    expect(intruder.got.length).toBe(0);
  });

  it('nobody connects: 425 after accept_timeout', () => {
    const w = world();
    login(w);
    w.cmd('PASV');
    const t0 = w.scheduler.now;
    expect(w.cmd('LIST')).toBe('');
    w.scheduler.run({ until: t0 + seconds(61) });
    expect(w.replies().endsWith('425 Failed to establish connection.\r\n')).toBe(true);
  });

  it('active mode: the server connects from port 20, and a refused connect is a bare 425', () => {
    const w = world({ connect_from_port_20: true });
    login(w);
    let accepted: TcpSocket | null = null;
    const got: number[] = [];
    w.cli.listen(40123, (s) => {
      accepted = s;
      s.setHandlers({ onData: (b) => got.push(...b), onPeerClosed: () => s.close() });
    });
    expect(w.cmd('PORT 10,0,0,20,156,187')).toBe('200 PORT command successful. Consider using PASV.\r\n');
    expect(w.cmd('LIST')).toBe('150 Here comes the directory listing.\r\n226 Directory send OK.\r\n');
    expect(accepted!.remotePort).toBe(20);
    expect(dec(Uint8Array.from(got))).toContain('readme.txt');
    // Nobody listens on 40124: RST → 425 with no 150.
    w.cmd('PORT 10,0,0,20,156,188');
    expect(w.cmd('LIST')).toBe('425 Failed to establish connection.\r\n');
  });

  it('max_per_ip and max_clients: 421 before any greeting; a session that ends frees its place', () => {
    const w = world({ max_per_ip: 1, max_clients: 2 });
    login(w);
    const open = (stack: HostStack, port: number) => {
      let got = '';
      const sock = stack.connect({ dst: SERVER, dstPort: 21, srcPort: port, conn: `c${port}/control` }, { onData: (b) => (got += dec(b)) });
      w.settle();
      return { sock, got: () => got };
    };
    // A second session from the same address is one too many for max_per_ip=1.
    expect(open(w.cli, 40001).got()).toBe('421 There are too many connections from your internet address.\r\n');
    // Another address is let in: two sessions, max_clients=2.
    const other = open(w.other, 40002);
    expect(other.got()).toBe('220 (vsFTPd 3.0.3)\r\n');
    expect(w.server.sessions).toBe(2);
    // A third session goes over max_clients (checked first, as vsftpd does).
    expect(open(w.other, 40003).got()).toBe('421 There are too many connected users, please try later.\r\n');
    // The first client quits: its address may connect again.
    expect(w.cmd('QUIT')).toBe('221 Goodbye.\r\n');
    w.settle();
    expect(w.server.sessions).toBe(1);
    expect(open(w.cli, 40004).got()).toBe('220 (vsFTPd 3.0.3)\r\n');
  });

  it('neither login on: every connection gets 500 OOPS instead of a greeting, then the close (before max_clients)', () => {
    const w = world({ anonymous_enable: false, local_enable: false, max_clients: 1 });
    for (const port of [40011, 40012]) {
      let got = '';
      let closed = false;
      w.other.connect({ dst: SERVER, dstPort: 21, srcPort: port, conn: `c${port}/control` }, { onData: (b) => (got += dec(b)), onPeerClosed: () => (closed = true) });
      w.settle();
      expect(got).toBe('500 OOPS: vsftpd: both local and anonymous access disabled!\r\n');
      expect(closed).toBe(true);
    }
  });
});

/**
 * Every built-in scenario, run through the whole simulator: outcome, failure kind and where
 * it happened, and the bytes on the wire at the step the scenario is about.
 */
import { describe, expect, it } from 'vitest';
import { BUILTIN_SCENARIOS } from '../../scenarios/index';
import { formatScenarioError, loadScenario } from '../scenario/load';
import type { Scenario } from '../scenario/types';
import { decodePacket } from '../codec/packet';
import { runScenario, type RunResult } from '../runScenario';
import type { TraceEvent } from '../sim/trace';

function load(id: string, edit?: (json: any) => void): Scenario {
  const entry = BUILTIN_SCENARIOS.find((s) => s.id === id);
  if (!entry) throw new Error(`no built-in ${id}`);
  const json = structuredClone(entry.json) as any;
  edit?.(json);
  const r = loadScenario(json, `${id}.json`);
  if (!r.ok) throw new Error(r.errors.map(formatScenarioError).join('\n'));
  return r.scenario;
}

const run = (id: string, edit?: (json: any) => void): RunResult => runScenario(load(id, edit));

type Send = Extract<TraceEvent, { kind: 'send' }>;
const sends = (r: RunResult): Send[] => r.trace.events.filter((e): e is Send => e.kind === 'send');
const text = (e: Send): string => {
  const p = decodePacket(e.bytes);
  return p.ok && p.value.tcp ? new TextDecoder('latin1').decode(p.value.tcp.payload) : '';
};
const tcp = (e: Send) => {
  const p = decodePacket(e.bytes);
  if (!p.ok || !p.value.tcp) throw new Error('not TCP');
  return { ip: p.value.ip.header, tcp: p.value.tcp };
};
/** Segments whose payload starts with `prefix`, as sent by `device`. */
const payloads = (r: RunResult, device: string, prefix: string): string[] =>
  sends(r)
    .filter((e) => e.device === device && text(e).startsWith(prefix))
    .map(text);
const isTcp = (e: Send) => {
  const p = decodePacket(e.bytes);
  return p.ok && !!p.value.tcp;
};
/** The SYNs of a connection as its opener sent them (first hop only). */
const synsOf = (r: RunResult, conn: string, opener = 'client') =>
  sends(r).filter((e) => e.conn === conn && e.device === opener && isTcp(e) && tcp(e).tcp.flags.syn && !tcp(e).tcp.flags.ack);
const firstFailure = (r: RunResult) => r.verdict.transfers.find((t) => !t.ok)?.failure;
/** The command lines a device sent on the control connection, in order. */
const commandsOf = (r: RunResult, device = 'client') =>
  payloads(r, device, '')
    .filter((t) => /^[A-Z]{3,4}\b/.test(t))
    .map((t) => t.trim());

describe('built-in scenarios through the simulator', () => {
  it('every built-in ends as its file says it does', () => {
    for (const s of BUILTIN_SCENARIOS) {
      const scenario = load(s.id);
      const r = runScenario(scenario);
      expect(r.verdict.budgetExhausted, s.id).toBe(false);
      expect(r.verdict.ok ? 'success' : 'failure', s.id).toBe(scenario.expect?.outcome);
    }
  });

  it('the seed active session: PORT 192,168,150,80,14,178 and the server connects from port 20 to 3762', () => {
    const r = run('seed-active-session');
    expect(r.verdict.ok).toBe(true);
    expect(payloads(r, 'testbox1', 'PORT')).toEqual(['PORT 192,168,150,80,14,178\r\n']);
    const dataSyn = sends(r).find((e) => e.device === 'server' && tcp(e).tcp.flags.syn && !tcp(e).tcp.flags.ack)!;
    expect([tcp(dataSyn).tcp.srcPort, tcp(dataSyn).tcp.dstPort]).toEqual([20, 3762]);
    expect(payloads(r, 'server', '220')).toEqual(['220 testbox2.slacksite.com FTP server ready.\r\n']);
    const screen = r.trace.events.flatMap((e) => (e.kind === 'console' ? [e.text] : []));
    expect(screen).toContain('---> PORT 192,168,150,80,14,178');
    expect(screen).toContain('drwxr-xr-x    2 0        0            4096 Jan 01 00:00 public_html');
  });

  it('the seed passive session: 227 (192,168,150,90,195,149) and the client connects to 50069', () => {
    const r = run('seed-passive-session');
    expect(r.verdict.ok).toBe(true);
    expect(payloads(r, 'server', '227')).toEqual(['227 Entering Passive Mode (192,168,150,90,195,149).\r\n']);
    const syn = synsOf(r, 'testbox1/data1', 'testbox1')[0]!;
    expect(tcp(syn).tcp.dstPort).toBe(50069);
  });

  it('active mode through a stateful client firewall: the server gives up with 425, its SYNs from :20 dropped there', () => {
    const r = run('active-client-firewall-blocked');
    const f = firstFailure(r)!;
    // What happened on the wire names the kind; the 425 is what the client sees.
    expect(f.kind).toBe('syn-timeout');
    expect(f.explanation).toMatch(
      /the server's SYN got no answer: it resent it until it gave up 60 s later \(a SYN time-out\)\. The client sees only what the server then answered: 425 Failed to establish connection\./,
    );
    expect(f.clientSees).toContain('425 Failed to establish connection.');
    expect(f.culprit?.device).toBe('client-edge');
    const drop = r.trace.events[f.step]!;
    expect(drop.kind).toBe('drop');
    // No 150 before the 425: vsftpd connects first.
    expect(payloads(r, 'server', '150')).toEqual([]);
    // Devices by their display names (the canvas's), not their ids.
    expect(f.fix).toMatch(/^Attach the FTP helper on Client router .*; or switch the client to passive mode\.$/);
  });

  it('port forwarding written with --ctstate DNAT: the SYN to the private 227 address is dropped silently by the FORWARD policy', () => {
    const r = run('server-nat-ctstate-dnat');
    const f = firstFailure(r)!;
    expect(f.kind).toBe('syn-timeout');
    const drop = r.trace.events[f.step]!;
    expect(drop).toMatchObject({ kind: 'drop', device: 'server-edge', how: 'drop', rule: null, where: { table: 'filter', chain: 'FORWARD' } });
    // The client dialled the private address it read in the 227, and nothing answered it.
    const syns = synsOf(r, 'client/data1');
    expect(syns.length).toBeGreaterThan(1);
    expect(new Set(syns.map((e) => tcp(e).ip.dst))).toEqual(new Set([tcp(syns[0]!).ip.dst]));
    expect(sends(r).some((e) => e.device === 'server-edge' && !isTcp(e))).toBe(false);
    // The control connection, DNATed by the router, passed the same rule.
    expect(
      r.trace.events.some((e) => e.kind === 'filter' && e.device === 'server-edge' && e.chain === 'FORWARD' && e.rule?.text.includes('--ctstate DNAT') && e.verdict === 'ACCEPT'),
    ).toBe(true);
    // curl names the control connection's host and port, as curl 7.88 does (kernel check).
    expect(f.clientSees.at(-1)).toMatch(/^curl: \(28\) Failed to connect to 203\.0\.113\.1 port 21 after \d+ ms: Couldn't connect to server$/);
    expect(f.explanation).toMatch(/curl's message names 203\.0\.113\.1 port 21, its control connection's, not the data connection's 10\.0\.0\.10:\d+/);
    // curl's default (ignore the 227 address) dials 203.0.113.1, which is DNATed: it works.
    expect(run('server-nat-ctstate-dnat', (j) => delete j.client.pasvAddress).verdict.ok).toBe(true);
    // Written with --ctstate NEW instead, the router would forward the direct SYN too.
    const asNew = (j: any) => (j.routers[0].iptables = j.routers[0].iptables.map((l: string) => l.replace('--ctstate DNAT', '--ctstate NEW')));
    expect(run('server-nat-ctstate-dnat', asNew).verdict.ok).toBe(true);
  });

  it("active mode where the server's router has no route to the PORT address: ICMP net unreachable, an immediate 425", () => {
    // Measured: port_promiscuous=YES with connect_from_port_20=NO makes vsftpd dial the private
    // PORT address; the server's router, with no route there, answers ICMP net unreachable.
    const r = run('client-nat-active-no-helper', (j) => {
      j.server.vsftpd = [...j.server.vsftpd.filter((l: string) => !l.startsWith('connect_from_port_20')), 'connect_from_port_20=NO', 'port_promiscuous=YES'];
      j.routers.find((x: any) => x.id === 'server-edge').routes = [{ to: '198.51.100.0/24', via: '192.0.2.1' }];
    });
    const f = firstFailure(r)!;
    expect(f.kind).toBe('icmp-unreachable');
    expect(f.clientSees).toContain('425 Failed to establish connection.');
    expect(f.explanation).toMatch(/answered by an ICMP error \(Server router has no route there: network unreachable\): it gave up at once/);
    const drop = r.trace.events[f.step]!;
    // The address with no route is a field (the PORT address), and the culprit carries it.
    expect(drop).toMatchObject({ kind: 'drop', device: 'server-edge', how: 'no-route', cause: { kind: 'no-route', dst: '192.168.1.100' } });
    expect(f.culprit).toMatchObject({ device: 'server-edge', rule: null, drop: { how: 'no-route', cause: { kind: 'no-route', dst: '192.168.1.100' } } });
    // At once: the 425 follows the server's SYN within the link latencies, not after a time-out.
    const reply = r.trace.events.findIndex((e, i) => i > f.step && e.kind === 'ftp' && e.text.startsWith('425'));
    expect(r.trace.events[reply]!.t - drop.t).toBeLessThan(100_000);
  });

  it('the same with the FTP helper: the data SYN passes as RELATED', () => {
    const r = run('active-client-firewall-helper');
    expect(r.verdict.ok).toBe(true);
    expect(r.trace.events.some((e) => e.kind === 'conntrack' && e.device === 'client-edge' && e.action === 'expect')).toBe(true);
    expect(r.trace.events.some((e) => e.kind === 'filter' && e.device === 'client-edge' && e.ctState === 'RELATED' && e.verdict === 'ACCEPT')).toBe(true);
  });

  it("passive through the seed's REJECT file: ICMP host-prohibited, the client fails at once", () => {
    const r = run('passive-server-firewall-reject');
    const f = firstFailure(r)!;
    expect(f.kind).toBe('icmp-prohibited');
    expect(f.culprit?.rule?.text).toContain('REJECT --reject-with icmp-host-prohibited');
    const syns = synsOf(r, 'client/data1');
    expect(syns).toHaveLength(1);
    const icmp = sends(r).find((e) => {
      const p = decodePacket(e.bytes);
      return p.ok && p.value.icmp?.type === 3 && p.value.icmp.code === 10;
    });
    expect(icmp).toBeDefined();
    expect(icmp!.t - syns[0]!.t).toBeLessThan(100_000);
  });

  it('passive through DROP: the data SYN is retransmitted 10 times, connect fails 131 s after the first', () => {
    const r = run('passive-server-firewall-drop');
    const f = firstFailure(r)!;
    expect(f.kind).toBe('syn-timeout');
    const syns = synsOf(r, 'client/data1');
    const gaps = syns.slice(1).map((s, i) => (s.t - syns[i]!.t) / 1e6);
    expect(gaps).toEqual([1, 1, 1, 1, 1, 2, 4, 8, 16, 32]);
    expect(f.culprit?.device).toBe('server');
  });

  // curl 7.88.1's lines, captured in network namespaces against vsftpd 3.0.3: the port is the
  // control connection's, the time counts from the start of the transfer (login included).
  it("curl's words for a data connection it could not open, as curl 7.88 prints them", () => {
    const lastLine = (r: RunResult) =>
      firstFailure(r)!
        .clientSees.filter((l) => l.startsWith('curl:'))
        .at(-1);
    const rejected = run('passive-server-firewall-reject');
    expect(firstFailure(rejected)!.clientSees).toContain('Failed EPSV attempt. Disabling EPSV');
    expect(lastLine(rejected)).toMatch(/^curl: \(7\) Failed to connect to 203\.0\.113\.10 port 21 after \d+ ms: Couldn't connect to server$/);
    // The explanation says why the port on screen is not the data port.
    expect(firstFailure(rejected)!.explanation).toMatch(/curl's message names port 21, its control connection's, not the data connection's port \d+/);
    // The kernel's ETIMEDOUT (131 s of SYNs, EPSV then PASV): exit 28, the same words.
    const dropped = run('passive-server-firewall-drop');
    expect(lastLine(dropped)).toMatch(/^curl: \(28\) Failed to connect to 203\.0\.113\.10 port 21 after 262\d{3} ms: Couldn't connect to server$/);
    // --connect-timeout 5 counts from the transfer's start: EPSV's attempt uses it up and PASV
    // has none left.
    const budget = run('passive-server-firewall-drop', (j) => (j.client.connectTimeoutS = 5));
    const sees = firstFailure(budget)!.clientSees;
    expect(sees.find((l) => l.startsWith('curl: (28) Failed to connect'))).toMatch(/port 21 after 5000 ms: Couldn't connect to server$/);
    expect(lastLine(budget)).toBe('curl: (28) Connection time-out');
    // The control connection itself: curl's own time-out says so.
    const noServer = run('passive-server-firewall-drop', (j) => {
      j.client.connectTimeoutS = 2;
      j.hosts.find((h: any) => h.id === 'server').iptables = j.hosts
        .find((h: any) => h.id === 'server')
        .iptables.map((l: string) => l.replace('--dport 21 -j ACCEPT', '--dport 21 -j DROP'));
    });
    expect(lastLine(noServer)).toMatch(/^curl: \(28\) Failed to connect to 203\.0\.113\.10 port 21 after 2000 ms: Timeout was reached$/);
  });

  // tnftp 20210827 (Debian's ftp), captured in network namespaces against vsftpd 3.0.3.
  it("tnftp's words for a connection it could not open, and its fallback to active in its default mode", () => {
    const consoleOf = (r: RunResult) => r.trace.events.flatMap((e) => (e.kind === 'console' ? [e.text] : []));
    const dataCommands = (r: RunResult) =>
      commandsOf(r)
        .filter((c) => /^(EPSV|PASV|EPRT|PORT)\b/.test(c))
        .map((c) => c.split(' ')[0]);
    const tnftp = (mode: string) => (j: any) => {
      j.client.profile = 'tnftp';
      j.client.mode = mode;
    };
    // Auto (tnftp's default): the data SYN meets ICMP host-prohibited; tnftp reports EBADF
    // (it warns after closing the socket) and goes active for the rest of the session.
    const auto = run('passive-server-firewall-reject', tnftp('auto'));
    expect(consoleOf(auto).some((l) => /^ftp: Can't connect to `203\.0\.113\.10:\d+': Bad file descriptor$/.test(l))).toBe(true);
    // Behind this masquerading router vsftpd refuses the private address: EPRT, then PORT
    // (epsv4 off after EPRT's refusal); the next transfer starts with PORT.
    expect(dataCommands(auto)).toEqual(['EPSV', 'EPRT', 'PORT', 'PORT']);
    // The verdict leads with the passive failure that made it go active, and its fix.
    const why = firstFailure(auto)!;
    expect(why.explanation).toMatch(
      /^Passive mode failed first: the data connection to 203\.0\.113\.10:\d+ was answered by ICMP type 3 code 10 .* The client then fell back to active mode\. The server refused PORT/,
    );
    expect(why.fix).toMatch(/^Open the whole passive range 50000:50100 on FTP server .* Or, for active mode: Attach the FTP helper on the client's NAT router .* rewrites PORT\.$/);
    // After its first PORT refused it tries the default data port, its control connection's
    // own, which is taken; never again after that.
    expect(consoleOf(auto).filter((l) => l === "ftp: Can't bind for data connection: Address already in use")).toHaveLength(1);
    // Told to stay passive, it fails the transfer instead.
    const passive = run('passive-server-firewall-reject', tnftp('passive'));
    expect(dataCommands(passive)).toEqual(['EPSV', 'EPSV']);
    // Passive refused by reply: EPSV then PASV, "Passive mode refused."; epsv4 stays off.
    const noPasv = (mode: string) => (j: any) => {
      tnftp(mode)(j);
      j.server.vsftpd = [...(Array.isArray(j.server.vsftpd) ? j.server.vsftpd : [j.server.vsftpd]), 'pasv_enable=NO'];
    };
    const refused = run('passive-server-firewall-helper', noPasv('passive'));
    expect(consoleOf(refused)).toContain('Passive mode refused.');
    expect(dataCommands(refused)).toEqual(['EPSV', 'PASV', 'PASV']);
    expect(dataCommands(run('passive-server-firewall-helper', noPasv('auto')))).toEqual(['EPSV', 'PASV', 'PORT', 'PORT']);
    // The control connection refused: two lines.
    const noServer = run('passive-server-firewall-drop', (j) => {
      tnftp('auto')(j);
      const srv = j.hosts.find((h: any) => h.id === 'server');
      srv.iptables = srv.iptables.map((l: string) => l.replace('--dport 21 -j ACCEPT', '--dport 21 -j REJECT --reject-with tcp-reset'));
    });
    expect(consoleOf(noServer)).toEqual(expect.arrayContaining(["ftp: Can't connect to `203.0.113.10:21': Connection refused", "ftp: Can't connect to `203.0.113.10:21'"]));
  });

  it('FileZilla retries a refused passive transfer in active mode; the verdict leads with the passive failure', () => {
    const r = run('passive-server-firewall-reject', (j) => {
      j.client.profile = 'filezilla';
      j.client.mode = 'auto';
    });
    const f = firstFailure(r)!;
    expect(f.kind).toBe('illegal-port');
    expect(f.explanation).toMatch(/^Passive mode failed first: the data connection to 203\.0\.113\.10:\d+ was answered by ICMP type 3 code 10/);
    expect(f.fix).not.toMatch(/use passive mode/);
    // Jumping to the failure shows the refused passive SYN.
    expect(r.trace.events[f.step]).toMatchObject({ kind: 'drop', device: 'server', how: 'reject' });
  });

  it('passive with the helper on the server: passes', () => {
    expect(run('passive-server-firewall-helper').verdict.ok).toBe(true);
  });

  it("curl's commands in curl's order, as captured from curl 7.88 against vsftpd 3.0.3", () => {
    const commands = (r: RunResult) => commandsOf(r);
    const r = run('passive-server-firewall-helper');
    expect(commands(r)).toEqual(['USER anonymous', 'PASS guest@', 'PWD', 'EPSV', 'TYPE A', 'LIST', 'EPSV', 'TYPE I', 'SIZE readme.txt', 'RETR readme.txt', 'QUIT']);
    // A missing file ends at SIZE: no RETR, curl's exit line, and the next URL goes on.
    const missing = run('passive-server-firewall-helper', (j) => (j.script = ['login', 'get nosuch.txt', 'ls', 'quit']));
    expect(commands(missing)).toEqual(['USER anonymous', 'PASS guest@', 'PWD', 'EPSV', 'TYPE I', 'SIZE nosuch.txt', 'EPSV', 'TYPE A', 'LIST', 'QUIT']);
    expect(firstFailure(missing)?.clientSees).toContain('curl: (78) The file does not exist');
  });

  it("tnftp (Debian's ftp) in tnftp's order, as captured against vsftpd; it refuses a 227 naming another host", () => {
    // PORT's port is random: compare the verb only.
    const commands = (r: RunResult, device = 'client') => commandsOf(r, device).map((t) => t.replace(/^PORT .*/, 'PORT'));
    const asTnftp = (j: any) => {
      j.client.profile = 'tnftp';
      j.client.mode = 'port';
      j.script = ['login', 'ls .', 'get readme.txt', 'quit'];
    };
    const ok = run('client-nat-active-helper', asTnftp);
    expect(ok.verdict.ok).toBe(true);
    expect(commands(ok)).toEqual([
      'USER anonymous',
      'PASS guest@',
      'SYST',
      'FEAT',
      'PORT',
      'LIST .',
      'TYPE I',
      'SIZE readme.txt',
      'PORT',
      'RETR readme.txt',
      'MDTM readme.txt',
      'QUIT',
    ]);
    expect(payloads(ok, 'server', '213 1970')).toEqual(['213 19700101000000\r\n']);
    // With PASV (epsv4 off) it refuses the private address; with its default EPSV there is none to refuse.
    const refused = run('server-nat-classic-no-pasv-address', (j) => ((j.client.profile = 'tnftp'), (j.client.mode = 'pasv')));
    expect(firstFailure(refused)?.kind).toBe('client-refused');
    expect(firstFailure(refused)?.clientSees).toContain('Passive mode address mismatch.');
    expect(run('server-nat-classic-no-pasv-address', (j) => ((j.client.profile = 'tnftp'), delete j.client.mode)).verdict.ok).toBe(true);
    // Its own default: passive, EPSV first.
    expect(
      commands(
        run('seed-passive-session', (j) => ((j.client.profile = 'tnftp'), delete j.client.mode)),
        'testbox1',
      ),
    ).toContain('EPSV');
  });

  // Whole command sequences across every transfer of a session, as the kernel check captured
  // them (GNU inetutils ftp 2.4, tnftp 20210827, curl 7.88.1 against vsftpd 3.0.3).
  describe('sessions that go on after a failed data connection, as the real clients do', () => {
    const consoleOf = (r: RunResult) => r.trace.events.flatMap((e) => (e.kind === 'console' ? [e.text] : []));
    const verbs = (r: RunResult, device = 'client') => commandsOf(r, device).map((t) => t.replace(/^(PORT|EPRT|LPRT) .*/, '$1'));
    const announced = (r: RunResult) => commandsOf(r).filter((t) => /^(PORT|EPRT|LPRT) /.test(t));
    const portOf = (t: string) => {
      const n = t.replace(/^\S+ /, '').split(/[,|]/).filter(Boolean).map(Number);
      return t.startsWith('EPRT') ? n[n.length - 1]! : n[n.length - 2]! * 256 + n[n.length - 1]!;
    };

    it('netkit (classic): TYPE I before the download, also after a failed listing; the default-port retry once', () => {
      expect(verbs(run('active-client-firewall-blocked'))).toEqual(['USER anonymous', 'PASS guest@', 'SYST', 'PORT', 'LIST', 'TYPE I', 'PORT', 'RETR readme.txt', 'QUIT']);
      const refused = run('client-nat-active-no-helper');
      expect(verbs(refused)).toEqual(['USER anonymous', 'PASS guest@', 'SYST', 'PORT', 'TYPE I', 'PORT', 'QUIT']);
      expect(consoleOf(refused).filter((l) => l === 'ftp: bind: Address already in use')).toHaveLength(1);
    });

    it('inetutils: a refused PORT is tried again as LPRT on the same port; the verdict still names the PORT refusal', () => {
      const r = run('client-nat-active-no-helper', (j) => (j.client.profile = 'inetutils'));
      expect(verbs(r)).toEqual(['USER anonymous', 'PASS guest@', 'SYST', 'PORT', 'LPRT', 'TYPE I', 'PORT', 'LPRT', 'QUIT']);
      const [port1, lprt1] = announced(r);
      expect(lprt1).toMatch(/^LPRT 4,4,192,168,1,100,2,\d+,\d+$/);
      expect(portOf(lprt1!)).toBe(portOf(port1!));
      expect(payloads(r, 'server', '500 Unknown')).toHaveLength(2);
      expect(firstFailure(r)).toMatchObject({ kind: 'illegal-port' });
      expect(consoleOf(r).filter((l) => l === 'ftp: bind: Address already in use')).toHaveLength(1);
      // After refusing a 227 naming another host it sends ABOR.
      const mismatch = run('server-nat-classic-no-pasv-address', (j) => (j.client.profile = 'inetutils'));
      expect(verbs(mismatch)).toEqual(['USER anonymous', 'PASS guest@', 'SYST', 'PASV', 'ABOR', 'TYPE I', 'PASV', 'ABOR', 'QUIT']);
      expect(payloads(mismatch, 'server', '225')).toEqual(['225 No transfer to ABOR.\r\n', '225 No transfer to ABOR.\r\n']);
    });

    it('tnftp: a refused EPRT is followed by PORT on the same port, and the next transfer starts with PORT', () => {
      const r = run('client-nat-active-no-helper', (j) => ((j.client.profile = 'tnftp'), (j.client.mode = 'active')));
      expect(verbs(r)).toEqual(['USER anonymous', 'PASS guest@', 'SYST', 'FEAT', 'EPRT', 'PORT', 'TYPE I', 'SIZE readme.txt', 'PORT', 'QUIT']);
      const [eprt, port] = announced(r);
      expect(portOf(port!)).toBe(portOf(eprt!));
    });

    it('lftp: FEAT and AUTH TLS before login, TYPE I/SIZE/MDTM before a download; a failed data connection ends the command and the next logs in again', () => {
      const lftp = (j: any) => (j.client.profile = 'lftp');
      expect(verbs(run('passive-server-firewall-helper', lftp))).toEqual([
        'FEAT',
        'AUTH TLS',
        'USER anonymous',
        'PASS guest@',
        'PWD',
        'PASV',
        'LIST',
        'TYPE I',
        'SIZE readme.txt',
        'MDTM readme.txt',
        'PASV',
        'RETR readme.txt',
        'QUIT',
      ]);
      // ICMP host-prohibited: lftp -d logs the command and ABOR, but closes the control connection
      // before they are written (captured: neither on the wire), without QUIT; the next command
      // logs in on a new one (no PWD the second time).
      // lftp's login on each new connection; again for the get, which asks TYPE I, SIZE and MDTM first.
      const login = ['FEAT', 'AUTH TLS', 'USER anonymous', 'PASS guest@'];
      const loginForGet = [...login, 'TYPE I', 'SIZE readme.txt', 'MDTM readme.txt'];
      const r = run('passive-server-firewall-reject', lftp);
      expect(verbs(r)).toEqual([...login, 'PWD', 'PASV', ...loginForGet, 'PASV']);
      expect(firstFailure(r)!.clientSees).toEqual(
        expect.arrayContaining(['**** Data socket error (No route to host) - reconnecting', '---> LIST', '---> ABOR', 'ls: Fatal error: max-retries exceeded (No route to host)']),
      );
      // A time-out: no command, no ABOR.
      const dropped = run('passive-server-firewall-drop', (j) => ((j.client.profile = 'lftp'), (j.client.connectTimeoutS = 5)));
      expect(verbs(dropped).filter((v) => v === 'LIST' || v === 'ABOR')).toEqual([]);
      expect(firstFailure(dropped)!.clientSees).toEqual(expect.arrayContaining(['**** Timeout - reconnecting', 'ls: Fatal error: max-retries exceeded']));
      // PORT refused: "Switching passive mode on" (for this command's retries only: the get
      // starts with PORT again), the same end.
      const port = run('client-nat-active-no-helper', (j) => ((j.client.profile = 'lftp'), (j.client.mode = 'active')));
      expect(verbs(port)).toEqual([...login, 'PWD', 'PORT', ...loginForGet, 'PORT']);
      expect(port.verdict.transfers.map((t) => t.failure?.kind)).toEqual(['illegal-port', 'illegal-port']);
      expect(firstFailure(port)!.clientSees).toContain('ls: Fatal error: max-retries exceeded (500 Illegal PORT command.)');
      // Active mode, the server's SYNs dropped by the client's firewall: no reply comes before
      // lftp's net:timeout (5 s here; vsftpd's connect_timeout is 60 s): it gives up, no ABOR.
      const blocked = run('active-client-firewall-blocked', (j) => ((j.client.profile = 'lftp'), (j.client.connectTimeoutS = 5)));
      expect(verbs(blocked)).toEqual([...login, 'PWD', 'PORT', 'LIST', ...loginForGet, 'PORT', 'RETR readme.txt']);
      const f = firstFailure(blocked)!;
      expect(f.kind).toBe('client-timeout');
      expect(f.clientSees.slice(-2)).toEqual(['**** Timeout - reconnecting', 'ls: Fatal error: max-retries exceeded']);
      expect(f.explanation).toMatch(/net:timeout 5/);
    });

    it('lftp after a login OOPS: its pwd answered from memory, the PWD queued behind PASS still sent, no QUIT; the get fails with "Login failed"', () => {
      const r = run('vsftpd-chroot-writable-root', (j) => (j.client.profile = 'lftp'));
      expect(commandsOf(r, 'laptop')).toEqual(['FEAT', 'AUTH TLS', 'USER alice', 'PASS wonderland', 'PWD']);
      expect(r.verdict.transfers.map((t) => [t.command, t.ok])).toEqual([
        ['pwd', true],
        ['get notes.txt', false],
      ]);
      const f = r.verdict.transfers[1]!.failure!;
      expect(f.clientSees).toContain('get: notes.txt: Login failed: 500 OOPS: vsftpd: refusing to run with writable root inside chroot()');
      expect(f.kind).toBe('ftp-error');
    });

    it('lftp sets an uploaded file’s time with SITE UTIME in both forms; vsftpd knows neither (500 Unknown SITE command.), so a later upload on that connection asks nothing', () => {
      const r = run('vsftpd-chroot-upload-folder', (j) => {
        j.client.profile = 'lftp';
        j.script = ['login', 'cd upload', 'put draft.txt 4096', 'put second.txt 10', 'quit'];
      });
      expect(r.verdict.ok).toBe(true);
      expect(commandsOf(r, 'laptop').slice(-6)).toEqual([
        'STOR draft.txt',
        'SITE UTIME 19700101000000 draft.txt',
        'SITE UTIME draft.txt 19700101000000 19700101000000 19700101000000 UTC',
        'PASV',
        'STOR second.txt',
        'QUIT',
      ]);
      expect(payloads(r, 'server', '500 ')).toEqual(['500 Unknown SITE command.\r\n', '500 Unknown SITE command.\r\n']);
    });

    it("curl: a refused EPRT is not tried again on that connection; its exit line is curl 7.88's stale inet_ntop text", () => {
      const r = run('client-nat-active-no-helper', (j) => ((j.client.profile = 'curl'), (j.client.mode = 'active')));
      expect(verbs(r)).toEqual(['USER anonymous', 'PASS guest@', 'PWD', 'EPRT', 'PORT', 'PORT', 'QUIT']);
      const f = firstFailure(r)!;
      expect(f.clientSees).toContain('curl: (30) sa_addr inet_ntop() failed with errno 97: Address family not supported by protocol');
      expect(f.explanation).toMatch(/is a leftover from looking up its own address for -P -/);
      // A 425 after an active announcement: exit 19 with the same text.
      const blocked = run('active-client-firewall-blocked', (j) => ((j.client.profile = 'curl'), (j.client.mode = 'active')));
      expect(firstFailure(blocked)!.clientSees).toContain('curl: (19) sa_addr inet_ntop() failed with errno 97: Address family not supported by protocol');
      // Passive failures keep curl's own words.
      expect(firstFailure(run('passive-server-firewall-reject'))!.clientSees.join('\n')).not.toMatch(/inet_ntop/);
    });
  });

  it('cd and pwd in the script: the classic client sends CWD/PWD when typed; curl turns cd into the URL path (CWD once per connection, before EPSV)', () => {
    const withPub = (profile: string, script: string[]) => (j: any) => {
      j.client.profile = profile;
      j.server.files = { '/pub': { dir: true }, '/pub/readme.txt': { size: 1024 } };
      j.script = script;
    };
    const curl = run('passive-server-firewall-helper', withPub('curl', ['login', 'cd pub', 'ls', 'get readme.txt', 'quit']));
    expect(curl.verdict.ok).toBe(true);
    expect(commandsOf(curl)).toEqual(['USER anonymous', 'PASS guest@', 'PWD', 'CWD pub', 'EPSV', 'TYPE A', 'LIST', 'EPSV', 'TYPE I', 'SIZE readme.txt', 'RETR readme.txt', 'QUIT']);
    expect(payloads(curl, 'server', '250')).toEqual(['250 Directory successfully changed.\r\n']);
    // A directory that is not there: curl's exit 9, and no transfer on that URL.
    const missing = run('passive-server-firewall-helper', withPub('curl', ['login', 'cd nosuch', 'get readme.txt', 'quit']));
    expect(firstFailure(missing)).toMatchObject({ kind: 'ftp-error' });
    expect(firstFailure(missing)!.clientSees).toContain('curl: (9) Server denied you to change to the given directory');
    const classic = run('passive-server-firewall-helper', withPub('classic', ['login', 'cd pub', 'pwd', 'get readme.txt', 'quit']));
    expect(classic.verdict.ok).toBe(true);
    expect(commandsOf(classic)).toEqual(
      ['USER anonymous', 'PASS guest@', 'SYST', 'CWD pub', 'PWD', 'TYPE I', 'EPSV', 'RETR readme.txt', 'QUIT'].map((c) => (c === 'EPSV' ? 'PASV' : c)),
    );
    expect(payloads(classic, 'server', '257')).toEqual(['257 "/pub" is the current directory\r\n']);
  });

  it('a reply leaves before the data it announces and carries the ACK of the command', () => {
    const r = run('seed-passive-session');
    const all = sends(r);
    const list = all.findIndex((e) => e.device === 'testbox1' && text(e).startsWith('LIST'));
    const fromServer = all.slice(list).filter((e) => e.device === 'server');
    // The server's first segment after LIST is the 150, acknowledging LIST (no bare ACK first)…
    expect(text(fromServer[0]!)).toMatch(/^150 /);
    expect(tcp(fromServer[0]!).tcp.ack).toBe((tcp(all[list]!).tcp.seq + 'LIST\r\n'.length) >>> 0);
    // …and the listing follows it on the data connection.
    expect(fromServer[1]!.conn).toBe('testbox1/data1');
    expect(text(fromServer[1]!).length).toBeGreaterThan(0);
  });

  it('the seed incident: data connections to ports above 3100 never get through, up to 3100 they do, across seeds', () => {
    const seen = { pass: 0, fail: 0, high: 0, low: 0 };
    for (let seed = 1; seed <= 16; seed++) {
      const r = run('seed-incident-pasv-range', (j) => (j.seed = seed));
      for (const conn of r.trace.connections.filter((c) => c.role === 'data')) {
        const port = Number(conn.dialled.split(':')[1]);
        expect(port).toBeGreaterThanOrEqual(3001);
        expect(port).toBeLessThanOrEqual(3300);
        // Did the server's SYN-ACK for this connection reach the client?
        const answered = r.trace.events.some(
          (e) => e.kind === 'recv' && e.device === 'client' && e.conn === conn.id && tcp(e as never).tcp.flags.syn && tcp(e as never).tcp.flags.ack,
        );
        expect(answered, `seed ${seed} port ${port}`).toBe(port <= 3100);
        seen[port <= 3100 ? 'low' : 'high']++;
      }
      for (const t of r.verdict.transfers) seen[t.ok ? 'pass' : 'fail']++;
    }
    expect(seen.low).toBeGreaterThan(0);
    expect(seen.high).toBeGreaterThan(0);
    expect(seen.pass).toBeGreaterThan(0);
    expect(seen.fail).toBeGreaterThan(0);
    // The fix names the router's chain that refused the SYN (FORWARD, by its policy).
    const failed = run('seed-incident-pasv-range', (j) => (j.seed = 1));
    expect(firstFailure(failed)?.fix).toContain('`-A FORWARD -p tcp --dport 3001:3300 -j ACCEPT`; the FORWARD policy refused it');
    expect(run('seed-incident-pasv-range-fixed').verdict.ok).toBe(true);
  });

  it('client behind masquerade, active, no helper: 500 Illegal PORT command.', () => {
    const r = run('client-nat-active-no-helper');
    const f = firstFailure(r)!;
    expect(f.kind).toBe('illegal-port');
    expect(payloads(r, 'server', '500')).toContain('500 Illegal PORT command.\r\n');
    // The server saw the private address: nothing rewrote it.
    const portAtServer = r.trace.events.find((e) => e.kind === 'recv' && e.device === 'server' && text(e as never).startsWith('PORT'));
    expect(text(portAtServer as never)).toMatch(/^PORT 192,168,1,100,/);
  });

  it('client behind masquerade with the helper: PORT rewritten to the public address, later seq shifted', () => {
    const r = run('client-nat-active-helper');
    expect(r.verdict.ok).toBe(true);
    const rewrite = r.trace.events.find((e) => e.kind === 'nat' && e.what === 'ftp-payload');
    expect(rewrite).toBeDefined();
    const recvAtServer = r.trace.events.filter((e): e is Extract<TraceEvent, { kind: 'recv' }> => e.kind === 'recv' && e.device === 'server');
    const port = recvAtServer.find((e) => text(e as never).startsWith('PORT'))!;
    expect(text(port as never)).toMatch(/^PORT 198,51,100,1,/);
    // Sequence numbers of the next command differ on the two sides by the length change.
    const sent = payloads(r, 'client', 'PORT')[0]!;
    const delta = text(port as never).length - sent.length;
    const clientList = sends(r).find((e) => e.device === 'client' && text(e).startsWith('LIST'))!;
    const serverList = recvAtServer.find((e) => text(e as never).startsWith('LIST'))!;
    const seqClient = tcp(clientList).tcp.seq;
    const seqServer = tcp(serverList as never).tcp.seq;
    expect(delta).not.toBe(0);
    expect((seqServer - seqClient) >>> 0).toBe(delta >>> 0);
    expect(decodePacket(serverList.bytes, { verifyChecksums: true }).ok).toBe(true);
  });

  it('server behind NAT without pasv_address: the classic client times out on the private address', () => {
    const r = run('server-nat-classic-no-pasv-address');
    const f = firstFailure(r)!;
    expect(f.kind).toBe('syn-timeout');
    expect(payloads(r, 'server', '227')[0]).toMatch(/\(10,0,0,10,/);
    expect(synsOf(r, 'client/data1').every((s) => tcp(s).ip.dst === 0x0a00000a)).toBe(true);
    // The reason named is the 227 address, not the router that drops private addresses.
    expect(f.culprit).toMatchObject({ device: 'server', setting: 'pasv_address unset' });
    expect(f.explanation).toMatch(/227 reply named 10\.0\.0\.10, not 203\.0\.113\.1/);
    expect(f.fix).toMatch(/^Set pasv_address=203\.0\.113\.1/);
  });

  it('the same server: inetutils refuses the 227, curl, lftp and FileZilla succeed', () => {
    const inetutils = run('server-nat-classic-no-pasv-address', (j) => (j.client.profile = 'inetutils'));
    expect(firstFailure(inetutils)?.kind).toBe('client-refused');
    expect(firstFailure(inetutils)?.clientSees).toContain('Passive mode address mismatch.');
    for (const profile of ['lftp', 'filezilla']) {
      expect(run('server-nat-classic-no-pasv-address', (j) => (j.client.profile = profile)).verdict.ok, profile).toBe(true);
    }
    expect(run('server-nat-curl-no-pasv-address').verdict.ok).toBe(true);
  });

  it('pasv_address or the helper on the NAT box fixes it; both together fail', () => {
    const withAddress = run('server-nat-pasv-address');
    expect(withAddress.verdict.ok).toBe(true);
    expect(payloads(withAddress, 'server', '227')[0]).toMatch(/\(203,0,113,1,/);
    const helper = run('server-nat-helper-rewrites-227');
    expect(helper.verdict.ok).toBe(true);
    expect(payloads(helper, 'server', '227')[0]).toMatch(/\(10,0,0,10,/);
    const atClient = helper.trace.events.find((e) => e.kind === 'recv' && e.device === 'client' && text(e as never).startsWith('227'));
    expect(text(atClient as never)).toMatch(/\(203,0,113,1,/);
    const both = run('server-nat-helper-and-pasv-address');
    expect(both.verdict.ok).toBe(false);
    expect(firstFailure(both)?.culprit?.device).toBe('server-edge');
  });

  it('control port 3069: the helper rule on port 21 never sees it; on 3069 it works', () => {
    const wrong = run('port-3069-helper-wrong-port');
    expect(wrong.verdict.ok).toBe(false);
    expect(wrong.trace.events.some((e) => e.kind === 'conntrack' && e.action === 'expect')).toBe(false);
    expect(firstFailure(wrong)?.fix).toMatch(/3069/);
    expect(run('port-3069-helper-fixed').verdict.ok).toBe(true);
  });

  it('FTPS through a helper-only firewall fails; with the passive range opened it passes', () => {
    const blind = run('ftps-helper-blind');
    expect(blind.verdict.ok).toBe(false);
    // curl asks for AUTH SSL first; after the failed transfer it logs in again on a new control
    // connection for the next URL (both as captured from curl 7.88).
    expect(payloads(blind, 'client', 'AUTH SSL')).toHaveLength(2);
    // After 234 nothing on the control connection reads as FTP text.
    expect(payloads(blind, 'client', 'PASV')).toEqual([]);
    expect(blind.trace.events.some((e) => e.kind === 'conntrack' && e.action === 'expect')).toBe(false);
    expect(run('ftps-passive-range-opened').verdict.ok).toBe(true);
  });

  it('FTPS refused by a server without ssl_enable: curl asks AUTH SSL, then AUTH TLS, fails each URL on a new connection', () => {
    const r = run('ftps-passive-range-opened', (j) => (j.server.vsftpd = j.server.vsftpd.filter((l: string) => !l.startsWith('ssl_enable'))));
    // As captured with curl 7.88 against vsftpd 3.0.3 (ssl_enable=NO): no login, no QUIT.
    expect(
      payloads(r, 'client', '')
        .map((t) => t.trim())
        .filter(Boolean),
    ).toEqual(['AUTH SSL', 'AUTH TLS', 'AUTH SSL', 'AUTH TLS']);
    const f = firstFailure(r)!;
    expect(f.culprit).toMatchObject({ device: 'server', setting: 'ssl_enable=NO' });
    expect(f.clientSees).toContain('curl: (64) Requested SSL level failed');
    expect(r.verdict.transfers.map((t) => t.ok)).toEqual([false, false]);
  });

  it('records who opened which connection: behind DNAT the acceptor is the server; active data is opened by the server', () => {
    const nat = run('server-nat-pasv-address');
    const control = nat.trace.connections.find((c) => c.role === 'control')!;
    expect([control.opener, control.acceptor, control.dialled]).toEqual(['client', 'server', '203.0.113.1:21']);
    const active = run('seed-active-session');
    const dataConns = active.trace.connections.filter((c) => c.role === 'data');
    expect(dataConns).toHaveLength(1);
    const data = dataConns[0]!;
    expect([data.opener, data.acceptor, data.dialled]).toEqual(['server', 'testbox1', '192.168.150.80:3762']);
  });

  it('is deterministic: the same scenario and seed give byte-identical traces', () => {
    const a = run('client-nat-active-helper');
    const b = run('client-nat-active-helper');
    expect(a.trace.events.length).toBe(b.trace.events.length);
    expect(sends(a).map((e) => `${e.t}|${e.device}|${Buffer.from(e.bytes).toString('hex')}`)).toEqual(
      sends(b).map((e) => `${e.t}|${e.device}|${Buffer.from(e.bytes).toString('hex')}`),
    );
    const c = run('client-nat-active-helper', (j) => (j.seed = 99));
    expect(sends(c).map((e) => Buffer.from(e.bytes).toString('hex'))).not.toEqual(sends(a).map((e) => Buffer.from(e.bytes).toString('hex')));
  });
});

/**
 * What curl, tnftp and inetutils ftp send and print when the session goes wrong under them, as
 * captured on a real kernel (tests/kernel, Linux 6.18, vsftpd 3.0.3, curl 7.88.1, tnftp 20230507,
 * inetutils ftp 2.4): after vsftpd's login OOPS, and while a middlebox resets the data
 * connection towards the server only.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BUILTIN_SCENARIOS } from '../../scenarios/index';
import { formatScenarioError, loadScenario } from '../scenario/load';
import { runScenario, type RunResult } from '../runScenario';
import type { TraceEvent } from '../sim/trace';
import { decodePacket } from '../codec/packet';

function run(id: string, edit: (j: any) => void): RunResult {
  // A built-in scenario, or a kernel world's file (tests/kernel/scenarios/…).
  const j = (id.endsWith('.json') ? JSON.parse(readFileSync(id, 'utf8')) : structuredClone(BUILTIN_SCENARIOS.find((s) => s.id === id)!.json)) as any;
  edit(j);
  const r = loadScenario(j, `${id}.json`);
  if (!r.ok) throw new Error(r.errors.map(formatScenarioError).join('\n'));
  return runScenario(r.scenario);
}
type Ftp = Extract<TraceEvent, { kind: 'ftp' }>;
type Console = Extract<TraceEvent, { kind: 'console' }>;
/** The command lines the client sent, in order (the server's record of them left out). */
const commands = (r: RunResult, host: string): string[] => r.trace.events.filter((e): e is Ftp => e.kind === 'ftp' && e.dir === 'command' && e.host === host).map((e) => e.text);
const said = (r: RunResult): string[] => r.trace.events.filter((e): e is Console => e.kind === 'console').map((e) => e.text);

/** Port-21 segments at the client host, sent or received, in order: who sent it, its flags (F, R, A), its text. */
function controlSegments(r: RunResult, client: string): { t: number; from: string; flags: string; text: string }[] {
  const out: { t: number; from: string; flags: string; text: string }[] = [];
  for (const e of r.trace.events) {
    if ((e.kind !== 'send' && e.kind !== 'recv') || e.device !== client) continue;
    const p = decodePacket(e.bytes);
    if (!p.ok || !p.value.tcp || (p.value.tcp.dstPort !== 21 && p.value.tcp.srcPort !== 21)) continue;
    const t = p.value.tcp;
    const flags = (t.flags.fin ? 'F' : '') + (t.flags.rst ? 'R' : '') + (t.flags.ack ? 'A' : '');
    out.push({ t: e.t, from: e.kind === 'send' ? 'client' : 'server', flags, text: new TextDecoder('latin1').decode(t.payload).trim() });
  }
  return out;
}

describe('after vsftpd’s 500 OOPS at login (vsftpd-chroot-writable-root)', () => {
  const oops = (profile: string, script?: string[]) =>
    run('vsftpd-chroot-writable-root', (j) => {
      j.client.profile = profile;
      if (script) j.script = script;
    });

  it('curl sends no QUIT: the URL fails with exit 67 and the connection is closed', () => {
    const r = oops('curl');
    expect(commands(r, 'laptop')).toEqual(['USER alice', 'PASS wonderland']);
    expect(said(r)).toContain('curl: (67) Access denied: 500');
    // curl has no pwd: the one URL is the only step it reports.
    expect(r.verdict.transfers.map((t) => [t.command, t.ok])).toEqual([['get notes.txt', false]]);
  });

  it('curl with two URLs logs in again for the second, and is refused again', () => {
    const r = oops('curl', ['login', 'get notes.txt', 'get notes.txt', 'quit']);
    expect(commands(r, 'laptop')).toEqual(['USER alice', 'PASS wonderland', 'USER alice', 'PASS wonderland']);
    expect(said(r).filter((l) => l.startsWith('curl: (67)'))).toHaveLength(2);
  });

  it('tnftp says "Login failed." and sends its next command into the closed connection, then sees the end', () => {
    const r = oops('tnftp');
    expect(commands(r, 'laptop')).toEqual(['USER alice', 'PASS wonderland', 'PWD']);
    const out = said(r);
    const at = out.indexOf('500 OOPS: vsftpd: refusing to run with writable root inside chroot()');
    expect(out.slice(at + 1, at + 6)).toEqual([
      'Login failed.',
      'ftp> pwd',
      '---> PWD',
      '421 Service not available, remote server has closed connection.',
      'Unable to determine remote directory',
    ]);
  });

  it('inetutils (the classic client’s stand-in) asks SYST, as before', () => {
    expect(commands(oops('inetutils'), 'laptop')).toEqual(['USER alice', 'PASS wonderland', 'SYST']);
  });
});

describe('a middlebox resets the download towards the server only (vsftpd-426-reset-mid-transfer)', () => {
  const reset = (client: object) => run('vsftpd-426-reset-mid-transfer', (j) => (j.client = { host: 'client', ...client }));
  const NOT_READ = '426 Failure writing network stream.';

  it('curl reads the data connection, which stays silent: --max-time ends it (exit 28, 0 bytes of the size the 150 announced), the 426 unread, no QUIT', () => {
    const r = reset({ command: 'curl --max-time 15 ftp://203.0.113.10/big.iso' });
    expect(commands(r, 'client')).toEqual(['USER anonymous', expect.stringMatching(/^PASS /), 'PWD', 'EPSV', 'TYPE I', 'SIZE big.iso', 'RETR big.iso']);
    const out = said(r);
    expect(out).toContain('curl: (28) Operation timed out after 15000 milliseconds with 0 out of 1048576 bytes received');
    expect(out).not.toContain(NOT_READ);
    expect(r.verdict.transfers[0]).toMatchObject({ command: 'get big.iso', ok: false, failure: { kind: 'client-timeout' } });
    // The explanation points at the rule that reset the data connection.
    expect(r.verdict.transfers[0]!.failure!.explanation).toMatch(/REJECT --reject-with tcp-reset/);
  });

  it('tnftp and inetutils wait on the data connection for ever: the 426 is never read, nothing more is sent', () => {
    for (const [profile, last] of [
      ['tnftp', 'RETR big.iso'],
      ['inetutils', 'RETR big.iso'],
    ] as const) {
      const r = reset({ profile, mode: 'passive' });
      const sent = commands(r, 'client');
      expect(sent[sent.length - 1]).toBe(last);
      expect(said(r)).not.toContain(NOT_READ);
      expect(r.verdict.transfers[0]).toMatchObject({ ok: false, failure: { kind: 'stalled' } });
    }
  });

  it('tnftp -q 15: at the first once-a-second check past 15 s it gives up ("stalled for 16 sec."); its QUIT then reads the 426 as its answer (captured)', () => {
    const r = reset({ command: 'ftp -q 15 203.0.113.10', profile: 'tnftp' });
    const sent = commands(r, 'client');
    expect(sent.slice(-2)).toEqual(['RETR big.iso', 'QUIT']);
    const out = said(r);
    const at = out.indexOf('ftp: transfer aborted because stalled for 16 sec.');
    expect(out.slice(at, at + 4)).toEqual(['ftp: transfer aborted because stalled for 16 sec.', 'ftp> quit', '---> QUIT', NOT_READ]);
    const lines = r.trace.events.filter((e): e is Console => e.kind === 'console');
    const started = lines.find((e) => e.text.startsWith('150 '))!.t;
    expect(lines.find((e) => e.text.includes('stalled'))!.t - started).toBe(16_000_000);
    expect(r.verdict.transfers[0]).toMatchObject({ ok: false, failure: { kind: 'client-timeout' } });
    expect(r.verdict.transfers[0]!.failure!.explanation).toMatch(/tnftp -q 15: more than 15 s without data/);
  });

  it('tnftp -q 15: its socket closes at its exit, 3 ms after QUIT read the 426: vsftpd’s 221 came first, unread, so the close is a RST (captured)', () => {
    const r = reset({ command: 'ftp -q 15 203.0.113.10', profile: 'tnftp' });
    const seen = controlSegments(r, 'client');
    const quit = seen.findIndex((s) => s.text === 'QUIT');
    const after = seen.slice(quit + 1).filter((s) => s.text !== '' || s.flags !== 'A');
    expect(after.map((s) => `${s.from} ${s.text || s.flags}`)).toEqual(['server 221 Goodbye.', 'server FA', 'client RA']);
    expect(after[2]!.t - seen[quit]!.t).toBe(3_000);
  });

  it('tnftp after a 221 read in turn: the server’s FIN comes first, the client’s FIN at its exit (captured: seed-passive-session)', () => {
    const ok = run('vsftpd-426-reset-mid-transfer', (j) => {
      j.client = { host: 'client', command: 'ftp 203.0.113.10', profile: 'tnftp' };
      j.routers[0].iptables = j.routers[0].iptables.filter((l: string) => !l.startsWith('-A FORWARD'));
    });
    expect(ok.verdict.ok).toBe(true);
    const seen = controlSegments(ok, 'client');
    const goodbye = seen.findIndex((s) => s.text === '221 Goodbye.');
    const closes = seen.slice(goodbye).filter((s) => s.flags.includes('F') || s.flags.includes('R'));
    expect(closes.map((s) => `${s.from} ${s.flags}`)).toEqual(['server FA', 'client FA']);
    expect(closes[1]!.t - seen[goodbye]!.t).toBe(3_000);
  });

  it('inetutils killed at 60 s (timeout 60 around it, as the kernel check runs it): the data connection closes by FIN, the control connection with the 426 unread by RST; vsftpd says no more (captured)', () => {
    const j = structuredClone(BUILTIN_SCENARIOS.find((s) => s.id === 'vsftpd-426-reset-mid-transfer')!.json) as any;
    j.client = { host: 'client', profile: 'inetutils', mode: 'passive' };
    const loaded = loadScenario(j, 'x.json');
    if (!loaded.ok) throw new Error(loaded.errors.map(formatScenarioError).join('\n'));
    const free = runScenario(loaded.scenario);
    loaded.scenario.clients[0]!.killAfterS = 60;
    const r = runScenario(loaded.scenario);
    // Left alone, the model waits until vsftpd's idle time-out.
    expect(free.trace.events.some((e) => e.kind === 'ftp' && e.dir === 'reply' && e.text === '421 Timeout.')).toBe(true);
    expect(r.trace.events.some((e) => e.kind === 'ftp' && e.dir === 'reply' && e.text === '421 Timeout.')).toBe(false);
    const kill = r.trace.events.find((e) => e.kind === 'timer' && e.name === 'killed')!;
    expect(kill.t).toBe(60_000_000);
    const closes = r.trace.events.flatMap((e) => {
      if (e.kind !== 'send' || e.device !== 'client' || e.t !== kill.t) return [];
      const p = decodePacket(e.bytes);
      return p.ok && p.value.tcp && (p.value.tcp.flags.fin || p.value.tcp.flags.rst)
        ? [`${p.value.tcp.dstPort === 21 ? 'control' : 'data'} ${p.value.tcp.flags.rst ? 'RST' : 'FIN'}`]
        : [];
    });
    expect(closes).toEqual(['data FIN', 'control RST']);
    const f = r.verdict.transfers[0]!.failure!;
    expect(f.killedAfterS).toBe(60);
    expect(f.explanation).toMatch(/killed 60 s after it started \(timeout 60 around the program\)/);
    expect(free.verdict.transfers[0]!.failure!.killedAfterS).toBeUndefined();
  });

  it('lftp (the scenario’s own client) reads the control connection meanwhile and stops at the 426', () => {
    const r = run('vsftpd-426-reset-mid-transfer', () => undefined);
    expect(said(r)).toContain(NOT_READ);
  });
});

describe('a wrong password, no other login to try (tests/kernel/scenarios/lftp-login-530, captured)', () => {
  const refused = (profile: string) =>
    run('vsftpd-login-fails', (j) => {
      j.client = { host: j.client.host, profile, mode: 'passive', user: 'slacker', password: 'wrong' };
      j.script = ['login slacker wrong', 'ls', 'get readme.txt', 'quit'];
    });

  it('lftp: the queued PWD (530), then QUIT; the command says "Login failed"; the next one connects and logs in again', () => {
    const r = refused('lftp');
    const once = ['FEAT', 'AUTH TLS', 'USER slacker', 'PASS wrong', 'PWD', 'QUIT'];
    expect(commands(r, 'testbox1')).toEqual([...once, ...once]);
    expect(said(r).filter((l) => l.includes('Login failed'))).toEqual(['ls: Login failed: 530 Login incorrect.', 'get: readme.txt: Login failed: 530 Login incorrect.']);
    expect(r.verdict.transfers.map((t) => [t.command, t.ok, t.failure?.kind])).toEqual([
      ['ls', false, 'ftp-error'],
      ['get readme.txt', false, 'ftp-error'],
    ]);
  });

  it("lftp's next command connects at once after the QUIT: its session is a fresh clone, with no reconnect timer running (captured: 40–50 ms)", () => {
    const r = refused('lftp');
    const ctl = controlSegments(r, 'testbox1');
    const syns = r.trace.events.filter((e) => {
      if (e.kind !== 'send' || e.device !== 'testbox1') return false;
      const p = decodePacket(e.bytes);
      return p.ok && !!p.value.tcp && p.value.tcp.dstPort === 21 && p.value.tcp.flags.syn;
    });
    expect(syns).toHaveLength(2);
    const clientFin = ctl.find((x) => x.from === 'client' && x.flags.includes('F'))!;
    // From the client's close of the first connection to the second SYN: well under the 15 s of
    // net:reconnect-interval-base (the kernel check's "reconnect after close" tolerance is 0.5 s).
    expect(syns[1]!.t - clientFin.t).toBeLessThan(100_000);
    expect(syns[1]!.t).toBeGreaterThanOrEqual(clientFin.t);
  });

  it('tnftp stays connected, not logged in: EPSV, PASV (530 each, "Passive mode refused."), the get only PASV, no TYPE or SIZE; then QUIT', () => {
    const r = refused('tnftp');
    expect(commands(r, 'testbox1')).toEqual(['USER slacker', 'PASS wrong', 'EPSV', 'PASV', 'PASV', 'QUIT']);
    expect(said(r).filter((l) => l === 'Passive mode refused.')).toHaveLength(2);
  });

  it('inetutils: SYST after the refusal, then PASV and LPSV for each transfer (530 each), "Passive mode refused."; then QUIT', () => {
    const r = refused('inetutils');
    expect(commands(r, 'testbox1')).toEqual(['USER slacker', 'PASS wrong', 'SYST', 'PASV', 'LPSV', 'PASV', 'LPSV', 'QUIT']);
    expect(r.verdict.transfers.map((t) => t.failure?.clientSees.slice(-1)[0])).toEqual(['Passive mode refused.', 'Passive mode refused.']);
  });
});

describe('curl --ftp-create-dirs (tests/kernel/scenarios/curl-create-dirs, captured)', () => {
  const world = 'tests/kernel/scenarios/curl-create-dirs.json';

  it('the directories are made and the file stored; where MKD is refused too, the explanation says so and what to change', () => {
    const r = run(world, () => undefined);
    expect(commands(r, 'testbox1').filter((c) => /^(CWD|MKD|STOR)\b/.test(c))).toEqual([
      'CWD incoming',
      'CWD new',
      'MKD new',
      'CWD new',
      'CWD deep',
      'MKD deep',
      'CWD deep',
      'STOR report.txt',
      'CWD /',
      'CWD locked',
      'CWD sub',
      'MKD sub',
      'CWD sub',
    ]);
    const [made, refused] = r.verdict.transfers;
    expect(made).toMatchObject({ ok: true, bytes: 1024 });
    expect(refused!.failure!.explanation).toMatch(
      /asked the server to make that directory first \(MKD, curl --ftp-create-dirs\), and the server refused that too: 550 Create directory operation failed\.$/,
    );
    expect(refused!.failure!.fix).toMatch(/^The directory is not there and this user may not make it/);
  });

  it('without the option: no MKD, the first refused CWD ends the URL; the fix is about a directory, not a file', () => {
    const r = run(world, (j) => (j.client.command = j.client.command.replace('--ftp-create-dirs ', '')));
    expect(commands(r, 'testbox1').filter((c) => c.startsWith('MKD'))).toEqual([]);
    const failed = r.verdict.transfers.map((t) => t.failure?.fix);
    expect(failed).toEqual([
      "Use a directory that exists and the user may enter (x for its owner, group or others in the server's files).",
      "Use a directory that exists and the user may enter (x for its owner, group or others in the server's files).",
    ]);
  });
});

describe('curl refused at login: the URL fails, the next connects and logs in again, the script’s cd lines still its path', () => {
  it('a wrong password: each URL its own connection, USER and PASS, 530, "curl: (67) Access denied: 530", no QUIT, no CWD (tests/kernel/scenarios/curl-login-530-cd)', () => {
    const r = run('tests/kernel/scenarios/curl-login-530-cd.json', () => undefined);
    expect(commands(r, 'testbox1')).toEqual(['USER slacker', 'PASS wrong', 'USER slacker', 'PASS wrong']);
    expect(said(r).filter((l) => l.startsWith('curl: '))).toEqual(['curl: (67) Access denied: 530', 'curl: (67) Access denied: 530']);
    expect(r.verdict.transfers.map((t) => [t.command, t.ok])).toEqual([
      ['get pub/readme.txt', false],
      ['get pub/notes.txt', false],
    ]);
  });

  it('a refusal that passes (a home another user makes meanwhile): the later URL still changes to the directory of the cd before the refused one', () => {
    // carol's home does not exist at first: vsftpd answers her PASS with 500 OOPS (exit 67). alice
    // (tnftp) makes it, 755 (local_umask=022; vsftpd's default 077 would keep carol out); carol's second URL logs in and fetches /srv/readme.txt, the cd still its path.
    const json = {
      name: 'x',
      teaches: 'x',
      hosts: [
        { id: 'alicebox', ip: '10.0.0.2/24', role: 'client' },
        { id: 'carolbox', ip: '10.0.0.3/24', role: 'client' },
        { id: 'server', ip: '10.0.0.10/24', role: 'server' },
      ],
      server: {
        host: 'server',
        vsftpd: ['listen=YES', 'anonymous_enable=NO', 'local_enable=YES', 'write_enable=YES', 'local_umask=022', 'pasv_min_port=50000', 'pasv_max_port=50100'],
        files: { '/home': { dir: true, owner: 'alice', mode: '755' }, '/srv/readme.txt': { size: 100 } },
        users: [
          { name: 'alice', password: 'a', home: '/home' },
          { name: 'carol', password: 'c', home: '/home/carol' },
        ],
      },
      clients: [
        { host: 'alicebox', profile: 'tnftp', mode: 'passive', user: 'alice', password: 'a', script: ['wait 1', 'login', 'mkdir carol', 'quit'] },
        { host: 'carolbox', profile: 'curl', mode: 'passive', user: 'carol', password: 'c', script: ['login', 'cd /srv', 'get readme.txt', 'wait 3', 'get readme.txt', 'quit'] },
      ],
    };
    const loaded = loadScenario(json, 'x.json');
    if (!loaded.ok) throw new Error(loaded.errors.map(formatScenarioError).join('\n'));
    const r = runScenario(loaded.scenario);
    expect(commands(r, 'carolbox').filter((c) => /^(USER|CWD|RETR|QUIT)\b/.test(c))).toEqual(['USER carol', 'USER carol', 'CWD /', 'CWD srv', 'RETR readme.txt', 'QUIT']);
    expect(r.verdict.transfers.filter((t) => t.client === 'carolbox').map((t) => [t.command, t.ok])).toEqual([
      ['get readme.txt', false],
      ['get readme.txt', true],
    ]);
  });
});

describe('curl: the script’s commands as -Q quote commands of the next URL (lib/ftp.c ftp_state_quote)', () => {
  const local = (script: string[]) =>
    run('vsftpd-chroot-upload-folder', (j) => {
      j.client = { host: j.client.host, profile: 'curl', mode: 'passive', user: j.client.user, password: j.client.password };
      j.script = script;
    });

  it('rename then ls: RNFR and RNTO go first in the listing’s DO phase, before its data command; no step of their own', () => {
    const r = local(['login', 'cd upload', 'put draft.txt 4096', 'rename draft.txt report.txt', 'ls', 'quit']);
    const sent = commands(r, 'laptop');
    const at = sent.indexOf('RNFR draft.txt');
    expect(sent.slice(at, at + 3)).toEqual(['RNFR draft.txt', 'RNTO report.txt', 'EPSV']);
    expect(r.verdict.transfers.map((t) => t.command)).toEqual(['put draft.txt', 'ls']);
  });

  it('a refused quote ends that URL with exit 21, the rest not sent, the connection dropped without QUIT; the next URL logs in again', () => {
    const r = local(['login', 'mkdir /nope/sub', 'delete x', 'get notes.txt', 'get notes.txt', 'quit']);
    const sent = commands(r, 'laptop');
    expect(sent.filter((c) => c.startsWith('MKD') || c.startsWith('DELE'))).toEqual(['MKD /nope/sub']);
    expect(said(r)).toContain('curl: (21) QUOT command failed with 550');
    expect(sent.filter((c) => c.startsWith('USER'))).toHaveLength(2);
    expect(r.verdict.transfers.map((t) => [t.command, t.ok])).toEqual([
      ['get notes.txt', false],
      ['get notes.txt', true],
    ]);
  });

  // Captured: tests/kernel vsftpd-anon-other-write, vsftpd-anon-upload and curl-postquote-refused with curl.
  it("commands after the last URL are its post-quote commands: sent after the transfer's 226, then QUIT", () => {
    const r = local(['login', 'cd upload', 'put draft.txt 4096', 'rename draft.txt report.txt', 'mkdir drafts', 'quit']);
    const sent = commands(r, 'laptop');
    expect(sent.slice(sent.indexOf('STOR draft.txt'))).toEqual(['STOR draft.txt', 'RNFR draft.txt', 'RNTO report.txt', 'MKD drafts', 'QUIT']);
    const replies = r.trace.events.filter((e): e is Ftp => e.kind === 'ftp' && e.dir === 'reply' && e.host === 'laptop').map((e) => e.text.slice(0, 3));
    expect(replies.slice(-5)).toEqual(['226', '350', '250', '257', '221']);
    expect(r.verdict.transfers.map((t) => [t.command, t.ok])).toEqual([['put draft.txt', true]]);
  });

  it('a refused post-quote fails the URL with exit 21 "QUOT string not accepted", the rest not sent; QUIT still follows', () => {
    const r = local(['login', 'cd upload', 'put draft.txt 4096', 'rename missing.txt x.txt', 'mkdir drafts', 'quit']);
    const sent = commands(r, 'laptop');
    expect(sent.slice(sent.indexOf('STOR draft.txt'))).toEqual(['STOR draft.txt', 'RNFR missing.txt', 'QUIT']);
    expect(said(r)).toContain('curl: (21) QUOT string not accepted: RNFR missing.txt');
    const t = r.verdict.transfers[0]!;
    expect([t.command, t.ok, t.failure?.kind]).toEqual(['put draft.txt', false, 'ftp-error']);
    expect(t.failure?.explanation).toMatch(/^The server answered RNFR with 550 /);
  });

  it('after a failed last URL no post-quote command is sent', () => {
    const r = local(['login', 'get no-such-file.txt', 'delete notes.txt', 'quit']);
    const sent = commands(r, 'laptop');
    expect(sent.some((c) => c.startsWith('DELE'))).toBe(false);
    expect(sent.at(-1)).toBe('QUIT');
  });
});

describe('turned away instead of greeted: vsftpd answers the connection with 500 OOPS or 421 and closes (captured)', () => {
  // tests/kernel/scenarios/vsftpd-no-logins: anonymous_enable=NO and local_enable=NO; the script is
  // `login ftp guest@`, `ls`, `login bob secret`, `ls`, `quit`.
  const OOPS = '500 OOPS: vsftpd: both local and anonymous access disabled!';
  const noLogins = (profile: string) => run('tests/kernel/scenarios/vsftpd-no-logins.json', (j) => (j.client.profile = profile));
  const syns = (r: RunResult, host: string) =>
    r.trace.events.filter((e) => {
      if (e.kind !== 'send' || e.device !== host) return false;
      const p = decodePacket(e.bytes);
      return p.ok && !!p.value.tcp && p.value.tcp.dstPort === 21 && p.value.tcp.flags.syn;
    });
  const kinds = (r: RunResult) => r.verdict.transfers.map((t) => [t.command, t.ok, t.failure?.kind]);

  it('curl: "Got a 500 ftp-server response when 220 was expected" (exit 8), not a byte sent, no QUIT; the next URL connects again at once and is refused the same', () => {
    const r = noLogins('curl');
    const ctl = controlSegments(r, 'testbox1');
    expect(ctl.filter((x) => x.from === 'client' && x.text !== '')).toEqual([]);
    expect(ctl.filter((x) => x.from === 'server' && x.text !== '').map((x) => x.text)).toEqual([OOPS, OOPS]);
    expect(said(r).filter((l) => l.startsWith('curl: '))).toEqual([
      'curl: (8) Got a 500 ftp-server response when 220 was expected',
      'curl: (8) Got a 500 ftp-server response when 220 was expected',
    ]);
    // The server's refusal is the failure (the kernel check's kind ftp-500), not a lost session.
    expect(kinds(r)).toEqual([
      ['ls', false, 'ftp-error'],
      ['ls', false, 'ftp-error'],
    ]);
    const two = syns(r, 'testbox1');
    expect(two).toHaveLength(2);
    const fin = ctl.find((x) => x.from === 'client' && x.flags.includes('F'))!;
    expect(two[1]!.t - fin.t).toBeGreaterThanOrEqual(0);
    expect(two[1]!.t - fin.t).toBeLessThan(100_000);
  });

  it('lftp: only its FEAT (queued before the greeting is read), "ls: Fatal error: max-retries exceeded (500 OOPS: …)"; its `user` line sets the next login, the next ls connects again', () => {
    const r = noLogins('lftp');
    expect(commands(r, 'testbox1')).toEqual(['FEAT', 'FEAT']);
    expect(said(r).filter((l) => l.includes('Fatal error'))).toEqual([`ls: Fatal error: max-retries exceeded (${OOPS})`, `ls: Fatal error: max-retries exceeded (${OOPS})`]);
    expect(kinds(r)).toEqual([
      ['ls', false, 'ftp-error'],
      ['ls', false, 'ftp-error'],
    ]);
    expect(syns(r, 'testbox1')).toHaveLength(2);
  });

  it('lftp with retries left connects again once its reconnect timer, counted from the refusal, runs out', () => {
    const r = run('tests/kernel/scenarios/vsftpd-no-logins.json', (j) => {
      j.client = { host: 'testbox1', command: "lftp -u ftp,guest@ -e 'set net:max-retries 3; set net:reconnect-interval-base 2; ls; quit' ftp://192.168.150.90" };
    });
    const at = syns(r, 'testbox1').map((e) => e.t);
    expect(at).toHaveLength(3);
    // 2 s, then 2 × 1.5 (net:reconnect-interval-multiplier), each from the refusal (a millisecond after the SYN).
    expect(Math.round((at[1]! - at[0]!) / 100_000) / 10).toBe(2);
    expect(Math.round((at[2]! - at[1]!) / 100_000) / 10).toBe(3);
    expect(said(r).filter((l) => l.includes('Fatal error'))).toEqual([`ls: Fatal error: max-retries exceeded (${OOPS})`]);
  });

  it('tnftp and inetutils print the OOPS and stop; the explanation names the two settings', () => {
    for (const profile of ['tnftp', 'inetutils']) {
      const r = noLogins(profile);
      expect(commands(r, 'testbox1')).toEqual([]);
      expect(syns(r, 'testbox1')).toHaveLength(1);
      const t = r.verdict.transfers[0]!;
      expect(t.failure?.kind).toBe('ftp-error');
      expect(t.failure?.culprit?.setting).toBe('anonymous_enable=NO, local_enable=NO');
      expect(t.failure?.fix).toMatch(/anonymous_enable=YES .* local_enable=YES/);
    }
  });

  it('curl after vsftpd’s 421 (max_clients): any 421 is a time-out to curl, "curl: (28) Timeout was reached", for each URL (tests/kernel/scenarios/vsftpd-max-clients-curl)', () => {
    const r = run('tests/kernel/scenarios/vsftpd-max-clients-curl.json', () => undefined);
    const out = r.trace.events.filter((e): e is Console => e.kind === 'console' && e.client === 'testbox3').map((e) => e.text);
    expect(out.filter((l) => l.startsWith('curl: '))).toEqual(['curl: (28) Timeout was reached', 'curl: (28) Timeout was reached']);
    expect(commands(r, 'testbox3')).toEqual([]);
    const mine = r.verdict.transfers.filter((t) => t.client === 'testbox3');
    expect(mine.map((t) => [t.command, t.failure?.kind, t.failure?.culprit?.setting])).toEqual([
      ['ls', 'ftp-error', 'max_clients'],
      ['get readme.txt', 'ftp-error', 'max_clients'],
    ]);
    expect(mine[0]!.failure?.explanation).toMatch(/^The server did not let the client in: it answered the new connection with "421 There are too many connected users/);
  });

  it('curl reads a 421 to PASS the same way (ftp_readresp, whatever the state; FileZilla Server’s per-address limit, from the source)', () => {
    const r = run('filezilla-class-per-ip-limit', (j) => (j.clients = j.clients.map((c: any) => ({ ...c, profile: 'curl' }))));
    const refused = r.verdict.transfers.filter((t) => !t.ok);
    expect(refused.length).toBeGreaterThan(0);
    for (const t of refused) expect(t.failure?.clientSees.at(-1)).toBe('curl: (28) Timeout was reached');
  });
});

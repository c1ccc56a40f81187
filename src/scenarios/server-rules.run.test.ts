/**
 * The servers' own rules, run through the whole simulator from the built-in scenarios:
 * FileZilla Server's folder rights, limits, time-out and autoban, and vsftpd's refusals —
 * the reply codes each side sent, and the outcome.
 */
import { describe, expect, it } from 'vitest';
import { formatScenarioError, loadScenario, runScenario, type RunResult } from '../core/index';
import { BUILTIN_SCENARIOS } from './index';

type Run = RunResult & { server: string };

function run(id: string, edit?: (json: any) => void): Run {
  const entry = BUILTIN_SCENARIOS.find((s) => s.id === id);
  if (!entry) throw new Error(`no built-in ${id}`);
  const json = structuredClone(entry.json) as any;
  edit?.(json);
  const r = loadScenario(json, `${id}.json`);
  if (!r.ok) throw new Error(r.errors.map(formatScenarioError).join('\n'));
  return { ...runScenario(r.scenario), server: r.scenario.server.host };
}

/** The server's replies, in order, as "code text" (first line), optionally for one client. */
function replies(r: Run, client?: string): string[] {
  return r.trace.events.flatMap((e) =>
    e.kind === 'ftp' && e.dir === 'reply' && e.host === r.server && (client === undefined || e.client === client) ? [e.text.split('\n')[0]!] : [],
  );
}
const codes = (r: Run, client?: string) => replies(r, client).map((l) => Number(l.slice(0, 3)));
const timeOf = (r: Run, text: string) => r.trace.events.find((e) => e.kind === 'ftp' && e.dir === 'reply' && e.host === r.server && e.text.startsWith(text))?.t;
const lastCommandBefore = (r: Run, t: number) =>
  Math.max(...r.trace.events.filter((e) => e.kind === 'ftp' && e.dir === 'command' && e.host === r.server && e.t < t).map((e) => e.t));

describe('FileZilla Server scenarios', () => {
  it('seed 003 on port 3069: 331, 230, list, download and upload into upload/ all 226', () => {
    const r = run('filezilla-seed-003-port-3069');
    expect(r.verdict.ok).toBe(true);
    // The classic client's TYPE I before the download (BSD ftp, captured from inetutils ftp): a 200 more.
    expect(codes(r)).toEqual([220, 331, 230, 215, 200, 150, 226, 200, 200, 150, 226, 250, 200, 150, 226, 257, 221]);
    expect(replies(r)).toContain('226 Successfully transferred "/upload/report.txt"');
  });

  it('seed 003: making a directory (257), renaming (350, 250) and a taken name (553) where the folder allows it', () => {
    const r = run('filezilla-seed-003-port-3069', (j) => {
      j.server.filezilla.users[0].folders[1].rights.push('fileDelete');
      j.script = ['login', 'cd upload', 'mkdir reports', 'put report.txt 10', 'put taken.txt 10', 'rename report.txt taken.txt', 'rename report.txt final.txt', 'quit'];
    });
    const rs = replies(r);
    expect(rs).toContain('257 "/upload/reports" created successfully');
    expect(rs).toContain('350 File exists, ready for destination name.');
    expect(rs).toContain('553 file exists');
    expect(rs).toContain('250 file renamed successfully');
  });

  it("an active data connection the client's firewall drops: 150 first, then 425 after 10 s", () => {
    const r = run('filezilla-seed-003-port-3069', (j) => {
      j.hosts[0].iptables = [
        '*filter',
        ':INPUT ACCEPT [0:0]',
        ':FORWARD ACCEPT [0:0]',
        ':OUTPUT ACCEPT [0:0]',
        '-A INPUT -p tcp -m tcp --dport 1024:65535 --tcp-flags SYN,ACK SYN -j DROP',
        'COMMIT',
      ];
      j.script = ['login', 'ls', 'quit'];
    });
    expect(r.verdict.ok).toBe(false);
    const rs = replies(r);
    expect(rs).toContain('150 Opening data channel for directory listing of "/"');
    expect(rs).toContain('425 Can\'t open data connection for transfer of "/"');
    const t150 = timeOf(r, '150 ')!;
    const t425 = timeOf(r, '425 ')!;
    expect((t425 - t150) / 1e6).toBeGreaterThan(10);
    expect((t425 - t150) / 1e6).toBeLessThanOrEqual(11);
  });

  it('an upload refused with 550 until upload/ gets the Write right', () => {
    const before = run('filezilla-upload-needs-write');
    expect(before.verdict.ok).toBe(false);
    expect(replies(before)).toContain('550 Permission denied');
    const f = before.verdict.transfers.find((t) => !t.ok)!;
    expect(f.command).toBe('put report.txt');
    expect(f.failure?.fix).toMatch(/Shared folders/);
    const after = run('filezilla-upload-needs-write', (j) => j.server.filezilla.users[0].folders.push({ path: '/share/upload', rights: ['fileWrite'] }));
    expect(after.verdict.ok).toBe(true);
    expect(replies(after)).toContain('226 Successfully transferred "/upload/report.txt"');
  });

  it('behind NAT without the Passive IP the 227 names 10.0.0.10 and the transfer fails; with it, 203.0.113.1 and success', () => {
    const no = run('filezilla-nat-no-passive-ip');
    expect(no.verdict.ok).toBe(false);
    expect(replies(no).find((l) => l.startsWith('227'))).toMatch(/^227 Entering Passive Mode \(10,0,0,10,\d+,\d+\)$/);
    const f = no.verdict.transfers.find((t) => !t.ok)!.failure!;
    expect(f.culprit).toMatchObject({ device: 'internet' });
    expect(f.fix).toMatch(/^Enter 203\.0\.113\.1 as the Passive IP/);
    const yes = run('filezilla-nat-passive-ip');
    expect(yes.verdict.ok).toBe(true);
    const p227 = replies(yes).find((l) => l.startsWith('227'))!;
    const m = /\(203,0,113,1,(\d+),(\d+)\)$/.exec(p227)!;
    const port = Number(m[1]) * 256 + Number(m[2]);
    expect(port).toBeGreaterThanOrEqual(5000);
    expect(port).toBeLessThanOrEqual(6000);
  });

  it('30 students behind one NAT address: 5 log in, 25 get 421 at PASS', () => {
    const r = run('filezilla-class-per-ip-limit');
    const all = replies(r);
    expect(all.filter((l) => l === '230 Logged on')).toHaveLength(5);
    expect(all.filter((l) => l === '421 Refusing connection. No more connections allowed from your IP.')).toHaveLength(25);
    expect(r.verdict.transfers.filter((t) => t.ok)).toHaveLength(5);
    // Every student was answered 331 first: FileZilla counts at PASS, not at connect.
    expect(all.filter((l) => l.startsWith('331'))).toHaveLength(30);
  });

  it('the same class with a limit of 30 all get in', () => {
    const r = run('filezilla-class-per-ip-limit', (j) => (j.server.filezilla.users[0].maxPerIp = 30));
    expect(r.verdict.ok).toBe(true);
  });

  it('a password guesser: 530, 530, 421 banned; the owner on the same machine then gets 550', () => {
    const r = run('filezilla-autoban');
    // The classic client sends SYST after its first login, failed or not (215 from FileZilla before login).
    expect(codes(r, 'guesser').filter((c) => c !== 220 && c !== 215)).toEqual([331, 530, 331, 530, 331, 421]);
    expect(replies(r, 'guesser').at(-1)).toBe('421 Temporarily banned for too many failed login attempts');
    expect(replies(r, 'owner')).toEqual(['550 No connections allowed from your IP']);
    expect(r.verdict.ok).toBe(false);
  });

  it('the ban ends at the first purge after the ban time', () => {
    const r = run('filezilla-autoban', (j) => (j.clients[1].script = ['wait 3660', 'login', 'ls', 'quit']));
    expect(replies(r, 'owner')).toContain('230 Logged on');
    expect(r.verdict.transfers.find((t) => t.client === 'owner')?.ok).toBe(true);
  });

  it('an idle session: 421 Connection timed out. 61 s after the last command, and the next ls is lost', () => {
    const r = run('filezilla-idle-timeout');
    const t = timeOf(r, '421 Connection timed out.')!;
    expect(t).toBeDefined();
    const idle = (t - lastCommandBefore(r, t)) / 1e6;
    expect(idle).toBeGreaterThan(60);
    expect(idle).toBeLessThanOrEqual(61);
    expect(r.verdict.transfers.map((x) => x.ok)).toEqual([true, false]);
  });
});

describe('the reply codes of issue 17', () => {
  it('every one is produced by a built-in scenario, except 552, which neither server sends (docs/FIDELITY-NOTES.md)', () => {
    const seen = new Set<number>();
    for (const { id } of BUILTIN_SCENARIOS) for (const code of codes(run(id))) seen.add(code);
    const wanted = [230, 331, 530, 550, 553, 421, 257, 250, 350, 226, 425, 426];
    expect(wanted.filter((c) => !seen.has(c))).toEqual([]);
    expect(seen.has(552)).toBe(false);
  });

  it('the safe chroot set-up: PWD "/", the upload and the rename (350, 250) in upload/ succeed', () => {
    const r = run('vsftpd-chroot-upload-folder');
    expect(r.verdict.ok).toBe(true);
    const rs = replies(r);
    expect(rs).toContain('257 "/" is the current directory');
    expect(rs.slice(rs.indexOf('350 Ready for RNTO.'), rs.indexOf('350 Ready for RNTO.') + 2)).toEqual(['350 Ready for RNTO.', '250 Rename successful.']);
    // root is on the user list: refused at USER.
    const root = run('vsftpd-chroot-upload-folder', (j) => {
      j.server.users.push({ name: 'root', password: 'toor' });
      j.client.user = 'root';
      j.client.password = 'toor';
    });
    expect(replies(root)).toContain('530 Permission denied.');
    expect(replies(root)).not.toContain('331 Please specify the password.');
  });
});

describe('vsftpd scenarios', () => {
  it('an idle session: 421 Timeout. after idle_session_timeout=60', () => {
    const r = run('vsftpd-idle-timeout');
    const t = timeOf(r, '421 Timeout.')!;
    expect((t - lastCommandBefore(r, t)) / 1e6).toBeCloseTo(60, 0);
    expect(r.verdict.transfers.map((x) => x.ok)).toEqual([true, false]);
  });

  it("three wrong passwords: 530 Login incorrect. after PAM's 1–3 s and delay_failed_login's 1 s each, then the close (max_login_fails=3)", () => {
    const r = run('vsftpd-login-fails');
    expect(replies(r).filter((l) => l === '530 Login incorrect.')).toHaveLength(3);
    expect(replies(r)).not.toContain('230 Login successful.');
    const pass = r.trace.events.filter((e) => e.kind === 'ftp' && e.dir === 'command' && e.host === r.server && e.text.startsWith('PASS'));
    const fails = r.trace.events.filter((e) => e.kind === 'ftp' && e.dir === 'reply' && e.host === r.server && e.text.startsWith('530 Login incorrect.'));
    // Captured (tests/kernel lftp-login-530): 2.39–3.26 s from PASS to 530.
    const waits = fails.map((f, i) => (f.t - pass[i]!.t) / 1e6);
    for (const w of waits) {
      expect(w).toBeGreaterThanOrEqual(2);
      expect(w).toBeLessThanOrEqual(4);
    }
    // PAM varies its delay (seeded by the time in seconds): not the same wait three times.
    expect(new Set(waits.map((w) => w.toFixed(3))).size).toBeGreaterThan(1);
    expect(r.verdict.ok).toBe(false);
    expect(r.verdict.transfers[0]!.failure!.explanation).toContain('the server answered PASS with "530 Login incorrect."');
    const right = run('vsftpd-login-fails', (j) => (j.script = ['login slacker TmpPass', 'ls', 'quit']));
    expect(right.verdict.ok).toBe(true);
  });

  it('a RST from a middlebox after the 150: 426 Failure writing network stream.; without the rule 226', () => {
    const r = run('vsftpd-426-reset-mid-transfer');
    const rs = replies(r);
    expect(rs.slice(rs.indexOf('150 Opening BINARY mode data connection for big.iso (1048576 bytes).'))).toEqual([
      '150 Opening BINARY mode data connection for big.iso (1048576 bytes).',
      '426 Failure writing network stream.',
      '221 Goodbye.',
    ]);
    // The reset came from the router's rule, on the data connection, after data had flowed.
    const rejects = r.trace.events.filter((e) => e.kind === 'drop' && e.device === 'server-edge');
    expect(rejects.length).toBeGreaterThan(0);
    expect(r.verdict.ok).toBe(false);
    const f = r.verdict.transfers[0]!.failure!;
    expect(f.kind).toBe('ftp-error');
    expect(f.culprit?.rule?.text).toContain('--reject-with tcp-reset');
    expect(f.explanation).toMatch(/^The data connection opened and the transfer started, then broke: .*426 Failure writing network stream\.$/);
    const fixed = run('vsftpd-426-reset-mid-transfer', (j) => (j.routers[0].iptables = j.routers[0].iptables.filter((l: string) => !l.startsWith('-A FORWARD'))));
    expect(replies(fixed)).toContain('226 Transfer complete.');
    expect(fixed.verdict.ok).toBe(true);
  });

  it('the same reset under FileZilla Server: 426 Connection closed; aborted transfer of "/big.iso"', () => {
    const r = run('vsftpd-426-reset-mid-transfer', (j) => {
      j.server = {
        host: 'server',
        kind: 'filezilla',
        filezilla: {
          passive: { minPort: 50000, maxPort: 50100 },
          users: [{ name: 'student', password: 'pw', folders: [{ path: '/pub', home: true, rights: ['fileRead', 'dirList'] }] }],
        },
        files: { '/pub/big.iso': { size: 1048576 } },
      };
      j.client.user = 'student';
      j.client.password = 'pw';
    });
    const rs = replies(r);
    expect(rs).toContain('150 Opening data channel for file download from server of "/big.iso"');
    expect(rs[rs.indexOf('150 Opening data channel for file download from server of "/big.iso"') + 1]).toBe('426 Connection closed; aborted transfer of "/big.iso"');
    expect(r.verdict.ok).toBe(false);
  });

  it('a chroot() into a writable home: 500 OOPS after PASS; allow_writeable_chroot=YES lets alice in at "/"', () => {
    const r = run('vsftpd-chroot-writable-root');
    expect(replies(r)).toEqual(['220 (vsFTPd 3.0.3)', '331 Please specify the password.', '500 OOPS: vsftpd: refusing to run with writable root inside chroot()']);
    expect(r.verdict.ok).toBe(false);
    // The lines that never ran are explained by the reply that ended the session, with its fix.
    const f = r.verdict.transfers[0]!.failure!;
    expect(f.kind).toBe('ftp-error');
    expect(f.explanation).toContain('the server answered PASS with "500 OOPS: vsftpd: refusing to run with writable root inside chroot()"');
    expect(f.fix).toMatch(/mode 555 .* or set allow_writeable_chroot=YES/);
    const fixed = run('vsftpd-chroot-writable-root', (j) => j.server.vsftpd.push('allow_writeable_chroot=YES'));
    expect(replies(fixed)).toContain('257 "/" is the current directory');
    expect(replies(fixed)).toContain('226 Transfer complete.');
    expect(fixed.verdict.ok).toBe(true);
    const readOnlyHome = run('vsftpd-chroot-writable-root', (j) => (j.server.files['/home/alice'] = { dir: true, owner: 'alice', mode: '555' }));
    expect(readOnlyHome.verdict.ok).toBe(true);
  });

  it('an upload into a missing directory: 553 Could not create file.; without write_enable 550 Permission denied.', () => {
    const r = run('vsftpd-upload-553');
    expect(replies(r)).toContain('553 Could not create file.');
    expect(r.verdict.ok).toBe(false);
    expect(r.verdict.transfers.find((t) => !t.ok)!.failure!.fix).toMatch(/^vsftpd could not create the file: upload into a directory that exists/);
    const off = run('vsftpd-upload-553', (j) => (j.server.vsftpd = j.server.vsftpd.filter((l: string) => l !== 'write_enable=YES')));
    expect(replies(off)).toContain('550 Permission denied.');
  });
});

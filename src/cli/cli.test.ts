/**
 * The command-line runner as a user runs it: exit codes, the transcript, --json, bad input,
 * and a --pcap that tshark decodes without complaint.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from './args';
import { TSHARK_CHECKSUMS } from '../../tests/support/tshark';

const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx');
const cli = join(process.cwd(), 'src', 'cli', 'main.ts');
const sim = (...args: string[]) => spawnSync(tsx, [cli, ...args], { encoding: 'utf8', timeout: 60_000 });
const scenario = (id: string) => join(process.cwd(), 'src', 'scenarios', `${id}.json`);

const hasTshark = spawnSync('tshark', ['--version'], { encoding: 'utf8' }).status === 0;
if (!hasTshark && process.env.REQUIRE_TSHARK) throw new Error('tshark is required (REQUIRE_TSHARK is set) but not installed');

describe('npm run sim', () => {
  it('prints the ftp -d transcript, the packet log and the verdict; exit 0 on success', () => {
    const r = sim(scenario('seed-passive-session'));
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('---> PASV\n227 Entering Passive Mode (192,168,150,90,195,149).');
    expect(r.stdout).toContain('Packets (per hop):');
    expect(r.stdout).toMatch(/Verdict: SUCCESS/);
  });

  it('exit 1 on a failed transfer, with the culprit rule and the fix', () => {
    const r = sim(scenario('passive-server-firewall-reject'));
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/kind: icmp-prohibited/);
    expect(r.stdout).toMatch(/REJECT --reject-with icmp-host-prohibited/);
    expect(r.stdout).toMatch(/fix: /);
    // The culprit by its display name, with the id a file uses.
    expect(r.stdout).toMatch(/where: FTP server \(server\), filter\/INPUT rule \d+: /);
  });

  it('--json gives the documented shape', () => {
    const r = sim(scenario('client-nat-active-no-helper'), '--json');
    expect(r.status).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(Object.keys(j).sort()).toEqual(['budgetExhausted', 'commands', 'endTimeUs', 'events', 'ok', 'scenario', 'seed', 'summary', 'transcript', 'transfers'].sort());
    expect(j.ok).toBe(false);
    expect(j.transfers[0].failure.kind).toBe('illegal-port');
    expect(j.transcript.client).toContain('500 Illegal PORT command.');
  });

  it('counts data transfers apart from cd/pwd/mkdir: transfers has ls/get/put only, commands every reported line', () => {
    const r = sim(scenario('filezilla-seed-003-port-3069'), '--json');
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.transfers.map((t: { command: string }) => t.command.split(' ')[0])).toEqual(['ls', 'get', 'put']);
    expect(j.commands.map((t: { command: string }) => t.command.split(' ')[0])).toEqual(['ls', 'get', 'cd', 'put', 'pwd']);
    expect(j.summary).toBe('All 3 transfers succeeded. All 2 other commands succeeded.');
    const failed = sim(scenario('vsftpd-chroot-writable-root'), '--quiet');
    expect(failed.status).toBe(1);
    expect(failed.stdout).toContain('Verdict: FAILURE — 1 of 1 transfer failed: get notes.txt — ftp-error. 1 of 1 other command failed: pwd — ftp-error.');
  });

  it('bad input: exit 2 with the file, path or line and the reason; nothing else printed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fttw-cli-'));
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{\n  "name": "x",\n  "hosts": [ }\n');
    const r = sim(broken);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/broken\.json.*line 3/);
    expect(r.stdout).toBe('');

    const bad = JSON.parse(readFileSync(scenario('seed-passive-session'), 'utf8'));
    bad.client.profile = 'netscape';
    const badFile = join(dir, 'bad-profile.json');
    writeFileSync(badFile, JSON.stringify(bad));
    const r2 = sim(badFile);
    expect(r2.status).toBe(2);
    expect(r2.stderr).toMatch(/client\.profile/);

    expect(sim(join(dir, 'missing.json')).status).toBe(2);
    expect(sim(scenario('seed-passive-session'), '--seed', 'x').status).toBe(2);
    expect(sim(scenario('seed-passive-session'), '--pcap', join(dir, 'a.pcap'), '--at', 'nowhere:eth9').status).toBe(2);
  }, 120_000); // five processes: each tsx start takes seconds on a loaded 2-core machine

  it('every bad argument: one line naming it, exit 2, before anything runs or is written', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fttw-cli-'));
    const file = scenario('seed-passive-session');
    const cases: [string[], RegExp][] = [
      [['--pcap', dir], /--pcap .* is a directory/],
      [['--pcap', join(dir, 'no-such-dir', 'x.pcap')], /--pcap .*x\.pcap.* cannot be written/],
      [['--pcap', join(file, 'x.pcap')], /--pcap .* cannot be written/],
      [['--pcap'], /--pcap needs a file name/],
      [['--pcap', '--quiet'], /--pcap needs a file name/],
      [['--pcap', join(dir, 'a.pcap'), '--at'], /--at needs DEVICE:IFACE/],
      [['--pcap', join(dir, 'a.pcap'), '--at', 'edge'], /--at needs DEVICE:IFACE/],
      [['--seed', '4294967296'], /--seed .*0 to 4294967295/],
      [['--seed'], /--seed needs/],
      [['--seed', '-1'], /--seed needs/],
    ];
    for (const [args, message] of cases) {
      const r = parseArgs([file, ...args]);
      expect(typeof r === 'string' && !r.includes('\n') && message.test(r), `${args.join(' ')} → ${JSON.stringify(r)}`).toBe(true);
    }
    // As a user runs it: one line on stderr, exit 2, nothing on stdout, no stack trace.
    for (const args of [
      ['--pcap', dir],
      ['--seed', '4294967296'],
    ]) {
      const r = sim(file, ...args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr).toMatch(/^sim: --/);
      expect(r.stdout, args.join(' ')).toBe('');
    }
    // Nothing was left behind by the up-front check.
    expect(spawnSync('ls', ['-A', dir], { encoding: 'utf8' }).stdout).toBe('');
    // 4294967295 is the largest seed a file takes, and is taken here too.
    expect(sim(file, '--seed', '4294967295', '--quiet').status).toBe(0);
  });

  it.skipIf(!hasTshark)('--pcap at a NAT router writes what tshark decodes as FTP, clean', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fttw-cli-'));
    const file = join(dir, 'edge.pcap');
    const r = sim(scenario('client-nat-active-helper'), '--pcap', file, '--at', 'client-edge:eth1', '--quiet');
    expect(r.status).toBe(0);
    // tshark -r FILE -o tcp.check_checksum:TRUE -o ip.check_checksum:TRUE -T fields …
    const out = execFileSync(
      'tshark',
      [
        '-r',
        file,
        ...TSHARK_CHECKSUMS,
        '-T',
        'fields',
        '-E',
        'separator=|',
        '-e',
        'ip.checksum.status',
        '-e',
        'tcp.checksum.status',
        '-e',
        'tcp.analysis.flags',
        '-e',
        '_ws.malformed',
        '-e',
        'ftp.request.command',
        '-e',
        'ftp.active.cip',
      ],
      { encoding: 'utf8', timeout: 30_000 },
    );
    const rows = out
      .trim()
      .split('\n')
      .map((l) => l.split('|'));
    expect(rows.length).toBeGreaterThan(20);
    for (const [ipck, tcpck, analysis, malformed] of rows) {
      expect(ipck).toBe('1');
      expect(tcpck).toBe('1');
      expect(analysis).toBe('');
      expect(malformed).toBe('');
    }
    const commands = rows.map((r) => r[4]).filter(Boolean);
    expect(commands).toContain('PORT');
    // On the public side of the NAT the PORT names the router's public address.
    expect(rows.map((r) => r[5]).filter(Boolean)).toContain('198.51.100.1');
  });
});

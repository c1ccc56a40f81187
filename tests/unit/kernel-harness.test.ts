/**
 * The kernel check's own machinery (tests/kernel): the pool that runs worlds side by side, the
 * plan that gives each world its own namespaces and folder, and the comparison of two runs'
 * rows. The kernel runs themselves need root and namespaces (npm run test:kernel).
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseClientCommand, type ScenarioFile } from '../../src/core/index';
import { commandLineClient, withHarnessBounds } from '../kernel/commandLine';
import { defaultJobs, jobsOption, runPool } from '../kernel/pool';
import { planWorlds } from '../kernel/world';
import { rowDifferences } from '../kernel/sameRows';
import { clientSays, maskTimes, type Row } from '../kernel/compare';
import { clientCommand, splitTransfers, HARNESS_KILL_S } from '../kernel/realClients';
import { classifyReal } from '../kernel/kernelSide';
import { simKind } from '../kernel/simSide';

const builtins = readdirSync('src/scenarios')
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => ({ id: f.replace(/\.json$/, ''), file: JSON.parse(readFileSync(`src/scenarios/${f}`, 'utf8')) as ScenarioFile }));

/** A client as the harness gets it from a built scenario: the given fields, on a passive client 'c' of host 'h' reaching 203.0.113.10:21. */
const resolvedClient = (c: object) =>
  ({
    ...c,
    id: 'c',
    host: 'h',
    mode: 'passive',
    tls: false,
    pasvAddress: null,
    connectTo: '203.0.113.10',
    connectPort: 21,
    connectTimeoutS: null,
    command: null,
  }) as never;

describe('kernel check: worlds in parallel', () => {
  it('runs at most N jobs at once and returns results in the plan order, each heard as it finishes', async () => {
    const delays = [40, 5, 30, 1, 20, 10, 2];
    let running = 0;
    let most = 0;
    const heard: number[] = [];
    const out = await runPool(
      delays.map((d, i) => ({ i, d })),
      3,
      async (j) => {
        running++;
        most = Math.max(most, running);
        await new Promise((r) => setTimeout(r, j.d));
        running--;
        return j.i * 10;
      },
      (r) => heard.push(r),
    );
    expect(out).toEqual([0, 10, 20, 30, 40, 50, 60]);
    expect(most).toBe(3);
    // Finished out of order (the short ones first), reported as they finished.
    expect(heard).not.toEqual(out);
    expect([...heard].sort((a, b) => a - b)).toEqual(out);
  });

  it('one job at a time is the sequential run', async () => {
    const order: number[] = [];
    await runPool([3, 1, 2], 1, async (j) => {
      order.push(j);
      await new Promise((r) => setTimeout(r, j));
      return j;
    });
    expect(order).toEqual([3, 1, 2]);
  });

  it('reads --jobs, refuses nonsense by name, and defaults to several worlds per core', () => {
    expect(jobsOption(['--only', 'x', '--jobs', '3'], 2)).toBe(3);
    expect(jobsOption(['--jobs=1'], 2)).toBe(1);
    expect(jobsOption([], 2)).toBe(defaultJobs(2));
    expect(defaultJobs(2)).toBeGreaterThan(2);
    expect(jobsOption(['--jobs', '0'], 2)).toEqual({ error: expect.stringContaining('--jobs') });
    expect(jobsOption(['--jobs', 'many'], 2)).toEqual({ error: expect.stringContaining('"many"') });
  });

  it('gives every world of the full run its own namespace prefix and work folder', () => {
    const plan = planWorlds(builtins, {
      only: null,
      onlyClients: null,
      variants: true,
      variantsFor: null,
      variantsExcept: null,
      kernelOnly: false,
      prefix: 'fttw-1-',
      workRoot: '/tmp/w',
    });
    expect(plan.length).toBeGreaterThan(builtins.length * 2);
    expect(new Set(plan.map((j) => j.label)).size).toBe(plan.length);
    expect(new Set(plan.map((j) => j.workDir)).size).toBe(plan.length);
    // No prefix is the start of another's (fttw-1-1- vs fttw-1-11-): each world's namespaces are its own.
    const prefixes = plan.map((j) => j.nsPrefix);
    for (const p of prefixes) expect(prefixes.filter((q) => q.startsWith(p))).toEqual([p]);
    expect(plan.map((j) => j.index)).toEqual(plan.map((_, i) => i));
  });

  it('--variants-except: those scenarios run with their own client only, every other one with every client', () => {
    const opts = { only: null, onlyClients: null, variants: true, variantsFor: null, kernelOnly: false, prefix: 'p-', workRoot: '/w' };
    const all = planWorlds(builtins, { ...opts, variantsExcept: null });
    const except = planWorlds(builtins, { ...opts, variantsExcept: ['vsftpd-426-reset-mid-transfer'] });
    const of426 = (plan: typeof all) => plan.filter((j) => j.label.startsWith('vsftpd-426-reset-mid-transfer')).map((j) => j.label);
    expect(of426(all).length).toBeGreaterThan(1);
    expect(of426(except)).toEqual(['vsftpd-426-reset-mid-transfer']);
    expect(except.length).toBe(all.length - of426(all).length + 1);
  });
});

describe('kernel check: two runs compared row by row', () => {
  const row = (scenario: string, check: string, status: Row['status'], kernel: string, sim = ''): Row => ({ scenario, check, status, kernel, sim });
  const a = [row('s', 'outcome ls', 'agree', 'ok', 'ok'), row('s', 'kind get', 'disagree', 'timeout', 'ftp-425')];
  it('finds nothing between equal runs', () => {
    expect(
      rowDifferences(
        a,
        a.map((r) => ({ ...r })),
      ),
    ).toEqual([]);
  });
  it('names a row whose status or text changed, a missing row and a changed order', () => {
    expect(rowDifferences(a, [a[0]!, { ...a[1]!, kernel: 'timeout+425' }])).toEqual([expect.stringContaining('s | kind get')]);
    expect(rowDifferences(a, [a[0]!, { ...a[1]!, status: 'agree' }])[0]).toContain('second: agree');
    expect(rowDifferences(a, [a[0]!])).toEqual([expect.stringContaining('only in the first run')]);
    expect(rowDifferences(a, [a[1]!, a[0]!])).toEqual(['the rows are in a different order']);
  });
});

describe('kernel check: wall time kept out of the compared texts', () => {
  it("masks a client's count of the milliseconds it waited, in both spellings", () => {
    expect(maskTimes("curl: (28) Failed to connect to 203.0.113.1 port 21 after 5001 ms: Couldn't connect to server")).toBe(
      "curl: (28) Failed to connect to 203.0.113.1 port 21 after N ms: Couldn't connect to server",
    );
    expect(clientSays(['curl: (28) Operation timed out after 15002 milliseconds with 0 out of 1048576 bytes received'])).toBe(
      'curl: (28) Operation timed out after N milliseconds with 0 out of 1048576 bytes received',
    );
  });
});

describe('kernel check: a client given as a command line, run as written', () => {
  it("adds only the harness's time-outs to the line both worlds run, and only where the line sets none", () => {
    const curl = withHarnessBounds('curl -v --disable-epsv --no-ftp-skip-pasv-ip --max-time 20 ftp://203.0.113.1/readme.txt');
    expect(curl).toEqual({
      command: 'curl -v --disable-epsv --no-ftp-skip-pasv-ip --max-time 20 ftp://203.0.113.1/readme.txt --connect-timeout 5',
      added: ['--connect-timeout 5'],
    });
    expect(withHarnessBounds('curl --connect-timeout=9 -m 3 ftp://h/x').added).toEqual([]);
    const lftp = withHarnessBounds("lftp -e 'set net:max-retries 3; get readme.txt' 203.0.113.10");
    expect(lftp.command).toBe("lftp -e 'set net:timeout 5; set net:max-retries 3; get readme.txt' 203.0.113.10");
    // The model reads the new line as the same client with the harness's time-out.
    const parsed = parseClientCommand(lftp.command);
    expect(parsed.ok && parsed.fields).toMatchObject({ connectTimeoutS: 5, script: ['login', 'get readme.txt', 'quit'], connectTo: '203.0.113.10' });
    expect(withHarnessBounds('ftp -p 203.0.113.10').added).toEqual([]);
  });

  it('runs the same program with the same options, adding only what reads the run', () => {
    const curl = commandLineClient('curl -v --disable-epsv ftp://203.0.113.1/readme.txt ftp://203.0.113.1/', '/w', 'MARK');
    expect(curl).toMatchObject({ program: 'stdbuf', cwd: '/w' });
    const args = (curl as { args: string[] }).args;
    expect(args.slice(2, 6)).toEqual(['curl', '-v', '--disable-epsv', 'ftp://203.0.113.1/readme.txt']);
    // Two downloads, two -o, and the marker after each URL.
    expect(args.filter((a) => a === '-o')).toHaveLength(2);
    expect(args).toContain('MARK %{exitcode} %{size_download} %{size_upload}\\n');
    const lftp = commandLineClient("lftp -e 'set net:max-retries 3; cd pub; get readme.txt' 203.0.113.10", '/w', 'MARK') as { args: string[]; input: string };
    expect(lftp.args).toEqual(['-oL', '-eL', 'lftp', '-d', '-e', 'set net:max-retries 3; cd pub; echo MARK; get readme.txt; echo MARK', '203.0.113.10']);
    expect(lftp.input).toBe('quit\n');
    expect(commandLineClient('ftp -p 203.0.113.10', '/w', 'MARK')).toBeNull();
    expect(commandLineClient('curl -w %{http_code} ftp://h/x', '/w', 'MARK')).toEqual({ unsupported: expect.stringContaining('-w') });
  });

  it('plans a command-line scenario once, with its own program (no variants: the line names it)', () => {
    const plan = planWorlds(builtins, {
      only: ['lftp-retries-passive-reject', 'server-nat-curl-trusts-227'],
      onlyClients: null,
      variants: true,
      variantsFor: null,
      variantsExcept: null,
      kernelOnly: false,
      prefix: 'p-',
      workRoot: '/w',
    });
    expect(plan.map((j) => [j.label, j.primaryProfile])).toEqual([
      ['lftp-retries-passive-reject', 'lftp'],
      ['server-nat-curl-trusts-227', 'curl'],
    ]);
    const lftpOnly = planWorlds(builtins, {
      only: null,
      onlyClients: ['lftp'],
      variants: false,
      variantsFor: null,
      variantsExcept: null,
      kernelOnly: false,
      prefix: 'p-',
      workRoot: '/w',
    });
    expect(lftpOnly.map((j) => j.label)).toContain('lftp-retries-passive-reject');
    expect(lftpOnly.map((j) => j.label)).not.toContain('server-nat-curl-trusts-227');
  });
});

describe('kernel check: a client still waiting when the harness kills it', () => {
  const client = { profile: 'inetutils', script: ['login', 'get big.iso', 'quit'] } as unknown as Parameters<typeof splitTransfers>[0];
  const out = (code: number | null) => ({ lines: [{ t: 1, text: '150 Opening BINARY mode data connection for big.iso (1048576 bytes).' }], start: 0, code });
  it('timeout(1)’s exit status (124, or 137 after -k) makes the unfinished transfer "killed" on the kernel side', () => {
    for (const code of [124, 137]) {
      const [t] = splitTransfers(client, out(code));
      expect(t!.killed).toBe(true);
      expect(classifyReal(t!, null)).toEqual({
        kind: 'killed',
        detail: `killed by the harness at ${HARNESS_KILL_S} s; last: 150 Opening BINARY mode data connection for big.iso (1048576 bytes).`,
      });
    }
    const [died] = splitTransfers(client, out(1));
    expect(died!.killed).toBeUndefined();
    expect(classifyReal(died!, null).kind).not.toBe('killed');
  });
  it('the simulator’s client killed at the same time is "killed" too; an unfinished one that was not, is not', () => {
    const f = { kind: 'stalled', clientSees: ['150 Opening BINARY mode data connection for big.iso (1048576 bytes).'], explanation: '' };
    expect(simKind(false, { ...f, killedAfterS: 60 }).kind).toBe('killed');
    expect(simKind(false, f).kind).toBe('closed');
  });
});

describe('kernel check: a transfer’s window from the shell’s stamp on its marker', () => {
  it('BSD ftp’s marker is stamped by the shell that prints it; a late-read line does not move the window past the packets', () => {
    const client = { profile: 'tnftp', script: ['login', 'ls', 'get readme.txt', 'quit'] } as unknown as Parameters<typeof splitTransfers>[0];
    const out = {
      start: 100,
      code: 0,
      lines: [
        { t: 100.5, text: "ftp: Can't connect to `203.0.113.10:50100': Bad file descriptor" },
        // Stamped at 100.20 by the shell, read 0.3 s later by a busy harness.
        { t: 100.5, text: 'FTTW-END @100.200000000' },
        { t: 100.6, text: "ftp: Can't connect to `203.0.113.10:50100': Bad file descriptor" },
        { t: 100.6, text: 'FTTW-END' },
      ],
    };
    const [ls, get] = splitTransfers(client, out);
    expect([ls!.from, ls!.to]).toEqual([100, 100.2]);
    expect([get!.from, get!.to]).toEqual([100.2, 100.6]);
    // The command tnftp is given prints that stamp.
    const cmd = clientCommand(resolvedClient(client as object), '/w');
    expect('input' in cmd && cmd.input).toContain('!echo FTTW-END @$(date +%s.%N)');
  });
});

describe('kernel check: a curl command line with -T', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fttw-unit-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  it('writes each -T file into the work folder, 1024 bytes (a model put without a size); a path is not comparable', () => {
    const cmd = commandLineClient('curl --ftp-create-dirs -T report.txt ftp://h/new/report.txt --upload-file x.txt ftp://h/x.txt', dir, 'MARK');
    expect(cmd).toMatchObject({ cwd: dir });
    expect(readFileSync(join(dir, 'report.txt')).length).toBe(1024);
    expect(readFileSync(join(dir, 'x.txt')).length).toBe(1024);
    // Uploads need no -o.
    expect((cmd as { args: string[] }).args).not.toContain('-o');
    expect(commandLineClient('curl -T /etc/passwd ftp://h/x', dir, 'MARK')).toEqual({ unsupported: expect.stringContaining('plain name') });
  });
});

describe('kernel check: curl given a script with commands', () => {
  // The uploads' local files are written into the run's folder.
  const dir = mkdtempSync(join(tmpdir(), 'fttw-unit-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const curl = (script: string[]) => clientCommand(resolvedClient({ profile: 'curl', script, user: 'u', password: 'p' }), dir);
  it('each URL in its own --next group; mkdir/delete/rename as -Q of the next URL, append as -a', () => {
    const cmd = curl(['login', 'cd incoming', 'put a.txt 100', 'append a.txt 10', 'rename a.txt b.txt', 'mkdir d', 'get b.txt', 'quit']);
    const args = (cmd as { args: string[] }).args;
    const groups = args
      .join('\u0000')
      .split('\u0000--next\u0000')
      .map((g) => g.split('\u0000'));
    expect(groups).toHaveLength(3);
    expect(groups[1]).toContain('-a');
    expect(groups[0]).not.toContain('-a');
    const q = (g: string[]) => g.flatMap((a, i) => (g[i - 1] === '-Q' ? [a] : []));
    expect(groups.map(q)).toEqual([[], [], ['RNFR a.txt', 'RNTO b.txt', 'MKD d']]);
    expect(groups[2]![groups[2]!.length - 3]).toBe('ftp://203.0.113.10:21/incoming/b.txt');
  });
  it("commands after the last URL are that URL's post-quote commands (-Q -CMD), in the last group, in order", () => {
    const cmd = curl(['login', 'put a.txt 100', 'get a.txt', 'rename a.txt b.txt', 'delete b.txt', 'quit']);
    const groups = (cmd as { args: string[] }).args
      .join('\u0000')
      .split('\u0000--next\u0000')
      .map((g) => g.split('\u0000'));
    const q = (g: string[]) => g.flatMap((a, i) => (g[i - 1] === '-Q' ? [a] : []));
    expect(groups.map(q)).toEqual([[], ['-RNFR a.txt', '-RNTO b.txt', '-DELE b.txt']]);
  });
  it('commands with no URL at all have none to go with: not comparable, with the reason', () => {
    expect(curl(['login', 'delete a.txt', 'quit'])).toEqual({ unsupported: expect.stringContaining('"DELE a.txt"') });
  });
});

/**
 * The real client for a scenario's profile, its command line, and the reading of what it
 * printed into one result per transfer. Every run is bounded twice: the client's own flags
 * (curl --connect-timeout/--max-time, tnftp -q) and timeout(1) around it.
 *
 * | profile            | real program here                     | mode flags                                   |
 * |--------------------|---------------------------------------|----------------------------------------------|
 * | curl               | curl                                  | passive: EPSV→PASV; active: -P - (EPRT→PORT)  |
 * | tnftp              | tnftp (Debian's `ftp` package)        | FTPMODE=active/passive, `epsv4 off` for PORT/PASV only |
 * | classic, inetutils | GNU inetutils ftp (`inetutils-ftp`)   | -A / -p                                      |
 * | lftp               | lftp                                  | ftp:passive-mode on/off                      |
 * Debian no longer ships netkit-ftp; GNU inetutils ftp is its nearest relative (the same BSD
 * code), but it refuses a 227 naming another host, which netkit does not.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import type { KClient } from './scenarioFile';
import { transfersOf } from './scenarioFile';

export interface ClientCommand {
  program: string;
  args: string[];
  input: string;
  env: Record<string, string>;
  /** Marker line printed after each transfer (curl -w / tnftp `!echo`). */
  marker: string;
}

export interface Line {
  t: number;
  text: string;
}

export interface RealTransfer {
  command: string;
  ok: boolean;
  /** Client output lines belonging to this transfer. */
  lines: string[];
  /** Wall-clock window of this transfer (seconds), for matching captured packets. */
  from: number;
  to: number;
}

export const CLIENT_TIMEOUT_S = 5;
const MARK = 'FTTW-END';

function urlPath(cmd: string): string {
  const [, arg] = cmd.split(/\s+/);
  return arg ?? '';
}

export function clientCommand(c: KClient, outDir: string): ClientCommand | { unsupported: string } {
  const _transfers = transfersOf(c.script);
  // What each program can be told about the 227 address (its default needs no option).
  const pasvOptions: Record<string, Record<string, string[]>> = {
    curl: { ignore: [], trust: ['--no-ftp-skip-pasv-ip'] },
    lftp: { 'fix-unroutable': [], trust: ['set ftp:fix-pasv-address no'], ignore: ['set ftp:ignore-pasv-address yes'] },
    tnftp: { 'refuse-mismatch': [] },
    inetutils: { 'refuse-mismatch': [] },
  };
  const program = c.profile === 'classic' ? 'inetutils' : c.profile;
  const pasvOpt = c.pasvAddress === null ? [] : pasvOptions[program]?.[c.pasvAddress];
  if (pasvOpt === undefined) return { unsupported: `${program} cannot be told pasvAddress "${c.pasvAddress}"` };
  if (c.profile === 'curl') {
    const host = `ftp://${c.connectTo}:${c.connectPort}`;
    const args = [
      '-sS',
      '-v',
      '--stderr',
      '-',
      '--connect-timeout',
      String(c.connectTimeoutS ?? CLIENT_TIMEOUT_S),
      '--max-time',
      '15',
      '-u',
      `${c.user}:${c.password}`,
      '-w',
      `${MARK} %{exitcode} %{size_download} %{size_upload}\\n`,
    ];
    if (c.mode === 'active' || c.mode === 'eprt') args.push('-P', '-');
    if (c.mode === 'port') args.push('-P', '-', '--disable-eprt');
    if (c.mode === 'pasv') args.push('--disable-epsv');
    if (c.tls) args.push('--ssl-reqd', '-k');
    args.push(...pasvOpt);
    // A script's `cd DIR` becomes the path of the URLs after it (curl then sends CWD DIR).
    const dirs: string[] = [];
    let k = 0;
    for (const raw of c.script) {
      const t = raw.trim();
      if (/^cd\s/.test(t)) {
        dirs.push(urlPath(t));
        continue;
      }
      if (!/^(ls|dir|get|put)\b/.test(t)) continue;
      const base = `${host}/${dirs.map((d) => `${d}/`).join('')}`;
      if (/^(ls|dir)\b/.test(t)) args.push(`${base}${urlPath(t)}`, '-o', `${outDir}/t${k}`);
      else if (t.startsWith('get')) args.push(`${base}${urlPath(t)}`, '-o', `${outDir}/t${k}`);
      else {
        const size = Number(t.split(/\s+/)[2] ?? '1024');
        writeFileSync(`${outDir}/up${k}`, Buffer.alloc(size, 0x61));
        args.push('-T', `${outDir}/up${k}`, `${base}${urlPath(t)}`);
      }
      k++;
    }
    return { program: 'curl', args, input: '', env: {}, marker: MARK };
  }
  if (c.profile === 'classic' || c.profile === 'inetutils') {
    if (c.tls) return { unsupported: 'inetutils ftp has no FTPS' };
    // Logged in as a user would be, at connect (USER, PASS, then SYST), from a .netrc: with -n
    // and a `user` command it sends SYST before USER instead.
    writeFileSync(`${outDir}/.netrc`, `machine ${c.connectTo} login ${c.user} password ${c.password}\n`, { mode: 0o600 });
    const lines: string[] = [];
    const out = lines;
    let k = 0;
    for (const raw of c.script) {
      const t = raw.trim();
      if (/^(cd\s|pwd$)/.test(t)) {
        out.push(t);
        continue;
      }
      if (!/^(ls|dir|get|put)\b/.test(t)) continue;
      // A plain `ls` prints to stdout and sends LIST with no argument, as netkit does.
      if (/^(ls|dir)\b/.test(t)) out.push(urlPath(t) ? `ls ${urlPath(t)}` : 'ls');
      else if (t.startsWith('get')) out.push(`get ${urlPath(t)} ${outDir}/t${k}`);
      else out.push(`put /dev/null ${urlPath(t)}`);
      out.push(`!echo ${MARK}`);
      k++;
    }
    lines.push('quit');
    const passive = ['passive', 'pasv', 'epsv'].includes(c.mode);
    return {
      program: 'stdbuf',
      args: ['-oL', '-eL', '/usr/bin/inetutils-ftp', '-d', '-v', passive ? '-p' : '-A', c.connectTo, String(c.connectPort)],
      input: lines.join('\n') + '\n',
      env: { HOME: outDir },
      marker: MARK,
    };
  }
  if (c.profile === 'lftp') {
    if (c.tls) return { unsupported: 'lftp FTPS not wired here' };
    const passive = c.mode !== 'active' && c.mode !== 'port' && c.mode !== 'eprt';
    const cmds = [
      `set ftp:passive-mode ${passive ? 'on' : 'off'}`,
      ...(c.mode === 'epsv' ? ['set ftp:prefer-epsv yes'] : []),
      ...pasvOpt,
      // Bounded like the other clients: one try, a 5 s time-out (lftp's own default retries for ever).
      'set net:max-retries 1',
      `set net:timeout ${c.connectTimeoutS ?? CLIENT_TIMEOUT_S}`,
      'set cmd:fail-exit no',
    ];
    const out = cmds;
    let k = 0;
    for (const raw of c.script) {
      const t = raw.trim();
      if (/^(cd\s|pwd$)/.test(t)) {
        out.push(t);
        continue;
      }
      if (!/^(ls|dir|get|put)\b/.test(t)) continue;
      if (/^(ls|dir)\b/.test(t)) out.push(urlPath(t) ? `ls ${urlPath(t)}` : 'ls');
      else if (t.startsWith('get')) out.push(`get ${urlPath(t)} -o ${outDir}/t${k}`);
      else out.push(`put /dev/null -o ${urlPath(t)}`);
      out.push(`!echo ${MARK}`);
      k++;
    }
    cmds.push('quit');
    return {
      program: 'stdbuf',
      args: ['-oL', '-eL', 'lftp', '-d', '-u', `${c.user},${c.password}`, `ftp://${c.connectTo}:${c.connectPort}`],
      input: cmds.join('\n') + '\n',
      env: { HOME: outDir },
      marker: MARK,
    };
  }
  if (c.profile === 'tnftp') {
    if (c.tls) return { unsupported: 'tnftp is built without FTPS here' };
    const lines: string[] = [];
    const extended = !['pasv', 'port'].includes(c.mode);
    if (!extended) lines.push('epsv4 off');
    lines.push('prompt off'); // else `ls DIR FILE` asks to confirm and eats the next line
    lines.push(`user ${c.user} ${c.password}`);
    const out = lines;
    let k = 0;
    for (const raw of c.script) {
      const t = raw.trim();
      if (/^(cd\s|pwd$)/.test(t)) {
        out.push(t);
        continue;
      }
      if (!/^(ls|dir|get|put)\b/.test(t)) continue;
      // A plain `ls` prints to stdout and sends LIST with no argument.
      if (/^(ls|dir)\b/.test(t)) out.push(urlPath(t) ? `ls ${urlPath(t)}` : 'ls');
      else if (t.startsWith('get')) out.push(`get ${urlPath(t)} ${outDir}/t${k}`);
      else out.push(`put /dev/null ${urlPath(t)}`);
      out.push(`!echo ${MARK}`);
      k++;
    }
    lines.push('quit');
    const passive = ['passive', 'pasv', 'epsv', 'auto'].includes(c.mode);
    return {
      program: 'stdbuf',
      args: ['-oL', '-eL', '/usr/bin/tnftp', '-n', '-d', '-v', '-q', String(CLIENT_TIMEOUT_S * 3), c.connectTo, String(c.connectPort)],
      input: lines.join('\n') + '\n',
      // tnftp's `auto` is its own default: passive, active for the session once passive fails.
      env: { FTPMODE: c.mode === 'auto' ? 'auto' : passive ? 'passive' : 'active' },
      marker: MARK,
    };
  }
  return { unsupported: `no real client wired for profile ${c.profile}` };
}

/** Runs the client inside the namespace, bounded by timeout(1); lines are stamped on arrival. */
export function runClient(ns: string, cmd: ClientCommand, limitS: number): Promise<{ lines: Line[]; code: number | null; start: number }> {
  return new Promise((resolve) => {
    const start = Date.now() / 1000;
    const p = spawn('timeout', ['-k', '2', String(limitS), 'ip', 'netns', 'exec', ns, cmd.program, ...cmd.args], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, ...cmd.env },
    });
    const lines: Line[] = [];
    const partial = { out: '', err: '' };
    const feed = (which: 'out' | 'err') => (d: Buffer) => {
      const now = Date.now() / 1000;
      partial[which] += d.toString('latin1');
      const parts = partial[which].split('\n');
      partial[which] = parts.pop() ?? '';
      for (const l of parts) lines.push({ t: now, text: l.replace(/\r$/, '') });
    };
    p.stdout.on('data', feed('out'));
    p.stderr.on('data', feed('err'));
    p.stdin.end(cmd.input);
    p.on('close', (code) => {
      const now = Date.now() / 1000;
      for (const w of ['out', 'err'] as const) if (partial[w] !== '') lines.push({ t: now, text: partial[w] });
      resolve({ lines, code, start });
    });
  });
}

/** Splits the output at the markers into one result per transfer. */
export function splitTransfers(c: KClient, out: { lines: Line[]; start: number }): RealTransfer[] {
  const transfers = transfersOf(c.script);
  const res: RealTransfer[] = [];
  let cur: string[] = [];
  let from = out.start;
  let k = 0;
  const end = out.lines.length > 0 ? out.lines[out.lines.length - 1]!.t : out.start;
  for (const l of out.lines) {
    const m = l.text.match(new RegExp(`${MARK}(?: (\\d+) (\\d+) (\\d+))?`));
    if (!m) {
      cur.push(l.text);
      continue;
    }
    const command = transfers[k] ?? `?${k}`;
    const before = l.text.slice(0, m.index);
    if (before.trim() !== '') cur.push(before);
    const ok = c.profile === 'curl' ? m[1] === '0' : c.profile === 'lftp' ? lftpOk(cur) : tnftpOk(cur);
    res.push({ command, ok, lines: cur, from, to: l.t });
    cur = [];
    from = l.t;
    k++;
  }
  // Transfers the client never reached (it died or timed out): failures with the rest of the output.
  for (; k < transfers.length; k++) {
    res.push({ command: transfers[k]!, ok: false, lines: cur, from, to: end + 1 });
    cur = [];
  }
  return res;
}

/** lftp -d shows the server's 226 as `<--- 226 …`; a failed command prints `CMD: …` (e.g. `ls: Fatal error: …`). */
function lftpOk(lines: string[]): boolean {
  return lines.some((l) => /^<--- 226[ -]/.test(l)) && !lines.some((l) => /^(ls|get|put|cls|mget): /.test(l));
}

/** tnftp reports a completed transfer with the server's 226 and no local error line. */
function tnftpOk(lines: string[]): boolean {
  return lines.some((l) => /^226[ -]/.test(l)) && !lines.some((l) => /^[45]\d\d /.test(l));
}

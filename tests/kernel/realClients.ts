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
import { mkdirSync, writeFileSync } from 'node:fs';
import type { KClient } from './scenarioFile';
import { isStepLine, stepsOf } from './scenarioFile';
import { commandLineClient } from './commandLine';

export interface ClientCommand {
  program: string;
  args: string[];
  input: string;
  env: Record<string, string>;
  /** The client's current directory (a command line's downloads land there); the harness's own by default. */
  cwd?: string;
  /** What the harness had to decide to run the script this way, for the row's note. */
  note?: string;
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
  /** The client was killed (the harness's timeout(1), HARNESS_KILL_S) before this transfer ended. */
  killed?: boolean;
}

export const CLIENT_TIMEOUT_S = 5;
/**
 * timeout(1) around every real client: killed this many seconds after it starts (TERM, KILL 2 s
 * later). The simulator's client is killed at the same time (simSide: killAfterS), so a client
 * that would wait for ever ends the same way in both worlds.
 */
export const HARNESS_KILL_S = 60;
/** timeout(1)'s exit status when it killed the program: 124 (TERM), 137 (KILL after -k). */
export const killedByTimeout = (code: number | null): boolean => code === 124 || code === 137;
/** curl's --max-time here; the simulator's curl is given the same (simSide). */
export const CURL_MAX_TIME_S = 15;
/** tnftp's -q (a stalled transfer's time-out) here; the simulator's tnftp is given the same. */
export const TNFTP_QUIT_S = CLIENT_TIMEOUT_S * 3;
const MARK = 'FTTW-END';

function urlPath(cmd: string): string {
  const [, arg] = cmd.split(/\s+/);
  return arg ?? '';
}

/** A local file of `size` bytes for an upload (put/append), written into the run's folder. */
function uploadFile(outDir: string, k: number, size: number): string {
  const path = `${outDir}/up${k}`;
  writeFileSync(path, Buffer.alloc(size, 0x61));
  return path;
}

/** The user and password of a script's `login [user [password]]` line (the client's own by default). */
function loginOf(c: KClient, line: string | undefined): { user: string; password: string } {
  const [, user, password] = (line ?? 'login').trim().split(/\s+/);
  return { user: user ?? c.user, password: password ?? (user === undefined ? c.password : '') };
}

/** The script's first login: the one a client does as it connects (.netrc, -u, tnftp's first `user`). */
const firstLogin = (c: KClient) =>
  loginOf(
    c,
    c.script.find((l) => /^(login|user)\b/i.test(l.trim())),
  );

/** Does the script log in more than once (more than curl's one -u can say)? */
const severalLogins = (script: string[]) => script.filter((l) => /^(login|user)\b/i.test(l.trim())).length > 1;

/**
 * A `login` line at the prompt: the first is the login made on connecting (nothing typed), each
 * later one a `user NAME PASS` command, as a user retrying after "Login failed." types it.
 */
function loginSays(c: KClient) {
  let n = 0;
  return (args: string[]): string[] => {
    if (n++ === 0) return [];
    const l = loginOf(c, ['login', ...args].join(' '));
    return [`user ${l.user} ${l.password}`.trimEnd()];
  };
}

/**
 * The lines typed at a prompt-driven client's `ftp>` (or `lftp>`) for a script, with a marker
 * line echoed after every reported step (scenarioFile.stepsOf) so the output splits per step.
 * `say` gives one script line's own command(s), or a string starting with "!" for a script
 * line this program cannot run.
 */
function promptScript(c: KClient, outDir: string, say: (verb: string, args: string[], k: number) => string[] | string): string[] | { unsupported: string } {
  const out: string[] = [];
  let k = 0;
  for (const [i, raw] of c.script.entries()) {
    const t = raw.trim();
    const [verb = '', ...args] = t.split(/\s+/);
    const v = verb.toLowerCase();
    if (v === 'quit' || v === 'bye') continue;
    if (v === 'wait' || v === 'sleep') {
      // A wait before anything else delays the client's start (runClient); later ones idle.
      if (i > 0) out.push(`!sleep ${args[0] ?? '1'}`);
      continue;
    }
    const cmds = say(v, args, k);
    if (typeof cmds === 'string') return { unsupported: cmds.slice(1) };
    out.push(...cmds);
    if (isStepLine(t, c.profile)) {
      // The shell stamps the marker when it runs (`sh -c`, tnftp's and inetutils' `!`): a line's
      // arrival in this process can lag behind under load, and the transfer's window with it.
      out.push(`!echo ${MARK} @$(date +%s.%N)`);
      k++;
    }
  }
  out.push('quit');
  return out;
}

/**
 * The directory and file commands of a script (cd, pwd, mkdir, rmdir, delete, rename) as a
 * prompt-driven client is told them; the programs differ only in the names of delete and
 * rename (BSD ftp `delete`/`rename`, lftp `rm`/`mv`). null: not one of these.
 */
function treeLine(v: string, args: string[], names: { delete: string; rename: string }): string[] | null {
  switch (v) {
    case 'cd':
    case 'cwd':
      return [`cd ${args[0]}`];
    case 'pwd':
      return ['pwd'];
    case 'mkdir':
    case 'mkd':
      return [`mkdir ${args[0]}`];
    case 'rmdir':
    case 'rmd':
      return [`rmdir ${args[0]}`];
    case 'delete':
    case 'dele':
    case 'rm':
      return [`${names.delete} ${args[0]}`];
    case 'rename':
      return [`${names.rename} ${args[0]} ${args[1]}`];
    default:
      return null;
  }
}

/** One script line as BSD-style ftp (tnftp, inetutils) is told it. */
function bsdFtpSays(c: KClient, outDir: string) {
  const login = loginSays(c);
  return (v: string, args: string[], k: number): string[] | string => {
    switch (v) {
      case 'login':
      case 'user':
        return login(args);
      case 'ls':
      case 'dir':
      case 'list':
        // A plain `ls` prints to stdout and sends LIST with no argument, as netkit does.
        return [args[0] ? `ls ${args[0]}` : 'ls'];
      case 'get':
      case 'retr':
        return [`get ${args[0]} ${outDir}/t${k}`];
      case 'put':
      case 'stor':
        return [`put ${uploadFile(outDir, k, Number(args[1] ?? '1024'))} ${args[0]}`];
      case 'append':
      case 'appe':
        return [`append ${uploadFile(outDir, k, Number(args[1] ?? '1024'))} ${args[0]}`];
      default:
        return treeLine(v, args, { delete: 'delete', rename: 'rename' }) ?? `!script line "${v}" not wired for this client`;
    }
  };
}

export function clientCommand(c: KClient, outDir: string): ClientCommand | { unsupported: string } {
  if (c.command !== null) {
    const cmd = commandLineClient(c.command, outDir, MARK);
    if (cmd !== null) return cmd;
  }
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
      String(CURL_MAX_TIME_S),
      '-u',
      `${firstLogin(c).user}:${firstLogin(c).password}`,
      '-w',
      `${MARK} %{exitcode} %{size_download} %{size_upload}\\n`,
    ];
    if (c.mode === 'active' || c.mode === 'eprt') args.push('-P', '-');
    if (c.mode === 'port') args.push('-P', '-', '--disable-eprt');
    if (c.mode === 'pasv') args.push('--disable-epsv');
    if (c.tls) args.push('--ssl-reqd', '-k');
    args.push(...pasvOpt);
    // A script's `cd DIR` becomes the path of the URLs after it (curl then sends CWD DIR). Its
    // mkdir, rmdir, delete and rename become `-Q` quote commands of the next URL (sent before that
    // URL's CWDs), its append `-a`: each URL then gets its options of its own (`--next` groups,
    // each with the options above).
    const grouped = c.script.some((l) => /^\s*(mkdir|rmdir|delete|rename|append)\b/.test(l));
    const common = [...args];
    const dirs: string[] = [];
    let quotes: string[] = [];
    let k = 0;
    for (const raw of c.script) {
      const t = raw.trim();
      if (/^cd\s/.test(t)) {
        dirs.push(urlPath(t));
        continue;
      }
      if (/^(wait|sleep)\b/.test(t) && raw === c.script[0]) continue;
      if (/^(wait|sleep)\b/.test(t)) return { unsupported: 'curl cannot wait between two URLs on one connection (a script with wait)' };
      const w = t.split(/\s+/);
      if (w[0] === 'mkdir' || w[0] === 'rmdir' || w[0] === 'delete') {
        quotes.push('-Q', `${{ mkdir: 'MKD', rmdir: 'RMD', delete: 'DELE' }[w[0]]} ${w[1] ?? ''}`);
        continue;
      }
      if (w[0] === 'rename') {
        quotes.push('-Q', `RNFR ${w[1] ?? ''}`, '-Q', `RNTO ${w[2] ?? ''}`);
        continue;
      }
      if (!/^(ls|dir|get|put|append)\b/.test(t)) continue;
      if (grouped && k > 0) args.push('--next', ...common);
      args.push(...quotes);
      quotes = [];
      const base = `${host}/${dirs.map((d) => `${d}/`).join('')}`;
      // `ls DIR` lists DIR: curl lists a URL ending in "/" (without it, DIR is a file to fetch).
      if (/^(ls|dir)\b/.test(t)) args.push(`${base}${urlPath(t).replace(/([^/])$/, '$1/')}`, '-o', `${outDir}/t${k}`);
      else if (t.startsWith('get')) args.push(`${base}${urlPath(t)}`, '-o', `${outDir}/t${k}`);
      else args.push(...(t.startsWith('append') ? ['-a'] : []), '-T', uploadFile(outDir, k, Number(t.split(/\s+/)[2] ?? '1024')), `${base}${urlPath(t)}`);
      k++;
    }
    // The script's last commands, after its last URL: post-quote commands of that URL (`-Q -CMD`),
    // which curl sends once the transfer has succeeded (lib/ftp.c ftp_done → ftp_sendquote).
    if (quotes.length > 0 && k === 0) return { unsupported: `curl's -Q commands go with a URL; the script has none ("${quotes.filter((_, i) => i % 2 === 1).join('", "')}")` };
    for (let i = 1; i < quotes.length; i += 2) args.push('-Q', `-${quotes[i]!}`);
    // Line-buffered: each transfer's lines (and its -w marker) arrive when written, so their
    // times bound the transfer's packets (a pipe would hold them all to the end).
    // One connection, one user: curl is given the script's first login (-u), as the curl model
    // logs in once with it; the later logins have no place on a curl command line.
    const note = severalLogins(c.script) ? `curl is given the script's first login (-u ${firstLogin(c).user}); it logs in once per connection` : undefined;
    return { program: 'stdbuf', args: ['-oL', '-eL', 'curl', ...args], input: '', env: {}, marker: MARK, ...(note ? { note } : {}) };
  }
  if (c.profile === 'classic' || c.profile === 'inetutils') {
    if (c.tls) return { unsupported: 'inetutils ftp has no FTPS' };
    // Logged in as a user would be, at connect (USER, PASS, then SYST), from a .netrc: with -n
    // and a `user` command it would send SYST before USER instead.
    const l = firstLogin(c);
    writeFileSync(`${outDir}/.netrc`, `machine ${c.connectTo} login ${l.user} password ${l.password}\n`, { mode: 0o600 });
    const lines = promptScript(c, outDir, bsdFtpSays(c, outDir));
    if (!Array.isArray(lines)) return lines;
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
    const login = loginSays(c);
    const lines = promptScript(c, outDir, (v, args, k) => {
      switch (v) {
        case 'login':
        case 'user':
          return login(args);
        case 'ls':
        case 'dir':
        case 'list':
          return [args[0] ? `ls ${args[0]}` : 'ls'];
        case 'get':
        case 'retr':
          return [`get ${args[0]} -o ${outDir}/t${k}`];
        case 'put':
        case 'stor': {
          // From a local file of the remote file's name, as a user's would be (lftp names it in errors).
          const base = (args[0] ?? 'up').split('/').pop()!;
          mkdirSync(`${outDir}/u${k}`, { recursive: true });
          writeFileSync(`${outDir}/u${k}/${base}`, Buffer.alloc(Number(args[1] ?? '1024'), 0x61));
          return [`lcd ${outDir}/u${k}`, `put ${base} -o ${args[0]}`];
        }
        case 'append':
        case 'appe':
          // lftp(1) 4.9.2: `put -a` is ASCII mode and `put -c` (reput) resumes with REST + STOR;
          // nothing sends APPE with a data connection (ftpclass.cc: STORE is always STOR).
          return '!lftp has no append: its put -a is ASCII mode, put -c resumes with REST + STOR, and nothing of it sends APPE';
        default:
          return treeLine(v, args, { delete: 'rm', rename: 'mv' }) ?? `!lftp has no plain "${v}" command`;
      }
    });
    if (!Array.isArray(lines)) return lines;
    return {
      program: 'stdbuf',
      args: ['-oL', '-eL', 'lftp', '-d', '-u', `${firstLogin(c).user},${firstLogin(c).password}`, `ftp://${c.connectTo}:${c.connectPort}`],
      input: [...cmds, ...lines].join('\n') + '\n',
      env: { HOME: outDir },
      marker: MARK,
    };
  }
  if (c.profile === 'tnftp') {
    if (c.tls) return { unsupported: 'tnftp is built without FTPS here' };
    const head: string[] = [];
    const extended = !['pasv', 'port'].includes(c.mode);
    if (!extended) head.push('epsv4 off');
    head.push('prompt off'); // else `ls DIR FILE` asks to confirm and eats the next line
    // Logged in with -n and `user` (the first login line, or the client's own user).
    head.push(`user ${firstLogin(c).user} ${firstLogin(c).password}`.trimEnd());
    const lines = promptScript(c, outDir, bsdFtpSays(c, outDir));
    if (!Array.isArray(lines)) return lines;
    const passive = ['passive', 'pasv', 'epsv', 'auto'].includes(c.mode);
    return {
      program: 'stdbuf',
      args: ['-oL', '-eL', '/usr/bin/tnftp', '-n', '-d', '-v', '-q', String(TNFTP_QUIT_S), c.connectTo, String(c.connectPort)],
      input: [...head, ...lines].join('\n') + '\n',
      // tnftp's `auto` is its own default: passive, active for the session once passive fails.
      env: { FTPMODE: c.mode === 'auto' ? 'auto' : passive ? 'passive' : 'active' },
      marker: MARK,
    };
  }
  return { unsupported: `no real client wired for profile ${c.profile}` };
}

/** Runs the client inside the namespace, bounded by timeout(1); lines are stamped on arrival. */
/** Seconds a script waits before its first command: its client is started that much later. */
export function leadingWait(script: string[]): number {
  const m = script[0]?.trim().match(/^(?:wait|sleep)\s+(\d+(?:\.\d+)?)$/i);
  return m ? Number(m[1]) : 0;
}

export async function runClient(ns: string, cmd: ClientCommand, limitS: number, delayS = 0): Promise<{ lines: Line[]; code: number | null; start: number }> {
  if (delayS > 0) await new Promise((r) => setTimeout(r, delayS * 1000));
  return new Promise((resolve) => {
    const start = Date.now() / 1000;
    // Standard error into the same pipe as standard output (2>&1): a client's error line and the
    // marker after it then arrive in the order written. Two pipes are read in whatever order the
    // machine schedules them; with several worlds at once an error line arrived after the next
    // marker and counted for the next step.
    const p = spawn('timeout', ['-k', '2', String(limitS), 'ip', 'netns', 'exec', ns, 'sh', '-c', 'exec "$0" "$@" 2>&1', cmd.program, ...cmd.args], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, ...cmd.env },
      ...(cmd.cwd !== undefined ? { cwd: cmd.cwd } : {}),
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
    // A client that exits before reading all its input (curl reads none; a client that died)
    // closes the pipe: that is the client's outcome, read from its output, not the harness's error.
    p.stdin.on('error', () => {});
    p.on('error', (e) => lines.push({ t: Date.now() / 1000, text: `harness: could not start ${cmd.program}: ${e.message}` }));
    p.stdin.end(cmd.input);
    p.on('close', (code) => {
      const now = Date.now() / 1000;
      for (const w of ['out', 'err'] as const) if (partial[w] !== '') lines.push({ t: now, text: partial[w] });
      resolve({ lines, code, start });
    });
  });
}

/** When the marker was written: its shell's stamp (`@seconds.nanoseconds`) if it has one and it is earlier, else when the line arrived. */
export function markerTime(marker: string, arrived: number): number {
  const at = marker.match(/ @(\d+\.\d+)/);
  return at ? Math.min(arrived, Number(at[1])) : arrived;
}

/** Splits the output at the markers into one result per transfer. */
export function splitTransfers(c: KClient, out: { lines: Line[]; start: number; code?: number | null }): RealTransfer[] {
  const transfers = stepsOf(c.profile, c.script);
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
    const transfer = /^(ls|get|put|append)\b/.test(command);
    const ok = c.profile === 'curl' ? m[1] === '0' : !transfer ? commandOk(c.profile, command, cur) : c.profile === 'lftp' ? lftpOk(cur) : tnftpOk(cur);
    const at = markerTime(l.text.slice(m.index), l.t);
    res.push({ command, ok, lines: cur, from, to: at });
    cur = [];
    from = at;
    k++;
  }
  // Transfers the client never reached (it died or timed out): failures with the rest of the output.
  for (; k < transfers.length; k++) {
    res.push({ command: transfers[k]!, ok: false, lines: cur, from, to: end + 1, ...(killedByTimeout(out.code ?? null) ? { killed: true } : {}) });
    cur = [];
  }
  return res;
}

/** lftp -d shows the server's 226 as `<--- 226 …`; a failed command prints `CMD: …` (e.g. `ls: Fatal error: …`). */
function lftpOk(lines: string[]): boolean {
  return lines.some((l) => /^<--- 226[ -]/.test(l)) && !lines.some((l) => /^(ls|get|put|cls|mget): /.test(l));
}

/**
 * A command step (cd, pwd, mkdir, rmdir, delete, rename): lftp prints `VERB: …` when it fails
 * (its pwd answers from memory); BSD ftp prints the server's reply, whose last code decides.
 */
function commandOk(profile: string, command: string, lines: string[]): boolean {
  if (profile === 'lftp') {
    const verb = { delete: 'rm', rename: 'mv' }[command.split(' ')[0]!] ?? command.split(' ')[0]!;
    return !lines.some((l) => l.startsWith(`${verb}: `));
  }
  const replies = lines.filter((l) => /^[1-5]\d\d[ -]/.test(l));
  return replies.length > 0 && /^[23]/.test(replies[replies.length - 1]!);
}

/** tnftp reports a completed transfer with the server's 226 and no local error line. */
function tnftpOk(lines: string[]): boolean {
  return lines.some((l) => /^226[ -]/.test(l)) && !lines.some((l) => /^[45]\d\d /.test(l));
}

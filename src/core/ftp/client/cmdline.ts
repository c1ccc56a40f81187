/**
 * A client as its user runs it: the command line (`curl -v --ftp-port - ftp://203.0.113.10/pub/readme.txt`,
 * `ftp -p 203.0.113.10`, `lftp -e 'set ftp:passive-mode off; get readme.txt' 203.0.113.10`) read into
 * the same fields a scenario can give one by one (profile, mode, 227 policy, time-outs, user,
 * address, script) plus what only a command line says (curl's --max-time, lftp's retry settings).
 * Each option's source is in docs/FIDELITY-NOTES.md ("Clients as command lines").
 * Pure: every problem is a message with its column in the command text.
 */
import type { ModeChoice, PasvAddressPolicy, ProfileId } from './profiles';

/** lftp's retry settings (net:max-retries, net:reconnect-interval-*), lftp 4.9.2's defaults filled. */
export interface LftpRetries {
  /** net:max-retries: connection attempts for one command; 0 = no limit. Default 1000. */
  maxRetries: number;
  /** net:reconnect-interval-base, seconds. Default 15. */
  baseS: number;
  /** net:reconnect-interval-multiplier. Default 1.5. */
  multiplier: number;
  /** net:reconnect-interval-max, seconds. Default 300. */
  maxS: number;
  /**
   * The command line names no user (no -u, no user@ in the URL): lftp logs in as anonymous by
   * itself and, with ftp:ssl-allow-anonymous off (its default), asks no AUTH TLS
   * (ftpclass.cc: ssl-allow only when a user and password are set).
   */
  anonymous?: boolean;
}

export const LFTP_RETRY_DEFAULTS: LftpRetries = { maxRetries: 1000, baseS: 15, multiplier: 1.5, maxS: 300 };

/**
 * The `lftp` profile given without a command line: lftp as the kernel check runs it, with
 * `set net:max-retries 1` (one connection attempt per command), the other settings lftp's own.
 */
export const LFTP_PROFILE_RETRIES: LftpRetries = { ...LFTP_RETRY_DEFAULTS, maxRetries: 1 };

/** What a command line says; a field is absent when the command line does not say it. */
export interface CommandFields {
  /** The program: curl, lftp, or an `ftp` (tnftp unless the scenario's profile names another ftp). */
  program: 'curl' | 'lftp' | 'ftp';
  /** The profile the program name alone implies (for `ftp`: tnftp, Debian's). */
  profile: ProfileId;
  mode?: ModeChoice;
  /** Which option set the mode, for messages. */
  modeFrom?: string;
  pasvAddress?: PasvAddressPolicy;
  connectTo?: string;
  connectPort?: number;
  user?: string;
  password?: string;
  connectTimeoutS?: number;
  tls?: boolean;
  /** curl --max-time: the whole transfer's limit, seconds. */
  maxTimeS?: number;
  /** curl --ftp-create-dirs: a refused CWD of the URL's path is answered with MKD, then that CWD again. */
  createDirs?: boolean;
  /** tnftp -q: give up a transfer after this many seconds without data, seconds. */
  stallTimeoutS?: number;
  /** lftp's retry settings: lftp 4.9.2's defaults, changed by any `set net:…`. */
  lftpRetries?: LftpRetries;
  /** Script lines the command line itself gives (curl's URLs, lftp -e/-c commands). */
  script?: string[];
}

export interface CommandProblem {
  message: string;
  /** 1-based column in the command text. */
  column: number;
}

export type CommandParse = { ok: true; fields: CommandFields } | { ok: false; problems: CommandProblem[] };

interface Word {
  text: string;
  column: number;
}

/** POSIX-shell words: blanks separate, '…' and "…" quote (\ escapes inside "…" and outside quotes). */
export function shellWords(line: string): { words: Word[] } | CommandProblem {
  const words: Word[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && /\s/.test(line[i]!)) i++;
    if (i >= line.length) break;
    const column = i + 1;
    let text = '';
    while (i < line.length && !/\s/.test(line[i]!)) {
      const c = line[i]!;
      if (c === "'" || c === '"') {
        const close = line.indexOf(c, i + 1);
        if (close < 0) return { message: `unterminated ${c === "'" ? 'single' : 'double'} quote`, column: i + 1 };
        const inner = line.slice(i + 1, close);
        text += c === '"' ? inner.replace(/\\(["\\$`])/g, '$1') : inner;
        i = close + 1;
      } else if (c === '\\' && i + 1 < line.length) {
        text += line[i + 1];
        i += 2;
      } else {
        text += c;
        i++;
      }
    }
    words.push({ text, column });
  }
  return { words };
}

/** Reads a command line. `profileHint` (the scenario's `profile`) says which `ftp` an `ftp` command is. */
export function parseClientCommand(line: string, profileHint?: ProfileId): CommandParse {
  const split = shellWords(line);
  if (!('words' in split)) return { ok: false, problems: [split] };
  const [cmd, ...args] = split.words;
  if (!cmd) return { ok: false, problems: [{ message: 'empty command line (start with curl, ftp or lftp)', column: 1 }] };
  const name = cmd.text.replace(/^.*\//, '');
  const problems: CommandProblem[] = [];
  let fields: CommandFields;
  if (name === 'curl') fields = parseCurl(args, problems);
  else if (name === 'lftp') fields = parseLftp(args, problems);
  else if (FTP_NAMES[name] !== undefined) fields = parseFtp(args, problems, FTP_NAMES[name]!, profileHint);
  else
    return {
      ok: false,
      problems: [{ message: `unknown program "${cmd.text}" (the command line starts with curl, ftp, tnftp, netkit-ftp, inetutils-ftp or lftp)`, column: cmd.column }],
    };
  return problems.length > 0 ? { ok: false, problems } : { ok: true, fields };
}

/** `-u user:password` (curl) or `-u user,password` (lftp): the password is optional. */
function setUser(f: CommandFields, v: Word | null, sep: string): void {
  if (!v) return;
  const c = v.text.indexOf(sep);
  f.user = c < 0 ? v.text : v.text.slice(0, c);
  if (c >= 0) f.password = v.text.slice(c + 1);
}

// ───────────────────────────── curl ─────────────────────────────

/** curl options that change nothing in the model (output, progress), and whether each takes a value. */
const CURL_INERT: Record<string, boolean> = {
  '-v': false,
  '--verbose': false,
  '-s': false,
  '--silent': false,
  '-S': false,
  '--show-error': false,
  '-O': false,
  '--remote-name': false,
  '-o': true,
  '--output': true,
  '--no-progress-meter': false,
  '-#': false,
  '--progress-bar': false,
  '-f': false,
  '--fail': false,
};
/** Short curl flags that take a value (for `-sSo file` style clusters). */
const CURL_SHORT_WITH_VALUE = new Set(['o', 'P', 'm', 'u', 'T']);

function parseCurl(args: Word[], problems: CommandProblem[]): CommandFields {
  const f: CommandFields = { program: 'curl', profile: 'curl' };
  let active: string | null = null;
  let passive = false;
  let noEpsv = false;
  let noEprt = false;
  const urls: Word[] = [];
  const uploads: Word[] = [];
  // Split -sSv clusters into single flags first.
  const words: Word[] = [];
  for (const w of args) {
    if (/^-[A-Za-z#]{2,}$/.test(w.text)) {
      const letters = w.text.slice(1).split('');
      for (let k = 0; k < letters.length; k++) {
        const flag = { text: `-${letters[k]}`, column: w.column + 1 + k };
        words.push(flag);
        // A value-taking flag ends the cluster; the rest of the word is its value (-ofile).
        if (CURL_SHORT_WITH_VALUE.has(letters[k]!) && k + 1 < letters.length) {
          words.push({ text: letters.slice(k + 1).join(''), column: w.column + 2 + k });
          break;
        }
      }
    } else words.push(w);
  }
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const value = (): Word | null => {
      const v = words[++i];
      if (!v) problems.push({ message: `curl option "${w.text}" needs a value`, column: w.column });
      return v ?? null;
    };
    const seconds = (v: Word | null): number | undefined => {
      if (!v) return undefined;
      const n = Number(v.text);
      if (!/^\d+(\.\d+)?$/.test(v.text) || !(n > 0) || n > 100_000) {
        problems.push({ message: `curl ${w.text} takes a number of seconds (like 30 or 2.5), not "${v.text}"`, column: v.column });
        return undefined;
      }
      return n;
    };
    if (!w.text.startsWith('-') || w.text === '-') {
      urls.push(w);
      continue;
    }
    if (w.text in CURL_INERT) {
      if (CURL_INERT[w.text]) value();
      continue;
    }
    switch (w.text) {
      case '-P':
      case '--ftp-port': {
        const v = value();
        if (v) active = v.text;
        break;
      }
      case '--ftp-pasv':
        passive = true;
        break;
      case '--disable-epsv':
      case '--no-epsv':
        noEpsv = true;
        break;
      case '--disable-eprt':
      case '--no-eprt':
        noEprt = true;
        break;
      case '--ftp-skip-pasv-ip':
        f.pasvAddress = 'ignore';
        break;
      case '--no-ftp-skip-pasv-ip':
        f.pasvAddress = 'trust';
        break;
      case '-m':
      case '--max-time': {
        const s = seconds(value());
        if (s !== undefined) f.maxTimeS = s;
        break;
      }
      case '--connect-timeout': {
        const s = seconds(value());
        if (s !== undefined) f.connectTimeoutS = s;
        break;
      }
      case '-u':
      case '--user': {
        setUser(f, value(), ':');
        break;
      }
      case '--ssl-reqd':
      case '--ftp-ssl-reqd':
        f.tls = true;
        break;
      case '--ftp-create-dirs':
        f.createDirs = true;
        break;
      case '--no-ftp-create-dirs':
        delete f.createDirs;
        break;
      case '-T':
      case '--upload-file': {
        const v = value();
        if (v) uploads.push(v);
        break;
      }
      default:
        // Its value, if it has one, is not a URL: leave it out of further complaints.
        if (words[i + 1] && !words[i + 1]!.text.startsWith('-') && !words[i + 1]!.text.includes('://')) i++;
        problems.push({
          message: `unknown curl option "${w.text}" (the model knows --ftp-port/-P, --ftp-pasv, --disable-epsv, --disable-eprt, --ftp-skip-pasv-ip, --no-ftp-skip-pasv-ip, --max-time/-m, --connect-timeout, --user/-u, --ssl-reqd, --upload-file/-T, --ftp-create-dirs, -v, -s, -S, -O, -o)`,
          column: w.column,
        });
    }
  }
  if (active !== null && passive) problems.push({ message: 'curl: --ftp-port and --ftp-pasv contradict each other (the later one wins in curl; give one)', column: 1 });
  if (active !== null) {
    f.mode = noEprt ? 'port' : 'active';
    f.modeFrom = noEprt ? '--ftp-port with --disable-eprt' : '--ftp-port';
  } else if (passive || noEpsv) {
    f.mode = noEpsv ? 'pasv' : 'passive';
    f.modeFrom = noEpsv ? '--disable-epsv' : '--ftp-pasv';
  }
  if (urls.length === 0) problems.push({ message: 'curl needs a URL (ftp://203.0.113.10/readme.txt)', column: 1 });
  const script: string[] = ['login'];
  for (const u of urls) {
    const url = readFtpUrl(u, problems);
    if (!url) continue;
    if (f.connectTo === undefined) {
      f.connectTo = url.host;
      if (url.port !== undefined) f.connectPort = url.port;
    } else if (url.host !== f.connectTo || url.port !== f.connectPort) {
      problems.push({ message: `every URL must name the same server (${f.connectTo}); the model runs one client against one server`, column: u.column });
    }
    if (url.user !== undefined && f.user === undefined) {
      f.user = url.user;
      if (url.password !== undefined) f.password = url.password;
    }
    // The URL's path as the step's argument: curl changes to its directories itself (curlPath.ts).
    const at = url.path.lastIndexOf('/');
    const dir = url.path.slice(0, at + 1);
    const file = url.path.slice(at + 1);
    const upload = uploads.shift();
    if (upload) script.push(`put ${dir}${file || upload.text.replace(/^.*\//, '')}`);
    else script.push(file === '' ? (dir === '' ? 'ls' : `ls ${dir}`) : `get ${dir}${file}`);
  }
  script.push('quit');
  f.script = script;
  return f;
}

/** `ftp://[user[:password]@]host[:port]/path`. */
function readFtpUrl(w: Word, problems: CommandProblem[]): { host: string; port?: number; user?: string; password?: string; path: string } | null {
  const m = /^(?:(ftps?):\/\/)?(?:([^:@/]*)(?::([^@/]*))?@)?([^/:]+)(?::(\d+))?(\/.*)?$/.exec(w.text);
  if (!m || (m[1] === undefined && !/^\d+\.\d+\.\d+\.\d+/.test(m[4] ?? ''))) {
    problems.push({ message: `"${w.text}" is not an FTP URL like ftp://203.0.113.10/pub/readme.txt`, column: w.column });
    return null;
  }
  if (m[1] === 'ftps') problems.push({ message: 'ftps:// (implicit FTPS on port 990) is not modelled; use ftp:// with --ssl-reqd (explicit AUTH TLS)', column: w.column });
  const port = m[5] === undefined ? undefined : Number(m[5]);
  if (port !== undefined && (port < 1 || port > 65535)) problems.push({ message: `port ${m[5]} is not 1–65535`, column: w.column });
  return {
    host: m[4]!,
    ...(port !== undefined ? { port } : {}),
    ...(m[2] !== undefined ? { user: decodeURIComponent(m[2]) } : {}),
    ...(m[3] !== undefined ? { password: decodeURIComponent(m[3]) } : {}),
    path: (m[6] ?? '/').replace(/^\//, ''),
  };
}

// ───────────────────────────── ftp (tnftp, netkit, inetutils) ─────────────────────────────

/** Program names and the profile each means; `ftp` is Debian's (tnftp) unless the scenario's profile says which. */
const FTP_NAMES: Record<string, ProfileId | null> = { ftp: null, tnftp: 'tnftp', 'netkit-ftp': 'classic', pftp: 'classic', 'inetutils-ftp': 'inetutils' };
const FTP_PROFILES: ProfileId[] = ['tnftp', 'classic', 'inetutils'];

function parseFtp(args: Word[], problems: CommandProblem[], named: ProfileId | null, hint: ProfileId | undefined): CommandFields {
  const profile: ProfileId = named ?? (hint && FTP_PROFILES.includes(hint) ? hint : 'tnftp');
  const f: CommandFields = { program: 'ftp', profile };
  const rest: Word[] = [];
  for (let i = 0; i < args.length; i++) {
    const w = args[i]!;
    if (!w.text.startsWith('-') || w.text === '-') {
      rest.push(w);
      continue;
    }
    letters: for (const [k, letter] of w.text.slice(1).split('').entries()) {
      const column = w.column + 1 + k;
      switch (letter) {
        case 'q': {
          // tnftp -q QUITTIME: a transfer stalled longer than that is aborted (progressbar.c).
          const attached = w.text.slice(2 + k);
          const v = attached !== '' ? { text: attached, column: column + 1 } : args[++i];
          const n = Number(v?.text);
          if (profile !== 'tnftp') problems.push({ message: `only tnftp has -q (a stalled transfer's time-out)`, column });
          else if (!v || !/^\d+$/.test(v.text) || n < 1) problems.push({ message: 'tnftp -q needs a whole number of seconds (-q 15)', column: v?.column ?? column });
          else f.stallTimeoutS = n;
          // The letters after -q were its value.
          break letters;
        }
        case 'p':
          // tnftp: passive, without its fallback to active; netkit and inetutils: passive.
          f.mode = 'passive';
          f.modeFrom = '-p';
          break;
        case 'A':
          if (profile === 'classic') problems.push({ message: 'netkit ftp has no -A (it is active unless -p)', column });
          f.mode = 'active';
          f.modeFrom = '-A';
          break;
        case 'n':
        case 'v':
        case 'd':
        case 'i':
        case 'g':
          break;
        default:
          problems.push({ message: `unknown ftp option "-${letter}" (the model knows -p, -A, -q, -n, -v, -d, -i, -g)`, column });
      }
    }
  }
  const [host, port, extra] = rest;
  if (!host) problems.push({ message: 'ftp needs the server: ftp -p 203.0.113.10', column: 1 });
  else f.connectTo = host.text;
  if (port) {
    const n = Number(port.text);
    if (!/^\d+$/.test(port.text) || n < 1 || n > 65535) problems.push({ message: `"${port.text}" is not a port 1–65535`, column: port.column });
    else f.connectPort = n;
  }
  if (extra) problems.push({ message: `unexpected "${extra.text}" (ftp takes a host and an optional port)`, column: extra.column });
  return f;
}

// ───────────────────────────── lftp ─────────────────────────────

const LFTP_SCRIPT_VERBS: Record<string, string> = {
  get: 'get',
  put: 'put',
  ls: 'ls',
  dir: 'ls',
  cd: 'cd',
  pwd: 'pwd',
  mkdir: 'mkdir',
  rmdir: 'rmdir',
  rm: 'delete',
  mv: 'rename',
  quit: 'quit',
  exit: 'quit',
  bye: 'quit',
};

function parseLftp(args: Word[], problems: CommandProblem[]): CommandFields {
  const f: CommandFields = { program: 'lftp', profile: 'lftp' };
  let commands: Word | null = null;
  const rest: Word[] = [];
  for (let i = 0; i < args.length; i++) {
    const w = args[i]!;
    const value = (): Word | null => {
      const v = args[++i];
      if (!v) problems.push({ message: `lftp option "${w.text}" needs a value`, column: w.column });
      return v ?? null;
    };
    switch (w.text) {
      case '-d':
      case '--debug':
        break;
      case '-e':
      case '-c': {
        const v = value();
        if (v) commands = v;
        break;
      }
      case '-u':
      case '--user': {
        setUser(f, value(), ',');
        break;
      }
      case '-p':
      case '--port': {
        const v = value();
        const n = Number(v?.text);
        if (v && (!/^\d+$/.test(v.text) || n < 1 || n > 65535)) problems.push({ message: `"${v.text}" is not a port 1–65535`, column: v.column });
        else if (v) f.connectPort = n;
        break;
      }
      default:
        if (w.text.startsWith('-')) problems.push({ message: `unknown lftp option "${w.text}" (the model knows -d, -e, -c, -u, -p)`, column: w.column });
        else rest.push(w);
    }
  }
  const [site, extra] = rest;
  if (site) {
    const m = /^(?:ftp:\/\/)?(?:([^:@/,]*)(?::([^@/]*))?@)?([^/:]+)(?::(\d+))?\/?$/.exec(site.text);
    if (!m) problems.push({ message: `"${site.text}" is not a server like 203.0.113.10 or ftp://203.0.113.10`, column: site.column });
    else {
      f.connectTo = m[3]!;
      if (m[4] !== undefined) f.connectPort = Number(m[4]);
      if (m[1] !== undefined && f.user === undefined) {
        f.user = m[1];
        if (m[2] !== undefined) f.password = m[2];
      }
    }
  } else problems.push({ message: 'lftp needs the server: lftp 203.0.113.10', column: 1 });
  if (extra) problems.push({ message: `unexpected "${extra.text}" (lftp takes one site)`, column: extra.column });
  if (commands) readLftpCommands(commands, f, problems);
  else f.lftpRetries = { ...LFTP_RETRY_DEFAULTS };
  if (f.user === undefined) f.lftpRetries = { ...f.lftpRetries!, anonymous: true };
  return f;
}

/** lftp's -e/-c text: `;`-separated commands; `set NAME VALUE` settings, the others script lines. */
function readLftpCommands(w: Word, f: CommandFields, problems: CommandProblem[]): void {
  const script: string[] = [];
  let retries: LftpRetries | undefined;
  let ignore: boolean | undefined;
  let fix: boolean | undefined;
  let offset = 0;
  for (const raw of w.text.split(';')) {
    // The column of this command inside the command line (the -e text starts after its quote).
    const column = w.column + 1 + offset + (raw.length - raw.trimStart().length);
    offset += raw.length + 1;
    const words = raw.trim().split(/\s+/).filter(Boolean);
    if (words.length === 0) continue;
    const [verb, ...rest] = words;
    if (verb === 'set') {
      const [name, value, more] = rest;
      if (name === undefined || value === undefined || more !== undefined) {
        problems.push({ message: `lftp: "set" takes a setting and one value (set ftp:passive-mode off), not "${raw.trim()}"`, column });
        continue;
      }
      const bool = (): boolean | undefined => {
        const v = value.toLowerCase();
        if (['on', 'yes', 'true', '1'].includes(v)) return true;
        if (['off', 'no', 'false', '0'].includes(v)) return false;
        problems.push({ message: `lftp: ${name} takes on/off (yes/no, true/false), not "${value}"`, column });
        return undefined;
      };
      const num = (integer: boolean): number | undefined => {
        const n = Number(value);
        if (!Number.isFinite(n) || n < 0 || (integer && !Number.isInteger(n))) {
          problems.push({ message: `lftp: ${name} takes ${integer ? 'a whole number' : 'a number'}, not "${value}"`, column });
          return undefined;
        }
        return n;
      };
      switch (name) {
        case 'ftp:passive-mode': {
          const b = bool();
          if (b !== undefined) {
            f.mode = b ? 'passive' : 'active';
            f.modeFrom = `set ftp:passive-mode ${value}`;
          }
          break;
        }
        case 'ftp:ignore-pasv-address':
          ignore = bool();
          break;
        case 'ftp:fix-pasv-address':
          fix = bool();
          break;
        case 'net:max-retries':
        case 'net:reconnect-interval-base':
        case 'net:reconnect-interval-max':
        case 'net:reconnect-interval-multiplier': {
          const n = num(name !== 'net:reconnect-interval-multiplier');
          if (n === undefined) break;
          retries ??= { ...LFTP_RETRY_DEFAULTS };
          if (name === 'net:max-retries') retries.maxRetries = n;
          else if (name === 'net:reconnect-interval-base') retries.baseS = n;
          else if (name === 'net:reconnect-interval-max') retries.maxS = n;
          else if (n < 1) problems.push({ message: `lftp: net:reconnect-interval-multiplier must be at least 1, not "${value}"`, column });
          else retries.multiplier = n;
          break;
        }
        case 'net:timeout': {
          const s = lftpInterval(value);
          if (s === null) problems.push({ message: `lftp: net:timeout takes a time like 30, 30s, 5m or 1h, not "${value}"`, column });
          else f.connectTimeoutS = s;
          break;
        }
        default:
          problems.push({
            message: `unknown lftp setting "${name}" (the model knows ftp:passive-mode, ftp:ignore-pasv-address, ftp:fix-pasv-address, net:max-retries, net:reconnect-interval-base, net:reconnect-interval-multiplier, net:reconnect-interval-max, net:timeout)`,
            column,
          });
      }
      continue;
    }
    const mapped = LFTP_SCRIPT_VERBS[verb!];
    if (mapped === undefined) {
      problems.push({ message: `lftp command "${verb}" is not modelled (use set, get, put, ls, cd, pwd, mkdir, rmdir, rm, mv, quit)`, column });
      continue;
    }
    script.push([mapped, ...rest].join(' '));
  }
  if (ignore === true) f.pasvAddress = 'ignore';
  else if (fix === false) f.pasvAddress = 'trust';
  else if (ignore === false || fix === true) f.pasvAddress = 'fix-unroutable';
  f.lftpRetries = retries ?? { ...LFTP_RETRY_DEFAULTS };
  if (script.length > 0) f.script = ['login', ...script, ...(script[script.length - 1] === 'quit' ? [] : ['quit'])];
}

/** lftp's TimeIntervalValidate: a number of seconds, or with s/m/h/d. */
function lftpInterval(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(text);
  if (!m) return null;
  const n = Number(m[1]) * ({ '': 1, s: 1, m: 60, h: 3600, d: 86400 } as Record<string, number>)[m[2]!]!;
  return n > 0 ? n : null;
}

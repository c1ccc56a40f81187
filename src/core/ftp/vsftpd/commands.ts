/**
 * What vsftpd answers to one control command, as a function of the session: the
 * replies to send and the effects the session machine must carry out (log in, open a
 * passive listener, start a transfer, close). Order of checks follows vsftpd 3.0.x
 * (prelogin.c parse_username_password, postlogin.c process_post_login and handlers).
 */
import { decodeHostPort } from '../../codec/hostport';
import { parseIpv4, type Ipv4 } from '../../codec/addr';
import { parseVsftpdConf, type VsftpdConf } from './conf';
import { featReply, reply, type Reply, type ReplyArgs, type ReplyId, type ReplyStyle } from '../server/replies';
import { accessCheckFile, commandAllowed, createdMode, credOf, unixAccess, userlistRefuses, type UnixOwner } from './accounts';
import { mdtmTime, parentOf, type VirtualFs } from '../server/files';

/** One command line as vsftpd splits it: verb up to the first space (upper-cased), the rest. */
export interface Cmd {
  verb: string;
  arg: string;
  /** The line as received, without CR/LF. */
  line: string;
}

/** vsftpd's split: `str_split_char(' ')` then `str_upper` on the verb. */
export function splitCommand(line: string): Cmd {
  const sp = line.indexOf(' ');
  const verb = (sp < 0 ? line : line.slice(0, sp)).toUpperCase();
  return { verb, arg: sp < 0 ? '' : line.slice(sp + 1), line };
}

/** Session state the decisions read; the machine owns and updates it. */
export interface SessionState {
  user: string | null;
  anonymous: boolean;
  loggedIn: boolean;
  cwd: string;
  ascii: boolean;
  controlTls: boolean;
  dataTls: boolean;
  epsvAll: boolean;
  loginFails: number;
  dataMode: 'none' | 'port' | 'pasv';
  /** RNFR's path, waiting for RNTO. */
  renameFrom?: string | null;
  /** The tree directory a chroot()ed session sees as "/" ("/" when not chroot()ed). */
  root: string;
  /** The configuration after the user's user_config_dir file, once logged in; null = the server's. */
  conf: VsftpdConf | null;
}

/** A local account as the server knows it. */
export interface VsftpdUser {
  name: string;
  password: string;
  /** The home directory (its /etc/passwd entry); default /home/<name> when the tree has it, else "/". */
  home?: string;
}

export interface SessionEnv {
  conf: VsftpdConf;
  style: ReplyStyle;
  fs: VirtualFs;
  host: string;
  /** The control connection's peer address (what PORT and data peers are checked against). */
  peerIp: Ipv4;
  nowS: number;
  /** The local accounts (name and password) PASS is checked against. */
  users?: readonly VsftpdUser[];
  /** The lines of userlist_file (userlist_enable). */
  userList?: readonly string[];
  /** The lines of chroot_list_file (chroot_list_enable). */
  chrootList?: readonly string[];
  /** user_config_dir: each user's settings file, by user name (vsftpd.conf text). */
  userConfig?: Readonly<Record<string, string>>;
}

export type TransferVerb = 'LIST' | 'NLST' | 'RETR' | 'STOR' | 'APPE';

export interface TransferPlan {
  verb: TransferVerb;
  arg: string;
  /** Absolute path of the file (RETR/STOR) or the cwd (listings). */
  path: string;
  /** The 150 to send once the data connection is up. */
  mark: Reply;
}

export type Effect =
  | { kind: 'login' }
  | { kind: 'close'; how: 'close' | 'abort' }
  | { kind: 'startTls' }
  /** Forget PORT and close a PASV listener (pasv_cleanup + port_cleanup). */
  | { kind: 'cleanupData' }
  | { kind: 'port'; ip: Ipv4; port: number }
  | { kind: 'pasv'; epsv: boolean }
  | { kind: 'transfer'; plan: TransferPlan }
  /** Sleep before the replies (vsftpd's delay_failed_login): the session answers nothing meanwhile. */
  | { kind: 'delay'; seconds: number };

export interface Outcome {
  replies: Reply[];
  patch: Partial<SessionState>;
  effects: Effect[];
}

export function initialSession(): SessionState {
  return {
    user: null,
    anonymous: false,
    loggedIn: false,
    cwd: '/',
    ascii: true,
    controlTls: false,
    dataTls: false,
    epsvAll: false,
    loginFails: 0,
    dataMode: 'none',
    root: '/',
    conf: null,
  };
}

const isAnonName = (u: string): boolean => ['FTP', 'ANONYMOUS'].includes(u.toUpperCase());

function out(env: SessionEnv, id: ReplyId, args: ReplyArgs = {}, extra: Partial<Outcome> = {}): Outcome {
  return { replies: [reply(env.style, id, args)], patch: extra.patch ?? {}, effects: extra.effects ?? [] };
}

/** Before login (prelogin.c). */
export function decidePreLogin(s: SessionState, env: SessionEnv, c: Cmd): Outcome {
  const { conf } = env;
  switch (c.verb) {
    case 'USER':
      return decideUser(s, env, c.arg);
    case 'PASS':
      return decidePass(s, env, {}, c.arg);
    case 'QUIT':
      return out(env, 'goodbye', {}, { effects: [{ kind: 'close', how: 'close' }] });
    case 'FEAT':
      return { replies: [feat(env)], patch: {}, effects: [] };
    case 'OPTS':
      return decideOpts(env, c.arg);
  }
  if (conf.ssl_enable && c.verb === 'AUTH' && !s.controlTls) return decideAuth(env, c.arg);
  if (conf.ssl_enable && c.verb === 'PBSZ') return out(env, s.controlTls ? 'pbszOk' : 'pbszBad');
  if (conf.ssl_enable && c.verb === 'PROT') return decideProt(s, env, c.arg);
  // "Deliberately ignore to avoid NAT device bugs": an empty line gets no answer.
  if (c.verb === '' && c.arg === '') return { replies: [], patch: {}, effects: [] };
  return out(env, 'pleaseLogin');
}

function decideUser(s: SessionState, env: SessionEnv, name: string): Outcome {
  const { conf } = env;
  const anon = isAnonName(name);
  if (!conf.local_enable && !anon) return out(env, 'anonOnly', {}, { patch: { user: null } });
  if (anon && s.controlTls && !conf.allow_anon_ssl && !conf.force_anon_logins_ssl) return out(env, 'anonNoEncryption', {}, { patch: { user: null } });
  if (conf.ssl_enable && !anon && !s.controlTls && conf.force_local_logins_ssl) return out(env, 'localMustEncrypt', {}, { effects: [{ kind: 'close', how: 'close' }] });
  if (conf.ssl_enable && anon && !s.controlTls && conf.force_anon_logins_ssl) return out(env, 'anonMustEncrypt', {}, { effects: [{ kind: 'close', how: 'close' }] });
  // The list is read only with local_enable (twoprocess.c): without it the list is empty.
  if (userlistRefuses(name, conf, conf.local_enable ? (env.userList ?? []) : [])) return loginFailed(s, env, 'userlistDenied');
  const patch = { user: name, anonymous: anon };
  if (anon && conf.no_anon_password) return decidePass({ ...s, ...patch }, env, patch);
  return out(env, 'userOk', { user: name }, { patch });
}

/**
 * handle_pass_command → vsf_privop_do_login: anonymous takes any password (with
 * anonymous_enable), a local user needs local_enable and its own password. A failure is
 * answered after delay_failed_login seconds with "530 Login incorrect.", and the
 * max_login_fails-th failure ends the session (check_login_fails).
 */
function decidePass(s: SessionState, env: SessionEnv, carried: Partial<SessionState> = {}, password = ''): Outcome {
  if (s.user === null) return out(env, 'needUser');
  const local = !s.anonymous && env.users !== undefined ? env.users.find((u) => u.name === s.user) : undefined;
  const allowed = s.anonymous ? env.conf.anonymous_enable : env.conf.local_enable && (env.users === undefined || (local !== undefined && local.password === password));
  // A local user's password goes to PAM (vsf_sysdep_check_auth → pam_authenticate), which
  // sleeps before it says no; an anonymous login never reaches PAM (without anonymous_enable,
  // "anonymous" is a local user name like any other).
  const viaPam = env.conf.local_enable && (!s.anonymous || !env.conf.anonymous_enable);
  if (!allowed) return loginFailed(s, env, 'loginIncorrect', viaPam ? pamFailDelayS(env.nowS) : 0);
  const place = s.anonymous ? { root: '/', cwd: '/', conf: userConf(env, 'ftp') } : placeLocalUser(env, s.user, local);
  // die(): "500 OOPS: …" instead of the 230, and the session ends.
  if ('oops' in place) return out(env, 'oops', { what: place.oops }, { effects: [{ kind: 'close', how: 'close' }] });
  return out(env, 'loginOk', { user: s.user }, { patch: { ...carried, loggedIn: true, ...place }, effects: [{ kind: 'login' }] });
}

/** vsftpd's configuration for `user` after handle_per_user_config: user_config_dir/<user> laid over the server's. */
function userConf(env: SessionEnv, user: string): VsftpdConf | null {
  const text = env.conf.user_config_dir !== null && !user.includes('/') ? env.userConfig?.[user] : undefined;
  if (text === undefined) return null;
  const r = parseVsftpdConf(text, env.conf);
  return r.ok ? r.conf : r.partial;
}

/** A user's home: the scenario's, else /home/<name> when the tree has it, else the tree's root. */
export function homeOf(fs: VirtualFs, user: { name: string; home?: string }): string {
  if (user.home !== undefined) return user.home;
  const conventional = `/home/${user.name}`;
  return fs.isDir(conventional) ? conventional : '/';
}

/**
 * Where a local user lands after a good password (twoprocess.c process_login_req,
 * common_do_login, calculate_chdir_dir; secutil.c vsf_secutil_change_credentials):
 * chroot_local_user, flipped for the names in the chroot list (chroot_list_enable); then the
 * user's own settings; the directory is local_root or the home; it must exist and be
 * searchable ("cannot change directory:"); a chroot() into a directory the user can write
 * to is refused unless allow_writeable_chroot.
 */
function placeLocalUser(env: SessionEnv, name: string, user: VsftpdUser | undefined): { root: string; cwd: string; conf: VsftpdConf | null } | { oops: string } {
  const { conf, fs } = env;
  let chroot = conf.chroot_local_user;
  if (conf.chroot_list_enable && (env.chrootList ?? []).includes(name)) chroot = !chroot;
  const own = userConf(env, name);
  const eff = own ?? conf;
  const dir = fs.resolve('/', eff.local_root ?? homeOf(fs, { name, home: user?.home }));
  const cred = credOf(name, false, env.users);
  const owner = fs.ownerOf(dir);
  const access = (want: 'w' | 'x') => owner === null || unixAccess(cred, owner, want);
  if (!fs.isDir(dir) || !access('x')) return { oops: `cannot change directory:${dir}` };
  if (!chroot) return { root: '/', cwd: dir, conf: own };
  // vsf_sysutil_write_access("/") after the chroot(): a directory the scenario gave no owner
  // is root's (drwxr-xr-x), as system directories are.
  if (!eff.allow_writeable_chroot && owner !== null && unixAccess(cred, owner, 'w')) return { oops: 'vsftpd: refusing to run with writable root inside chroot()' };
  return { root: dir, cwd: '/', conf: own };
}

/**
 * How long PAM sleeps after a failed authentication (Linux-PAM libpam/pam_delay.c
 * _pam_compute_delay): the largest delay a module asked for — pam_unix's 2 s (pam_fail_delay,
 * Debian's common-auth has no `nodelay`) — times 1 + (the mean of three pseudo-random numbers in
 * [0, 1) − 0.5): 1–3 s, most often near 2 s. The numbers come from PAM's own linear congruential
 * generator seeded with the time in seconds (its fallback without getrandom), so the same run
 * gives the same delay. Captured (tests/kernel lftp-login-530, vsftpd 3.0.3 on Debian 12): PASS →
 * 530 in 2.39–3.26 s, this plus delay_failed_login's 1 s.
 */
export function pamFailDelayS(nowS: number, baseUs = 2_000_000): number {
  let seed = nowS >>> 0;
  let sum = 0;
  for (let i = 0; i < 3; i++) {
    seed = (Math.imul(1664525, seed) + 1013904223) >>> 0;
    sum += Math.floor(seed / 10) % 1_000_000;
  }
  const us = Math.floor(baseUs * (1 + sum / 3 / 1e6 - 0.5));
  // Whole milliseconds: the session's timers run in ms.
  return Math.round(us / 1000) / 1000;
}

/** A refused login: the reply after PAM's delay (a local user's password) and delay_failed_login, the session closed at max_login_fails. */
function loginFailed(s: SessionState, env: SessionEnv, id: ReplyId, pamS = 0): Outcome {
  const loginFails = s.loginFails + 1;
  const effects: Effect[] = [];
  const seconds = pamS + env.conf.delay_failed_login;
  if (seconds > 0) effects.push({ kind: 'delay', seconds });
  const o = out(env, id, {}, { patch: { user: null, loginFails }, effects });
  if (loginFails >= env.conf.max_login_fails) o.effects.push({ kind: 'close', how: 'close' });
  return o;
}

function decideAuth(env: SessionEnv, arg: string): Outcome {
  const a = arg.toUpperCase();
  if (['TLS', 'TLS-C', 'SSL', 'TLS-P'].includes(a)) {
    const patch: Partial<SessionState> = { controlTls: true, ...(a === 'SSL' || a === 'TLS-P' ? { dataTls: true } : {}) };
    return out(env, 'authOk', {}, { patch, effects: [{ kind: 'startTls' }] });
  }
  return out(env, 'authBad');
}

function decideProt(s: SessionState, env: SessionEnv, arg: string): Outcome {
  const a = arg.toUpperCase();
  if (!s.controlTls) return out(env, 'protBad');
  if (a === 'C') return out(env, 'protClear', {}, { patch: { dataTls: false } });
  if (a === 'P') return out(env, 'protPrivate', {}, { patch: { dataTls: true } });
  if (a === 'S' || a === 'E') return out(env, 'protNotSupported');
  return out(env, 'protUnknown');
}

function decideOpts(env: SessionEnv, arg: string): Outcome {
  return out(env, arg.toUpperCase() === 'UTF8 ON' ? 'optsUtf8' : 'optsBad');
}

function feat(env: SessionEnv): Reply {
  return featReply(env.style, { ssl: env.conf.ssl_enable, port: env.conf.port_enable, pasv: env.conf.pasv_enable });
}

/** Verbs vsftpd knows but refuses with "550 Permission denied." when their switch is off. */
const DENIABLE = new Set([
  'PASV',
  'PORT',
  'STOR',
  'MKD',
  'XMKD',
  'RMD',
  'XRMD',
  'DELE',
  'RNFR',
  'RNTO',
  'SITE',
  'APPE',
  'EPSV',
  'EPRT',
  'RETR',
  'LIST',
  'NLST',
  'STOU',
  'ALLO',
  'REIN',
  'ACCT',
  'SMNT',
  'FEAT',
  'OPTS',
  'STAT',
  'PBSZ',
  'PROT',
]);

const TRANSFER_VERBS = new Set(['LIST', 'NLST', 'RETR', 'STOR', 'APPE']);
/** The handlers that pass their argument through vsf_access_check_file (deny_file). */
const DENY_CHECKED = new Set(['CWD', 'XCWD', 'MKD', 'XMKD', 'RMD', 'XRMD', 'DELE', 'RNFR', 'RNTO', 'SIZE', 'MDTM', 'RETR', 'STOR', 'APPE']);

/**
 * Whether the command starts a data transfer (all its checks passed). Side-effect free, so
 * a machine guard may call it; decideLoggedIn itself changes the tree for MKD/RMD/DELE.
 */
export function startsTransfer(s: SessionState, env: SessionEnv, c: Cmd): boolean {
  return TRANSFER_VERBS.has(c.verb) && decideLoggedIn(s, env, c).effects.some((e) => e.kind === 'transfer');
}

/** After login (postlogin.c). MKD, RMD and DELE change `env.fs`. */
export function decideLoggedIn(s: SessionState, env: SessionEnv, c: Cmd): Outcome {
  const { conf, fs } = env;
  const writeOk = (anonSwitch: boolean) => conf.write_enable && (anonSwitch || !s.anonymous);
  const path = fs.resolve(s.cwd, c.arg);
  // process_post_login: cmds_allowed, then cmds_denied, before anything else (QUIT too).
  if (!commandAllowed(c.verb, conf.cmds_allowed, conf.cmds_denied)) return out(env, 'permissionDenied');
  // vsf_access_check_file: deny_file refuses a name that matches it (after the data checks for transfers).
  const denied = DENY_CHECKED.has(c.verb) && !accessCheckFile(c.arg, conf.deny_file);
  if (denied && !TRANSFER_VERBS.has(c.verb)) return out(env, 'permissionDenied', {}, c.verb === 'RNFR' ? { patch: { renameFrom: null } } : {});
  switch (c.verb) {
    case 'QUIT':
      return out(env, 'goodbye', {}, { effects: [{ kind: 'close', how: 'close' }] });
    case 'PWD':
    case 'XPWD':
      return out(env, 'pwd', { path: s.cwd });
    case 'CWD':
    case 'XCWD':
      // chdir(2) needs search (x) permission on the directory.
      return fs.isDir(path) && may(s, env, path, 'x') ? out(env, 'cwdOk', {}, { patch: { cwd: path } }) : out(env, 'cwdFail');
    case 'CDUP':
    case 'XCUP': {
      const up = fs.resolve(s.cwd, '..');
      return out(env, 'cwdOk', {}, { patch: { cwd: up } });
    }
    case 'NOOP':
      return out(env, 'noop');
    case 'SYST':
      return out(env, 'syst');
    case 'TYPE': {
      const a = c.arg.toUpperCase();
      if (a === 'I' || a === 'L8' || a === 'L 8') return out(env, 'typeI', {}, { patch: { ascii: false } });
      if (a === 'A' || a === 'A N') return out(env, 'typeA', {}, { patch: { ascii: true } });
      return out(env, 'typeBad');
    }
    case 'FEAT':
      return { replies: [feat(env)], patch: {}, effects: [] };
    case 'OPTS':
      return decideOpts(env, c.arg);
    case 'SIZE': {
      const size = fs.size(path);
      return size === null ? out(env, 'sizeFail') : out(env, 'size', { size });
    }
    case 'MDTM': {
      // vsftpd answers with the file's time in UTC as YYYYMMDDHHMMSS.
      const t = fs.mtime(path);
      return t === null ? out(env, 'mdtmFail') : out(env, 'mdtm', { what: mdtmTime(t) });
    }
    case 'USER':
      if (s.anonymous) return out(env, 'cantChangeGuest');
      return out(env, c.arg === s.user ? 'anyPassword' : 'cantChangeUser');
    case 'PASS':
      return out(env, 'alreadyLoggedIn');
    case 'ABOR':
      return out(env, 'aborNone');
    case 'STRU':
      return out(env, c.arg.toUpperCase() === 'F' ? 'struOk' : 'struBad');
    case 'MODE':
      return out(env, c.arg.toUpperCase() === 'S' ? 'modeOk' : 'modeBad');
    case 'REIN':
    case 'ACCT':
    case 'SMNT':
      return out(env, 'notImplemented', { what: c.verb });
  }
  if (conf.pasv_enable && !s.epsvAll && c.verb === 'PASV') return { replies: [], patch: { dataMode: 'pasv' }, effects: [{ kind: 'cleanupData' }, { kind: 'pasv', epsv: false }] };
  if (conf.pasv_enable && c.verb === 'EPSV') return decideEpsv(env, c.arg);
  if (conf.port_enable && !s.epsvAll && c.verb === 'PORT') return decidePort(env, c.arg);
  if (conf.port_enable && !s.epsvAll && c.verb === 'EPRT') return decideEprt(env, c.arg);
  if (conf.dirlist_enable && (c.verb === 'LIST' || c.verb === 'NLST')) return decideTransfer(s, env, c);
  if (conf.download_enable && c.verb === 'RETR') return decideTransfer(s, env, c);
  if (writeOk(conf.anon_upload_enable) && c.verb === 'STOR') return decideTransfer(s, env, c);
  if (writeOk(conf.anon_other_write_enable) && c.verb === 'APPE') return decideTransfer(s, env, c);
  if (writeOk(conf.anon_other_write_enable) && c.verb === 'RNFR') {
    // handle_rnfr: any existing name (file or directory) is ready for RNTO.
    return fs.isFile(path) || fs.isDir(path) ? out(env, 'rnfrOk', {}, { patch: { renameFrom: path } }) : out(env, 'rnfrFail', {}, { patch: { renameFrom: null } });
  }
  if (writeOk(conf.anon_other_write_enable) && c.verb === 'RNTO') {
    if (!s.renameFrom) return out(env, 'needRnfr');
    // rename(2) replaces an existing file.
    if (!mayChangeIn(s, env, s.renameFrom) || !mayChangeIn(s, env, path)) return out(env, 'renameFail', {}, { patch: { renameFrom: null } });
    if (fs.isFile(path) && fs.isFile(s.renameFrom)) fs.remove(path);
    return out(env, fs.rename(s.renameFrom, path) ? 'renameOk' : 'renameFail', {}, { patch: { renameFrom: null } });
  }
  if (writeOk(conf.anon_mkdir_write_enable) && (c.verb === 'MKD' || c.verb === 'XMKD')) {
    return mayChangeIn(s, env, path) && fs.mkdir(path, env.nowS, newOwner(s, env, true)) ? out(env, 'mkdOk', { path }) : out(env, 'mkdFail');
  }
  if (writeOk(conf.anon_other_write_enable) && (c.verb === 'RMD' || c.verb === 'XRMD')) return out(env, mayChangeIn(s, env, path) && fs.rmdir(path) ? 'rmdOk' : 'rmdFail');
  if (writeOk(conf.anon_other_write_enable) && c.verb === 'DELE') return out(env, mayChangeIn(s, env, path) && fs.remove(path) ? 'deleOk' : 'deleFail');
  if (c.verb === 'ALLO') return out(env, 'allo');
  if (conf.ssl_enable && c.verb === 'PBSZ') return out(env, s.controlTls ? 'pbszOk' : 'pbszBad');
  if (conf.ssl_enable && c.verb === 'PROT') return decideProt(s, env, c.arg);
  if (!s.anonymous && c.verb === 'SITE') {
    // handle_site (local users only; anonymous SITE is "550 Permission denied." below): the
    // sub-command is the argument's first word. CHMOD and UMASK are not modelled; chmod_enable
    // is not a modelled key (vsftpd's default YES).
    const sub = c.arg.split(' ')[0]!.toUpperCase();
    const chmod = conf.write_enable;
    if (sub === 'HELP') return out(env, 'siteHelp', { what: chmod ? 'CHMOD UMASK HELP' : 'UMASK HELP' });
    if (sub !== 'CHMOD' && sub !== 'UMASK') return out(env, 'siteUnknown');
  }
  if (DENIABLE.has(c.verb)) return out(env, 'permissionDenied');
  if (c.verb === '' && c.arg === '') return { replies: [], patch: {}, effects: [] };
  return out(env, 'unknown', { what: c.verb });
}

function decideEpsv(env: SessionEnv, arg: string): Outcome {
  if (arg !== '') {
    const a = arg.toUpperCase();
    if (a === 'ALL') return out(env, 'epsvAll', {}, { patch: { epsvAll: true } });
    // atoi of the argument; IPv4 only, so "2" (IPv6) is as bad as anything else.
    if (Number.parseInt(a, 10) !== 1) return out(env, 'epsvBadProtocol');
  }
  return { replies: [], patch: { dataMode: 'pasv' }, effects: [{ kind: 'cleanupData' }, { kind: 'pasv', epsv: true }] };
}

function checkActiveTarget(env: SessionEnv, ip: Ipv4, port: number, illegal: ReplyId, ok: ReplyId): Outcome {
  // SECURITY in vsftpd: only the control peer's own address, and no privileged port.
  if (!env.conf.port_promiscuous && (ip !== env.peerIp || port < 1024)) {
    return out(env, illegal, {}, { patch: { dataMode: 'none' }, effects: [{ kind: 'cleanupData' }] });
  }
  return out(env, ok, {}, { patch: { dataMode: 'port' }, effects: [{ kind: 'cleanupData' }, { kind: 'port', ip, port }] });
}

function decidePort(env: SessionEnv, arg: string): Outcome {
  // Six numbers 0–255 separated by commas (vsf_sysutil_parse_uchar_string_sep).
  const d = decodeHostPort(arg);
  const t = d.ok ? d.value : null;
  if (!t) return out(env, 'portIllegal', {}, { patch: { dataMode: 'none' }, effects: [{ kind: 'cleanupData' }] });
  return checkActiveTarget(env, t.ip, t.port, 'portIllegal', 'portOk');
}

/** EPRT |1|a.b.c.d|port| (any delimiter in RFC 2428; vsftpd insists on "|"). */
function decideEprt(env: SessionEnv, arg: string): Outcome {
  const bad = (id: ReplyId): Outcome => out(env, id, {}, { patch: { dataMode: 'none' }, effects: [{ kind: 'cleanupData' }] });
  const f = arg.split('|');
  if (f[0] !== '') return bad('eprtBad');
  // RFC 2428's address family: 1 is IPv4 (2, IPv6, is not modelled).
  const family = Number.parseInt(f[1] ?? '', 10);
  if (family !== 1) return bad('eprtBadProtocol');
  const ip = parseIpv4(f[2] ?? '');
  if (ip === null || f.length !== 5 || f[4] !== '' || !/^\d+$/.test(f[3] ?? '')) return bad('eprtBad');
  const port = Number(f[3]);
  if (port > 65535) return bad('eprtBad');
  return checkActiveTarget(env, ip, port, 'eprtIllegal', 'eprtOk');
}

/** LIST/NLST/RETR/STOR: the checks vsftpd makes before it touches the data connection. */
function decideTransfer(s: SessionState, env: SessionEnv, c: Cmd): Outcome {
  const { conf, fs } = env;
  const verb = c.verb as TransferVerb;
  if (s.dataMode === 'none') return out(env, 'useFirst');
  const forceData = s.anonymous ? conf.force_anon_data_ssl : conf.force_local_data_ssl;
  if (conf.ssl_enable && !s.dataTls && forceData) return out(env, 'needEncrypt');
  if (verb !== 'LIST' && verb !== 'NLST' && !accessCheckFile(c.arg, conf.deny_file)) return out(env, 'permissionDenied');
  const path = fs.resolve(s.cwd, verb === 'LIST' || verb === 'NLST' ? '' : c.arg);
  if (verb === 'RETR') {
    const size = fs.size(path);
    // "Failed to open file." leaves PORT/PASV armed (vsftpd returns before its cleanup).
    if (size === null || !may(s, env, path, 'r')) return out(env, 'retrFail', { file: c.arg });
    return transfer(env, verb, c.arg, path, 'retrStart', { file: c.arg, size });
  }
  if (verb === 'STOR' || verb === 'APPE') {
    // Anonymous uploads create exclusively (no overwrite) unless anon_other_write_enable.
    if (!fs.canCreate(path, verb === 'STOR' && s.anonymous && !conf.anon_other_write_enable)) return out(env, 'storFail');
    // open(O_CREAT|O_WRONLY): write and search on the directory, write on an existing file.
    if (!mayChangeIn(s, env, path) || (fs.isFile(path) && !may(s, env, path, 'w'))) return out(env, 'storFail');
    return transfer(env, verb, c.arg, path, 'storStart', { file: c.arg });
  }
  return transfer(env, verb, c.arg, path, 'listStart');
}

/** The session's user may do `want` on `path` (the kernel's check; a missing path passes here). */
function may(s: SessionState, env: SessionEnv, path: string, want: 'r' | 'w' | 'x'): boolean {
  const o = env.fs.ownerOf(path);
  return o === null || unixAccess(credOf(s.user, s.anonymous, env.users), o, want);
}

/** Creating, removing or renaming an entry needs write and search on its directory. */
function mayChangeIn(s: SessionState, env: SessionEnv, path: string): boolean {
  const dir = parentOf(path);
  return may(s, env, dir, 'w') && may(s, env, dir, 'x');
}

/** Owner and mode of what the session creates: its user, the mode less local_umask / anon_umask. */
export function newOwner(s: Pick<SessionState, 'user' | 'anonymous'>, env: Pick<SessionEnv, 'conf' | 'users'>, isDir: boolean): UnixOwner {
  const cred = credOf(s.user, s.anonymous, env.users);
  const umask = s.anonymous ? env.conf.anon_umask : env.conf.local_umask;
  return { uid: cred.uid, gid: cred.gid, mode: createdMode(isDir, umask, env.conf.file_open_mode) };
}

function transfer(env: SessionEnv, verb: TransferVerb, arg: string, path: string, mark: ReplyId, args: ReplyArgs = {}): Outcome {
  return { replies: [], patch: {}, effects: [{ kind: 'transfer', plan: { verb, arg, path, mark: reply(env.style, mark, args) } }] };
}

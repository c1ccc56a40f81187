/**
 * What FileZilla Server 0.9.60 answers to one control command (source/ControlSocket.cpp,
 * CControlSocket::ParseCommand and DoUserLogin), as a pure decision: the replies to send,
 * the new session state and the effects the session machine must carry out. The tree is
 * changed here for MKD, RMD, DELE and RNTO, as the server changes the disk.
 */
import { FzAutobanState } from './autoban';
import { fzListing, fzMdtm, type ListFs } from './listing';
import { accountOf, canonify, changeDir, checkDir, checkFile, isOk, realDirectory, type FzAccount } from './permissions';
import { FZ, fzFeat, type FzReply } from './replies';
import type { FzSettings } from './settings';

/** The tree the server works on (the project's VirtualFs satisfies it). */
export interface FzFs extends ListFs {
  size(path: string): number | null;
  mtime(path: string): number | null;
  mkdir(path: string, nowS: number): boolean;
  rmdir(path: string): boolean;
  remove(path: string): boolean;
  rename(from: string, to: string): boolean;
}

export interface FzCmd {
  verb: string;
  arg: string;
}

/** GetCommand: the verb up to the first space, upper-cased; the rest is the argument. */
export function splitFzCommand(line: string): FzCmd {
  const sp = line.indexOf(' ');
  return { verb: (sp < 0 ? line : line.slice(0, sp)).toUpperCase(), arg: sp < 0 ? '' : line.slice(sp + 1) };
}

export interface FzSessionState {
  /** The name USER gave, lower-cased ('' before USER). */
  user: string;
  loggedIn: boolean;
  /** Current directory as the user sees it ('' until the home directory was entered). */
  cwd: string;
  /** m_transferstatus.pasv: 'none' (-1), 'port' (0) or 'pasv' (1). */
  dataMode: 'none' | 'port' | 'pasv';
  /** RNFR's source, in the tree, and whether it is a file. */
  renameFrom: { tree: string; isFile: boolean } | null;
}

export function initialFzSession(): FzSessionState {
  return { user: '', loggedIn: false, cwd: '', dataMode: 'none', renameFrom: null };
}

export interface FzEnv {
  settings: FzSettings;
  fs: FzFs;
  autoban: FzAutobanState;
  /** The control connection's peer and local addresses. */
  peerIp: number;
  localIp: number;
  nowS: number;
  /** Control connections open on the server, this one included (GetGlobalNumConnections). */
  connections: number;
  /** Logged-in sessions from this peer address (GetIpCount). */
  loggedInFromIp: number;
  /** Logged-in sessions of a user (GetUserCount). */
  loggedInAs(user: string): number;
}

export type FzTransferVerb = 'LIST' | 'NLST' | 'RETR' | 'STOR' | 'APPE';

export interface FzTransferPlan {
  verb: FzTransferVerb;
  /** The path in the tree (file, or listed directory). */
  tree: string;
  /** m_transferstatus.resource: what the 150/226/425/426 name. */
  resource: string;
  /** The listing, made when the command arrived (GetDirectoryListing). */
  listing?: string;
  /** For APPE: the size the file already has (the upload is added to it). */
  appendTo?: number;
  /** The 150 sent once the data connection is there (active: once the connect started). */
  mark: FzReply;
}

export type FzEffect =
  | { kind: 'login'; user: string }
  | { kind: 'close' }
  | { kind: 'cleanupData' }
  | { kind: 'port'; ip: number; port: number }
  | { kind: 'pasv'; epsv: boolean; announce: number }
  | { kind: 'transfer'; plan: FzTransferPlan };

export interface FzOutcome {
  replies: FzReply[];
  patch: Partial<FzSessionState>;
  effects: FzEffect[];
}

const say = (reply: FzReply, patch: Partial<FzSessionState> = {}, effects: FzEffect[] = []): FzOutcome => ({ replies: [reply], patch, effects });

/** Commands FileZilla knows: whether they need an argument and work before login (command_map). */
const COMMANDS: Record<string, { args: boolean; preLogin: boolean }> = {
  USER: { args: true, preLogin: true },
  PASS: { args: false, preLogin: true },
  QUIT: { args: false, preLogin: true },
  CWD: { args: false, preLogin: false },
  PWD: { args: false, preLogin: false },
  PORT: { args: true, preLogin: false },
  PASV: { args: false, preLogin: false },
  TYPE: { args: true, preLogin: false },
  LIST: { args: false, preLogin: false },
  REST: { args: true, preLogin: false },
  CDUP: { args: false, preLogin: false },
  RETR: { args: true, preLogin: false },
  STOR: { args: true, preLogin: false },
  SIZE: { args: true, preLogin: false },
  DELE: { args: true, preLogin: false },
  RMD: { args: true, preLogin: false },
  MKD: { args: true, preLogin: false },
  RNFR: { args: true, preLogin: false },
  RNTO: { args: true, preLogin: false },
  ABOR: { args: false, preLogin: false },
  SYST: { args: false, preLogin: true },
  NOOP: { args: false, preLogin: false },
  APPE: { args: true, preLogin: false },
  NLST: { args: false, preLogin: false },
  MDTM: { args: true, preLogin: false },
  XPWD: { args: false, preLogin: false },
  XCUP: { args: false, preLogin: false },
  XMKD: { args: true, preLogin: false },
  XRMD: { args: true, preLogin: false },
  XCWD: { args: true, preLogin: false },
  NOP: { args: false, preLogin: false },
  EPSV: { args: false, preLogin: false },
  EPRT: { args: true, preLogin: false },
  AUTH: { args: true, preLogin: true },
  ADAT: { args: true, preLogin: true },
  PBSZ: { args: true, preLogin: true },
  PROT: { args: true, preLogin: true },
  FEAT: { args: false, preLogin: true },
  MODE: { args: true, preLogin: false },
  OPTS: { args: true, preLogin: true },
  HELP: { args: false, preLogin: true },
  ALLO: { args: false, preLogin: false },
  MLST: { args: false, preLogin: false },
  MLSD: { args: false, preLogin: false },
  SITE: { args: true, preLogin: true },
  STRU: { args: true, preLogin: false },
  CLNT: { args: true, preLogin: true },
  MFMT: { args: true, preLogin: false },
  HASH: { args: true, preLogin: false },
};

/** IsRoutableAddress for IPv4 (source/iputils.cpp). Its 172.x test assigns instead of comparing
 * (`if (pos = npos || pos <= 4)`), so every 172.* address counts as unroutable — kept. */
export function fzRoutable(ip: number): boolean {
  const a = ip >>> 24;
  const b = (ip >>> 16) & 255;
  if (a === 127 || a === 10 || a === 172) return false;
  if (a === 192 && b === 168) return false;
  if (a === 169 && b === 254) return false;
  return true;
}

const dotted = (ip: number) => `${ip >>> 24}.${(ip >>> 16) & 255}.${(ip >>> 8) & 255}.${ip & 255}`;
const parseDotted = (s: string): number | null => {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m || m.slice(1).some((o) => Number(o) > 255)) return null;
  return m.slice(1).reduce((n, o) => n * 256 + Number(o), 0) >>> 0;
};

/** GetPassiveIP: the address the 227 announces. */
export function fzPassiveIp(settings: FzSettings, peerIp: number, localIp: number): number {
  if (settings.passive.noExternalIpOnLocal && !fzRoutable(peerIp)) return localIp;
  const custom = settings.passive.ip === null ? null : parseDotted(settings.passive.ip);
  if (custom !== null && custom !== localIp) return custom;
  return localIp;
}

/**
 * The passive port (PasvPortRandomizer): a first port drawn uniformly from the range
 * (49152–65534 without a custom range), then the next ones in turn while taken; 15 tries.
 */
export function drawFzPasvPort(settings: FzSettings, nextU32: () => number, inUse: (port: number) => boolean): number | null {
  const { min, max } = settings.passive.range ?? { min: 49152, max: 65534 };
  const span = max - min + 1;
  let port = min + (nextU32() % span);
  for (let tries = 0; tries < 15; tries++) {
    if (!inUse(port)) return port;
    port = port + 1 > max ? min : port + 1;
  }
  return null;
}

/** UnquoteArgs: "name" → name; a lone or misplaced quote is a syntax error (null). */
function unquote(arg: string): string | null {
  const a = arg.indexOf('"');
  const b = arg.lastIndexOf('"');
  if (a === -1 && b === -1) return arg;
  if (a !== 0 || b !== arg.length - 1 || a >= b - 1) return null;
  return arg.slice(1, -1);
}

/** Decides one command line. */
export function decideFz(s: FzSessionState, env: FzEnv, c: FzCmd): FzOutcome {
  const spec = COMMANDS[c.verb];
  if (!spec) return say(FZ.unknown());
  if (spec.args && c.arg === '') return say(FZ.syntax());
  if (!s.loggedIn && !spec.preLogin) return say(FZ.loginFirst());
  const acc = s.loggedIn ? accountOf(env.settings, s.user) : null;
  switch (c.verb) {
    case 'USER':
      // A new USER logs a logged-in session out first (the machine frees its counts).
      return say(FZ.userOk(c.arg.toLowerCase()), { user: c.arg.toLowerCase(), loggedIn: false, cwd: '', renameFrom: null }, s.loggedIn ? [{ kind: 'login', user: '' }] : []);
    case 'PASS':
      if (s.loggedIn) return say(FZ.badSequence());
      return decidePass(s, env, c.arg);
    case 'QUIT':
      return say(FZ.goodbye(), {}, [{ kind: 'close' }]);
    case 'SYST':
      return say(FZ.syst());
    case 'FEAT':
      return say(fzFeat());
    case 'OPTS':
      return say(c.arg.toUpperCase() === 'UTF8 ON' ? FZ.utf8On() : FZ.optsBad());
    case 'AUTH':
      // TLS is not enabled on the model's FileZilla (it has no certificate).
      return say({ code: 502, lines: ['Explicit TLS authentication not allowed'] });
    case 'ADAT':
    case 'PBSZ':
    case 'PROT':
      return say({ code: 502, lines: ['Command not implemented for this authentication type'] });
    case 'ABOR':
      return say({ code: 226, lines: ['ABOR command successful'] }, { dataMode: 'none' }, [{ kind: 'cleanupData' }]);
    case 'HELP':
    case 'SITE':
    case 'CLNT':
    case 'MLST':
    case 'MLSD':
    case 'MFMT':
    case 'HASH':
    case 'REST':
      // Not modelled: FileZilla resumes at the offset; the simulated clients never ask.
      return say({ code: 502, lines: ['Command not implemented.'] });
  }
  if (!acc) return say(FZ.loginFirst());
  const fs = env.fs;
  switch (c.verb) {
    case 'NOOP':
    case 'NOP':
      return say(FZ.noop());
    case 'PWD':
    case 'XPWD':
      return say(FZ.pwd(s.cwd));
    case 'TYPE': {
      const a = c.arg.toUpperCase();
      if (a[0] !== 'I' && a[0] !== 'A' && a !== 'L 8') return say(FZ.typeBad());
      return say(FZ.typeOk(a));
    }
    case 'MODE':
      return say(c.arg.toUpperCase() === 'S' ? FZ.modeS() : { code: 504, lines: ['Unknown MODE type'] });
    case 'STRU':
      return say(c.arg.toUpperCase() === 'F' ? FZ.struF() : { code: 504, lines: ['Command not implemented for that parameter'] });
    case 'ALLO':
      return say(FZ.allo());
    case 'CWD':
    case 'XCWD': {
      const arg = unquote(c.arg);
      if (arg === null) return say(FZ.syntax());
      if (arg === '') return say(FZ.cwdEmpty(s.cwd));
      const r = changeDir(acc, fs, s.cwd, arg);
      if (isOk(r.result)) return say(FZ.cwdOk(r.dir!), { cwd: r.dir! });
      if (r.result.denied) return say(FZ.cwdDenied(arg));
      if (r.result.invalidName) return say(FZ.cwdInvalid(arg));
      return say(FZ.cwdNotFound(arg));
    }
    case 'CDUP':
    case 'XCUP': {
      const r = changeDir(acc, fs, s.cwd, '..');
      if (isOk(r.result)) return say(FZ.cdupOk(r.dir!), { cwd: r.dir! });
      if (r.result.denied) return say(FZ.cdupDenied());
      if (r.result.invalidName) return say(FZ.cdupInvalid());
      return say(FZ.cdupNotFound());
    }
    case 'PORT':
      return decidePort(env, c.arg);
    case 'EPRT':
      return decideEprt(env, c.arg);
    case 'PASV':
    case 'EPSV':
      return {
        replies: [],
        patch: { dataMode: 'pasv' },
        effects: [{ kind: 'cleanupData' }, { kind: 'pasv', epsv: c.verb === 'EPSV', announce: fzPassiveIp(env.settings, env.peerIp, env.localIp) }],
      };
    case 'LIST':
    case 'NLST':
      return decideList(s, env, acc, c);
    case 'RETR':
    case 'STOR':
    case 'APPE':
      return decideFileTransfer(s, env, acc, c);
    case 'SIZE':
    case 'MDTM': {
      const arg = unquote(c.arg);
      if (arg === null) return say(FZ.syntax());
      const r = checkFile(acc, fs, s.cwd, arg, 'list');
      if (r.result.denied) return say(FZ.denied());
      if (r.result.invalidName) return say(FZ.invalidName());
      if (!isOk(r.result)) return say(FZ.fileNotFound());
      if (c.verb === 'SIZE') {
        const n = fs.size(r.tree!);
        return say(n === null ? FZ.fileNotFound() : FZ.size(n));
      }
      const t = fs.mtime(r.tree!);
      return say(t === null ? { code: 550, lines: ['Could not get file attributes'] } : FZ.mdtm(fzMdtm(t)));
    }
    case 'DELE': {
      const arg = unquote(c.arg);
      if (arg === null) return say(FZ.syntax());
      const r = checkFile(acc, fs, s.cwd, arg, 'delete');
      if (r.result.denied) return say(FZ.denied());
      if (r.result.invalidName) return say(FZ.invalidName());
      if (!isOk(r.result)) return say(FZ.fileNotFound());
      return say(fs.remove(r.tree!) ? FZ.deleOk() : { code: 500, lines: ['Failed to delete the file.'] });
    }
    case 'RMD':
    case 'XRMD': {
      const arg = unquote(c.arg);
      if (arg === null) return say(FZ.syntax());
      const r = checkDir(acc, fs, s.cwd, arg, 'delete');
      if (r.result.denied) return say(FZ.denied());
      if (r.result.invalidName) return say(FZ.invalidName());
      if (!isOk(r.result)) return say(FZ.rmdNotFound());
      return say(fs.rmdir(r.tree!) ? FZ.rmdOk() : FZ.rmdNotEmpty());
    }
    case 'MKD':
    case 'XMKD': {
      const arg = unquote(c.arg);
      if (arg === null) return say(FZ.syntax());
      const r = checkDir(acc, fs, s.cwd, arg, 'create');
      if (r.result.denied) return say(FZ.mkdDenied());
      if (r.result.invalidName) return say(FZ.invalidName());
      if (r.result.exists && !r.result.fileNotDir) return say(FZ.mkdExists());
      if (r.result.fileNotDir) return say(FZ.mkdFileExists());
      if (!isOk(r.result)) return say(FZ.mkdInvalid());
      // CreateDirectory level by level: missing parents are made too.
      const parts = r.tree!.split('/').filter(Boolean);
      let p = '';
      for (const part of parts) {
        p += `/${part}`;
        if (!fs.isDir(p)) fs.mkdir(p, env.nowS);
      }
      return say(FZ.mkdOk(r.logical!));
    }
    case 'RNFR': {
      const arg = unquote(c.arg);
      if (arg === null) return say(FZ.syntax());
      const f = checkFile(acc, fs, s.cwd, arg, 'delete');
      if (isOk(f.result)) return say(FZ.rnfrFile(), { renameFrom: { tree: f.tree!, isFile: true } });
      if (f.result.denied) return say(FZ.denied(), { renameFrom: null });
      if (f.result.invalidName) return say(FZ.invalidName(), { renameFrom: null });
      const d = checkDir(acc, fs, s.cwd, arg, 'delete');
      if (isOk(d.result)) return say(FZ.rnfrDir(), { renameFrom: { tree: d.tree!, isFile: false } });
      if (d.result.denied) return say(FZ.denied(), { renameFrom: null });
      if (d.result.invalidName) return say(FZ.invalidName(), { renameFrom: null });
      return say(FZ.rnfrNotFound(), { renameFrom: null });
    }
    case 'RNTO': {
      if (!s.renameFrom) return say(FZ.rntoNoRnfr());
      const arg = unquote(c.arg);
      if (arg === null) return say(FZ.syntax());
      const from = s.renameFrom;
      if (from.isFile) {
        const r = checkFile(acc, fs, s.cwd, arg, 'createNew');
        if (r.result.denied) return say(FZ.denied(), { renameFrom: null });
        if (r.result.invalidName) return say(FZ.rntoInvalid(), { renameFrom: null });
        if (r.result.exists && !r.result.dirNotFile) return say(FZ.rntoExists(), { renameFrom: null });
        if (!isOk(r.result)) return say(FZ.rntoInvalid2(), { renameFrom: null });
        return say(fs.rename(from.tree, r.tree!) ? FZ.renamed() : { code: 450, lines: ['Internal error renaming the file'] }, { renameFrom: null });
      }
      const r = checkDir(acc, fs, s.cwd, arg, 'create');
      if (r.result.denied) return say(FZ.denied(), { renameFrom: null });
      if (r.result.invalidName) return say(FZ.invalidName(), { renameFrom: null });
      if (r.result.exists && !r.result.fileNotDir) return say(FZ.rntoDirExists(), { renameFrom: null });
      if (!isOk(r.result)) return say(FZ.rntoDirInvalid(), { renameFrom: null });
      return say(fs.rename(from.tree, r.tree!) ? FZ.renamed() : { code: 450, lines: ['Internal error renaming the file'] }, { renameFrom: null });
    }
  }
  return say(FZ.unknown());
}

/** DoUserLogin: the password, then the account's state and the limits, in FileZilla's order. */
function decidePass(s: FzSessionState, env: FzEnv, password: string): FzOutcome {
  const acc = s.user === '' ? null : accountOf(env.settings, s.user);
  const ok = acc !== null && (acc.user.password === '' || acc.user.password === password);
  if (!ok) {
    if (env.autoban.registerAttempt(env.peerIp, env.nowS)) return say(FZ.banned(), {}, [{ kind: 'close' }]);
    return say(FZ.loginIncorrect());
  }
  const close = (r: FzReply): FzOutcome => say(r, {}, [{ kind: 'close' }]);
  if (!acc.enabled) return close(FZ.disabled());
  const max = env.settings.maxUsers;
  if (max && env.connections > max) return close(FZ.tooManyUsers());
  if (acc.maxConnections && env.loggedInAs(acc.user.name) >= acc.maxConnections) return close(FZ.tooManyForAccount());
  if (acc.maxPerIp && env.loggedInFromIp >= acc.maxPerIp) return close(FZ.tooManyFromIp());
  // Logged on (and counted) before the home directory is entered: a missing home answers 550
  // instead of 230 but the session stays logged on.
  const home = changeDir(acc, env.fs, '/', '/');
  const login: FzEffect = { kind: 'login', user: acc.user.name };
  if (!isOk(home.result)) return say(home.result.notFound ? FZ.homeMissing() : FZ.noHome(), { loggedIn: true, cwd: '/' }, [login]);
  return say(FZ.loggedOn(), { loggedIn: true, cwd: '/' }, [login]);
}

/** VerifyIPFromPortCommand: a private PORT address from a routable peer becomes the peer's; any other mismatch is refused. */
function activeTarget(env: FzEnv, ip: number, port: number): FzOutcome {
  let target = ip;
  if (!fzRoutable(ip) && fzRoutable(env.peerIp)) target = env.peerIp;
  if (target !== env.peerIp) return say(FZ.portMismatch(), { dataMode: 'none' }, [{ kind: 'cleanupData' }]);
  return say(FZ.portOk(), { dataMode: 'port' }, [{ kind: 'cleanupData' }, { kind: 'port', ip: target, port }]);
}

function decidePort(env: FzEnv, arg: string): FzOutcome {
  const bad = say(FZ.syntax(), { dataMode: 'none' }, [{ kind: 'cleanupData' }]);
  const nums = arg.replace(/,/g, '.').split('.');
  if (nums.length !== 6) return bad;
  const n = nums.map((x) => Number.parseInt(x, 10));
  const port = (n[4] ?? 0) * 256 + (n[5] ?? 0);
  const ip = parseDotted(n.slice(0, 4).join('.'));
  if (ip === null || n.some((x) => Number.isNaN(x)) || port < 1 || port > 65535) return bad;
  return activeTarget(env, ip, port);
}

function decideEprt(env: FzEnv, arg: string): FzOutcome {
  const bad = say(FZ.syntax(), { dataMode: 'none' }, [{ kind: 'cleanupData' }]);
  const f = arg.split('|');
  if (f[0] !== '' || f.length < 5) return bad;
  const proto = Number.parseInt(f[1] ?? '', 10);
  if (proto !== 1 && proto !== 2) return say(FZ.eprtProtocol(), { dataMode: 'none' }, [{ kind: 'cleanupData' }]);
  const ip = parseDotted(f[2] ?? '');
  if (proto !== 1 || ip === null) return say({ code: 501, lines: ['Syntax error, not a valid IPv4 address'] }, { dataMode: 'none' }, [{ kind: 'cleanupData' }]);
  const port = Number.parseInt(f[3] ?? '', 10);
  if (!(port >= 1 && port <= 65535)) return bad;
  return activeTarget(env, ip, port);
}

/** Strips the ls option words LIST/NLST may carry ("-la"); FileZilla ignores them. */
function listTarget(arg: string): string {
  let a = arg.trim();
  while (a.startsWith('-')) {
    const sp = a.indexOf(' ');
    a = sp < 0 ? '' : a.slice(sp + 1).trim();
  }
  return a;
}

function decideList(s: FzSessionState, env: FzEnv, acc: FzAccount, c: FzCmd): FzOutcome {
  if (s.dataMode === 'none') return say(FZ.badSequence());
  const target = unquote(listTarget(c.arg));
  if (target === null) return say(FZ.syntax());
  const fail = (r: FzReply) => say(r, { dataMode: 'none' }, [{ kind: 'cleanupData' }]);
  const v = canonify(s.cwd, target);
  if (v === null) return fail(FZ.listInvalid());
  let dir = v;
  let only: string | undefined;
  let d = realDirectory(acc, env.fs, dir);
  if (d.result.fileNotDir && v !== '/' && !target.endsWith('/')) {
    // A file named: list that one entry of its directory.
    only = v.slice(v.lastIndexOf('/') + 1);
    dir = v.slice(0, v.lastIndexOf('/')) || '/';
    d = realDirectory(acc, env.fs, dir);
  }
  if (d.result.denied) return fail(FZ.listDenied());
  if (d.result.invalidName) return fail(FZ.listInvalid());
  if (!isOk(d.result)) return fail(FZ.listNotFound());
  if (!d.rights!.dirList) return fail(FZ.listDenied());
  const display = only !== undefined ? (target.includes('/') ? target.slice(0, target.lastIndexOf('/') + 1) : '') : target;
  const listing = fzListing(acc, env.fs, dir, d.tree!, d.rights!, c.verb === 'LIST', display, env.nowS, only);
  const plan: FzTransferPlan = { verb: c.verb as 'LIST' | 'NLST', tree: d.tree!, resource: v, listing, mark: FZ.opening('list', v) };
  return { replies: [], patch: {}, effects: [{ kind: 'transfer', plan }] };
}

function decideFileTransfer(s: FzSessionState, env: FzEnv, acc: FzAccount, c: FzCmd): FzOutcome {
  if (s.dataMode === 'none') return say(FZ.badSequence());
  const arg = unquote(c.arg);
  if (arg === null) return say(FZ.syntax());
  const fail = (r: FzReply) => say(r, { dataMode: 'none' }, [{ kind: 'cleanupData' }]);
  const op = c.verb === 'RETR' ? 'read' : c.verb === 'APPE' ? 'append' : 'write';
  const r = checkFile(acc, env.fs, s.cwd, arg, op);
  if (r.result.denied) return fail(FZ.denied());
  if (r.result.invalidName) return fail(FZ.invalidName());
  if (!isOk(r.result)) return fail(c.verb === 'RETR' ? FZ.fileNotFound() : FZ.storInvalid());
  const verb = c.verb as FzTransferVerb;
  const what = verb === 'RETR' ? 'download' : 'upload';
  const plan: FzTransferPlan = { verb, tree: r.tree!, resource: r.logical!, mark: FZ.opening(what, r.logical!) };
  if (verb === 'APPE') plan.appendTo = env.fs.size(r.tree!) ?? 0;
  return { replies: [], patch: {}, effects: [{ kind: 'transfer', plan }] };
}

export { dotted as fzDotted };

/**
 * FileZilla Server 0.9.60 (the last of the classic Windows server, "FileZilla Server
 * Interface" with Edit > Settings and Edit > Users) as a typed model, and the validator
 * for its scenario-file form (`server.filezilla`). Defaults are the server's own compiled-in
 * ones (source/Options.cpp COptions::GetOptionVal / GetOption; the per-folder flags are the
 * names FileZilla Server.xml stores: FileRead, FileWrite, …, DirSubdirs).
 *
 * What the model keeps: listen ports; the passive range ("Use custom port range") and the
 * passive address ("Use the following IP" — the seeds' "Passive IP") with "Don't use
 * external IP for local connections"; the global "Maximum user count"; the time-outs
 * (connection, no transfer, login); autoban; users and groups with password, enabled flag,
 * connection limits and shared folders with per-folder rights.
 */

/** The eight per-folder rights of the Users > Shared folders page. */
export const FOLDER_RIGHTS = ['fileRead', 'fileWrite', 'fileDelete', 'fileAppend', 'dirCreate', 'dirDelete', 'dirList', 'dirSubdirs'] as const;
export type FolderRight = (typeof FOLDER_RIGHTS)[number];

/** One shared folder: a directory of the server's tree and what may be done in it. */
export interface FzFolder {
  /** Absolute path in the server's file tree ("/share/upload"); FileZilla stores a Windows path. */
  path: string;
  /** The user's home ("Set as home dir"): what the user sees as "/". */
  home: boolean;
  rights: Record<FolderRight, boolean>;
}

export interface FzGroup {
  name: string;
  /** "Enable account" on the group. */
  enabled: boolean;
  /** Maximum connection count for the group's users (0 = no limit). */
  maxConnections: number;
  /** Connection limit per IP (0 = no limit). */
  maxPerIp: number;
  folders: FzFolder[];
}

export interface FzUser {
  /** FileZilla lower-cases the name given to USER and looks it up as written here (lower case). */
  name: string;
  /** Empty = any password is accepted (CPermissions::CheckUserLogin). */
  password: string;
  enabled: boolean;
  /** The group whose folders and limits apply where the user has none; null = none. */
  group: string | null;
  /** 0 = the group's value, else no limit. */
  maxConnections: number;
  maxPerIp: number;
  folders: FzFolder[];
}

export interface FzAutoban {
  enabled: boolean;
  /** Failed logins from one address that trigger the ban (OPTION_AUTOBAN_ATTEMPTS, default 10). */
  attempts: number;
  /** How long the ban lasts, in hours (OPTION_AUTOBAN_BANTIME, default 1); also how long failed attempts are remembered. */
  banHours: number;
}

export interface FzSettings {
  /** "Listen on these ports" (OPTION_SERVERPORT, default 21). */
  ports: number[];
  /** Passive mode settings. */
  passive: {
    /** "Use custom port range"; null = the OS's range, which FileZilla draws from 49152–65534. */
    range: { min: number; max: number } | null;
    /** "Use the following IP" (OPTION_CUSTOMPASVIP); null = the control connection's local address. */
    ip: string | null;
    /** "Don't use external IP for local connections" (OPTION_NOEXTERNALIPONLOCAL, default on). */
    noExternalIpOnLocal: boolean;
  };
  /** "Maximum user count" (0 = no limit). FileZilla raises values below 15 to 15. */
  maxUsers: number;
  /** "Connections timeout" in seconds (OPTION_TIMEOUT, default 120, 0 = off). */
  timeoutS: number;
  /** "No Transfer timeout" in seconds (default 120; values set below 600 become 600, 0 = off). */
  noTransferTimeoutS: number;
  /** "Login timeout" in seconds (default 60, 0 = off). */
  loginTimeoutS: number;
  /** Welcome message lines; "%v" is the version string. */
  welcome: string[];
  autoban: FzAutoban;
  users: FzUser[];
  groups: FzGroup[];
}

/** What %v expands to in the welcome message (GetProductVersionString). */
export const FZ_VERSION = 'FileZilla Server 0.9.60 beta';

/** The default welcome message (Options.cpp, OPTION_WELCOMEMESSAGE). */
export const DEFAULT_WELCOME = ['%v', 'written by Tim Kosse (tim.kosse@filezilla-project.org)', 'Please visit https://filezilla-project.org/'];

export function noRights(): Record<FolderRight, boolean> {
  return Object.fromEntries(FOLDER_RIGHTS.map((r) => [r, false])) as Record<FolderRight, boolean>;
}

/** A new folder as the Shared folders page adds it: read, list and +subdirs checked. */
export function defaultRights(): Record<FolderRight, boolean> {
  return { ...noRights(), fileRead: true, dirList: true, dirSubdirs: true };
}

export function defaultFzSettings(): FzSettings {
  return {
    ports: [21],
    passive: { range: null, ip: null, noExternalIpOnLocal: true },
    maxUsers: 0,
    timeoutS: 120,
    noTransferTimeoutS: 120,
    loginTimeoutS: 60,
    welcome: [...DEFAULT_WELCOME],
    autoban: { enabled: false, attempts: 10, banHours: 1 },
    users: [],
    groups: [],
  };
}

// ───────────────────────── the scenario-file form ─────────────────────────

export interface FzFolderSpec {
  path: string;
  home?: boolean;
  /** Default ["fileRead", "dirList", "dirSubdirs"]. */
  rights?: string[];
}

export interface FzUserSpec {
  name: string;
  password?: string;
  enabled?: boolean;
  group?: string;
  maxConnections?: number;
  maxPerIp?: number;
  folders?: FzFolderSpec[];
}

export interface FzGroupSpec {
  name: string;
  enabled?: boolean;
  maxConnections?: number;
  maxPerIp?: number;
  folders?: FzFolderSpec[];
}

/** `server.filezilla` as written in a scenario file; every field optional. */
export interface FzSettingsSpec {
  ports?: number[];
  passive?: { minPort?: number; maxPort?: number; ip?: string; noExternalIpOnLocal?: boolean };
  maxUsers?: number;
  timeoutS?: number;
  noTransferTimeoutS?: number;
  loginTimeoutS?: number;
  welcome?: string[];
  autoban?: { enabled?: boolean; attempts?: number; banHours?: number };
  users?: FzUserSpec[];
  groups?: FzGroupSpec[];
}

export interface FzIssue {
  /** JSON path below the settings object ("users[0].folders[1].rights[2]"). */
  path: string;
  message: string;
  severity: 'error' | 'warning';
}

export interface FzParse {
  settings: FzSettings;
  issues: FzIssue[];
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const DOTTED = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const isIpv4 = (s: string): boolean => {
  const m = DOTTED.exec(s);
  return !!m && m.slice(1).every((o) => Number(o) <= 255);
};

/** Normalizes a folder path: leading "/", no trailing "/", "\" read as "/". */
export function normalizeFolderPath(p: string): string {
  const parts = p
    .replace(/\\/g, '/')
    .split('/')
    .filter((s) => s !== '' && s !== '.');
  return `/${parts.join('/')}`;
}

/**
 * Reads `server.filezilla` (any JSON value) into settings. Every problem is reported with its
 * path; a bad field keeps its default, so the rest of the settings still load.
 */
export function parseFzSettings(input: unknown): FzParse {
  const s = defaultFzSettings();
  const issues: FzIssue[] = [];
  const err = (path: string, message: string) => issues.push({ path, message, severity: 'error' });
  const warn = (path: string, message: string) => issues.push({ path, message, severity: 'warning' });
  if (input === undefined) return { settings: s, issues };
  if (!isObj(input)) {
    err('', 'must be an object with FileZilla Server settings (ports, passive, users, …)');
    return { settings: s, issues };
  }
  const known = new Set(['ports', 'passive', 'maxUsers', 'timeoutS', 'noTransferTimeoutS', 'loginTimeoutS', 'welcome', 'autoban', 'users', 'groups']);
  for (const k of Object.keys(input)) if (!known.has(k)) err(k, `unknown FileZilla Server setting "${k}" (use ${[...known].join(', ')})`);

  const int = (v: unknown, path: string, min: number, max: number): number | undefined => {
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      err(path, `must be a whole number from ${min} to ${max}, not ${JSON.stringify(v)}`);
      return undefined;
    }
    return v;
  };
  const bool = (v: unknown, path: string): boolean | undefined => {
    if (v === undefined) return undefined;
    if (typeof v !== 'boolean') {
      err(path, `must be true or false, not ${JSON.stringify(v)}`);
      return undefined;
    }
    return v;
  };

  if (input.ports !== undefined) {
    if (!Array.isArray(input.ports) || input.ports.length === 0) err('ports', 'must be a list of one or more port numbers, e.g. [21]');
    else {
      const ports = input.ports.map((p, i) => int(p, `ports[${i}]`, 1, 65535)).filter((p): p is number => p !== undefined);
      if (ports.length > 0) s.ports = [...new Set(ports)];
    }
  }

  if (input.passive !== undefined) {
    const p = input.passive;
    if (!isObj(p)) err('passive', 'must be an object: { "minPort", "maxPort", "ip", "noExternalIpOnLocal" }');
    else {
      for (const k of Object.keys(p))
        if (!['minPort', 'maxPort', 'ip', 'noExternalIpOnLocal'].includes(k)) err(`passive.${k}`, `unknown passive setting "${k}" (use minPort, maxPort, ip, noExternalIpOnLocal)`);
      const min = int(p.minPort, 'passive.minPort', 1, 65535);
      const max = int(p.maxPort, 'passive.maxPort', 1, 65535);
      if ((min === undefined) !== (max === undefined)) err(min === undefined ? 'passive.minPort' : 'passive.maxPort', 'give both minPort and maxPort for a custom port range');
      else if (min !== undefined && max !== undefined) {
        // PasvPortRandomizer swaps a reversed range.
        if (min > max) warn('passive.minPort', `minPort ${min} is above maxPort ${max}: FileZilla Server swaps them (${max}–${min})`);
        s.passive.range = { min: Math.min(min, max), max: Math.max(min, max) };
      }
      if (p.ip !== undefined) {
        if (typeof p.ip !== 'string' || !isIpv4(p.ip.trim())) err('passive.ip', `must be an IPv4 address such as 203.0.113.10, not ${JSON.stringify(p.ip)}`);
        else s.passive.ip = p.ip.trim();
      }
      const local = bool(p.noExternalIpOnLocal, 'passive.noExternalIpOnLocal');
      if (local !== undefined) s.passive.noExternalIpOnLocal = local;
    }
  }

  const maxUsers = int(input.maxUsers, 'maxUsers', 0, 1_000_000);
  if (maxUsers !== undefined) {
    // COptions::SetOption(OPTION_MAXUSERS): 1–14 become 15.
    if (maxUsers > 0 && maxUsers < 15) warn('maxUsers', `FileZilla Server raises a maximum user count of ${maxUsers} to 15`);
    s.maxUsers = maxUsers > 0 && maxUsers < 15 ? 15 : maxUsers;
  }
  const timeout = int(input.timeoutS, 'timeoutS', 0, 9999);
  if (timeout !== undefined) s.timeoutS = timeout;
  const noXfer = int(input.noTransferTimeoutS, 'noTransferTimeoutS', 0, 9999);
  if (noXfer !== undefined) {
    // COptions::SetOption(OPTION_NOTRANSFERTIMEOUT): below 600 (except 0) becomes 600.
    if (noXfer > 0 && noXfer < 600) warn('noTransferTimeoutS', `FileZilla Server raises a no-transfer time-out of ${noXfer} s to 600 s`);
    s.noTransferTimeoutS = noXfer > 0 && noXfer < 600 ? 600 : noXfer;
  }
  const login = int(input.loginTimeoutS, 'loginTimeoutS', 0, 9999);
  if (login !== undefined) s.loginTimeoutS = login;

  if (input.welcome !== undefined) {
    if (!Array.isArray(input.welcome) || input.welcome.length === 0 || !input.welcome.every((l) => typeof l === 'string')) {
      err('welcome', 'must be a list of one or more lines of text');
    } else {
      // CONST_WELCOMEMESSAGE_LINESIZE: each line is cut at 75 characters.
      s.welcome = (input.welcome as string[]).map((l, i) => {
        if (/[\r\n]/.test(l)) err(`welcome[${i}]`, 'one line per entry: no line breaks inside');
        if (l.length > 75) warn(`welcome[${i}]`, 'FileZilla Server cuts welcome lines at 75 characters');
        return l.slice(0, 75);
      });
    }
  }

  if (input.autoban !== undefined) {
    const a = input.autoban;
    if (!isObj(a)) err('autoban', 'must be an object: { "enabled", "attempts", "banHours" }');
    else {
      for (const k of Object.keys(a)) if (!['enabled', 'attempts', 'banHours'].includes(k)) err(`autoban.${k}`, `unknown autoban setting "${k}" (use enabled, attempts, banHours)`);
      const en = bool(a.enabled, 'autoban.enabled');
      if (en !== undefined) s.autoban.enabled = en;
      const at = int(a.attempts, 'autoban.attempts', 1, 999);
      if (at !== undefined) s.autoban.attempts = at;
      const bh = int(a.banHours, 'autoban.banHours', 1, 999);
      if (bh !== undefined) s.autoban.banHours = bh;
    }
  }

  const folders = (v: unknown, path: string): FzFolder[] => {
    if (v === undefined) return [];
    if (!Array.isArray(v)) {
      err(path, 'must be a list of shared folders: [{ "path": "/share", "home": true, "rights": [...] }]');
      return [];
    }
    const out: FzFolder[] = [];
    v.forEach((f, i) => {
      const fp = `${path}[${i}]`;
      if (!isObj(f)) return err(fp, 'must be an object with "path", "home" and "rights"');
      for (const k of Object.keys(f)) if (!['path', 'home', 'rights'].includes(k)) err(`${fp}.${k}`, `unknown folder field "${k}" (use path, home, rights)`);
      if (typeof f.path !== 'string' || f.path.trim() === '') return err(`${fp}.path`, 'must be a directory of the server\'s files, such as "/share"');
      const rights = f.rights === undefined ? defaultRights() : noRights();
      if (f.rights !== undefined) {
        if (!Array.isArray(f.rights)) err(`${fp}.rights`, `must be a list of rights from ${FOLDER_RIGHTS.join(', ')}`);
        else
          f.rights.forEach((r, j) => {
            if (typeof r === 'string' && (FOLDER_RIGHTS as readonly string[]).includes(r)) rights[r as FolderRight] = true;
            else err(`${fp}.rights[${j}]`, `unknown right ${JSON.stringify(r)} (use ${FOLDER_RIGHTS.join(', ')})`);
          });
      }
      const home = bool(f.home, `${fp}.home`) ?? false;
      const normal = normalizeFolderPath(f.path);
      if (out.some((o) => o.path.toLowerCase() === normal.toLowerCase())) err(`${fp}.path`, `folder "${normal}" is listed twice`);
      out.push({ path: normal, home, rights });
    });
    const homes = out.filter((f) => f.home);
    if (homes.length > 1) err(path, 'only one folder can be the home directory');
    return out;
  };

  const account = (v: Record<string, unknown>, path: string) => {
    const en = bool(v.enabled, `${path}.enabled`);
    const mc = int(v.maxConnections, `${path}.maxConnections`, 0, 1_000_000);
    const mi = int(v.maxPerIp, `${path}.maxPerIp`, 0, 1_000_000);
    return { enabled: en ?? true, maxConnections: mc ?? 0, maxPerIp: mi ?? 0, folders: folders(v.folders, `${path}.folders`) };
  };

  if (input.groups !== undefined) {
    if (!Array.isArray(input.groups)) err('groups', 'must be a list of groups');
    else
      input.groups.forEach((g, i) => {
        const gp = `groups[${i}]`;
        if (!isObj(g)) return err(gp, 'must be an object with a "name"');
        for (const k of Object.keys(g))
          if (!['name', 'enabled', 'maxConnections', 'maxPerIp', 'folders'].includes(k))
            err(`${gp}.${k}`, `unknown group field "${k}" (use name, enabled, maxConnections, maxPerIp, folders)`);
        if (typeof g.name !== 'string' || g.name.trim() === '') return err(`${gp}.name`, 'a group needs a name');
        if (s.groups.some((o) => o.name === g.name)) err(`${gp}.name`, `duplicate group "${g.name}"`);
        s.groups.push({ name: g.name, ...account(g, gp) });
      });
  }

  if (input.users !== undefined) {
    if (!Array.isArray(input.users)) err('users', 'must be a list of user accounts');
    else
      input.users.forEach((u, i) => {
        const up = `users[${i}]`;
        if (!isObj(u)) return err(up, 'must be an object with a "name"');
        for (const k of Object.keys(u))
          if (!['name', 'password', 'enabled', 'group', 'maxConnections', 'maxPerIp', 'folders'].includes(k))
            err(`${up}.${k}`, `unknown user field "${k}" (use name, password, enabled, group, maxConnections, maxPerIp, folders)`);
        if (typeof u.name !== 'string' || u.name.trim() === '' || /\s/.test(u.name)) return err(`${up}.name`, 'a user needs a name without spaces');
        if (u.name !== u.name.toLowerCase()) warn(`${up}.name`, `FileZilla Server lower-cases the name a client sends, so "${u.name}" is found as "${u.name.toLowerCase()}"`);
        const name = u.name.toLowerCase();
        if (s.users.some((o) => o.name === name)) err(`${up}.name`, `duplicate user "${name}"`);
        if (u.password !== undefined && typeof u.password !== 'string') err(`${up}.password`, 'must be text');
        let group: string | null = null;
        if (u.group !== undefined) {
          if (typeof u.group !== 'string' || !s.groups.some((g) => g.name === u.group)) err(`${up}.group`, `no group named ${JSON.stringify(u.group)} in groups`);
          else group = u.group;
        }
        const acc = account(u, up);
        const user: FzUser = { name, password: typeof u.password === 'string' ? u.password : '', group, ...acc };
        if (user.password === '') warn(`${up}.password`, 'no password: FileZilla Server lets this user in with any password');
        const g = group ? s.groups.find((x) => x.name === group) : undefined;
        const all = [...user.folders, ...(g?.folders ?? [])];
        if (!all.some((f) => f.home))
          warn(`${up}.folders`, 'no home folder (for the user or the group): the login ends in "550 User does not have permission to access own home directory"');
        s.users.push(user);
      });
  }
  return { settings: s, issues };
}

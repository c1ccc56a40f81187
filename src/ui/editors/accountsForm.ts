/**
 * vsftpd's accounts as form fields: the local users (name, password, home), the user list,
 * the chroot list, the per-user settings (user_config_dir's files) and the owner and mode of
 * the server's files. Each edit returns a new scenario file, or a message that names the field
 * and says what is wrong (the form then keeps what was typed and applies nothing).
 * The vsftpd.conf switches that go with them (userlist_enable, chroot_local_user …) are written
 * into the vsftpd text as the other form fields are (serializeVsftpdConf keeps comments).
 */
import { parseVsftpdConf, serializeVsftpdConf, type FileSpec, type ScenarioFile, type UserSpec, type VsftpdConf } from '../../core/index';
import { textOf } from './fileOps';
import { formConf } from './vsftpdForm';

export type AccountEdit = { ok: true; file: ScenarioFile } | { ok: false; message: string };

type Server = ScenarioFile['server'];

function withServer(file: ScenarioFile, patch: Partial<Server>): ScenarioFile {
  const server = { ...file.server, ...patch } as Record<string, unknown>;
  for (const k of Object.keys(server)) if (server[k] === undefined) delete server[k];
  return { ...file, server: server as unknown as Server };
}

/** How the form calls user `i` in a message: "User 2 (alice)". */
const who = (users: UserSpec[], i: number) => `User ${i + 1}${users[i]?.name ? ` (${users[i]!.name})` : ''}`;

// ── vsftpd.conf switches ──

/** The switches of the accounts form, with a beginner's label (the key in parentheses). */
export const ACCOUNT_SWITCHES = [
  { key: 'local_enable', label: 'Local users may log in (local_enable)' },
  { key: 'write_enable', label: 'Allow uploads and changes: STOR, DELE, MKD … (write_enable)' },
  { key: 'userlist_enable', label: 'Check every user name against the user list (userlist_enable)' },
  { key: 'chroot_local_user', label: 'Lock local users into their home folder — chroot (chroot_local_user)' },
  { key: 'chroot_list_enable', label: 'Use the chroot list for exceptions (chroot_list_enable)' },
  { key: 'allow_writeable_chroot', label: 'Allow a locked-in home the user can write to (allow_writeable_chroot)' },
] as const satisfies readonly { key: keyof VsftpdConf; label: string }[];

export type AccountSwitch = (typeof ACCOUNT_SWITCHES)[number]['key'];

/** The directory user_config_dir names when the form turns per-user settings on (the path is vsftpd's own example's). */
export const USER_CONFIG_DIR = '/etc/vsftpd/user_conf';

/** The scenario with one vsftpd.conf key set (null: the line goes, back to the default). */
export function setVsftpdKey(file: ScenarioFile, key: AccountSwitch | 'userlist_deny' | 'user_config_dir', value: boolean | string | null): ScenarioFile {
  const text = textOf(file.server.vsftpd);
  const conf: VsftpdConf = { ...formConf(text), other: { ...formConf(text).other } };
  (conf as unknown as Record<string, unknown>)[key] = value;
  const next = serializeVsftpdConf(conf, text);
  return withServer(file, { vsftpd: next === '' ? undefined : next });
}

// ── users ──

export function usersOf(file: ScenarioFile): UserSpec[] {
  return file.server.users ?? [];
}

export function addUser(file: ScenarioFile): ScenarioFile {
  const users = usersOf(file);
  let n = users.length + 1;
  while (users.some((u) => u.name === `user${n}`)) n++;
  return withServer(file, { users: [...users, { name: `user${n}`, password: '' }] });
}

export function removeUser(file: ScenarioFile, index: number): ScenarioFile {
  const users = usersOf(file).filter((_, i) => i !== index);
  return withServer(file, { users: users.length ? users : undefined });
}

/** One field of user `index`: its name, password or home directory ("" = the default home). */
export function setUserField(file: ScenarioFile, index: number, key: 'name' | 'password' | 'home', raw: string): AccountEdit {
  const users = usersOf(file);
  const u = users[index];
  if (!u) return { ok: false, message: `${who(users, index)} does not exist` };
  let next: UserSpec;
  if (key === 'name') {
    const name = raw.trim();
    if (name === '') return { ok: false, message: `${who(users, index)}, name: empty — type the name the user logs in with (USER)` };
    if (/[\s:/]/.test(name)) return { ok: false, message: `${who(users, index)}, name: "${name}" has a space, ":" or "/" — a Unix user name has none` };
    if (users.some((x, i) => i !== index && x.name === name))
      return { ok: false, message: `${who(users, index)}, name: "${name}" is already user ${users.findIndex((x) => x.name === name) + 1}` };
    next = { ...u, name };
  } else if (key === 'password') {
    if (/[\r\n]/.test(raw)) return { ok: false, message: `${who(users, index)}, password: one line only` };
    next = { ...u, password: raw };
  } else {
    const home = raw.trim();
    if (home !== '' && !/^\/[^\r\n]*$/.test(home))
      return { ok: false, message: `${who(users, index)}, home directory: "${home}" does not start with "/" — write the whole path from the top, like /home/${u.name || 'alice'}` };
    next = { ...u, home: home === '' ? undefined : home };
    if (next.home === undefined) delete next.home;
  }
  const renamed = withServer(file, { users: users.map((x, i) => (i === index ? next : x)) });
  if (key !== 'name' || next.name === u.name) return { ok: true, file: renamed };
  // Files belong to a user id, which a rename keeps (usermod -l): they follow the new name.
  // The user list, chroot list and per-user settings are files of names, which do not.
  const files = Object.fromEntries(Object.entries(file.server.files ?? {}).map(([p, f]) => [p, f.owner === u.name ? { ...f, owner: next.name } : f]));
  return { ok: true, file: file.server.files ? withServer(renamed, { files }) : renamed };
}

// ── the user list and the chroot list ──

export type NameList = 'userList' | 'chrootList';
export const LIST_NAMES: Record<NameList, string> = { userList: 'User list', chrootList: 'Chroot list' };

/** The list as the textarea shows it: one name a line. */
export function listText(file: ScenarioFile, list: NameList): string {
  return (file.server[list] ?? []).join('\n');
}

/** A list from its text: one user name a line, blank lines ignored; empty text removes the list. */
export function setNameList(file: ScenarioFile, list: NameList, text: string): AccountEdit {
  const lines = text.split('\n').map((l) => l.trim());
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (/[\s:/]/.test(l)) return { ok: false, message: `${LIST_NAMES[list]}, line ${i + 1}: "${l}" has a space, ":" or "/" — write one user name a line` };
  }
  const names = lines.filter((l) => l !== '');
  return { ok: true, file: withServer(file, { [list]: names.length ? names : undefined }) };
}

// ── per-user settings (user_config_dir) ──

/** The users the per-user settings are shown for: every local user, then any other file name already there. */
export function configUsers(file: ScenarioFile): string[] {
  const names = usersOf(file).map((u) => u.name);
  for (const n of Object.keys(file.server.userConfig ?? {})) if (!names.includes(n)) names.push(n);
  return names;
}

export function userConfigText(file: ScenarioFile, name: string): string {
  return textOf(file.server.userConfig?.[name]).replace(/\n$/, '');
}

/** User `name`'s settings file: checked as vsftpd reads it, over the main vsftpd.conf; empty text removes it. */
export function setUserConfig(file: ScenarioFile, name: string, text: string): AccountEdit {
  const rest = { ...(file.server.userConfig ?? {}) };
  if (text.trim() === '') delete rest[name];
  else {
    const p = parseVsftpdConf(text, formConf(textOf(file.server.vsftpd)));
    if (!p.ok) {
      const e = p.errors[0]!;
      return { ok: false, message: `Settings for ${name}, line ${e.line}: ${e.message}` };
    }
    rest[name] = text.endsWith('\n') ? text : `${text}\n`;
  }
  return { ok: true, file: withServer(file, { userConfig: Object.keys(rest).length ? rest : undefined }) };
}

// ── owners and modes of the files ──

export function filesOf(file: ScenarioFile): [string, FileSpec][] {
  return Object.entries(file.server.files ?? {});
}

/** Who can own a file: root, ftp (the anonymous user) and every local user. */
export function ownerChoices(file: ScenarioFile): string[] {
  return ['root', 'ftp', ...usersOf(file).map((u) => u.name)];
}

function setFile(file: ScenarioFile, path: string, patch: Partial<FileSpec>): ScenarioFile {
  const files = { ...(file.server.files ?? {}) };
  const spec = { ...files[path], ...patch } as Record<string, unknown>;
  for (const k of Object.keys(spec)) if (spec[k] === undefined) delete spec[k];
  files[path] = spec as unknown as FileSpec;
  return withServer(file, { files });
}

/** "" leaves the owner unset (with no mode either: open to every user). */
export function setFileOwner(file: ScenarioFile, path: string, owner: string): ScenarioFile {
  return setFile(file, path, { owner: owner === '' ? undefined : owner });
}

export function setFileMode(file: ScenarioFile, path: string, raw: string): AccountEdit {
  const mode = raw.trim();
  if (mode !== '' && !/^0?[0-7]{3}$/.test(mode))
    return { ok: false, message: `Mode of ${path}: "${mode}" is not three digits from 0 to 7, like 755 (owner rwx, group r-x, others r-x)` };
  return { ok: true, file: setFile(file, path, { mode: mode === '' ? undefined : mode }) };
}

const BITS = ['---', '--x', '-w-', '-wx', 'r--', 'r-x', 'rw-', 'rwx'];
const WORDS = (d: number, dir: boolean) =>
  [d & 4 ? 'read' : '', d & 2 ? (dir ? 'create and delete in it' : 'write') : '', d & 1 ? (dir ? 'enter' : 'run') : ''].filter(Boolean).join(', ') || 'nothing';

/** A mode in the words `ls -l` and a beginner use: 755 → "rwxr-xr-x: owner read, write…; others read, enter". */
export function modeWords(mode: string, dir: boolean): string {
  const m = /^0?([0-7])([0-7])([0-7])$/.exec(mode.trim());
  if (!m) return '';
  const [u, g, o] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return `${BITS[u]}${BITS[g]}${BITS[o]}: owner may ${WORDS(u, dir)}; group ${WORDS(g, dir)}; others ${WORDS(o, dir)}`;
}

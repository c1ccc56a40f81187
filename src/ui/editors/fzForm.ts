/**
 * FileZilla Server's settings as form fields: immutable edits of `server.filezilla` (the
 * scenario file's form). Every function returns a new file or a message saying what is wrong;
 * the simulator decides what the settings mean (parseFzSettings reports the rest).
 */
import type { FolderRight, FzFolderSpec, FzSettingsSpec, FzUserSpec, ScenarioFile, ServerKind } from '../../core/index';

export type Edit = { ok: true; file: ScenarioFile } | { ok: false; message: string };

/** Beginner words for FileZilla's eight check boxes, in the dialog's order. */
export const RIGHT_LABELS: Record<FolderRight, string> = {
  fileRead: 'Read files (download)',
  fileWrite: 'Write files (upload)',
  fileDelete: 'Delete files (and overwrite, rename)',
  fileAppend: 'Append to files',
  dirCreate: 'Create directories',
  dirDelete: 'Delete directories',
  dirList: 'List directories',
  dirSubdirs: '+Subdirs (the same rights in folders below)',
};

/** What a folder without `rights` gets (FileZilla's dialog default). */
const DEFAULT_RIGHTS: FolderRight[] = ['fileRead', 'dirList', 'dirSubdirs'];

export const fzSpec = (file: ScenarioFile): FzSettingsSpec => file.server.filezilla ?? {};
export const serverKind = (file: ScenarioFile): ServerKind => file.server.kind ?? 'vsftpd';

function withSpec(file: ScenarioFile, spec: FzSettingsSpec): ScenarioFile {
  return { ...file, server: { ...file.server, filezilla: spec } };
}

/** Switch the server program; FileZilla starts from its defaults when it had no settings. */
export function setServerKind(file: ScenarioFile, kind: ServerKind): ScenarioFile {
  const { kind: _old, ...rest } = file.server;
  void _old;
  if (kind === 'vsftpd') return { ...file, server: rest };
  return { ...file, server: { ...rest, kind, filezilla: rest.filezilla ?? {} } };
}

/** Whole number in [min, max], or a message naming the field. */
function whole(raw: string, label: string, min: number, max: number): number | string {
  const t = raw.trim();
  if (!/^\d+$/.test(t)) return `${label} must be a whole number, not "${raw}"`;
  const n = Number(t);
  if (n < min || n > max) return `${label} must be from ${min} to ${max}`;
  return n;
}

export type NumberField = 'minPort' | 'maxPort' | 'maxUsers' | 'timeoutS' | 'attempts' | 'banHours';

const NUMBER_FIELDS: Record<NumberField, { label: string; min: number; max: number }> = {
  minPort: { label: 'Lowest passive port', min: 1, max: 65535 },
  maxPort: { label: 'Highest passive port', min: 1, max: 65535 },
  maxUsers: { label: 'Maximum user count', min: 0, max: 1_000_000 },
  timeoutS: { label: 'Connections time-out', min: 0, max: 9999 },
  attempts: { label: 'Failed logins before a ban', min: 1, max: 999 },
  banHours: { label: 'Ban time', min: 1, max: 999 },
};

/** A number of the settings; an empty passive port clears the custom range. */
export function setNumber(file: ScenarioFile, field: NumberField, raw: string): Edit {
  const spec = fzSpec(file);
  const f = NUMBER_FIELDS[field];
  if ((field === 'minPort' || field === 'maxPort') && raw.trim() === '') {
    const passive = { ...spec.passive };
    delete passive.minPort;
    delete passive.maxPort;
    return { ok: true, file: withSpec(file, { ...spec, passive }) };
  }
  const n = whole(raw, f.label, f.min, f.max);
  if (typeof n === 'string') return { ok: false, message: n };
  if (field === 'minPort' || field === 'maxPort') {
    const passive = { ...spec.passive, [field]: n };
    // A range needs both ends: the other end starts equal.
    if (field === 'minPort' && passive.maxPort === undefined) passive.maxPort = Math.max(n, 1);
    if (field === 'maxPort' && passive.minPort === undefined) passive.minPort = n;
    return { ok: true, file: withSpec(file, { ...spec, passive }) };
  }
  if (field === 'attempts' || field === 'banHours') return { ok: true, file: withSpec(file, { ...spec, autoban: { ...spec.autoban, [field]: n } }) };
  return { ok: true, file: withSpec(file, { ...spec, [field]: n }) };
}

/** The Passive IP ("Use the following IP"); empty = none. */
export function setPassiveIp(file: ScenarioFile, raw: string): Edit {
  const spec = fzSpec(file);
  const t = raw.trim();
  const passive = { ...spec.passive };
  if (t === '') delete passive.ip;
  else {
    const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(t);
    if (!m || m.slice(1).some((o) => Number(o) > 255)) return { ok: false, message: `Passive IP must be an IPv4 address such as 203.0.113.10, not "${raw}"` };
    passive.ip = t;
  }
  return { ok: true, file: withSpec(file, { ...spec, passive }) };
}

export function setFlag(file: ScenarioFile, flag: 'noExternalIpOnLocal' | 'autoban', on: boolean): ScenarioFile {
  const spec = fzSpec(file);
  if (flag === 'autoban') return withSpec(file, { ...spec, autoban: { ...spec.autoban, enabled: on } });
  return withSpec(file, { ...spec, passive: { ...spec.passive, noExternalIpOnLocal: on } });
}

function updateUser(file: ScenarioFile, ui: number, f: (u: FzUserSpec) => FzUserSpec): ScenarioFile {
  const spec = fzSpec(file);
  const users = (spec.users ?? []).map((u, i) => (i === ui ? f(u) : u));
  return withSpec(file, { ...spec, users });
}

export const rightsOf = (f: FzFolderSpec): string[] => f.rights ?? DEFAULT_RIGHTS;

/** Checks or clears one right of one folder of one user. */
export function setRight(file: ScenarioFile, ui: number, fi: number, right: FolderRight, on: boolean): ScenarioFile {
  return updateUser(file, ui, (u) => ({
    ...u,
    folders: (u.folders ?? []).map((f, i) => {
      if (i !== fi) return f;
      const now = rightsOf(f).filter((r) => r !== right);
      return { ...f, rights: on ? [...now, right] : now };
    }),
  }));
}

export function setUserText(file: ScenarioFile, ui: number, field: 'password', value: string): ScenarioFile {
  return updateUser(file, ui, (u) => ({ ...u, [field]: value }));
}

export function setUserEnabled(file: ScenarioFile, ui: number, on: boolean): ScenarioFile {
  return updateUser(file, ui, (u) => ({ ...u, enabled: on }));
}

export function setUserLimit(file: ScenarioFile, ui: number, field: 'maxConnections' | 'maxPerIp', raw: string): Edit {
  const n = whole(raw, field === 'maxPerIp' ? 'Connections per IP address' : 'Connections for this account', 0, 1_000_000);
  if (typeof n === 'string') return { ok: false, message: n };
  return { ok: true, file: updateUser(file, ui, (u) => ({ ...u, [field]: n })) };
}

/** Shares another directory with a user (FileZilla's "Add" on Shared folders): read, list, +subdirs. */
export function addFolder(file: ScenarioFile, ui: number, raw: string): Edit {
  const path = `/${raw.trim().replace(/\\/g, '/').split('/').filter(Boolean).join('/')}`;
  if (raw.trim() === '') return { ok: false, message: 'Type the directory to share, such as /share/upload' };
  const user = fzSpec(file).users?.[ui];
  if (user?.folders?.some((f) => f.path.toLowerCase() === path.toLowerCase())) return { ok: false, message: `${path} is already shared with this user` };
  return { ok: true, file: updateUser(file, ui, (u) => ({ ...u, folders: [...(u.folders ?? []), { path, rights: [...DEFAULT_RIGHTS] }] })) };
}

export function removeFolder(file: ScenarioFile, ui: number, fi: number): ScenarioFile {
  return updateUser(file, ui, (u) => ({ ...u, folders: (u.folders ?? []).filter((_, i) => i !== fi) }));
}

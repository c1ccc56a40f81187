/**
 * FileZilla Server 0.9.60's permission decision (source/Permissions.cpp), as pure functions
 * over the server's file tree:
 *
 *  - A user sees its home folder as "/"; a path the user names is joined onto the current
 *    directory and folded (CanonifyServerDir), then mapped onto the tree below home.
 *  - The rights of a directory are those of the closest shared folder at or above it — the
 *    user's own folders first, then its group's, at each level (GetRealDirectory). A folder
 *    found above the directory applies only when it has +Subdirs ("dirSubdirs"); otherwise,
 *    and when no folder is found at all, the answer is "permission denied".
 *  - File operations are decided by the rights of the file's directory (CheckFilePermissions),
 *    directory operations (create, remove) by the rights of the parent (CheckDirectoryPermissions).
 */
import type { FolderRight, FzFolder, FzSettings, FzUser } from './settings';

/** The part of the server's tree the decision reads. */
export interface FsView {
  isDir(path: string): boolean;
  isFile(path: string): boolean;
}

/** The result flags of Permissions.h (PERMISSION_*), as names. */
export interface PermResult {
  denied?: boolean;
  notFound?: boolean;
  invalidName?: boolean;
  fileNotDir?: boolean;
  dirNotFile?: boolean;
  exists?: boolean;
}
export const isOk = (r: PermResult): boolean => !r.denied && !r.notFound && !r.invalidName && !r.fileNotDir && !r.dirNotFile && !r.exists;

export type Rights = Record<FolderRight, boolean>;

/** The account a session acts as: the user with its group's folders and limits behind it. */
export interface FzAccount {
  user: FzUser;
  /** User folders, then group folders (the order GetRealDirectory searches them). */
  userFolders: FzFolder[];
  groupFolders: FzFolder[];
  /** The tree path the user sees as "/", or null when no folder is marked home. */
  home: string | null;
  enabled: boolean;
  maxConnections: number;
  maxPerIp: number;
}

export function accountOf(settings: FzSettings, name: string): FzAccount | null {
  const user = settings.users.find((u) => u.name === name.toLowerCase());
  if (!user) return null;
  const group = user.group ? settings.groups.find((g) => g.name === user.group) : undefined;
  const groupFolders = group?.folders ?? [];
  const home = user.folders.find((f) => f.home)?.path ?? groupFolders.find((f) => f.home)?.path ?? null;
  return {
    user,
    userFolders: user.folders,
    groupFolders,
    home,
    // t_group::IsEnabled: the user's own flag (the model has no "use group setting" state).
    enabled: user.enabled,
    // t_group::GetUserLimit / GetIpLimit: the user's value, else the group's.
    maxConnections: user.maxConnections || group?.maxConnections || 0,
    maxPerIp: user.maxPerIp || group?.maxPerIp || 0,
  };
}

/**
 * CanonifyServerDir: `arg` joined onto `cwd`, "." and ".." folded, "\" read as "/". Going
 * above "/" is refused (empty result = PERMISSION_INVALIDNAME), as FileZilla refuses it.
 */
export function canonify(cwd: string, arg: string): string | null {
  const a = arg.replace(/\\/g, '/');
  const parts = a.startsWith('/') ? [] : cwd.split('/').filter(Boolean);
  for (const seg of a.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (parts.length === 0) return null;
      parts.pop();
    } else if (/^\.+$/.test(seg) || /[<>:"|?*]/.test(seg)) {
      // Windows refuses names of only dots and these characters.
      return null;
    } else parts.push(seg);
  }
  return `/${parts.join('/')}`;
}

/** The tree path behind the user's path `vpath` ("/" → home). */
export function treePath(home: string, vpath: string): string {
  if (vpath === '/') return home;
  return home === '/' ? vpath : `${home}${vpath}`;
}

const lower = (s: string) => s.toLowerCase();
const parentOf = (p: string): string => {
  const i = p.lastIndexOf('/');
  return i <= 0 ? '/' : p.slice(0, i);
};

/**
 * GetRealDirectory: the rights that apply in the user's directory `vpath` (canonical).
 * `truematch` = a folder is shared exactly there.
 */
export function realDirectory(acc: FzAccount, fs: FsView, vpath: string): { result: PermResult; rights?: Rights; truematch?: boolean; tree?: string } {
  if (acc.home === null) return { result: { denied: true } };
  const tree = treePath(acc.home, vpath);
  // Each segment must exist as a directory (a file in the way: FILENOTDIR).
  const segs = vpath.split('/').filter(Boolean);
  let walk = acc.home;
  if (!fs.isDir(walk)) return { result: fs.isFile(walk) ? { fileNotDir: true } : { notFound: true } };
  for (const s of segs) {
    walk = walk === '/' ? `/${s}` : `${walk}/${s}`;
    if (fs.isFile(walk)) return { result: { fileNotDir: true } };
    if (!fs.isDir(walk)) return { result: { notFound: true } };
  }
  let p = tree;
  let truematch = true;
  for (;;) {
    const f = acc.userFolders.find((x) => lower(x.path) === lower(p)) ?? acc.groupFolders.find((x) => lower(x.path) === lower(p));
    if (f) {
      if (!truematch && !f.rights.dirSubdirs) return { result: { denied: true } };
      return { result: {}, rights: f.rights, truematch, tree };
    }
    if (p === '/') return { result: { denied: true } };
    p = parentOf(p);
    truematch = false;
  }
}

/** File operations of CheckFilePermissions (FOP_*). */
export type FileOp = 'read' | 'write' | 'append' | 'delete' | 'createNew' | 'list';

/**
 * CheckFilePermissions for the user's file `arg` from `cwd`: the flags, the file's path as
 * the user sees it (logical) and in the tree.
 */
export function checkFile(acc: FzAccount, fs: FsView, cwd: string, arg: string, op: FileOp): { result: PermResult; logical?: string; tree?: string } {
  const v = canonify(cwd, arg);
  if (v === null) return { result: { invalidName: true } };
  if (v === '/') return { result: { notFound: true } };
  const dir = parentOf(v);
  const name = v.slice(v.lastIndexOf('/') + 1);
  const d = realDirectory(acc, fs, dir);
  if (!isOk(d.result)) return { result: d.result, logical: v };
  const r = d.rights!;
  const res: PermResult = {};
  if (!r.fileRead && op === 'read') res.denied = true;
  if (!r.fileDelete && op === 'delete') res.denied = true;
  if (!r.fileWrite && (op === 'createNew' || op === 'write' || op === 'append')) res.denied = true;
  if ((!r.dirList || (!r.dirSubdirs && !d.truematch)) && op === 'list') res.denied = true;
  const tree = d.tree === '/' ? `/${name}` : `${d.tree}/${name}`;
  const exists = fs.isFile(tree) || fs.isDir(tree);
  if (!exists) {
    if (!(op === 'write' || op === 'append' || op === 'createNew')) res.notFound = true;
  } else {
    if (fs.isDir(tree)) res.dirNotFile = true;
    if (!r.fileAppend && op === 'append') res.denied = true;
    // Overwriting a file needs the delete right too.
    if (!r.fileDelete && op === 'write') res.denied = true;
    if (op === 'createNew') res.exists = true;
  }
  return { result: res, logical: v, tree };
}

/** Directory operations of CheckDirectoryPermissions (DOP_*). */
export type DirOp = 'create' | 'delete';

/**
 * CheckDirectoryPermissions for the user's directory `arg`: the rights of its parent decide
 * (for MKD of several levels, of the deepest parent that exists).
 */
export function checkDir(acc: FzAccount, fs: FsView, cwd: string, arg: string, op: DirOp): { result: PermResult; logical?: string; tree?: string } {
  const v = canonify(cwd, arg);
  if (v === null) return { result: { invalidName: true } };
  if (v === '/') return { result: { notFound: true } };
  let dir = parentOf(v);
  let rest = v.slice(v.lastIndexOf('/') + 1);
  let d = realDirectory(acc, fs, dir);
  while (d.result.notFound && op === 'create') {
    if (dir === '/') return { result: d.result, logical: v };
    rest = `${dir.slice(dir.lastIndexOf('/') + 1)}/${rest}`;
    dir = parentOf(dir);
    d = realDirectory(acc, fs, dir);
  }
  if (!isOk(d.result)) return { result: d.result, logical: v };
  const res: PermResult = {};
  if (!d.rights!.dirDelete && op === 'delete') res.denied = true;
  if (!d.rights!.dirCreate && op === 'create') res.denied = true;
  const tree = d.tree === '/' ? `/${rest}` : `${d.tree}/${rest}`;
  if (fs.isDir(tree)) {
    if (op === 'create') res.exists = true;
    // An existing directory: its own rights must resolve (a folder above without +Subdirs…).
    const own = realDirectory(acc, fs, v);
    if (!isOk(own.result)) Object.assign(res, own.result);
    return { result: res, logical: v, tree };
  }
  if (fs.isFile(tree)) res.fileNotDir = true;
  else if (op !== 'create') res.notFound = true;
  return { result: res, logical: v, tree };
}

/** ChangeCurrentDir: where CWD/CDUP lands, or why not. */
export function changeDir(acc: FzAccount, fs: FsView, cwd: string, arg: string): { result: PermResult; dir?: string } {
  const v = canonify(cwd, arg);
  if (v === null) return { result: { invalidName: true } };
  const d = realDirectory(acc, fs, v);
  if (!isOk(d.result)) return { result: d.result };
  // Entering needs list, or at least read or write on files.
  if (!d.rights!.dirList && !d.rights!.fileRead && !d.rights!.fileWrite) return { result: { denied: true } };
  return { result: {}, dir: v };
}

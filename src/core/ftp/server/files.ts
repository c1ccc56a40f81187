/**
 * The server's virtual file tree, built from the scenario's `files` map
 * (`{ "/pub/readme.txt": { size: 1024 } | { text: "…" } }`). Directories are implied by the
 * paths (and by MKD). Listings are formatted the way vsftpd's ls.c builds a `LIST` line:
 *
 *   perms ␠ links(right, 4) ␠ uid(left, 8) ␠ gid(left, 8) ␠ size(right, 8) ␠ date ␠ name CRLF
 *   -rw-r--r--    1 0        0            1024 Jan 01 00:00 readme.txt
 *
 * Numeric owner 0/0 (vsftpd prints ids unless text_userdb_names). Scenario files are dated
 * at simulated time 0 (1 Jan 1970, 00:00 UTC); an upload is dated when it completes. Entries
 * are sorted by name, as vsftpd sorts them; dot files are hidden, as without `-a`.
 */

import { modeString, type UnixOwner } from './unix';

export interface FileSpec {
  size?: number;
  text?: string;
  /** An (empty) directory. */
  dir?: boolean;
  /** Unix owner (uid, gid) and permission bits; default root (0, 0), 0644 files, 0755 directories. */
  owner?: { uid: number; gid: number };
  mode?: number;
}

/** Owner and mode a node carries when the scenario gave none. */
interface Perm {
  uid?: number;
  gid?: number;
  mode?: number;
}

interface FileNode extends Perm {
  kind: 'file';
  size: number;
  /** Explicit content; absent = the deterministic pattern for `size`. */
  text?: Uint8Array;
  /** The pattern, made on the first RETR and shared by the next ones (read only: a socket copies what it sends). */
  pattern?: Uint8Array;
  mtimeS: number;
}
interface DirNode extends Perm {
  kind: 'dir';
  mtimeS: number;
}
type Node = FileNode | DirNode;

export interface DirEntry {
  name: string;
  node: Node;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** vsftpd prints the year instead of the time for files older than about six months. */
const SIX_MONTHS_S = 60 * 60 * 24 * 182;

export class VirtualFs {
  private nodes = new Map<string, Node>([['/', { kind: 'dir', mtimeS: 0 }]]);
  /** The tree path this view's "/" stands for ("/" for the whole tree; a chroot()ed session's home otherwise). */
  private root = '/';

  constructor(spec: Record<string, FileSpec> = {}) {
    for (const [path, f] of Object.entries(spec)) {
      const p = normalizePath('/', path);
      if (p === '/') continue;
      const text = f.text !== undefined ? latin1(f.text) : undefined;
      this.ensureParents(p);
      const perm: Perm = { ...(f.owner ? { uid: f.owner.uid, gid: f.owner.gid } : {}), ...(f.mode !== undefined ? { mode: f.mode } : {}) };
      if (f.dir) {
        this.nodes.set(p, { kind: 'dir', mtimeS: 0, ...perm });
        continue;
      }
      this.nodes.set(p, { kind: 'file', size: text ? text.length : Math.max(0, Math.floor(f.size ?? 0)), text, mtimeS: 0, ...perm });
    }
  }

  /**
   * The same tree seen from `root`, as a chroot()ed process sees it: its "/" is `root`, ".."
   * never leaves it, and every change is made in the one shared tree.
   */
  view(root: string): VirtualFs {
    const r = normalizePath('/', root);
    const base = this.at(r);
    if (base === '/') return this;
    const v = Object.create(VirtualFs.prototype) as VirtualFs;
    v.nodes = this.nodes;
    v.root = base;
    return v;
  }

  /** The tree path of a path of this view. */
  private at(path: string): string {
    if (this.root === '/') return path;
    return path === '/' ? this.root : this.root + path;
  }

  /**
   * Gives `path` an owner and mode when the scenario gave it none (a user's home is the user's,
   * as useradd -m makes it). False when it is missing or already has one.
   */
  adopt(path: string, owner: UnixOwner): boolean {
    const n = this.nodes.get(this.at(path));
    if (!n || n.uid !== undefined || n.mode !== undefined) return false;
    n.uid = owner.uid;
    n.gid = owner.gid;
    n.mode = owner.mode;
    return true;
  }

  /** The absolute, normalized path `arg` names from `cwd` (no arg = cwd). */
  resolve(cwd: string, arg: string | undefined): string {
    return normalizePath(cwd, arg ?? '');
  }

  isDir(path: string): boolean {
    return this.nodes.get(this.at(path))?.kind === 'dir';
  }

  isFile(path: string): boolean {
    return this.nodes.get(this.at(path))?.kind === 'file';
  }

  /** Size of a regular file, or null. */
  size(path: string): number | null {
    const n = this.nodes.get(this.at(path));
    return n?.kind === 'file' ? n.size : null;
  }

  /** A file's modification time in seconds of simulated time (0 = 1 Jan 1970), or null. */
  mtime(path: string): number | null {
    const n = this.nodes.get(this.at(path));
    return n?.kind === 'file' ? n.mtimeS : null;
  }

  /** A file's bytes: its text, or a repeatable pattern of its size. */
  content(path: string): Uint8Array | null {
    const n = this.nodes.get(this.at(path));
    if (n?.kind !== 'file') return null;
    // The pattern follows the tree path, so every view of the file sends the same bytes.
    return n.text ?? (n.pattern ??= patternBytes(this.at(path), n.size));
  }

  /** Entries directly inside a directory, sorted by name. */
  entries(dir: string): DirEntry[] {
    const tree = this.at(dir);
    const prefix = tree === '/' ? '/' : `${tree}/`;
    const out: DirEntry[] = [];
    for (const [p, node] of this.nodes) {
      if (p === tree || !p.startsWith(prefix)) continue;
      const name = p.slice(prefix.length);
      if (name.includes('/')) continue;
      out.push({ name, node });
    }
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /**
   * What LIST (full) or NLST sends for `arg` from `cwd`, and whether the directory could be
   * opened (vsftpd: "226 Transfer done (but failed to open directory)." when not). An arg
   * starting with "-" is an ls option word and is skipped; a file arg lists that file.
   */
  listing(cwd: string, arg: string | undefined, full: boolean, nowS: number, visible: (name: string) => boolean = () => true): { text: string; opened: boolean } {
    let target = (arg ?? '').trim();
    if (target.startsWith('-')) {
      const sp = target.indexOf(' ');
      target = sp < 0 ? '' : target.slice(sp + 1).trim();
    }
    const path = this.resolve(cwd, target);
    const line = (e: DirEntry): string => (full ? listLine(e, nowS) : `${e.name}\r\n`);
    if (this.isDir(path)) {
      // The server's own visibility rule (vsftpd: hide_file, as vsf_access_check_file_visible) leaves names out.
      return {
        text: this.entries(path)
          .filter((e) => !e.name.startsWith('.') && visible(e.name))
          .map(line)
          .join(''),
        opened: true,
      };
    }
    const node = this.nodes.get(this.at(path));
    const parent = parentOf(path);
    if (node) return { text: line({ name: target.includes('/') ? target : baseName(path), node }), opened: true };
    return { text: '', opened: this.isDir(parent) };
  }

  /** MKD: false when it exists or the parent is missing. */
  mkdir(path: string, nowS: number, owner?: UnixOwner): boolean {
    if (path === '/' || this.nodes.has(this.at(path)) || !this.isDir(parentOf(path))) return false;
    this.nodes.set(this.at(path), { kind: 'dir', mtimeS: nowS, ...(owner ?? {}) });
    return true;
  }

  /**
   * Owner and permission bits of a node: root's, 0644 for a file and 0755 for a directory,
   * unless the scenario or an upload set them — as the kernel check's real tree has them, where
   * an anonymous upload into a directory nobody was given is refused (553). null: no such node.
   */
  ownerOf(path: string): UnixOwner | null {
    const n = this.nodes.get(this.at(path));
    if (!n) return null;
    return { uid: n.uid ?? 0, gid: n.gid ?? 0, mode: n.mode ?? (n.kind === 'dir' ? 0o755 : 0o644) };
  }

  /** RMD: only an empty directory. */
  rmdir(path: string): boolean {
    if (path === '/' || !this.isDir(path) || this.entries(path).length > 0) return false;
    this.nodes.delete(this.at(path));
    return true;
  }

  /** DELE: only a regular file. */
  remove(path: string): boolean {
    if (!this.isFile(path)) return false;
    this.nodes.delete(this.at(path));
    return true;
  }

  /** Whether STOR could create `path` (parent is a directory, path is not a directory). */
  canCreate(path: string, exclusive: boolean): boolean {
    if (this.isDir(path) || !this.isDir(parentOf(path))) return false;
    return !(exclusive && this.nodes.has(this.at(path)));
  }

  /** STOR: records the uploaded size (the bytes themselves are not kept). */
  store(path: string, size: number, nowS: number, owner?: UnixOwner): void {
    // Overwriting keeps the file's owner and mode (the same inode); a new file gets `owner`.
    const old = this.nodes.get(this.at(path));
    const perm: Perm = old?.kind === 'file' ? { uid: old.uid, gid: old.gid, mode: old.mode } : (owner ?? {});
    this.nodes.set(this.at(path), { kind: 'file', size, mtimeS: nowS, ...perm });
  }

  /**
   * RNFR/RNTO: moves a file or a directory with everything below it. False when the source
   * is missing, the target exists, the target's parent is not a directory, or a directory
   * would move into itself.
   */
  rename(from: string, to: string): boolean {
    if (from === '/' || to === '/' || !this.nodes.has(this.at(from)) || this.nodes.has(this.at(to)) || !this.isDir(parentOf(to))) return false;
    if (to.startsWith(`${from}/`)) return false;
    const [tf, tt] = [this.at(from), this.at(to)];
    const moved: [string, Node][] = [];
    for (const [p, n] of this.nodes) if (p === tf || p.startsWith(`${tf}/`)) moved.push([p, n]);
    for (const [p] of moved) this.nodes.delete(p);
    for (const [p, n] of moved) this.nodes.set(tt + p.slice(tf.length), n);
    return true;
  }

  private ensureParents(path: string): void {
    for (let p = parentOf(path); p !== '/' && !this.nodes.has(p); p = parentOf(p)) this.nodes.set(p, { kind: 'dir', mtimeS: 0 });
  }
}

/** One `ls -l` line as vsftpd's build_dir_line writes it. */
export function listLine(e: DirEntry, nowS: number): string {
  const isDir = e.node.kind === 'dir';
  const perms = modeString(isDir, e.node.mode ?? (isDir ? 0o755 : 0o644));
  const links = isDir ? 2 : 1;
  const size = e.node.kind === 'file' ? e.node.size : 4096;
  return `${perms} ${String(links).padStart(4)} ${String(e.node.uid ?? 0).padEnd(8)} ${String(e.node.gid ?? 0).padEnd(8)} ${String(size).padStart(8)} ${lsDate(e.node.mtimeS, nowS)} ${e.name}\r\n`;
}

/** "Mon DD HH:MM" (recent) or "Mon DD  YYYY" (older than ~6 months), UTC. */
export function lsDate(mtimeS: number, nowS: number): string {
  const days = Math.floor(mtimeS / 86400);
  const { y, m, d } = civilFromDays(days);
  const dd = String(d).padStart(2, '0');
  if (Math.abs(nowS - mtimeS) > SIX_MONTHS_S) return `${MONTHS[m - 1]} ${dd}  ${y}`;
  const secs = mtimeS - days * 86400;
  const hh = String(Math.floor(secs / 3600)).padStart(2, '0');
  const mm = String(Math.floor((secs % 3600) / 60)).padStart(2, '0');
  return `${MONTHS[m - 1]} ${dd} ${hh}:${mm}`;
}

/** MDTM's answer: the time as YYYYMMDDHHMMSS, UTC. */
export function mdtmTime(mtimeS: number): string {
  const days = Math.floor(mtimeS / 86400);
  const { y, m, d } = civilFromDays(days);
  const secs = mtimeS - days * 86400;
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(y, 4)}${p(m)}${p(d)}${p(Math.floor(secs / 3600))}${p(Math.floor((secs % 3600) / 60))}${p(secs % 60)}`;
}

/** Days since 1970-01-01 → proleptic Gregorian date (H. Hinnant's algorithm). */
function civilFromDays(z0: number): { y: number; m: number; d: number } {
  const z = z0 + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { y: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d };
}

/**
 * Content of a size-only file: printable text lines (so a packet view shows readable
 * payload), the same for the same path and size in every run.
 */
export function patternBytes(path: string, size: number): Uint8Array {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let h = 0;
  for (let i = 0; i < path.length; i++) h = (h * 31 + path.charCodeAt(i)) >>> 0;
  const out = new Uint8Array(size);
  // The pattern repeats every lcm(64, 62) = 1984 bytes: compute one period, then copy it
  // (a byte-by-byte loop cost ~5 ms per MB, on every RETR of a big file).
  const period = Math.min(size, 1984);
  for (let i = 0; i < period; i++) out[i] = i % 64 === 63 ? 0x0a : alphabet.charCodeAt((i + h) % alphabet.length);
  for (let filled = period; filled < size; filled *= 2) out.copyWithin(filled, 0, Math.min(filled, size - filled));
  return out;
}

/** Joins `arg` onto `cwd` and folds "." and ".." (never above "/"). */
export function normalizePath(cwd: string, arg: string): string {
  const start = arg.startsWith('/') ? [] : cwd.split('/').filter(Boolean);
  for (const part of arg.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') start.pop();
    else start.push(part);
  }
  return `/${start.join('/')}`;
}

export function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function latin1(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}

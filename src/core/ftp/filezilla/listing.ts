/**
 * FileZilla Server 0.9.60's directory listings (source/Permissions.cpp):
 *   LIST — CPermissions::AddLongListingEntry, an `ls -l` line made up on Windows:
 *          "drwxr-xr-x 1 ftp ftp              0 Jan 01 00:00 upload"
 *          "-rw-r--r-- 1 ftp ftp           1024 Jan 01 00:00 readme.txt"
 *          Files show r/w from the folder's FileRead/FileWrite rights (x for .exe/.bat/.com);
 *          size right-aligned in 14 columns; the year instead of the time for a file dated in
 *          the future or more than 350 days ago.
 *   NLST — AddShortListingEntry: the directory argument as given, with a "/" added, then the name.
 * Only subdirectories the user may list appear (GetDirectoryListing), "." and ".." never;
 * names starting with a dot are listed (Windows has no hidden-dot rule).
 */
import { mdtmTime } from '../server/files';
import { isOk, realDirectory, type FsView, type FzAccount, type Rights } from './permissions';

export interface ListNode {
  kind: 'file' | 'dir';
  size?: number;
  mtimeS: number;
}
export interface ListFs extends FsView {
  entries(dir: string): { name: string; node: ListNode }[];
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n: number) => String(n).padStart(2, '0');

/** Calendar fields of a time in seconds since 1 Jan 1970 (UTC), from vsftpd's MDTM formatter. */
function civil(s: number): { y: number; m: number; d: number; hh: number; mm: number } {
  const t = mdtmTime(s);
  const n = (a: number, b: number) => Number(t.slice(a, b));
  return { y: n(0, 4), m: n(4, 6), d: n(6, 8), hh: n(8, 10), mm: n(10, 12) };
}

/** One LIST line (the server's clock taken as UTC). */
export function fzListLine(name: string, node: ListNode, rights: Rights, nowS: number): string {
  let perms: string;
  if (node.kind === 'dir') perms = 'drwxr-xr-x';
  else {
    const exe = /\.(exe|bat|com)$/i.test(name) && name.length > 4;
    const x = exe ? 'x' : '-';
    const r = rights.fileRead ? 'r' : '-';
    perms = `-${r}${rights.fileWrite ? 'w' : '-'}${x}${r}-${x}${r}-${x}`;
  }
  const size = node.kind === 'dir' ? 0 : (node.size ?? 0);
  const t = civil(node.mtimeS);
  const old = node.mtimeS > nowS || nowS - node.mtimeS > 350 * 86400;
  const when = old ? ` ${t.y} ` : `${p2(t.hh)}:${p2(t.mm)} `;
  return `${perms} 1 ftp ftp ${String(size).padStart(14)} ${MONTHS[t.m - 1]} ${p2(t.d)} ${when}${name}\r\n`;
}

/** MDTM's 213 text: YYYYMMDDHHMMSS of the file's time (FileTimeToSystemTime, UTC) — vsftpd's format too. */
export const fzMdtm = (mtimeS: number): string => mdtmTime(mtimeS);

/**
 * The listing of the user's directory `vdir` (canonical, already checked listable) whose
 * rights are `rights`; `display` is the NLST prefix. `only` restricts it to one name (a LIST
 * of a file).
 */
export function fzListing(acc: FzAccount, fs: ListFs, vdir: string, treeDir: string, rights: Rights, full: boolean, display: string, nowS: number, only?: string): string {
  const prefix = display !== '' && !display.endsWith('/') ? `${display}/` : display;
  const entries = fs
    .entries(treeDir)
    .filter((e) => only === undefined || e.name.toLowerCase() === only.toLowerCase())
    // NTFS returns names in case-insensitive order.
    .sort((a, b) => {
      const x = a.name.toUpperCase();
      const y = b.name.toUpperCase();
      return x < y ? -1 : x > y ? 1 : 0;
    });
  let out = '';
  for (const e of entries) {
    let lineRights = rights;
    if (e.node.kind === 'dir') {
      const sub = realDirectory(acc, fs, vdir === '/' ? `/${e.name}` : `${vdir}/${e.name}`);
      if (!isOk(sub.result) || !sub.rights!.dirList) continue;
      lineRights = sub.rights!;
    }
    out += full ? fzListLine(e.name, e.node, lineRights, nowS) : `${prefix}${e.name}\r\n`;
  }
  return out;
}

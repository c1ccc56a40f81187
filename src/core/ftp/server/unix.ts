/**
 * Unix and vsftpd file rules the shared file tree and the servers use:
 *   filenamePassesFilter — vsftpd 3.0.3 ls.c vsf_filename_passes_filter (deny_file, hide_file)
 *   accessCheckFile      — access.c vsf_access_check_file / _visible
 *   unixAccess           — the kernel's owner/group/other check (root passes)
 *   createdMode          — file_open_mode or 0777 less the umask
 *   modeString           — "drwxr-xr-x" as ls prints it
 */

/** VSFTP_MATCHITERS_MAX (defs.h). */
const MATCH_ITERS_MAX = 1000;

/** vsftpd's own pattern match: "*", "?" and a flat "{a,b}", on the text as given. */
export function filenamePassesFilter(name: string, filter: string, iters = { n: 0 }): boolean {
  let filterRemain = filter;
  let nameRemain = name;
  let lastToken = '';
  let mustMatchHere = true;
  while (filterRemain !== '' && iters.n < MATCH_ITERS_MAX) {
    const idx = filterRemain.search(/[*?{]/);
    iters.n++;
    let needed: string;
    if (idx >= 0) {
      needed = filterRemain.slice(0, idx);
      lastToken = filterRemain[idx]!;
      filterRemain = filterRemain.slice(idx + 1);
    } else {
      needed = filterRemain;
      filterRemain = '';
      lastToken = '';
    }
    if (needed !== '') {
      const at = nameRemain.indexOf(needed);
      if (at < 0 || (mustMatchHere && at > 0)) return false;
      nameRemain = nameRemain.slice(at + needed.length);
    }
    if (lastToken === '?') {
      if (nameRemain === '') return false;
      nameRemain = nameRemain.slice(1);
      mustMatchHere = true;
    } else if (lastToken === '{') {
      mustMatchHere = true;
      const end = filterRemain.indexOf('}');
      if (end >= 0) {
        const list = filterRemain.slice(0, end);
        const after = filterRemain.slice(end + 1);
        for (const alt of list.split(',')) {
          if (alt === '') break;
          if (filenamePassesFilter(nameRemain, alt + after, iters)) return true;
        }
        return false;
      }
      if (nameRemain === '' || nameRemain[0] !== '{') return false;
      nameRemain = nameRemain.slice(1);
    } else {
      mustMatchHere = false;
    }
  }
  if (nameRemain.length > 0 && lastToken !== '*') return false;
  return iters.n !== MATCH_ITERS_MAX;
}

/** deny_file / hide_file: false when `name` is refused (or hidden). An unset pattern allows all. */
export function accessCheckFile(name: string, pattern: string | null): boolean {
  if (!pattern) return true;
  if (filenamePassesFilter(name, pattern)) return false;
  return !name.includes(pattern);
}

export interface UnixCred {
  uid: number;
  gid: number;
}

export interface UnixOwner {
  uid: number;
  gid: number;
  /** Permission bits, e.g. 0o755. */
  mode: number;
}

/** Whether `cred` may read (r), write (w) or search/execute (x) `node`: owner bits, else group, else other; root may do all but execute a file without any x. */
export function unixAccess(cred: UnixCred, node: UnixOwner, want: 'r' | 'w' | 'x'): boolean {
  const bit = want === 'r' ? 4 : want === 'w' ? 2 : 1;
  if (cred.uid === 0) return want !== 'x' || (node.mode & 0o111) !== 0;
  const shift = cred.uid === node.uid ? 6 : cred.gid === node.gid ? 3 : 0;
  return ((node.mode >> shift) & bit) !== 0;
}

/** The mode a new file (file_open_mode, default 0666) or directory (0777) gets under `umask`. */
export function createdMode(isDir: boolean, umask: number, fileOpenMode = 0o666): number {
  return (isDir ? 0o777 : fileOpenMode) & ~umask & 0o7777;
}

/** "drwxr-xr-x" from a mode (ls.c via vsf_sysutil_statbuf_get_perms). */
export function modeString(isDir: boolean, mode: number): string {
  const rwx = (m: number) => `${m & 4 ? 'r' : '-'}${m & 2 ? 'w' : '-'}${m & 1 ? 'x' : '-'}`;
  return `${isDir ? 'd' : '-'}${rwx(mode >> 6)}${rwx(mode >> 3)}${rwx(mode)}`;
}

/**
 * vsftpd 3.0.3's account rules as pure functions, each after the function that applies it:
 *   filenamePassesFilter — ls.c vsf_filename_passes_filter (deny_file, hide_file patterns)
 *   accessCheckFile      — access.c vsf_access_check_file / _visible: a name that matches the
 *                          pattern, or contains the pattern's text, is refused / hidden
 *   commandAllowed       — postlogin.c process_post_login (cmds_allowed, then cmds_denied)
 *   userlistRefuses      — prelogin.c handle_user_command (userlist_enable/userlist_deny)
 *   unixAccess           — the kernel's permission check vsftpd relies on (owner, group, other;
 *                          root passes)
 *   createdMode          — the mode of what STOR/MKD create: file_open_mode or 0777, less the
 *                          umask (postlogin.c: vsf_sysutil_set_umask(local_umask/anon_umask))
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

/** cmds_allowed (a comma list; a command not in it is refused) then cmds_denied. */
export function commandAllowed(verb: string, allowed: string | null, denied: string | null): boolean {
  if (allowed && !allowed.split(',').includes(verb)) return false;
  if (denied && denied.split(',').includes(verb)) return false;
  return true;
}

/**
 * userlist_enable: the names in the list (vsftpd.user_list) are refused at USER when
 * userlist_deny=YES (the default), or are the only ones let in when userlist_deny=NO.
 * vsftpd answers "530 Permission denied." and counts a login failure.
 */
export function userlistRefuses(user: string, conf: { userlist_enable: boolean; userlist_deny: boolean }, list: readonly string[]): boolean {
  if (!conf.userlist_enable) return false;
  const located = list.includes(user);
  return (located && conf.userlist_deny) || (!located && !conf.userlist_deny);
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

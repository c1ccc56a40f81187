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
import type { UnixCred } from '../server/unix';

export { accessCheckFile, createdMode, filenamePassesFilter, modeString, unixAccess, type UnixCred, type UnixOwner } from '../server/unix';

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

/** The uid of vsftpd's anonymous user (ftp_username "ftp"), as the model numbers it. */
export const FTP_UID = 100;

/**
 * The uid (and own group's gid) of a name in the model: root 0, ftp 100, the scenario's
 * server.users 1000, 1001, … in their order; null for an unknown name.
 */
export function uidOf(name: string, users: readonly { name: string }[] = []): number | null {
  if (name === 'root') return 0;
  if (name === 'ftp' || name === 'anonymous') return FTP_UID;
  const i = users.findIndex((u) => u.name === name);
  return i < 0 ? null : 1000 + i;
}

/** Who a logged-in session acts as. */
export function credOf(user: string | null, anonymous: boolean, users: readonly { name: string }[] = []): UnixCred {
  const uid = anonymous ? FTP_UID : (uidOf(user ?? '', users) ?? FTP_UID);
  return { uid, gid: uid };
}

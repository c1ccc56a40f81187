/**
 * Which directories curl changes to before a transfer, as curl 7.88.1 does it with its default
 * `--ftp-method multicwd` (lib/ftp.c: ftp_parse_url_path, ftp_state_cwd, ftp_done; the entry
 * path from the PWD after login, ftp_state_pwd_resp). Pure: the client machine keeps the state
 * of the connection and asks here.
 *
 * - The URL's path, without its leading slash, is cut at every "/": each piece before the last
 *   slash is one `CWD`, empty pieces skipped, except that a path starting with "/" (a URL like
 *   ftp://host//etc/x) changes to "/" first; what follows the last slash is the file name
 *   (RETR/STOR/SIZE name it alone).
 * - On a connection's first transfer curl is where the login left it: no CWD when the URL has
 *   no directory.
 * - On a reused connection it remembers the directory part of the previous URL (not after a
 *   refused CWD): the same directory needs no CWD; another one, or none remembered, first goes
 *   back to the entry path (the one PWD reported) unless the new path is absolute, then the
 *   new URL's CWDs.
 */

/** A URL path split the multicwd way. */
export interface CurlUrlPath {
  /** The CWD arguments, in order. */
  dirs: string[];
  /** The file name ('' for a directory listing). */
  file: string;
  /** The path without the file name: what curl remembers after the transfer ("pub/", ""). */
  dir: string;
}

/** What curl knows about the directory of one control connection. */
export interface CurlConnDir {
  /** From the 257 to PWD after login; null when PWD gave none. */
  entryPath: string | null;
  /** The directory part of the last URL on this connection; null after a refused CWD. */
  prevPath: string | null;
  /** A transfer already ran on this connection (curl's conn->bits.reuse). */
  reused: boolean;
}

export const freshCurlConn = (): CurlConnDir => ({ entryPath: null, prevPath: '', reused: false });

/** The URL path (no leading slash) a script's `cd` lines and a transfer's argument make: cd pub + get a.txt → "pub/a.txt". */
export function curlUrlPath(cdDirs: readonly string[], arg: string | undefined, listing: boolean): string {
  const a = arg ?? '';
  // `ls DIR` lists the directory: a URL ending in "/".
  const tail = listing && a !== '' && !a.endsWith('/') ? `${a}/` : a;
  return cdDirs.map((d) => `${d}/`).join('') + tail;
}

/** ftp_parse_url_path, FTPFILE_MULTICWD. */
export function parseCurlPath(path: string): CurlUrlPath {
  const dirs: string[] = [];
  const parts = path.split('/');
  const file = parts.pop()!;
  parts.forEach((p, i) => {
    if (p !== '') dirs.push(p);
    else if (i === 0) dirs.push('/');
  });
  return { dirs, file, dir: path.slice(0, path.length - file.length) };
}

/** The CWD commands before this URL's transfer on a connection in state `conn` (ftp_parse_url_path's cwddone, ftp_state_cwd). */
export function curlCwds(conn: CurlConnDir, url: CurlUrlPath): string[] {
  const oldPath = conn.reused ? conn.prevPath : '';
  if (oldPath !== null && oldPath === url.dir) return [];
  const absolute = url.dirs[0] === '/';
  return conn.reused && conn.entryPath !== null && !absolute ? [conn.entryPath, ...url.dirs] : url.dirs;
}

/**
 * curl --ftp-create-dirs (the curl tool sets CURLFTP_CREATE_DIR_RETRY; lib/ftp.c ftp_statemachine,
 * FTP_CWD and FTP_MKD): the directory to make after `cwds[index]` was refused, or null when the
 * refusal ends the URL. Only a directory of the URL's path is made, not the way back to the entry
 * path (cwdcount 0), and only once per CWD (count2). Whatever the MKD's answer, the same CWD
 * follows (count3 lets one MKD fail: another client may have made it meanwhile), and a second
 * refusal ends the URL as without the option (exit 9, "Server denied you to change to the given
 * directory"); curl's own "Failed to MKD dir" is out of the tool's reach.
 */
export function curlMkdAfterRefusedCwd(cwds: readonly string[], url: CurlUrlPath, index: number, mkdTried: boolean): string | null {
  if (mkdTried || index < cwds.length - url.dirs.length) return null;
  return cwds[index] ?? null;
}

/** The path in a 257 reply (`257 "/home/a ""b""" is …`: doubled quotes are one), or null. */
export function pwdReplyPath(text: string): string | null {
  const m = /"((?:[^"]|"")*)"/.exec(text);
  return m ? m[1]!.replace(/""/g, '"') : null;
}

/**
 * What the simulated FTP server says, in two voices. The semantics are always vsftpd's; only
 * the words differ. 'vsftpd' is vsftpd 3.0.x as its source writes them (prelogin.c,
 * postlogin.c, ftpdataio.c, ssl.c, features.c; codes from ftpcodes.h). 'proftpd' is the
 * ProFTPD 1.2 of the seed transcripts (slacksite "Active FTP vs. Passive FTP"); where the
 * seed shows nothing, ProFTPD falls back to vsftpd's text.
 */

import { formatFtpReply } from '../../codec/ftp';

export type ReplyStyle = 'vsftpd' | 'proftpd';

/** One reply: its code and its text lines (one line, or several for a multi-line reply). */
export interface Reply {
  code: number;
  lines: string[];
}

/** Values some replies print. */
export interface ReplyArgs {
  banner?: string;
  host?: string;
  user?: string;
  file?: string;
  size?: number;
  path?: string;
  port?: number;
  /** "h1,h2,h3,h4,p1,p2" for the 227. */
  hostPort?: string;
  what?: string;
  /** FEAT body lines (each with its leading space). */
  features?: string[];
}

type Text = string | ((a: ReplyArgs) => string);
interface Entry {
  code: number;
  vsftpd: Text;
  /** ProFTPD 1.2 wording; absent = same as vsftpd. */
  proftpd?: Text;
}

const q = (s: string | undefined): string => `"${(s ?? '').replace(/"/g, '""')}"`;

/** The table. Comments name the vsftpd handler that says it. */
const TABLE = {
  // emit_greeting: "(vsFTPd 3.0.3)" unless ftpd_banner. Seed: "220 testbox2.slacksite.com FTP server ready."
  greeting: { code: 220, vsftpd: (a) => a.banner ?? '(vsFTPd 3.0.3)', proftpd: (a) => a.banner ?? `${a.host ?? 'localhost'} FTP server ready.` },
  // handle_user_command
  userOk: { code: 331, vsftpd: 'Please specify the password.', proftpd: (a) => `Password required for ${a.user ?? ''}.` },
  anonOnly: { code: 530, vsftpd: 'This FTP server is anonymous only.' },
  anonNoEncryption: { code: 530, vsftpd: 'Anonymous sessions may not use encryption.' },
  localMustEncrypt: { code: 530, vsftpd: 'Non-anonymous sessions must use encryption.' },
  anonMustEncrypt: { code: 530, vsftpd: 'Anonymous sessions must use encryption.' },
  // userlist_enable refuses the name at USER (FTP_LOGINERR)
  userlistDenied: { code: 530, vsftpd: 'Permission denied.' },
  // handle_pass_command
  loginOk: { code: 230, vsftpd: 'Login successful.', proftpd: (a) => `User ${a.user ?? ''} logged in.` },
  loginIncorrect: { code: 530, vsftpd: 'Login incorrect.' },
  needUser: { code: 503, vsftpd: 'Login with USER first.' },
  // parse_username_password: anything else before login
  pleaseLogin: { code: 530, vsftpd: 'Please login with USER and PASS.' },
  // handle_logged_in_user / _pass
  cantChangeGuest: { code: 530, vsftpd: "Can't change from guest user." },
  anyPassword: { code: 331, vsftpd: 'Any password will do.' },
  cantChangeUser: { code: 530, vsftpd: "Can't change to another user." },
  alreadyLoggedIn: { code: 230, vsftpd: 'Already logged in.' },
  syst: { code: 215, vsftpd: 'UNIX Type: L8' },
  // handle_type
  typeI: { code: 200, vsftpd: 'Switching to Binary mode.', proftpd: 'Type set to I' },
  typeA: { code: 200, vsftpd: 'Switching to ASCII mode.', proftpd: 'Type set to A' },
  typeBad: { code: 500, vsftpd: 'Unrecognised TYPE command.' },
  // handle_pwd (3.0.3 adds "is the current directory")
  pwd: { code: 257, vsftpd: (a) => `${q(a.path)} is the current directory` },
  cwdOk: { code: 250, vsftpd: 'Directory successfully changed.', proftpd: 'CWD command successful' },
  cwdFail: { code: 550, vsftpd: 'Failed to change directory.' },
  noop: { code: 200, vsftpd: 'NOOP ok.', proftpd: 'NOOP command successful' },
  // features.c handle_feat: the body depends on the configuration
  feat: { code: 211, vsftpd: 'Features:' },
  featEnd: { code: 211, vsftpd: 'End' },
  optsUtf8: { code: 200, vsftpd: 'Always in UTF8 mode.' },
  optsBad: { code: 501, vsftpd: 'Option not understood.' },
  size: { code: 213, vsftpd: (a) => String(a.size ?? 0) },
  sizeFail: { code: 550, vsftpd: 'Could not get file size.' },
  mdtm: { code: 213, vsftpd: (a) => a.what ?? '' },
  mdtmFail: { code: 550, vsftpd: 'Could not get file modification time.' },
  mkdOk: { code: 257, vsftpd: (a) => `${q(a.path)} created` },
  mkdFail: { code: 550, vsftpd: 'Create directory operation failed.' },
  rmdOk: { code: 250, vsftpd: 'Remove directory operation successful.' },
  rmdFail: { code: 550, vsftpd: 'Remove directory operation failed.' },
  deleOk: { code: 250, vsftpd: 'Delete operation successful.', proftpd: 'DELE command successful' },
  deleFail: { code: 550, vsftpd: 'Delete operation failed.' },
  // handle_rnfr / handle_rnto
  rnfrOk: { code: 350, vsftpd: 'Ready for RNTO.' },
  rnfrFail: { code: 550, vsftpd: 'RNFR command failed.' },
  needRnfr: { code: 503, vsftpd: 'RNFR required first.' },
  renameOk: { code: 250, vsftpd: 'Rename successful.' },
  renameFail: { code: 550, vsftpd: 'Rename failed.' },
  // The dispatcher's answer to a known command the configuration turns off (PORT with
  // port_enable=NO, STOR without write_enable, PASV with pasv_enable=NO…).
  permissionDenied: { code: 550, vsftpd: 'Permission denied.' },
  // handle_port / handle_eprt
  portOk: { code: 200, vsftpd: 'PORT command successful. Consider using PASV.', proftpd: 'PORT command successful.' },
  eprtOk: { code: 200, vsftpd: 'EPRT command successful. Consider using EPSV.', proftpd: 'EPRT command successful.' },
  portIllegal: { code: 500, vsftpd: 'Illegal PORT command.' },
  eprtIllegal: { code: 500, vsftpd: 'Illegal EPRT command.' },
  eprtBad: { code: 500, vsftpd: 'Bad EPRT command.' },
  eprtBadProtocol: { code: 500, vsftpd: 'Bad EPRT protocol.' },
  // handle_pasv
  pasvOk: { code: 227, vsftpd: (a) => `Entering Passive Mode (${a.hostPort ?? ''}).` },
  // No period after the parenthesis: postlogin.c appends "|)", and vsftpd 3.0.3 sends exactly
  // that (captured on the server LAN and in curl's transcript, tests/kernel).
  epsvOk: { code: 229, vsftpd: (a) => `Entering Extended Passive Mode (|||${a.port ?? 0}|)` },
  epsvAll: { code: 200, vsftpd: 'EPSV ALL ok.' },
  epsvBadProtocol: { code: 522, vsftpd: 'Bad network protocol.' },
  // data_transfer_checks_ok / vsf_ftpdataio_get_pasv_fd / _get_port_fd
  useFirst: { code: 425, vsftpd: 'Use PORT or PASV first.' },
  needEncrypt: { code: 522, vsftpd: 'Data connections must be encrypted.' },
  failedConnect: { code: 425, vsftpd: 'Failed to establish connection.' },
  badIp: { code: 425, vsftpd: 'Security: Bad IP connecting.' },
  // handle_dir_common
  listStart: { code: 150, vsftpd: 'Here comes the directory listing.', proftpd: 'Opening ASCII mode data connection for file list.' },
  dirOk: { code: 226, vsftpd: 'Directory send OK.', proftpd: 'Transfer complete.' },
  dirFailedOpen: { code: 226, vsftpd: 'Transfer done (but failed to open directory).', proftpd: 'Transfer complete.' },
  // handle_retr: "ASCII" only with ascii_download_enable, which the model leaves off.
  retrStart: {
    code: 150,
    vsftpd: (a) => `Opening BINARY mode data connection for ${a.file ?? ''} (${a.size ?? 0} bytes).`,
    proftpd: (a) => `Opening BINARY mode data connection for ${a.file ?? ''} (${a.size ?? 0} bytes)`,
  },
  retrFail: { code: 550, vsftpd: 'Failed to open file.', proftpd: (a) => `${a.file ?? ''}: No such file or directory` },
  // handle_upload_common
  storStart: { code: 150, vsftpd: 'Ok to send data.', proftpd: (a) => `Opening BINARY mode data connection for ${a.file ?? ''}` },
  storFail: { code: 553, vsftpd: 'Could not create file.' },
  transferOk: { code: 226, vsftpd: 'Transfer complete.' },
  writeNetFail: { code: 426, vsftpd: 'Failure writing network stream.' },
  readNetFail: { code: 426, vsftpd: 'Failure reading network stream.' },
  dataTimeout: { code: 421, vsftpd: 'Data timeout. Reconnect. Sorry.' },
  idleTimeout: { code: 421, vsftpd: 'Timeout.' },
  goodbye: { code: 221, vsftpd: 'Goodbye.' },
  unknown: { code: 500, vsftpd: 'Unknown command.', proftpd: (a) => `${a.what ?? ''} not understood` },
  // postlogin.c handle_site: a sub-command other than CHMOD, UMASK, HELP (lftp's SITE UTIME).
  siteUnknown: { code: 500, vsftpd: 'Unknown SITE command.' },
  siteHelp: { code: 214, vsftpd: (a) => a.what ?? '' },
  // ssl.c
  authOk: { code: 234, vsftpd: 'Proceed with negotiation.', proftpd: 'AUTH TLS successful' },
  authBad: { code: 504, vsftpd: 'Unknown AUTH type.' },
  pbszOk: { code: 200, vsftpd: 'PBSZ set to 0.' },
  pbszBad: { code: 503, vsftpd: 'PBSZ needs a secure connection.' },
  protClear: { code: 200, vsftpd: 'PROT now Clear.' },
  protPrivate: { code: 200, vsftpd: 'PROT now Private.' },
  protBad: { code: 503, vsftpd: 'PROT needs a secure connection.' },
  protNotSupported: { code: 536, vsftpd: 'PROT not supported.' },
  protUnknown: { code: 504, vsftpd: 'PROT not recognized.' },
  aborNone: { code: 225, vsftpd: 'No transfer to ABOR.' },
  struOk: { code: 200, vsftpd: 'Structure set to F.' },
  struBad: { code: 504, vsftpd: 'Bad STRU command.' },
  modeOk: { code: 200, vsftpd: 'Mode set to S.' },
  modeBad: { code: 504, vsftpd: 'Bad MODE command.' },
  allo: { code: 202, vsftpd: 'ALLO command ignored.' },
  notImplemented: { code: 502, vsftpd: (a) => `${a.what ?? ''} not implemented.` },
  // utility.c die(): "500 OOPS: " + reason, then the process exits.
  oops: { code: 500, vsftpd: (a) => `OOPS: ${a.what ?? ''}` },
} satisfies Record<string, Entry>;

export type ReplyId = keyof typeof TABLE;

/** The reply `id` in `style`. */
export function reply(style: ReplyStyle, id: ReplyId, args: ReplyArgs = {}): Reply {
  const e: Entry = TABLE[id];
  const t = style === 'proftpd' && e.proftpd !== undefined ? e.proftpd : e.vsftpd;
  return { code: e.code, lines: [typeof t === 'function' ? t(args) : t] };
}

/**
 * FEAT as vsftpd 3.0.x lists it (features.c): a "211-Features:" line, feature lines that
 * start with a space, then "211 End". AUTH TLS/PBSZ/PROT only with ssl_enable, EPRT only
 * with port_enable, EPSV/PASV only with pasv_enable; no UTF8 (utf8_filesystem is off).
 */
export function featReply(style: ReplyStyle, f: { ssl: boolean; port: boolean; pasv: boolean }): Reply {
  const body: string[] = [];
  if (f.ssl) body.push(' AUTH TLS');
  if (f.port) body.push(' EPRT');
  if (f.pasv) body.push(' EPSV');
  body.push(' MDTM');
  if (f.pasv) body.push(' PASV');
  if (f.ssl) body.push(' PBSZ', ' PROT');
  // UTF8 only with utf8_filesystem=YES (off by default, and not a key the loader knows):
  // captured from vsftpd 3.0.3, the list ends at TVFS.
  body.push(' REST STREAM', ' SIZE', ' TVFS');
  const head = reply(style, 'feat').lines[0]!;
  const end = reply(style, 'featEnd').lines[0]!;
  return { code: 211, lines: [head, ...body, end] };
}

/**
 * The bytes of a reply: "ddd text\r\n", or for several lines "ddd-first\r\n", the middle
 * lines as they are, "ddd last\r\n" (RFC 959 §4.2; vsftpd writes FEAT's middle lines raw).
 */
export function encodeReplyText(r: Reply): string {
  return formatFtpReply(r.code, r.lines.length > 0 ? r.lines : ['']);
}

/** The reply as one trace line: its bytes without the final CRLF, inner CRLFs as "\n". */
export function replyTraceText(r: Reply): string {
  return encodeReplyText(r).replace(/\r\n$/, '').split('\r\n').join('\n');
}

/**
 * FileZilla Server 0.9.60's reply texts, each as its source writes it. Unless noted, the
 * line is in source/ControlSocket.cpp, CControlSocket::ParseCommand, in the `case` of the
 * command named in the comment. Other places:
 *   DoUserLogin            — 230's failures: 530/421 at PASS (limits, autoban, disabled)
 *   ProcessTransferMsg     — 226/425/426 after a transfer
 *   SendTransferPreliminary— the 150
 *   ForceClose             — the 421 of the time-outs
 *   ServerThread.cpp CServerThread::AddSocket — the 220 welcome
 *   ListenSocket.cpp CListenSocket::OnAccept   — 550 for a banned address
 */

export interface FzReply {
  code: number;
  lines: string[];
}

const r = (code: number, text: string): FzReply => ({ code, lines: [text] });

export const FZ = {
  // MapCommand
  syntax: () => r(501, 'Syntax error'),
  loginFirst: () => r(530, 'Please log in with USER and PASS first.'),
  unknown: () => r(500, 'Syntax error, command unrecognized.'),
  // USER / PASS / DoUserLogin
  userOk: (lowerName: string) => r(331, `Password required for ${lowerName}`),
  loggedOn: () => r(230, 'Logged on'),
  badSequence: () => r(503, 'Bad sequence of commands.'),
  loginIncorrect: () => r(530, 'Login or password incorrect!'),
  banned: () => r(421, 'Temporarily banned for too many failed login attempts'),
  disabled: () => r(530, 'Not logged in, user account has been disabled'),
  tooManyUsers: () => r(421, 'Too many users are connected, please try again later.'),
  tooManyForAccount: () => r(421, 'Too many users logged in for this account. Try again later.'),
  tooManyFromIp: () => r(421, 'Refusing connection. No more connections allowed from your IP.'),
  noHome: () => r(550, 'User does not have permission to access own home directory'),
  homeMissing: () => r(550, 'Home directory does not exist'),
  // QUIT
  goodbye: () => r(221, 'Goodbye'),
  // CWD / PWD / CDUP
  cwdOk: (dir: string) => r(250, `CWD successful. "${dir}" is current directory.`),
  cwdEmpty: (dir: string) => r(250, `Broken client detected, missing argument to CWD. "${dir}" is current directory.`),
  cwdDenied: (arg: string) => r(550, `CWD failed. "${arg}": Permission denied.`),
  cwdInvalid: (arg: string) => r(550, `CWD failed. "${arg}": Filename invalid.`),
  cwdNotFound: (arg: string) => r(550, `CWD failed. "${arg}": directory not found.`),
  pwd: (dir: string) => r(257, `"${dir}" is current directory.`),
  cdupOk: (dir: string) => r(200, `CDUP successful. "${dir}" is current directory.`),
  cdupDenied: () => r(550, 'CDUP failed, permission denied.'),
  cdupInvalid: () => r(550, 'CDUP failed, filename invalid.'),
  cdupNotFound: () => r(550, 'CDUP failed, directory not found.'),
  // PORT / EPRT (and VerifyIPFromPortCommand)
  portOk: () => r(200, 'Port command successful'),
  portMismatch: () => r(421, 'Rejected command, requested IP address does not match control connection IP.'),
  eprtProtocol: () => r(522, 'Extended Port Failure - unknown network protocol. Supported protocols: (1,2)'),
  // PASV / EPSV
  pasvOk: (hostPort: string) => r(227, `Entering Passive Mode (${hostPort})`),
  epsvOk: (port: number) => r(229, `Entering Extended Passive Mode (|||${port}|)`),
  noSocket: () => r(421, 'Could not create socket.'),
  // TYPE
  typeOk: (arg: string) => r(200, `Type set to ${arg}`),
  typeBad: () => r(501, 'Unsupported type. Supported types are I, A and L 8'),
  // LIST / NLST
  listDenied: () => r(550, 'Permission denied.'),
  listInvalid: () => r(550, 'Filename invalid.'),
  listNotFound: () => r(550, 'Directory not found.'),
  // RETR / STOR / APPE / SIZE / DELE / MDTM
  denied: () => r(550, 'Permission denied'),
  invalidName: () => r(550, 'Filename invalid.'),
  fileNotFound: () => r(550, 'File not found'),
  storInvalid: () => r(550, 'Filename invalid'),
  size: (n: number) => r(213, String(n)),
  mdtm: (t: string) => r(213, t),
  deleOk: () => r(250, 'File deleted successfully'),
  // RMD
  rmdNotFound: () => r(550, 'Directory not found'),
  rmdNotEmpty: () => r(550, 'Directory not empty.'),
  rmdOk: () => r(250, 'Directory deleted successfully'),
  // MKD
  mkdDenied: () => r(550, "Can't create directory. Permission denied"),
  mkdExists: () => r(550, 'Directory already exists'),
  mkdFileExists: () => r(550, 'File with same name already exists'),
  mkdInvalid: () => r(550, 'Directoryname not valid'),
  mkdOk: (logical: string) => r(257, `"${logical}" created successfully`),
  // RNFR / RNTO
  rnfrFile: () => r(350, 'File exists, ready for destination name.'),
  rnfrDir: () => r(350, 'Directory exists, ready for destination name.'),
  rnfrNotFound: () => r(550, 'file/directory not found'),
  rntoNoRnfr: () => r(503, 'Bad sequence of commands!'),
  rntoInvalid: () => r(553, 'Filename invalid.'),
  rntoExists: () => r(553, 'file exists'),
  rntoInvalid2: () => r(553, 'Filename invalid'),
  rntoDirExists: () => r(550, 'file exists'),
  rntoDirInvalid: () => r(550, 'Filename invalid'),
  renamed: () => r(250, 'file renamed successfully'),
  // SYST / NOOP / ALLO / MODE / STRU / OPTS
  syst: () => r(215, 'UNIX emulated by FileZilla'),
  noop: () => r(200, 'OK'),
  allo: () => r(202, 'No storage allocation neccessary.'),
  modeS: () => r(200, 'MODE set to S.'),
  struF: () => r(200, "Using file structure 'File'"),
  utf8On: () => r(202, 'UTF8 mode is always enabled. No need to send this command.'),
  optsBad: () => r(501, 'Option not understood'),
  // SendTransferPreliminary
  opening: (what: 'list' | 'download' | 'upload', resource: string) =>
    r(150, `Opening data channel for ${what === 'list' ? 'directory listing' : what === 'download' ? 'file download from server' : 'file upload to server'} of "${resource}"`),
  // ProcessTransferMsg
  transferred: (resource: string) => r(226, `Successfully transferred "${resource}"`),
  aborted: (resource: string) => r(426, `Connection closed; aborted transfer of "${resource}"`),
  noDataConn: (resource: string) => r(425, `Can't open data connection for transfer of "${resource}"`),
  dataIpMismatch: (resource: string) => r(425, `Rejected data connection for transfer of "${resource}", IP addresses of control and data connection do not match`),
  dataTimeout: (resource: string) => r(426, `Connection timed out, aborting transfer of "${resource}"`),
  // ForceClose
  timedOut: () => r(421, 'Connection timed out.'),
  noTransferTimeout: () => r(421, 'No-transfer-time exceeded. Closing control connection.'),
  loginTimeout: () => r(421, 'Login time exceeded. Closing control connection.'),
  // CListenSocket::OnAccept: a banned or filtered address, then the socket is closed.
  bannedAtConnect: () => r(550, 'No connections allowed from your IP'),
} as const;

/** FEAT (case commands::FEAT) with TLS, MODE Z and HASH off. */
export function fzFeat(): FzReply {
  return { code: 211, lines: ['Features:', ' MDTM', ' REST STREAM', ' SIZE', ' MLST type*;size*;modify*;', ' MLSD', ' UTF8', ' CLNT', ' MFMT', ' EPSV', ' EPRT', 'End'] };
}

/**
 * The 220 welcome (CServerThread::AddSocket): "%v" expanded, every line but the last as
 * "220-", the last "220 ".
 */
export function fzWelcome(lines: string[], version: string): FzReply {
  // The reply encoder writes middle lines as they are (FEAT's style), so they carry their prefix.
  const texts = lines.map((l) => l.replace(/%v/g, version));
  return { code: 220, lines: texts.map((t, i) => (i === 0 || i === texts.length - 1 ? t : `220-${t}`)) };
}

/**
 * FTP reply codes and their meaning: RFC 959 §4.2.1 for the seed table (110 … 553),
 * plus 229 (RFC 2428), 234 (RFC 2228, AUTH TLS accepted) and the extensions a modern
 * server sends (211/213 from RFC 3659, 522/534 from RFC 2428/2228).
 */
export const REPLY_CODES: Readonly<Record<number, string>> = {
  110: 'Restart marker reply (MARK yyyy = mmmm).',
  120: 'Service ready in nnn minutes.',
  125: 'Data connection already open; transfer starting.',
  150: 'File status okay; about to open data connection.',
  200: 'Command okay.',
  202: 'Command not implemented, superfluous at this site.',
  211: 'System status, or system help reply.',
  212: 'Directory status.',
  213: 'File status.',
  214: 'Help message.',
  215: 'NAME system type.',
  220: 'Service ready for new user.',
  221: 'Service closing control connection.',
  225: 'Data connection open; no transfer in progress.',
  226: 'Closing data connection; requested file action successful.',
  227: 'Entering Passive Mode (h1,h2,h3,h4,p1,p2).',
  229: 'Entering Extended Passive Mode (|||port|)', // RFC 2428
  230: 'User logged in, proceed.',
  234: 'Security data exchange complete: AUTH accepted, TLS handshake follows.', // RFC 2228
  250: 'Requested file action okay, completed.',
  257: '"PATHNAME" created.',
  331: 'User name okay, need password.',
  332: 'Need account for login.',
  350: 'Requested file action pending further information.',
  // The seed's "Too many users logged to the same account" is one server's text; RFC 959 gives this meaning.
  421: 'Service not available, closing control connection.',
  425: "Can't open data connection.",
  426: 'Connection closed; transfer aborted.',
  450: 'Requested file action not taken: file unavailable (e.g. busy).',
  451: 'Requested action aborted: local error in processing.',
  452: 'Requested action not taken: insufficient storage space in system.',
  500: 'Syntax error, command unrecognized.',
  501: 'Syntax error in parameters or arguments.',
  502: 'Command not implemented.',
  503: 'Bad sequence of commands.',
  504: 'Command not implemented for that parameter.',
  522: 'Network protocol not supported (use one of the listed families).', // RFC 2428, EPRT
  530: 'Not logged in.',
  532: 'Need account for storing files.',
  534: 'Request denied for policy reasons.', // RFC 2228
  550: 'Requested action not taken: file unavailable (e.g. not found, no access).',
  551: 'Requested action aborted: page type unknown.',
  552: 'Requested file action aborted: exceeded storage allocation.',
  553: 'Requested action not taken: file name not allowed.',
};

/** RFC 959 §4.2: the first digit says how the command went. */
const CLASS: Readonly<Record<number, string>> = {
  1: 'Positive preliminary reply: another reply will follow.',
  2: 'Positive completion reply.',
  3: 'Positive intermediate reply: more information needed.',
  4: 'Transient negative completion reply: try again later.',
  5: 'Permanent negative completion reply.',
  6: 'Protected reply (RFC 2228).',
};

/** The table's meaning, else the meaning of the code's class, else "unknown". */
export function replyMeaning(code: number): string {
  const known = REPLY_CODES[code];
  if (known) return known;
  const cls = Number.isInteger(code) && code >= 100 && code <= 699 ? CLASS[Math.floor(code / 100)] : undefined;
  return cls ? `Unlisted code ${code}. ${cls}` : `Not an FTP reply code: ${code}.`;
}

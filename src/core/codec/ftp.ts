/**
 * FTP control-connection text (RFC 959 §4, §5.4): commands `VERB[ SP arg]CRLF`, replies
 * `ddd SP text CRLF` or multi-line `ddd-first CRLF … ddd SP last CRLF`. The wire is a TCP
 * byte stream, so parsers are streaming: a line or a reply may arrive split over segments.
 */
import { fail, ok, type Decoded, type DecodeError } from './result';

export type FtpArity = 'none' | 'required' | 'optional';

/** Known verbs, their argument and meaning (RFC 959 unless noted). */
export const FTP_COMMANDS: Readonly<Record<string, { arity: FtpArity; meaning: string }>> = {
  USER: { arity: 'required', meaning: 'user name for login' },
  // RFC 959 requires an argument, but servers accept an empty password (anonymous clients send "PASS ").
  PASS: { arity: 'optional', meaning: 'password for the user' },
  ACCT: { arity: 'required', meaning: 'account information' },
  SYST: { arity: 'none', meaning: 'ask for the server operating system type' },
  TYPE: { arity: 'required', meaning: 'representation type: A (ASCII) or I (binary)' },
  MODE: { arity: 'required', meaning: 'transfer mode (S = stream)' },
  STRU: { arity: 'required', meaning: 'file structure (F = file)' },
  PWD: { arity: 'none', meaning: 'print working directory' },
  XPWD: { arity: 'none', meaning: 'print working directory (RFC 775 form)' },
  CWD: { arity: 'required', meaning: 'change working directory' },
  CDUP: { arity: 'none', meaning: 'change to parent directory' },
  LIST: { arity: 'optional', meaning: 'directory listing over the data connection' },
  NLST: { arity: 'optional', meaning: 'name list over the data connection' },
  RETR: { arity: 'required', meaning: 'download a file over the data connection' },
  STOR: { arity: 'required', meaning: 'upload a file over the data connection' },
  APPE: { arity: 'required', meaning: 'append to a file over the data connection' },
  REST: { arity: 'required', meaning: 'restart a transfer at an offset' },
  PORT: { arity: 'required', meaning: 'active mode: the client address h1,h2,h3,h4,p1,p2 the server connects to' },
  PASV: { arity: 'none', meaning: 'passive mode: ask the server to listen (reply 227)' },
  EPRT: { arity: 'required', meaning: 'extended active mode |af|address|port| (RFC 2428)' },
  // "EPSV ALL" and "EPSV 1" are allowed (RFC 2428 §3).
  EPSV: { arity: 'optional', meaning: 'extended passive mode, reply 229 (RFC 2428)' },
  FEAT: { arity: 'none', meaning: 'list server features (RFC 2389)' },
  OPTS: { arity: 'required', meaning: 'set an option, e.g. UTF8 ON (RFC 2389)' },
  AUTH: { arity: 'required', meaning: 'start TLS on the control connection, e.g. AUTH TLS (RFC 2228/4217)' },
  PBSZ: { arity: 'required', meaning: 'protection buffer size, 0 for TLS (RFC 2228)' },
  PROT: { arity: 'required', meaning: 'data channel protection: C clear, P private (RFC 2228)' },
  QUIT: { arity: 'none', meaning: 'log out and close the control connection' },
  NOOP: { arity: 'none', meaning: 'do nothing, server answers 200' },
  SIZE: { arity: 'required', meaning: 'size of a file (RFC 3659)' },
  MDTM: { arity: 'required', meaning: 'modification time of a file (RFC 3659)' },
  MKD: { arity: 'required', meaning: 'make a directory' },
  RMD: { arity: 'required', meaning: 'remove a directory' },
  DELE: { arity: 'required', meaning: 'delete a file' },
  RNFR: { arity: 'required', meaning: 'rename from' },
  RNTO: { arity: 'required', meaning: 'rename to' },
  ABOR: { arity: 'none', meaning: 'abort the transfer in progress' },
  STAT: { arity: 'optional', meaning: 'server status, or a listing over the control connection' },
  HELP: { arity: 'optional', meaning: 'help text' },
  SITE: { arity: 'required', meaning: 'site-specific command' },
};

export interface FtpCommand {
  /** Upper-cased. */
  verb: string;
  /** Everything after the first space, verbatim (file names may contain spaces). */
  arg: string;
}

const syntax = (offset: number, message: string) => fail('ftp', 'syntax', offset, message);

/** Strips one trailing CRLF (or a bare LF, which servers tolerate). */
function stripEol(line: string): string {
  return line.endsWith('\r\n') ? line.slice(0, -2) : line.endsWith('\n') ? line.slice(0, -1) : line;
}

/**
 * One command line. Unknown verbs parse (the server answers 500 for them); syntax errors
 * — an empty line, a verb that is not ASCII letters, a line break inside, a missing
 * required argument (the server answers 501) — are errors.
 */
export function parseFtpCommand(line: string): Decoded<FtpCommand> {
  const text = stripEol(line);
  if (text.trim() === '') return syntax(0, 'empty command line');
  const eol = text.search(/[\r\n]/);
  if (eol >= 0) return syntax(eol, 'line break inside a command');
  const sp = text.indexOf(' ');
  const rawVerb = sp < 0 ? text : text.slice(0, sp);
  const bad = rawVerb.search(/[^A-Za-z]/);
  if (rawVerb === '') return syntax(0, 'command line starts with a space');
  if (bad >= 0) return syntax(bad, `verb ${JSON.stringify(rawVerb)} is not made of ASCII letters`);
  const verb = rawVerb.toUpperCase();
  const arg = sp < 0 ? '' : text.slice(sp + 1);
  if (FTP_COMMANDS[verb]?.arity === 'required' && arg.trim() === '') return syntax(text.length, `${verb} needs an argument`);
  return ok({ verb, arg });
}

/** `PORT 192,168,1,100,50,60\r\n`; no space when there is no argument. */
export function formatFtpCommand(verb: string, arg?: string): string {
  return arg !== undefined && arg !== '' ? `${verb} ${arg}\r\n` : `${verb}\r\n`;
}

export interface FtpReply {
  code: number;
  /** The raw lines as received, without line endings. */
  lines: string[];
  /** The message: first and last lines without their code prefix, inner lines verbatim, joined by "\n". */
  text: string;
  multiline: boolean;
}

/**
 * `ddd text\r\n`, or for several lines (an array, or text containing line breaks)
 * `ddd-first\r\n` … `ddd last\r\n`. An inner line that would read as the end of the reply
 * (`ddd ` with the same code) is indented by one space, as RFC 959 §4.2 advises.
 */
export function formatFtpReply(code: number, text: string | string[]): string {
  const lines = (Array.isArray(text) ? text : [text]).flatMap((t) => t.split(/\r?\n/));
  if (lines.length === 1) return `${code} ${lines[0]}\r\n`;
  const first = `${code}-${lines[0]}\r\n`;
  const inner = lines.slice(1, -1).map((l) => (isEndLine(l, code) ? ` ${l}` : l) + '\r\n');
  return first + inner.join('') + `${code} ${lines[lines.length - 1]}\r\n`;
}

/** `ddd text` or a bare `ddd` (some servers send no text). */
const START = /^(\d{3})([ -]|$)(.*)$/s;

const isEndLine = (line: string, code: number): boolean => line === String(code) || line.startsWith(`${code} `);

function replyOf(code: number, lines: string[]): FtpReply {
  const multiline = lines.length > 1;
  const body = lines.map((l, i) => (i === 0 || i === lines.length - 1 ? l.slice(4) : l));
  return { code, lines, text: body.join('\n'), multiline };
}

/**
 * Streaming reply parser for the client side of a control connection. Keeps a partial
 * line and an unfinished multi-line reply between pushes. Inside a multi-line reply any
 * line is accepted until `ddd ` with the opening code (ProFTPD/vsftpd FEAT lines start
 * with a space; some servers repeat `ddd-`). Outside one, a line that does not start with
 * three digits is reported as an error and skipped.
 */
export class FtpReplyParser {
  private partial = '';
  private pending: { code: number; lines: string[] } | null = null;
  /** Characters consumed so far: error offsets are positions in the whole stream. */
  private consumed = 0;

  push(text: string): { replies: FtpReply[]; errors: DecodeError[] } {
    const replies: FtpReply[] = [];
    const errors: DecodeError[] = [];
    this.partial += text;
    let nl: number;
    while ((nl = this.partial.indexOf('\n')) >= 0) {
      const raw = this.partial.slice(0, nl + 1);
      this.partial = this.partial.slice(nl + 1);
      const line = stripEol(raw);
      const at = this.consumed;
      this.consumed += raw.length;
      if (this.pending) {
        this.pending.lines.push(line);
        if (isEndLine(line, this.pending.code)) {
          replies.push(replyOf(this.pending.code, this.pending.lines));
          this.pending = null;
        }
        continue;
      }
      const m = START.exec(line);
      if (!m) {
        const e = fail('ftp', 'syntax', at, `reply line does not start with a three-digit code: ${JSON.stringify(line)}`);
        if (!e.ok) errors.push(e.error);
        continue;
      }
      const code = Number(m[1]);
      if (m[2] === '-') this.pending = { code, lines: [line] };
      else replies.push(replyOf(code, [line]));
    }
    return { replies, errors };
  }

  /** True when nothing is buffered: no partial line and no open multi-line reply. */
  get idle(): boolean {
    return this.partial === '' && this.pending === null;
  }
}

/** Exactly one complete reply (a missing final CRLF is tolerated). */
export function parseFtpReply(text: string): Decoded<FtpReply> {
  const p = new FtpReplyParser();
  const { replies, errors } = p.push(text.endsWith('\n') ? text : `${text}\r\n`);
  if (errors[0]) return { ok: false, error: errors[0] };
  if (replies.length === 0) return syntax(text.length, 'incomplete reply: the multi-line reply never ends');
  if (replies.length > 1 || !p.idle) return syntax(replies[0]!.lines.join('\r\n').length + 2, 'more than one reply');
  return ok(replies[0]!);
}

/**
 * Streaming line splitter for the server side: returns each complete line (without its
 * CRLF, or bare LF) as it arrives; keeps the partial remainder.
 */
export class LineSplitter {
  private partial = '';

  push(text: string): string[] {
    this.partial += text;
    const out: string[] = [];
    let nl: number;
    while ((nl = this.partial.indexOf('\n')) >= 0) {
      out.push(stripEol(this.partial.slice(0, nl + 1)));
      this.partial = this.partial.slice(nl + 1);
    }
    return out;
  }

  get pending(): string {
    return this.partial;
  }
}

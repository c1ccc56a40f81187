/**
 * What a user sees when a connect fails, per client family. Linux maps ICMP errors to errno
 * as net/ipv4/icmp.c's icmp_err_convert table does; the client prints strerror(errno).
 */
import { formatIpv4, type Ipv4 } from '../../codec/addr';
import type { ConnectError } from '../../tcp/hostStack';
import type { ClientProfile } from './profiles';

/** errno text for a failed connect(). */
export function connectErrno(err: ConnectError): string {
  switch (err.kind) {
    case 'timeout':
    case 'client-timeout':
      return 'Connection timed out';
    case 'refused':
      return 'Connection refused';
    case 'reset':
      return 'Connection reset by peer';
    case 'icmp':
      return icmpErrno(err.type, err.code);
  }
}

// ICMP destination-unreachable code → errno (icmp_err_convert): port → ECONNREFUSED,
// net/net-prohibited → ENETUNREACH, host/host-prohibited/admin-prohibited → EHOSTUNREACH.
const UNREACH_ERRNO: Record<number, string> = {
  0: 'Network is unreachable',
  1: 'No route to host',
  2: 'Protocol not available',
  3: 'Connection refused',
  6: 'Network is unreachable',
  7: 'No route to host',
  9: 'Network is unreachable',
  10: 'No route to host',
  13: 'No route to host',
};

export function icmpErrno(type: number, code: number): string {
  if (type === 11) return 'No route to host';
  return UNREACH_ERRNO[code] ?? 'No route to host';
}

/** A connection that could not be opened: where to, and the control connection's port. */
export interface ConnectTarget {
  ip: Ipv4;
  port: number;
  role: 'control' | 'data';
  controlPort: number;
  /** The control connection's server address (curl names it for a data connection too). */
  controlIp?: Ipv4;
}

/**
 * The lines the client prints when a connect failed. `sinceStartUs` counts from the start of
 * the transfer (curl prints it).
 */
export function connectFailureLines(profile: ClientProfile, to: ConnectTarget, err: ConnectError, sinceStartUs: number): string[] {
  if (profile.id === 'tnftp') {
    // tnftp 20210827, captured: warn() after the socket is closed, so an ICMP error (any
    // unreachable code) reaches the user as EBADF; a RST and the kernel's time-out keep theirs.
    const where = `\`${formatIpv4(to.ip)}:${to.port}'`;
    const line = `ftp: Can't connect to ${where}: ${err.kind === 'icmp' ? 'Bad file descriptor' : connectErrno(err)}`;
    return to.role === 'control' ? [line, `ftp: Can't connect to ${where}`] : [line];
  }
  return [connectFailureLine(profile, to, err, sinceStartUs)];
}

function connectFailureLine(profile: ClientProfile, to: ConnectTarget, err: ConnectError, sinceStartUs: number): string {
  const errno = connectErrno(err);
  const { ip } = to;
  switch (profile.id) {
    case 'curl': {
      // curl 7.88, captured (tests/kernel and by hand): the host and port are the control
      // connection's even for a data connection (a 227 naming 10.0.0.10 that curl was told to
      // trust still says "203.0.113.1 port 21"), the time runs from the start of the transfer, and the text
      // is curl's own for its result code, not errno's. The kernel's ETIMEDOUT and curl's own
      // time-out both exit 28; only the control connection's own time-out says so.
      const timedOut = err.kind === 'timeout' || err.kind === 'client-timeout';
      const text = to.role === 'control' && err.kind === 'client-timeout' ? 'Timeout was reached' : "Couldn't connect to server";
      return `curl: (${timedOut ? 28 : 7}) Failed to connect to ${formatIpv4(to.controlIp ?? ip)} port ${to.controlPort} after ${Math.round(sinceStartUs / 1000)} ms: ${text}`;
    }
    case 'filezilla':
      return err.kind === 'timeout' || err.kind === 'client-timeout'
        ? 'Error: Connection timed out after 20 seconds of inactivity'
        : `Error: Could not connect to server: ${errno}`;
    case 'windows':
      return `> ftp: connect :${err.kind === 'refused' ? '10061' : err.kind === 'timeout' ? '10060' : '10065'}`;
    case 'lftp':
      return `lftp: connect: ${errno}`;
    default:
      return `ftp: connect: ${errno}`;
  }
}

/**
 * The client's own connect time-out ran out before its next data connection attempt (curl:
 * EPSV used it all, PASV has none left — captured with --connect-timeout).
 */
export function connectTimeUsedUpLines(profile: ClientProfile, to: ConnectTarget, sinceStartUs: number): string[] {
  if (profile.id === 'curl') return ['curl: (28) Connection time-out'];
  return connectFailureLines(profile, to, { kind: 'client-timeout', elapsedUs: sinceStartUs }, sinceStartUs);
}

/**
 * What curl 7.88.1 with `-P -` leaves in its error buffer: looking up its own address for
 * EPRT/PORT, an inet_ntop() on an unused address family fails ("* sa_addr inet_ntop() failed
 * with errno 97" in -v), and curl's exit line then prints that text, whatever failed later
 * (captured for a 425 — exit 19 — and for 500 Illegal PORT — exit 30). A curl bug: the
 * failure itself is the reply, the text is unrelated.
 */
export const CURL_ACTIVE_STALE_ERROR = 'sa_addr inet_ntop() failed with errno 97: Address family not supported by protocol';

/** curl's exit line when the server refused a command; after an active announcement, with curl's stale text. */
export function curlReplyFailure(verb: string, code: number, activeAnnounced = false): string {
  const line = curlReplyFailureLine(verb, code);
  return activeAnnounced ? line.replace(/^(curl: \(\d+\) ).*$/, `$1${CURL_ACTIVE_STALE_ERROR}`) : line;
}

/**
 * curl's exit line when a 421 is read, whatever it answered: lib/ftp.c ftp_readresp turns any 421
 * into CURLE_OPERATION_TIMEDOUT without a message of its own, so curl prints the code's text
 * (captured in place of the greeting: tests/kernel vsftpd-max-clients-curl).
 */
export const CURL_421 = 'curl: (28) Timeout was reached';

/** curl's exit line when the server answers a new connection with something else than 220 (lib/ftp.c FTP_WAIT220). */
export function curlGreetingFailure(code: number): string {
  return code === 421 ? CURL_421 : `curl: (8) Got a ${code} ftp-server response when 220 was expected`;
}

function curlReplyFailureLine(verb: string, code: number): string {
  if (code === 421) return CURL_421;
  if (verb === 'PORT' || verb === 'EPRT' || verb === 'LPRT') return `curl: (30) Failed to do PORT`;
  if (verb === 'USER' || verb === 'PASS') return `curl: (67) Access denied: ${code}`;
  if (verb === 'RETR' || verb === 'LIST' || verb === 'NLST') return `curl: (19) RETR response: ${code}`;
  if (verb === 'STOR' || verb === 'APPE') return `curl: (25) Failed FTP upload: ${code}`;
  // A download is sized first: 550 there ends it before RETR (captured with curl 7.88).
  if (verb === 'SIZE' && code === 550) return `curl: (78) The file does not exist`;
  if (verb === 'TYPE') return `curl: (17) Couldn't set desired mode`;
  if (verb === 'CWD') return `curl: (9) Server denied you to change to the given directory`;
  // --ssl-reqd and both AUTH SSL and AUTH TLS refused (CURLE_USE_SSL_FAILED).
  if (verb === 'AUTH') return `curl: (64) Requested SSL level failed`;
  return `curl: (8) Weird server reply`;
}

/** What the client prints when the server refused a command (before the failure is reported). */
export function replyFailureLines(profile: ClientProfile, verb: string, code: number, activeAnnounced = false): string[] {
  if (profile.id === 'curl') return [curlReplyFailure(verb, code, activeAnnounced)];
  // tnftp told to stay passive (captured); in its default mode it would have gone active.
  if (profile.id === 'tnftp' && (verb === 'PASV' || verb === 'EPSV')) return ['Passive mode refused.'];
  // inetutils after its LPSV (RFC 1639) was refused too (captured).
  if (profile.id === 'inetutils' && verb === 'LPSV') return ['Passive mode refused.'];
  return [];
}

/** After a data connection could not be opened, before the client tries its next data command. */
export function dataFallbackLines(profile: ClientProfile, cmd: string): string[] {
  // curl -v's own words; tnftp says nothing more; the others' in plain English.
  if (profile.id === 'curl') return [`Failed ${cmd} attempt. Disabling ${cmd}`];
  if (profile.id === 'tnftp') return [];
  return [`Failed ${cmd} attempt; trying the next mode.`];
}

/** A 227 with a private address from a public server, replaced by the server's (FileZilla's status line). */
export function unroutablePasvLines(profile: ClientProfile): string[] {
  return profile.id === 'filezilla' ? ['Status: Server sent passive reply with unroutable address. Using server address instead.'] : [];
}

/**
 * BSD ftp reading the end of its control connection where it waited for a reply (getreply:
 * lostpeer), then what the command says about it. Captured: tnftp "421 Service not available,
 * remote server has closed connection." and, for pwd, "Unable to determine remote directory";
 * inetutils the same 421 line without the period.
 */
export function lostPeerLines(profile: ClientProfile, verb: string): string[] {
  if (profile.id === 'tnftp') return ['421 Service not available, remote server has closed connection.', ...(verb === 'PWD' ? ['Unable to determine remote directory'] : [])];
  return ['421 Service not available, remote server has closed connection'];
}

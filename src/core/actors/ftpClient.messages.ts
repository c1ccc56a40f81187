/**
 * What a user sees when a connect fails, per client family. Linux maps ICMP errors to errno
 * as net/ipv4/icmp.c's icmp_err_convert table does; the client prints strerror(errno).
 */
import { formatIpv4, type Ipv4 } from '../net/addr';
import type { ConnectError } from './hostStack';
import type { ClientProfile } from './ftpClient.profiles';

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

/** The line the client prints when a connect to ip:port failed. */
export function connectFailureLine(profile: ClientProfile, ip: Ipv4, port: number, err: ConnectError, elapsedUs: number): string {
  const errno = connectErrno(err);
  switch (profile.id) {
    case 'curl': {
      const code = err.kind === 'timeout' || err.kind === 'client-timeout' ? 28 : 7;
      const what = code === 28 ? 'Timeout was reached' : `Could not connect to server`;
      return `curl: (${code}) Failed to connect to ${formatIpv4(ip)} port ${port} after ${Math.round(elapsedUs / 1000)} ms: ${what} (${errno})`;
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

/** curl's exit line when the server refused a command. */
export function curlReplyFailure(verb: string, code: number): string {
  if (verb === 'PORT' || verb === 'EPRT') return `curl: (30) Failed to do PORT`;
  if (verb === 'USER' || verb === 'PASS') return `curl: (67) Access denied: ${code}`;
  if (verb === 'RETR' || verb === 'LIST' || verb === 'NLST') return `curl: (19) RETR response: ${code}`;
  if (verb === 'STOR') return `curl: (25) Failed FTP upload: ${code}`;
  // A download is sized first: 550 there ends it before RETR (captured with curl 7.88).
  if (verb === 'SIZE' && code === 550) return `curl: (78) The file does not exist`;
  if (verb === 'TYPE') return `curl: (17) Couldn't set desired mode`;
  // --ssl-reqd and both AUTH SSL and AUTH TLS refused (CURLE_USE_SSL_FAILED).
  if (verb === 'AUTH') return `curl: (64) Requested SSL level failed`;
  return `curl: (8) Weird server reply`;
}

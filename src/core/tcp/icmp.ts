/**
 * What an ICMP error does to a TCP connection, after Linux's tcp_v4_err():
 * - SYN_SENT: any destination-unreachable (but fragmentation-needed), time-exceeded or
 *   parameter-problem aborts the connect at once (the socket is not yet synchronized, so
 *   even "soft" codes are final);
 * - SYN_RECEIVED: the half-open connection is dropped only for codes the kernel marks
 *   fatal in icmp_err_convert;
 * - synchronized states: a soft error, remembered but not acted on — ignored here.
 */
import { ICMP_TYPE, UNREACH_CODE } from '../codec/icmp';

const PARAMETER_PROBLEM = 12;

/** icmp_err_convert's `fatal` flag per destination-unreachable code (RFC 1122 names). */
const UNREACH_FATAL: readonly boolean[] = [
  false, // 0 net unreachable
  false, // 1 host unreachable
  true, // 2 protocol unreachable
  true, // 3 port unreachable
  false, // 4 fragmentation needed (path MTU discovery, never an error)
  false, // 5 source route failed
  true, // 6 destination network unknown
  true, // 7 destination host unknown
  true, // 8 source host isolated
  true, // 9 network administratively prohibited
  true, // 10 host administratively prohibited (REJECT --reject-with icmp-host-prohibited)
  false, // 11 network unreachable for TOS
  false, // 12 host unreachable for TOS
  true, // 13 communication administratively filtered (icmp-admin-prohibited)
  true, // 14 host precedence violation
  true, // 15 precedence cut-off
];

/** Aborts a connect in SYN_SENT. */
export function abortsConnect(type: number, code: number): boolean {
  if (type === ICMP_TYPE.DEST_UNREACH) return code !== UNREACH_CODE.FRAG_NEEDED && code < UNREACH_FATAL.length;
  return type === ICMP_TYPE.TIME_EXCEEDED || type === PARAMETER_PROBLEM;
}

/** Drops a half-open passive connection in SYN_RECEIVED. */
export function dropsHalfOpen(type: number, code: number): boolean {
  return type === ICMP_TYPE.DEST_UNREACH && UNREACH_FATAL[code] === true;
}

/** Types shared by the TCP endpoint machine and the host stack's socket layer. */
import type { Ipv4 } from '../codec/addr';

/** Why a connect failed or a connection died, as the application learns it. */
export type ConnectError =
  /** The SYN was never answered: ETIMEDOUT after the kernel's retransmission schedule. */
  | { kind: 'timeout'; synCount: number; elapsedUs: number }
  /** RST in reply to the SYN: ECONNREFUSED. */
  | { kind: 'refused' }
  /** An ICMP error about the SYN (hard error in SYN_SENT); `from` is the ICMP sender. */
  | { kind: 'icmp'; type: number; code: number; from: Ipv4 }
  /** RST on a synchronized connection, or data retransmissions exhausted. */
  | { kind: 'reset' }
  /** The application's own connect time-out (curl --connect-timeout) fired first. */
  | { kind: 'client-timeout'; elapsedUs: number };

/** RFC 793 state names, as the trace shows them (LISTEN only as a passive open's "from"). */
export type TcpStateName = 'CLOSED' | 'LISTEN' | 'SYN_SENT' | 'SYN_RECEIVED' | 'ESTABLISHED' | 'FIN_WAIT_1' | 'FIN_WAIT_2' | 'CLOSE_WAIT' | 'CLOSING' | 'LAST_ACK' | 'TIME_WAIT';

/** What an endpoint tells its owner (the host stack's socket). */
export interface EndpointHooks {
  /** Handshake complete (both active and passive opens). */
  established(): void;
  /** In-order payload bytes. */
  data(bytes: Uint8Array): void;
  /** The peer's FIN arrived (in order). */
  peerClosed(): void;
  /** Orderly close finished from the application's view (TIME_WAIT or CLOSED after LAST_ACK). */
  closed(): void;
  error(err: ConnectError): void;
  /** The endpoint reached CLOSED and holds nothing any more: forget its 4-tuple. */
  released(): void;
  /**
   * The retransmission timer, a kernel timer rather than a state (inet_csk_reset_xmit_timer):
   * (re)arm it to deliver RTO to the endpoint after delayMs, or stop it.
   */
  armRtx(delayMs: number): void;
  stopRtx(): void;
  /** Armed and not yet fired. */
  readonly rtxArmed: boolean;
}

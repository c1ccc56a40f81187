/**
 * The transmission control block of one connection: sequence variables, the send buffer,
 * and the code that turns them into encoded IPv4+TCP segments. The endpoint machine owns
 * the RFC 793 states and timers; this class owns the numbers. It is mutated in place (not
 * through XState `assign`) because it sits on the per-segment path of multi-megabyte runs.
 *
 * Our data is addressed by stream offset (0 = first byte after the SYN), a plain JS
 * number that never wraps; sequence numbers are derived from it modulo 2^32.
 *
 * Simplifications, each chosen over Linux's behaviour on purpose:
 * - no congestion control: send while bytes in flight < the peer's window (65535, no
 *   window scaling on either side); SWS avoidance only (no partial segment while data
 *   is in flight unless it is the end of what was written);
 * - every data segment is ACKed at once (no delayed ACK) — by the application's answer when
 *   it writes one while the segment is processed, else by a bare ACK; out-of-order data is
 *   dropped and RCV.NXT re-ACKed (no SACK, no reassembly queue);
 * - RTO: 1 s, doubled per consecutive time-out up to 120 s, reset when an ACK advances
 *   SND.UNA; after 15 time-outs (tcp_retries2) the connection is reset. Linux starts
 *   near RTT + 200 ms from its RTT estimate and also fast-retransmits; neither is
 *   modelled. On a time-out we go back to SND.UNA and resend one segment; the ACK for
 *   it releases the rest of the window again (go-back-N).
 * - IP identification: a per-connection counter starting at a PRNG value, +1 per
 *   segment, as Linux does for DF packets of a connected socket (inet_id).
 */
import type { Ipv4 } from '../codec/addr';
import { encodeTcpPacket } from '../codec/packet';
import type { TcpFlags, TcpOption, TcpSegment } from '../codec/tcp';
import type { ConnectError, TcpStateName } from './types';

/** Our MSS (Ethernet MTU 1500 − 40), sent as an option on SYN and SYN-ACK. */
export const OUR_MSS = 1460;
/** Peer MSS when its SYN carries no option (RFC 1122 §4.2.2.6). */
export const DEFAULT_PEER_MSS = 536;
/** Receive window we advertise: the largest without window scaling. */
export const OUR_WINDOW = 65535;
export const INITIAL_RTO_MS = 1000;
export const MAX_RTO_MS = 120_000;
/** Data time-outs before giving up (Linux tcp_retries2 = 15, counted here as time-outs). */
export const MAX_DATA_RETRANSMITS = 15;
export const IP_TTL = 64;

const MSS_OPTION: TcpOption[] = [{ kind: 'mss', value: OUR_MSS }];
/** States in which an application write is accepted (before close(); data queued during the handshake waits for ESTABLISHED). */
const WRITABLE: ReadonlySet<TcpStateName> = new Set(['LISTEN', 'SYN_SENT', 'SYN_RECEIVED', 'ESTABLISHED', 'CLOSE_WAIT']);
type Flags = Partial<TcpFlags>;
const SYN: Flags = { syn: true };
const SYN_ACK: Flags = { syn: true, ack: true };
const ACK: Flags = { ack: true };
const PSH_ACK: Flags = { psh: true, ack: true };
const FIN_ACK: Flags = { fin: true, ack: true };
const FIN_PSH_ACK: Flags = { fin: true, psh: true, ack: true };
const RST: Flags = { rst: true };
const RST_ACK: Flags = { rst: true, ack: true };

export interface TcbInit {
  localIp: Ipv4;
  localPort: number;
  remoteIp: Ipv4;
  remotePort: number;
  iss: number;
  ipId: number;
  transmit: (bytes: Uint8Array) => void;
}

export class Tcb {
  readonly localIp: Ipv4;
  readonly localPort: number;
  readonly remoteIp: Ipv4;
  readonly remotePort: number;
  readonly iss: number;
  private ipId: number;
  private readonly transmit: (bytes: Uint8Array) => void;

  /** Current RFC state, kept here so readers need not parse snapshots. */
  state: TcpStateName = 'CLOSED';

  // --- send side (stream offsets) ---
  /** Bytes acknowledged (SND.UNA − ISS − 1). */
  una = 0;
  /** Next byte to send; pulled back to `una` on a time-out. */
  nxt = 0;
  /** Highest byte ever sent + 1. */
  sndMax = 0;
  /** Bytes the application has written. */
  written = 0;
  finQueued = false;
  /** FIN sent at least once (it sits at offset `written`). */
  finSent = false;
  /** FIN sent since the last go-back. */
  private finOut = false;
  finAcked = false;
  peerMss = DEFAULT_PEER_MSS;
  peerWindow = 0;

  // --- receive side ---
  irs = 0;
  /** RCV.NXT as a 32-bit sequence number. */
  rcvNxt = 0;

  // --- timers ---
  /** SYNs (or SYN-ACKs) sent so far. */
  synCount = 0;
  /** Index of the SYN the running timer follows; bumped by the retransmission transition. */
  synAttempt = 0;
  synStartUs = 0;
  /** The segment being processed needs an ACK (data, FIN or SYN in it). */
  ackPending = false;
  rtoMs = INITIAL_RTO_MS;
  /** Consecutive data time-outs. */
  rtxCount = 0;
  /** An ACK advanced SND.UNA: restart the timer (RFC 6298 5.3). */
  rtxRestart = false;

  // --- news for the owner, delivered once the new state is entered ---
  establishedNotice = false;
  peerFinNotice = false;
  closedNotice = false;
  errorNotice: ConnectError | null = null;

  // --- counters for tests and the trace ---
  segmentsSent = 0;
  retransmittedSegments = 0;

  private buf = new Uint8Array(0);
  private bufStart = 0; // buf[bufStart] is the byte at offset `una`
  private bufEnd = 0;
  /** Stream offsets where an application write ended (PSH goes on the segment ending there). */
  private marks: number[] = [];
  private markHead = 0;

  constructor(init: TcbInit) {
    this.localIp = init.localIp;
    this.localPort = init.localPort;
    this.remoteIp = init.remoteIp;
    this.remotePort = init.remotePort;
    this.iss = init.iss >>> 0;
    this.ipId = init.ipId & 0xffff;
    this.transmit = init.transmit;
  }

  /** Sequence number of stream offset `o`. */
  seqOf(o: number): number {
    return (this.iss + 1 + o) >>> 0;
  }

  /** SND.NXT as the peer sees it (the highest sequence sent + 1, FIN included). */
  private sndNxtSeq(): number {
    return (this.seqOf(this.sndMax) + (this.finSent ? 1 : 0)) >>> 0;
  }

  get effectiveMss(): number {
    return Math.min(this.peerMss, OUR_MSS);
  }

  /** Data or FIN sent and not yet acknowledged. */
  get outstanding(): boolean {
    return this.sndMax > this.una || (this.finSent && !this.finAcked);
  }

  // ------------------------------------------------------------------ segments out

  private emit(flags: Flags, seq: number, ack: number, payload?: Uint8Array, options?: TcpOption[]): void {
    const bytes = encodeTcpPacket(
      { src: this.localIp, dst: this.remoteIp, ttl: IP_TTL, identification: this.ipId, dontFragment: true },
      { srcPort: this.localPort, dstPort: this.remotePort, seq, ack, flags, window: OUR_WINDOW, options, payload },
    );
    this.ipId = (this.ipId + 1) & 0xffff;
    this.segmentsSent++;
    // Any segment acknowledging RCV.NXT carries the ACK a received segment was owed.
    if (flags.ack && ack === this.rcvNxt) this.ackPending = false;
    this.transmit(bytes);
  }

  sendSyn(): void {
    this.synCount++;
    this.emit(SYN, this.iss, 0, undefined, MSS_OPTION);
  }

  sendSynAck(): void {
    this.synCount++;
    this.emit(SYN_ACK, this.iss, this.rcvNxt, undefined, MSS_OPTION);
  }

  sendAck(): void {
    this.emit(ACK, this.sndNxtSeq(), this.rcvNxt);
  }

  /** abort(): RST/ACK at SND.NXT, as tcp_send_active_reset does. */
  sendReset(): void {
    this.emit(RST_ACK, this.sndNxtSeq(), this.rcvNxt);
  }

  /** RST for a segment that acknowledged something we never sent (seq = its ack, RFC 793). */
  sendBareReset(seq: number): void {
    this.emit(RST, seq, 0);
  }

  /**
   * The application's write(), as Linux's tcp_sendmsg does it: the bytes join the send
   * buffer and, on an established connection, go out at once as far as the window allows
   * (tcp_push) — before the application's next write to another socket, and carrying the
   * ACK of what it is answering. Data written during the handshake waits for ESTABLISHED.
   * Refused (false) once the application has closed or the connection is gone. The endpoint
   * machine is told afterwards (SEND) to arm its retransmission timer.
   */
  write(bytes: Uint8Array): boolean {
    if (this.finQueued || !WRITABLE.has(this.state)) return false;
    this.append(bytes);
    if (this.state === 'ESTABLISHED' || this.state === 'CLOSE_WAIT') this.pump();
    return true;
  }

  /** Copies bytes into the send buffer. */
  append(bytes: Uint8Array): void {
    const n = bytes.length;
    if (n === 0) return;
    if (this.bufEnd + n > this.buf.length) {
      const live = this.bufEnd - this.bufStart;
      if ((live + n) * 2 <= this.buf.length) {
        this.buf.copyWithin(0, this.bufStart, this.bufEnd);
      } else {
        const grown = new Uint8Array(Math.max(live + n, this.buf.length * 2, 4096));
        grown.set(this.buf.subarray(this.bufStart, this.bufEnd));
        this.buf = grown;
      }
      this.bufStart = 0;
      this.bufEnd = live;
    }
    this.buf.set(bytes, this.bufEnd);
    this.bufEnd += n;
    this.written += n;
    this.marks.push(this.written);
  }

  /** Sends what the window allows; true if anything went out. */
  pump(): boolean {
    let sent = false;
    const mss = this.effectiveMss;
    for (;;) {
      const avail = this.written - this.nxt;
      if (avail > 0) {
        const inFlight = this.nxt - this.una;
        const len = Math.min(avail, mss, this.peerWindow - inFlight);
        if (len <= 0) break;
        // Sender-side silly-window avoidance: no runt segment while data is in flight.
        if (len < mss && len < avail && inFlight > 0) break;
        this.sendData(len);
        sent = true;
      } else if (this.finQueued && !this.finOut && !this.finAcked) {
        this.sendFin();
        sent = true;
        break;
      } else break;
    }
    return sent;
  }

  /** One segment of `len` bytes at `nxt`; FIN rides along on the last one once close() was called. */
  private sendData(len: number): void {
    const o = this.nxt;
    const start = this.bufStart + (o - this.una);
    const payload = this.buf.subarray(start, start + len);
    const end = o + len;
    const withFin = this.finQueued && end === this.written && !this.finAcked;
    const psh = this.pushAt(o, end);
    const flags = withFin ? (psh ? FIN_PSH_ACK : FIN_ACK) : psh ? PSH_ACK : ACK;
    if (o < this.sndMax) this.retransmittedSegments++;
    this.emit(flags, this.seqOf(o), this.rcvNxt, payload);
    this.nxt = end;
    if (end > this.sndMax) this.sndMax = end;
    if (withFin) this.finOut = this.finSent = true;
  }

  private sendFin(): void {
    if (this.finSent) this.retransmittedSegments++;
    this.emit(FIN_ACK, this.seqOf(this.written), this.rcvNxt);
    this.finOut = this.finSent = true;
  }

  /** Whether an application write ends inside (o, end]. */
  private pushAt(o: number, end: number): boolean {
    const m = this.marks;
    for (let i = this.markHead; i < m.length; i++) {
      const at = m[i]!;
      if (at > end) return false;
      if (at > o) return true;
    }
    return false;
  }

  /** RTO fired: back off, go back to SND.UNA, resend one segment (data or FIN). */
  retransmitOnTimeout(): void {
    this.rtxCount++;
    this.rtoMs = Math.min(this.rtoMs * 2, MAX_RTO_MS);
    this.nxt = this.una;
    this.finOut = false;
    if (this.written > this.una) this.sendData(Math.min(this.effectiveMss, this.written - this.una));
    else if (this.finSent && !this.finAcked) this.sendFin();
  }

  // ------------------------------------------------------------------ segments in

  /** The ACK field acknowledges our SYN (and nothing beyond it). */
  acksSyn(seg: TcpSegment): boolean {
    return seg.flags.ack && seg.ack === this.seqOf(0);
  }

  /** The ACK field covers our FIN. */
  acksFin(seg: TcpSegment): boolean {
    return this.finSent && seg.flags.ack && seg.ack === (this.seqOf(this.written) + 1) >>> 0;
  }

  /** A RST we must honour: its sequence number falls inside the receive window we advertised. */
  rstAcceptable(seg: TcpSegment): boolean {
    return seg.flags.rst && (seg.seq - this.rcvNxt) >>> 0 < OUR_WINDOW;
  }

  /** The segment carries a FIN that follows everything received so far. */
  finInOrder(seg: TcpSegment): boolean {
    if (!seg.flags.fin) return false;
    const startDiff = (seg.seq - this.rcvNxt) | 0;
    const endDiff = (seg.seq + seg.payload.length - this.rcvNxt) | 0;
    return startDiff <= 0 && endDiff >= 0;
  }

  /** Peer's SYN: its ISN, MSS option and window size. */
  takePeerSyn(seg: TcpSegment): void {
    this.irs = seg.seq;
    this.rcvNxt = (seg.seq + 1) >>> 0;
    this.peerWindow = seg.window;
    this.peerMss = DEFAULT_PEER_MSS;
    for (const o of seg.options) if (o.kind === 'mss') this.peerMss = o.value;
  }

  /** Processes the ACK field; true when it acknowledged something new. */
  takeAck(seg: TcpSegment): boolean {
    if (!seg.flags.ack) return false;
    const delta = (seg.ack - this.seqOf(this.una)) >>> 0;
    const dataOut = this.sndMax - this.una;
    if (delta > dataOut + (this.finSent ? 1 : 0)) return false; // acks what we never sent
    this.peerWindow = seg.window;
    if (delta === 0) return false;
    const data = Math.min(delta, dataOut);
    if (data > 0) this.release(data);
    if (delta > dataOut) this.finAcked = true;
    this.rtxCount = 0;
    this.rtoMs = INITIAL_RTO_MS;
    this.rtxRestart = true;
    return true;
  }

  private release(n: number): void {
    this.una += n;
    if (this.nxt < this.una) this.nxt = this.una;
    this.bufStart += n;
    if (this.bufStart === this.bufEnd) this.bufStart = this.bufEnd = 0;
    const m = this.marks;
    while (this.markHead < m.length && m[this.markHead]! <= this.una) this.markHead++;
    if (this.markHead > 256 && this.markHead * 2 > m.length) {
      m.splice(0, this.markHead);
      this.markHead = 0;
    }
  }

  /**
   * Payload in order → the new bytes (RCV.NXT advanced); anything else → null. Out-of-order
   * data is dropped; the caller ACKs RCV.NXT either way.
   */
  takeData(seg: TcpSegment): Uint8Array | null {
    const len = seg.payload.length;
    if (len === 0) return null;
    const diff = (seg.seq - this.rcvNxt) | 0;
    if (diff > 0) return null; // a gap before it: drop
    const skip = -diff;
    if (skip >= len) return null; // all of it already received
    this.rcvNxt = (this.rcvNxt + len - skip) >>> 0;
    return skip === 0 ? seg.payload : seg.payload.subarray(skip);
  }

  /** The peer's FIN, once in order: it takes one sequence number. */
  takeFin(): void {
    this.rcvNxt = (this.rcvNxt + 1) >>> 0;
  }
}

/**
 * The transmission control block of one connection: sequence variables, the send buffer,
 * and the code that turns them into encoded IPv4+TCP segments. The endpoint machine owns
 * the RFC 793 states and timers; this class owns the numbers. It is mutated in place (not
 * through XState `assign`) because it sits on the per-segment path of multi-megabyte runs.
 *
 * Our data is addressed by stream offset (0 = first byte after the SYN), a plain JS
 * number that never wraps; sequence numbers are derived from it modulo 2^32.
 *
 * Options as Linux 6.x sends them by default (tcp_output.c: tcp_syn_options,
 * tcp_synack_options, tcp_established_options, written in tcp_options_write's order):
 * - SYN: MSS 1460, SACK_PERM, timestamps, NOP, window scale 7 — 20 option bytes; window
 *   64240 (65536 of receive space rounded down to 44 × 1460, tcp_select_initial_window);
 * - SYN-ACK: MSS, then each of SACK_PERM, timestamps, window scale only if the SYN offered
 *   it (same order); window 65160 (65536 rounded down to 45 × 1448: MSS less the 12 bytes
 *   of timestamp option when the SYN had timestamps);
 * - later segments: NOP, NOP, timestamps (12 bytes) when both sides sent timestamps, so
 *   a full data segment holds MSS − 12 = 1448 bytes; RSTs sent for a segment no socket
 *   owns carry no options (tcp_v4_send_reset), an abort's RST/ACK does (it goes through
 *   tcp_transmit_skb like any segment).
 * - TSval = milliseconds of the simulated clock + an offset per address pair (Linux's
 *   secure_tcp_ts_off, a keyed hash of the two addresses; here a seeded PRNG draw per
 *   pair, see HostStack); TSecr echoes ts_recent, the TSval of the last segment that did
 *   not start beyond RCV.NXT as of our last ACK (tcp_replace_ts_recent's rcv_wup test).
 * - Window scale: the field after the handshake is the receive window >> 7, the window
 *   rounded up to a multiple of 128 as __tcp_select_window does (64240 → 502, i.e.
 *   502 × 128 = 64256; 65160 → 510, 65280). The peer's field is read as field << its shift.
 *
 * Simplifications, each chosen over Linux's behaviour on purpose:
 * - congestion control is Reno's slow start and congestion avoidance counted in
 *   segments (RFC 5681): 10 segments at first (RFC 6928, TCP_INIT_CWND), one more per
 *   segment acknowledged, back to one after a time-out. Linux's default is CUBIC with
 *   fast retransmit and recovery; for the loss-free transfers the model mostly runs,
 *   both open the window the same way. Bytes in flight stay below the smaller of the
 *   congestion window and the peer's advertised window; the window we advertise stays at its
 *   initial size (Linux grows it as data arrives, tcp_grow_window); SWS avoidance only
 *   (no partial segment while data is in flight unless it is the end of what was written);
 * - every data segment is ACKed at once (no delayed ACK) — by the application's answer when
 *   it writes one while the segment is processed, else by a bare ACK; out-of-order data is
 *   dropped and RCV.NXT re-ACKed with a SACK block naming the segment that arrived
 *   beyond it (RFC 2018; dropping it afterwards is the "reneging" §8 allows — Linux
 *   would keep it in its out-of-order queue). No D-SACK for duplicates;
 * - RTO: 1 s, doubled per consecutive time-out up to 120 s, reset when an ACK advances
 *   SND.UNA; after 15 time-outs (tcp_retries2) the connection is reset. Linux starts
 *   near RTT + 200 ms from its RTT estimate and also fast-retransmits; neither is
 *   modelled. On a time-out we go back to SND.UNA and resend one segment; the ACK for
 *   it releases the rest of the window again (go-back-N). SACK blocks received are read
 *   by nobody: the sender does not use them.
 * - IP identification: a per-connection counter starting at a PRNG value, +1 per
 *   segment, as Linux does for DF packets of a connected socket (inet_id).
 */
import type { Ipv4 } from '../codec/addr';
import { encodeTcpPacket } from '../codec/packet';
import type { SackBlock, TcpFlags, TcpOption, TcpSegment } from '../codec/tcp';
import type { ConnectError, TcpStateName } from './types';

/** Our MSS (Ethernet MTU 1500 − 40), sent as an option on SYN and SYN-ACK. */
export const OUR_MSS = 1460;
/** Peer MSS when its SYN carries no option (RFC 1122 §4.2.2.6). */
export const DEFAULT_PEER_MSS = 536;
/** The largest window field without scaling. */
const MAX_WINDOW_FIELD = 0xffff;
/** Receive space (tcp_rmem[1] 131072, half of it usable: tcp_win_from_space) from which the initial window is cut. */
export const RCV_SPACE = 65536;
/** Our window scale shift: ilog2(tcp_rmem[2] = 6 MiB) − 15 = 7 (tcp_select_initial_window). */
export const OUR_WSCALE = 7;
/** NOP, NOP, timestamps: the option bytes on every segment after a handshake that agreed on timestamps. */
export const TS_OPTION_BYTES = 12;
/** The window field of a SYN: 65536 rounded down to whole segments of 1460 (44 × 1460 = 64240). */
export const SYN_WINDOW = initialWindow(OUR_MSS);

/** tcp_select_initial_window: the receive space rounded down to a multiple of the segment size, at most 65535 unscaled. */
export function initialWindow(segmentSize: number): number {
  return Math.min(Math.floor(RCV_SPACE / segmentSize) * segmentSize, MAX_WINDOW_FIELD);
}
export const INITIAL_RTO_MS = 1000;
/** Initial congestion window, in segments (TCP_INIT_CWND). */
export const INITIAL_CWND = 10;
export const MAX_RTO_MS = 120_000;
/** Data time-outs before giving up (Linux tcp_retries2 = 15, counted here as time-outs). */
export const MAX_DATA_RETRANSMITS = 15;
export const IP_TTL = 64;

const NOP: TcpOption = { kind: 'nop' };
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
  /** Added to the millisecond clock for TSval (per address pair). */
  tsOffset: number;
  /** Simulated time in microseconds. */
  now: () => number;
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
  private readonly now: () => number;
  readonly tsOffset: number;

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
  /** The peer's window in bytes (its field, scaled once the handshake agreed on scaling). */
  peerWindow = 0;
  /** Congestion window in segments: 10 at first (RFC 6928, Linux's TCP_INIT_CWND). */
  cwnd = INITIAL_CWND;
  /** Slow-start threshold in segments: unbounded until a time-out. */
  ssthresh = Number.POSITIVE_INFINITY;
  private cwndCount = 0;

  // --- options agreed in the handshake ---
  /** What the peer's SYN (or SYN-ACK) offered; for the passive side also what its SYN-ACK answers with. */
  peerSackOk = false;
  peerTsOk = false;
  /** The peer's window-scale shift, or null when its SYN had no window-scale option. */
  peerWscale: number | null = null;
  /** The peer's TSval to echo (ts_recent). */
  tsRecent = 0;
  /** RCV.NXT when we last sent an ACK (rcv_wup). */
  private rcvWup = 0;
  /** Our receive window in bytes (set by the SYN or SYN-ACK we send). */
  rcvWindow = SYN_WINDOW;

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
    this.now = init.now;
    this.tsOffset = init.tsOffset >>> 0;
  }

  /** Both SYNs carried timestamps: every later segment carries them (RFC 7323 §3.2). */
  get tsOk(): boolean {
    return this.peerTsOk;
  }

  /** Both SYNs carried window scale: later window fields are scaled (RFC 7323 §2.2). */
  get wscaleOk(): boolean {
    return this.peerWscale !== null;
  }

  /** TSval now: the millisecond clock plus the pair's offset, modulo 2^32. */
  tsVal(): number {
    return (Math.floor(this.now() / 1000) + this.tsOffset) >>> 0;
  }

  /** Sequence number of stream offset `o`. */
  seqOf(o: number): number {
    return (this.iss + 1 + o) >>> 0;
  }

  /** SND.NXT as the peer sees it (the highest sequence sent + 1, FIN included). */
  private sndNxtSeq(): number {
    return (this.seqOf(this.sndMax) + (this.finSent ? 1 : 0)) >>> 0;
  }

  /** Payload bytes of a full segment: the smaller MSS less the timestamp option (tcp_current_mss): 1460 − 12 = 1448. */
  get effectiveMss(): number {
    return Math.min(this.peerMss, OUR_MSS) - (this.tsOk ? TS_OPTION_BYTES : 0);
  }

  /** Data or FIN sent and not yet acknowledged. */
  get outstanding(): boolean {
    return this.sndMax > this.una || (this.finSent && !this.finAcked);
  }

  // ------------------------------------------------------------------ segments out

  /** The window field of a segment after the handshake: our window rounded up to the scale unit, then shifted. */
  windowField(): number {
    if (!this.wscaleOk) return Math.min(this.rcvWindow, MAX_WINDOW_FIELD);
    const unit = 1 << OUR_WSCALE;
    return Math.min(Math.ceil(this.rcvWindow / unit), MAX_WINDOW_FIELD);
  }

  /** The window we advertise after the handshake, in bytes (the field × 128 when scaled). */
  get advertisedWindow(): number {
    return this.wscaleOk ? this.windowField() << OUR_WSCALE : this.windowField();
  }

  /** NOP, NOP, TS on a segment after the handshake (tcp_established_options), plus NOP, NOP, SACK when given. */
  private establishedOptions(sack?: SackBlock[]): TcpOption[] | undefined {
    const out: TcpOption[] = [];
    if (this.tsOk) out.push(NOP, NOP, { kind: 'timestamps', tsval: this.tsVal(), tsecr: this.tsRecent });
    if (sack && sack.length && this.peerSackOk) out.push(NOP, NOP, { kind: 'sack', blocks: sack });
    return out.length ? out : undefined;
  }

  private emit(flags: Flags, seq: number, ack: number, payload?: Uint8Array, options?: TcpOption[], windowValue = this.windowField()): void {
    // The header's window field, keyed by name: src/core names no browser global, not even as a key.
    const fields = { srcPort: this.localPort, dstPort: this.remotePort, seq, ack, flags, window: windowValue, options, payload };
    const bytes = encodeTcpPacket({ src: this.localIp, dst: this.remoteIp, ttl: IP_TTL, identification: this.ipId, dontFragment: true }, fields);
    this.ipId = (this.ipId + 1) & 0xffff;
    this.segmentsSent++;
    if (flags.ack) this.rcvWup = this.rcvNxt;
    // Any segment acknowledging RCV.NXT carries the ACK a received segment was owed.
    if (flags.ack && ack === this.rcvNxt) this.ackPending = false;
    this.transmit(bytes);
  }

  /** A segment after the handshake: the established options ride along. */
  private emitEst(flags: Flags, seq: number, ack: number, payload?: Uint8Array, sack?: SackBlock[]): void {
    this.emit(flags, seq, ack, payload, this.establishedOptions(sack));
  }

  /** Linux's SYN: MSS, SACK_PERM, TS, NOP, WS (tcp_options_write's order; 20 bytes). */
  sendSyn(): void {
    this.synCount++;
    this.rcvWindow = SYN_WINDOW;
    const options: TcpOption[] = [
      { kind: 'mss', value: OUR_MSS },
      { kind: 'sack-permitted' },
      { kind: 'timestamps', tsval: this.tsVal(), tsecr: 0 },
      NOP,
      { kind: 'wscale', shift: OUR_WSCALE },
    ];
    this.emit(SYN, this.iss, 0, undefined, options, this.rcvWindow);
  }

  /** The SYN-ACK answers only what the SYN offered; same order as a SYN (NOP, NOP before TS or SACK_PERM when the other is missing). */
  sendSynAck(): void {
    this.synCount++;
    this.rcvWindow = initialWindow(OUR_MSS - (this.peerTsOk ? TS_OPTION_BYTES : 0));
    const options: TcpOption[] = [{ kind: 'mss', value: OUR_MSS }];
    const ts: TcpOption = { kind: 'timestamps', tsval: this.tsVal(), tsecr: this.tsRecent };
    if (this.peerTsOk) options.push(...(this.peerSackOk ? [{ kind: 'sack-permitted' } as const, ts] : [NOP, NOP, ts]));
    else if (this.peerSackOk) options.push(NOP, NOP, { kind: 'sack-permitted' });
    if (this.peerWscale !== null) options.push(NOP, { kind: 'wscale', shift: OUR_WSCALE });
    this.emit(SYN_ACK, this.iss, this.rcvNxt, undefined, options, this.rcvWindow);
  }

  /** A bare ACK; `sack` names data received beyond a gap (a duplicate ACK). */
  sendAck(sack?: SackBlock[]): void {
    this.emitEst(ACK, this.sndNxtSeq(), this.rcvNxt, undefined, sack);
  }

  /** abort(): RST/ACK at SND.NXT, as tcp_send_active_reset does (timestamps included: it is a socket's segment). */
  sendReset(): void {
    this.emitEst(RST_ACK, this.sndNxtSeq(), this.rcvNxt);
  }

  /** RST for a segment that acknowledged something we never sent (seq = its ack, RFC 793): tcp_v4_send_reset, window 0, no options. */
  sendBareReset(seq: number): void {
    this.emit(RST, seq, 0, undefined, undefined, 0);
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
        const len = Math.min(avail, mss, this.peerWindow - inFlight, this.cwnd * mss - inFlight);
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
    this.emitEst(flags, this.seqOf(o), this.rcvNxt, payload);
    this.nxt = end;
    if (end > this.sndMax) this.sndMax = end;
    if (withFin) this.finOut = this.finSent = true;
  }

  private sendFin(): void {
    if (this.finSent) this.retransmittedSegments++;
    this.emitEst(FIN_ACK, this.seqOf(this.written), this.rcvNxt);
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

  /** RTO fired: back off, go back to SND.UNA, resend one segment (data or FIN); the congestion window restarts at one segment (RFC 5681 §3.1). */
  retransmitOnTimeout(): void {
    const flight = Math.ceil((this.sndMax - this.una) / Math.max(this.effectiveMss, 1));
    this.ssthresh = Math.max(Math.ceil(flight / 2), 2);
    this.cwnd = 1;
    this.cwndCount = 0;
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
    return seg.flags.rst && (seg.seq - this.rcvNxt) >>> 0 < Math.max(this.advertisedWindow, 1);
  }

  /** The segment carries a FIN that follows everything received so far. */
  finInOrder(seg: TcpSegment): boolean {
    if (!seg.flags.fin) return false;
    const startDiff = (seg.seq - this.rcvNxt) | 0;
    const endDiff = (seg.seq + seg.payload.length - this.rcvNxt) | 0;
    return startDiff <= 0 && endDiff >= 0;
  }

  /**
   * Peer's SYN or SYN-ACK: its ISN, window (never scaled on a SYN) and options. For the
   * active side a SYN-ACK can only answer what our SYN offered, and we offered all.
   */
  takePeerSyn(seg: TcpSegment): void {
    this.irs = seg.seq;
    this.rcvNxt = (seg.seq + 1) >>> 0;
    this.rcvWup = this.rcvNxt;
    this.peerWindow = seg.window;
    this.peerMss = DEFAULT_PEER_MSS;
    this.peerSackOk = this.peerTsOk = false;
    this.peerWscale = null;
    for (const o of seg.options) {
      if (o.kind === 'mss') this.peerMss = o.value;
      else if (o.kind === 'sack-permitted') this.peerSackOk = true;
      else if (o.kind === 'wscale')
        this.peerWscale = Math.min(o.shift, 14); // RFC 7323 §2.3: larger shifts are taken as 14
      else if (o.kind === 'timestamps') {
        this.peerTsOk = true;
        this.tsRecent = o.tsval;
      }
    }
  }

  /** The peer's window field in bytes: scaled once both SYNs agreed on scaling (never on a SYN itself). */
  private peerWindowOf(seg: TcpSegment): number {
    return seg.flags.syn || this.peerWscale === null ? seg.window : seg.window * 2 ** this.peerWscale;
  }

  /** tcp_replace_ts_recent: remember the peer's TSval when the segment does not start beyond what our last ACK acknowledged. */
  takeTimestamp(seg: TcpSegment): void {
    if (!this.tsOk || ((seg.seq - this.rcvWup) | 0) > 0) return;
    for (const o of seg.options) if (o.kind === 'timestamps') this.tsRecent = o.tsval;
  }

  /** Processes the ACK field; true when it acknowledged something new. */
  takeAck(seg: TcpSegment): boolean {
    if (!seg.flags.ack) return false;
    const delta = (seg.ack - this.seqOf(this.una)) >>> 0;
    const dataOut = this.sndMax - this.una;
    if (delta > dataOut + (this.finSent ? 1 : 0)) return false; // acks what we never sent
    this.peerWindow = this.peerWindowOf(seg);
    if (delta === 0) return false;
    const data = Math.min(delta, dataOut);
    if (data > 0) {
      this.release(data);
      this.growCwnd(Math.ceil(data / Math.max(this.effectiveMss, 1)));
    }
    if (delta > dataOut) this.finAcked = true;
    this.rtxCount = 0;
    this.rtoMs = INITIAL_RTO_MS;
    this.rtxRestart = true;
    return true;
  }

  /** Slow start below ssthresh (one segment more per segment acknowledged), then one more per window's worth of ACKs (RFC 5681 §3.1). */
  private growCwnd(acked: number): void {
    if (this.cwnd < this.ssthresh) this.cwnd += acked;
    else if ((this.cwndCount += acked) >= this.cwnd) {
      this.cwndCount = 0;
      this.cwnd++;
    }
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

  /** Data that arrived beyond a gap (dropped), to name in the next ACK's SACK option; null when none. */
  sackPending: SackBlock[] | null = null;

  /**
   * Payload in order → the new bytes (RCV.NXT advanced); anything else → null. Out-of-order
   * data is dropped (its range noted for a SACK block when the peer allowed SACK); the
   * caller ACKs RCV.NXT either way.
   */
  takeData(seg: TcpSegment): Uint8Array | null {
    const len = seg.payload.length;
    if (len === 0) return null;
    const diff = (seg.seq - this.rcvNxt) | 0;
    if (diff > 0) {
      // A gap before it: drop, and say in the duplicate ACK what arrived (RFC 2018 §4).
      if (this.peerSackOk) this.sackPending = [{ left: seg.seq >>> 0, right: (seg.seq + len) >>> 0 }];
      return null;
    }
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

/**
 * One TCP connection endpoint with the RFC 793 states. The host stack creates it for an
 * active open (starts in SYN_SENT) or for a SYN that reached a listening port (starts in
 * SYN_RECEIVED; LISTEN itself lives in the host stack). Sequence numbers and buffers live
 * in the Tcb (tcb.ts); this file decides states, timers and what the owner is told.
 *
 * Timers run on the simulated clock (`createActor(m, { clock: scheduler.clock })`):
 * - SYN / SYN-ACK retransmission: `after` on a child state re-entered per retransmission,
 *   delays from the kernel rule in schedule.ts;
 * - the caller's connect time-out: `after` on SYN_SENT itself, so retransmissions do not
 *   restart it;
 * - data/FIN retransmission: the owner's timer (EndpointHooks.armRtx/stopRtx) delivers an `RTO`
 *   event; `syncRtx` arms, restarts and stops it as RFC 6298 says, after every segment in or
 *   out. Arming is not an event of the machine: the timer changes no state until it fires;
 * - TIME_WAIT 60 s (TCP_TIMEWAIT_LEN), FIN_WAIT_2 60 s (tcp_fin_timeout, orphaned socket).
 * Every RFC state change is a trace 'state' event; every timer firing a 'timer' event.
 */
import { raise, setup } from 'xstate';
import type { Ipv4 } from '../codec/addr';
import type { TcpSegment } from '../codec/tcp';
import type { TraceRecorder } from '../sim/trace';
import { planFor, nextDelayMs, type RetransmitPlan, type SynSchedule } from './schedule';
import { MAX_DATA_RETRANSMITS, type Tcb } from './tcb';
import { abortsConnect, dropsHalfOpen } from './icmp';
import type { EndpointHooks, TcpStateName } from './types';

/** TCP_TIMEWAIT_LEN. */
export const TIME_WAIT_MS = 60_000;
/** tcp_fin_timeout: how long an orphaned socket waits in FIN_WAIT_2 for the peer's FIN. */
export const FIN_WAIT_2_MS = 60_000;

export interface TcpEndpointInput {
  tcb: Tcb;
  /** active: connect(); passive: a SYN reached a listening port (the Tcb already holds its ISN and MSS). */
  mode: 'active' | 'passive';
  synSchedule: SynSchedule;
  /** tcp_syn_retries, when not the schedule's own. */
  synRetries?: number;
  /** The application's own connect time-out (ms), if any. */
  connectTimeoutMs?: number;
  hooks: EndpointHooks;
  trace: TraceRecorder;
  /** Trace actor id, e.g. "client/tcp 192.168.1.100:3761→203.0.113.10:21". */
  actorId: string;
  /** Simulated time in µs (for elapsed times in errors). */
  now: () => number;
}

interface Ctx extends TcpEndpointInput {
  synPlan: RetransmitPlan;
  synAckPlan: RetransmitPlan;
}

export type TcpEndpointEvent =
  | { type: 'SEGMENT'; seg: TcpSegment }
  | { type: 'ICMP'; icmpType: number; code: number; from: Ipv4; seq?: number }
  | { type: 'CLOSE' }
  | { type: 'ABORT' }
  /** Forget the connection without a word (evicted TIME_WAIT, a closed listener's half-open child). */
  | { type: 'DROP' }
  | { type: 'RTO' };

type Ev = TcpEndpointEvent;
const segOf = (e: Ev): TcpSegment | null => (e.type === 'SEGMENT' ? e.seg : null);

/** States where the peer knows our ISN: an abort sends RST. */
const SYNCHRONIZED: ReadonlySet<TcpStateName> = new Set(['SYN_RECEIVED', 'ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2', 'CLOSE_WAIT', 'CLOSING', 'LAST_ACK']);

function timer(c: Ctx, name: string, note: string): void {
  c.trace.emit({ kind: 'timer', actor: c.actorId, name, note });
}

/**
 * Arms, restarts or stops the retransmission timer (RFC 6298 §5.1–5.3): armed while data or a
 * FIN is unacknowledged, restarted when an ACK took something new. Run by the machine after
 * each segment, and by the socket after a write that sent (Tcb.write pumps at once).
 */
export function syncRtx(t: Tcb, timer: Pick<EndpointHooks, 'armRtx' | 'stopRtx' | 'rtxArmed'>): void {
  if (t.outstanding) {
    if (!timer.rtxArmed || t.rtxRestart) timer.armRtx(t.rtoMs);
  } else if (timer.rtxArmed) timer.stopRtx();
  t.rtxRestart = false;
}

export const tcpEndpointMachine = setup({
  types: {
    context: {} as Ctx,
    events: {} as TcpEndpointEvent,
    input: {} as TcpEndpointInput,
  },
  delays: {
    // By attempt index, not by SYNs sent: at start the entry action that sends the SYN is
    // deferred until after the delay is resolved.
    synRto: ({ context }) => nextDelayMs(context.synPlan, context.tcb.synAttempt + 1),
    synAckRto: ({ context }) => nextDelayMs(context.synAckPlan, context.tcb.synAttempt + 1),
    // Without a caller time-out, a delay the kernel's own give-up always beats.
    connectTimeout: ({ context }) => context.connectTimeoutMs ?? context.synPlan.giveUpAtMs + 1,
    timeWait: TIME_WAIT_MS,
    finWait2: FIN_WAIT_2_MS,
  },
  guards: {
    isPassive: ({ context }) => context.mode === 'passive',
    hasConnectTimeout: ({ context }) => context.connectTimeoutMs !== undefined,
    synExhausted: ({ context }) => context.tcb.synAttempt + 1 >= context.synPlan.sendAtMs.length,
    synAckExhausted: ({ context }) => context.tcb.synAttempt + 1 >= context.synAckPlan.sendAtMs.length,
    rtxExhausted: ({ context }) => context.tcb.rtxCount >= MAX_DATA_RETRANSMITS,
    synchronized: ({ context }) => SYNCHRONIZED.has(context.tcb.state),
    // SYN_SENT
    rstForOurSyn: ({ context, event }) => {
      const s = segOf(event);
      return !!s && s.flags.rst && context.tcb.acksSyn(s);
    },
    synAckForOurSyn: ({ context, event }) => {
      const s = segOf(event);
      return !!s && s.flags.syn && !s.flags.rst && context.tcb.acksSyn(s);
    },
    unacceptableAck: ({ context, event }) => {
      const s = segOf(event);
      return !!s && s.flags.ack && !s.flags.rst && !context.tcb.acksSyn(s);
    },
    icmpAbortsConnect: ({ context, event }) => event.type === 'ICMP' && abortsConnect(event.icmpType, event.code) && (event.seq === undefined || event.seq === context.tcb.iss),
    // SYN_RECEIVED
    icmpDropsHalfOpen: ({ context, event }) => event.type === 'ICMP' && dropsHalfOpen(event.icmpType, event.code) && (event.seq === undefined || event.seq === context.tcb.iss),
    handshakeAck: ({ context, event }) => {
      const s = segOf(event);
      return !!s && !s.flags.syn && !s.flags.rst && context.tcb.acksSyn(s);
    },
    peerSynAgain: ({ context, event }) => {
      const s = segOf(event);
      return !!s && s.flags.syn && !s.flags.ack && s.seq === context.tcb.irs;
    },
    // synchronized states
    rstAcceptable: ({ context, event }) => {
      const s = segOf(event);
      return !!s && context.tcb.rstAcceptable(s);
    },
    finInOrder: ({ context, event }) => {
      const s = segOf(event);
      return !!s && !s.flags.rst && context.tcb.finInOrder(s);
    },
    acksFin: ({ context, event }) => {
      const s = segOf(event);
      return !!s && !s.flags.rst && context.tcb.acksFin(s);
    },
    finRetransmitted: ({ event }) => {
      const s = segOf(event);
      return !!s && s.flags.fin && !s.flags.rst;
    },
    finInOrderAndAcksFin: ({ context, event }) => {
      const s = segOf(event);
      return !!s && !s.flags.rst && context.tcb.finInOrder(s) && context.tcb.acksFin(s);
    },
  },
  actions: {
    noteState: ({ context }, p: { to: TcpStateName }) => {
      const from = context.tcb.state;
      if (from === p.to) return;
      context.tcb.state = p.to;
      context.trace.emit({ kind: 'state', actor: context.actorId, machine: 'tcp', from, to: p.to });
    },
    sendSyn: ({ context }) => {
      if (context.tcb.synCount === 0) context.tcb.synStartUs = context.now();
      context.tcb.sendSyn();
    },
    nextSynAttempt: ({ context }) => {
      context.tcb.synAttempt++;
    },
    traceSynRetransmit: ({ context }) => timer(context, 'syn-retransmit', `SYN retransmission #${context.tcb.synCount}`),
    failTimeout: ({ context }) => {
      const t = context.tcb;
      const elapsedUs = context.now() - t.synStartUs;
      timer(context, 'syn-timeout', `no answer to ${t.synCount} SYNs after ${elapsedUs / 1e6} s: connect() fails with ETIMEDOUT`);
      t.errorNotice = { kind: 'timeout', synCount: t.synCount, elapsedUs };
    },
    failClientTimeout: ({ context }) => {
      const elapsedUs = context.now() - context.tcb.synStartUs;
      timer(context, 'connect-timeout', `the application's connect time-out (${context.connectTimeoutMs} ms) fired`);
      context.tcb.errorNotice = { kind: 'client-timeout', elapsedUs };
    },
    failRefused: ({ context }) => {
      context.tcb.errorNotice = { kind: 'refused' };
    },
    failIcmp: ({ context, event }) => {
      if (event.type === 'ICMP') context.tcb.errorNotice = { kind: 'icmp', type: event.icmpType, code: event.code, from: event.from };
    },
    failReset: ({ context }) => {
      context.tcb.errorNotice = { kind: 'reset' };
    },
    resetForBadAck: ({ context, event }) => {
      const s = segOf(event);
      if (s) context.tcb.sendBareReset(s.ack);
    },
    sendSynAck: ({ context }) => context.tcb.sendSynAck(),
    traceSynAckRetransmit: ({ context }) => timer(context, 'synack-retransmit', `SYN-ACK retransmission #${context.tcb.synCount}`),
    traceSynAckGiveUp: ({ context }) => timer(context, 'synack-timeout', `no ACK after ${context.tcb.synCount} SYN-ACKs: half-open connection dropped`),
    establishActive: ({ context, event }) => {
      const s = segOf(event);
      if (!s) return;
      const t = context.tcb;
      t.takePeerSyn(s);
      t.takeAck(s);
      t.sendAck();
      t.establishedNotice = true;
    },
    establishPassive: ({ context }) => {
      context.tcb.establishedNotice = true;
    },
    /** The handshake ACK may carry data (or a FIN): process it again as ESTABLISHED. */
    reprocess: raise(({ event }) => event),
    /** ACK field and in-order payload; the app gets the bytes at once. */
    absorb: ({ context, event }) => {
      const s = segOf(event);
      if (!s) return;
      const t = context.tcb;
      t.takeTimestamp(s);
      t.takeAck(s);
      const data = t.takeData(s);
      if (s.payload.length > 0 || s.flags.syn || s.flags.fin) t.ackPending = true;
      if (data) context.hooks.data(data);
    },
    consumeFin: ({ context }) => {
      context.tcb.takeFin();
      context.tcb.ackPending = true;
      context.tcb.peerFinNotice = true;
    },
    /** Sends what the window allows, and a bare ACK only if no segment carried the one owed. */
    respond: ({ context }) => {
      const t = context.tcb;
      const sack = t.sackPending;
      t.sackPending = null;
      // A duplicate ACK naming data beyond a gap goes out on its own, as Linux's does.
      if (sack) t.sendAck(sack);
      t.pump(); // every segment it sends carries the ACK (Tcb.emit clears ackPending)
      if (t.ackPending) t.sendAck();
    },
    ackOnly: ({ context }) => context.tcb.sendAck(),
    queueFin: ({ context }) => {
      context.tcb.finQueued = true;
    },
    pump: ({ context }) => {
      context.tcb.pump();
    },
    sendReset: ({ context }) => context.tcb.sendReset(),
    retransmit: ({ context }) => {
      const t = context.tcb;
      timer(context, 'rto', `retransmission time-out #${t.rtxCount + 1} (${t.rtoMs} ms): resend from seq ${t.seqOf(t.una)}`);
      t.retransmitOnTimeout();
    },
    traceRtxGiveUp: ({ context }) => timer(context, 'rto', `${context.tcb.rtxCount} retransmission time-outs: connection reset`),
    syncRtx: ({ context }) => syncRtx(context.tcb, context.hooks),
    stopRtx: ({ context }) => context.hooks.stopRtx(),
    traceTimeWait: ({ context }) => timer(context, 'time-wait', `TIME_WAIT over after ${TIME_WAIT_MS / 1000} s`),
    traceFinWait2: ({ context }) => timer(context, 'fin-wait-2', `no FIN from the peer within ${FIN_WAIT_2_MS / 1000} s (tcp_fin_timeout)`),
    noteClosed: ({ context }) => {
      context.tcb.closedNotice = true;
    },
    /**
     * Tells the owner what the last transition meant, after the new state is entered, so
     * a handler that reads `state` or calls close() sees the connection as it now is.
     */
    flushNotices: ({ context }) => {
      const t = context.tcb;
      const h = context.hooks;
      if (t.establishedNotice) ((t.establishedNotice = false), h.established());
      if (t.peerFinNotice) ((t.peerFinNotice = false), h.peerClosed());
      if (t.closedNotice) ((t.closedNotice = false), h.closed());
      const err = t.errorNotice;
      if (err) ((t.errorNotice = null), h.error(err));
    },
    release: ({ context }) => context.hooks.released(),
  },
}).createMachine({
  id: 'tcp',
  context: ({ input }) => ({ ...input, synPlan: planFor(input.synSchedule, input.synRetries), synAckPlan: planFor('synack') }),
  initial: 'start',
  on: {
    ABORT: [{ guard: 'synchronized', target: '.CLOSED', actions: 'sendReset' }, { target: '.CLOSED' }],
    DROP: { target: '.CLOSED' },
    RTO: [{ guard: 'rtxExhausted', target: '.CLOSED', actions: ['traceRtxGiveUp', 'failReset'] }, { actions: ['retransmit', 'syncRtx'] }],
  },
  states: {
    /** Not an RFC state: picks the open's first state. */
    start: {
      always: [{ guard: 'isPassive', target: 'SYN_RECEIVED' }, { target: 'SYN_SENT' }],
    },

    SYN_SENT: {
      entry: [{ type: 'noteState', params: { to: 'SYN_SENT' } }, 'flushNotices'],
      initial: 'trying',
      states: {
        trying: {
          entry: 'sendSyn',
          after: {
            synRto: [
              { guard: 'synExhausted', target: '#tcp.CLOSED', actions: 'failTimeout' },
              { target: 'trying', reenter: true, actions: ['traceSynRetransmit', 'nextSynAttempt'] },
            ],
          },
        },
      },
      after: { connectTimeout: { guard: 'hasConnectTimeout', target: 'CLOSED', actions: 'failClientTimeout' } },
      on: {
        SEGMENT: [
          { guard: 'rstForOurSyn', target: 'CLOSED', actions: 'failRefused' },
          { guard: 'synAckForOurSyn', target: 'ESTABLISHED', actions: ['establishActive', 'syncRtx'] },
          // A stale ACK (e.g. from an old connection): RST at its ack number (RFC 793 p. 66).
          { guard: 'unacceptableAck', actions: 'resetForBadAck' },
        ],
        ICMP: { guard: 'icmpAbortsConnect', target: 'CLOSED', actions: 'failIcmp' },
        // The application gave up: the kernel forgets the attempt without a RST.
        CLOSE: { target: 'CLOSED' },
      },
    },

    SYN_RECEIVED: {
      entry: [{ type: 'noteState', params: { to: 'SYN_RECEIVED' } }, 'flushNotices'],
      initial: 'waiting',
      states: {
        waiting: {
          entry: 'sendSynAck',
          after: {
            synAckRto: [
              { guard: 'synAckExhausted', target: '#tcp.CLOSED', actions: 'traceSynAckGiveUp' },
              { target: 'waiting', reenter: true, actions: ['traceSynAckRetransmit', 'nextSynAttempt'] },
            ],
          },
        },
      },
      on: {
        SEGMENT: [
          // Back to LISTEN, i.e. gone: nobody has accepted this connection yet.
          { guard: 'rstAcceptable', target: 'CLOSED' },
          { guard: 'handshakeAck', target: 'ESTABLISHED', actions: ['establishPassive', 'reprocess'] },
          // The peer did not get our SYN-ACK and sent its SYN again.
          { guard: 'peerSynAgain', actions: 'sendSynAck' },
          { guard: 'unacceptableAck', actions: 'resetForBadAck' },
        ],
        ICMP: { guard: 'icmpDropsHalfOpen', target: 'CLOSED' },
        CLOSE: { target: 'CLOSED', actions: 'sendReset' },
      },
    },

    ESTABLISHED: {
      // Data written during the handshake goes out now.
      entry: [{ type: 'noteState', params: { to: 'ESTABLISHED' } }, 'flushNotices', 'pump', 'syncRtx'],
      on: {
        SEGMENT: [
          { guard: 'rstAcceptable', target: 'CLOSED', actions: 'failReset' },
          { guard: 'finInOrder', target: 'CLOSE_WAIT', actions: ['absorb', 'consumeFin', 'respond', 'syncRtx'] },
          { actions: ['absorb', 'respond', 'syncRtx'] },
        ],
        CLOSE: { target: 'FIN_WAIT_1', actions: ['queueFin', 'pump', 'syncRtx'] },
      },
    },

    FIN_WAIT_1: {
      entry: [{ type: 'noteState', params: { to: 'FIN_WAIT_1' } }, 'flushNotices'],
      on: {
        SEGMENT: [
          { guard: 'rstAcceptable', target: 'CLOSED', actions: 'failReset' },
          { guard: 'finInOrderAndAcksFin', target: 'TIME_WAIT', actions: ['absorb', 'consumeFin', 'respond', 'syncRtx'] },
          { guard: 'finInOrder', target: 'CLOSING', actions: ['absorb', 'consumeFin', 'respond', 'syncRtx'] },
          { guard: 'acksFin', target: 'FIN_WAIT_2', actions: ['absorb', 'respond', 'syncRtx'] },
          { actions: ['absorb', 'respond', 'syncRtx'] },
        ],
      },
    },

    FIN_WAIT_2: {
      entry: [{ type: 'noteState', params: { to: 'FIN_WAIT_2' } }, 'flushNotices'],
      after: { finWait2: { target: 'CLOSED', actions: 'traceFinWait2' } },
      on: {
        SEGMENT: [
          { guard: 'rstAcceptable', target: 'CLOSED', actions: 'failReset' },
          { guard: 'finInOrder', target: 'TIME_WAIT', actions: ['absorb', 'consumeFin', 'respond'] },
          { actions: ['absorb', 'respond'] },
        ],
      },
    },

    CLOSE_WAIT: {
      entry: [{ type: 'noteState', params: { to: 'CLOSE_WAIT' } }, 'flushNotices'],
      on: {
        SEGMENT: [{ guard: 'rstAcceptable', target: 'CLOSED', actions: 'failReset' }, { actions: ['absorb', 'respond', 'syncRtx'] }],
        CLOSE: { target: 'LAST_ACK', actions: ['queueFin', 'pump', 'syncRtx'] },
      },
    },

    CLOSING: {
      entry: [{ type: 'noteState', params: { to: 'CLOSING' } }, 'flushNotices'],
      on: {
        SEGMENT: [
          { guard: 'rstAcceptable', target: 'CLOSED', actions: 'failReset' },
          { guard: 'acksFin', target: 'TIME_WAIT', actions: ['absorb', 'respond', 'syncRtx'] },
          { actions: ['absorb', 'respond', 'syncRtx'] },
        ],
      },
    },

    LAST_ACK: {
      entry: [{ type: 'noteState', params: { to: 'LAST_ACK' } }, 'flushNotices'],
      on: {
        SEGMENT: [
          { guard: 'rstAcceptable', target: 'CLOSED', actions: 'failReset' },
          { guard: 'acksFin', target: 'CLOSED', actions: ['absorb', 'syncRtx', 'noteClosed'] },
          { actions: ['absorb', 'respond', 'syncRtx'] },
        ],
      },
    },

    TIME_WAIT: {
      entry: [{ type: 'noteState', params: { to: 'TIME_WAIT' } }, 'noteClosed', 'flushNotices'],
      after: { timeWait: { target: 'CLOSED', actions: 'traceTimeWait' } },
      on: {
        // The peer did not get our last ACK and sent its FIN again: ACK it again.
        SEGMENT: { guard: 'finRetransmitted', actions: 'ackOnly' },
      },
    },

    CLOSED: {
      type: 'final',
      // Forget the 4-tuple first: an error handler may reconnect from the same port.
      entry: [{ type: 'noteState', params: { to: 'CLOSED' } }, 'stopRtx', 'release', 'flushNotices'],
    },
  },
});

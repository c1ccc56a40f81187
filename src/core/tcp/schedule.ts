/**
 * When an unanswered SYN (or SYN-ACK) is sent again, and when the kernel gives up. Computed
 * by replaying the kernel's retransmission-timer rule rather than hard-coding the gaps, so
 * the two kernel generations differ only in their knobs.
 *
 * The rule, as net/ipv4/tcp_timer.c has it since `tcp_syn_linear_timeouts` (Linux 6.5):
 * - the first SYN arms a 1 s timer (TCP_TIMEOUT_INIT);
 * - on each firing: give up if `retransmits >= syn_retries + syn_linear_timeouts`
 *   (SYN_SENT only; tcp_write_timeout) or if the time since the first SYN reaches the
 *   modelled exponential budget `(2^(syn_retries+1) - 1) × 1 s` (retransmits_timed_out:
 *   127 s for syn_retries=6); otherwise send the SYN again, count it (total_rto), and
 *   double the timer unless still in the linear phase (`total_rto <= syn_linear_timeouts`),
 *   capped at TCP_RTO_MAX (120 s).
 *
 * Linux 6.18 defaults (syn_retries=6, linear=4): SYNs at 0,1,2,3,4,5,7,11,19,35,67 s, give
 * up at 131 s. The "about 134 s" measured on a real machine (docs/FIDELITY-NOTES.md) is this plus timer-wheel slack: a 64 s
 * timer lands on a ~4 s granularity level of the kernel's timer wheel, and every measured
 * gap runs 20–260 ms long. The simulator uses the rule's exact times.
 * Older kernels (no linear phase): SYNs at 0,1,3,7,15,31,63 s, give up at 127 s.
 * SYN-ACKs (reqsk_timer_handler, tcp_synack_retries=5) never had a linear phase:
 * 0,1,3,7,15,31 s, half-open connection dropped at 63 s.
 */
export type SynSchedule = 'linux' | 'exponential';

export interface RetransmitKnobs {
  /** tcp_syn_retries / tcp_synack_retries. */
  retries: number;
  /** tcp_syn_linear_timeouts (0 = purely exponential). */
  linear: number;
  /** Whether the 127 s-style time budget also applies (SYN_SENT: yes; request socks: no). */
  timeBudget: boolean;
}

/** Knobs per schedule, with the real system each one stands for. */
export const SYN_KNOBS: Record<SynSchedule, RetransmitKnobs> = {
  linux: { retries: 6, linear: 4, timeBudget: true }, // Linux ≥ 6.5 defaults, measured on 6.18
  exponential: { retries: 6, linear: 0, timeBudget: true }, // kernels before tcp_syn_linear_timeouts
};
export const SYNACK_KNOBS: RetransmitKnobs = { retries: 5, linear: 0, timeBudget: false }; // tcp_synack_retries=5

const TIMEOUT_INIT_MS = 1000; // TCP_TIMEOUT_INIT
const RTO_MAX_MS = 120_000; // TCP_RTO_MAX

export interface RetransmitPlan {
  /** Send time of each SYN relative to the first, ms (the first is 0). */
  sendAtMs: number[];
  /** When the kernel gives up, ms after the first SYN. */
  giveUpAtMs: number;
}

export function retransmitPlan(k: RetransmitKnobs): RetransmitPlan {
  const sendAtMs = [0];
  const budgetMs = k.timeBudget ? modelTimeoutMs(k.retries) : Infinity;
  const maxRetransmits = k.retries + k.linear;
  let rto = TIMEOUT_INIT_MS;
  let t = 0;
  let retransmits = 0;
  for (;;) {
    t += rto;
    if (retransmits >= maxRetransmits || t >= budgetMs) return { sendAtMs, giveUpAtMs: t };
    sendAtMs.push(t);
    retransmits++;
    if (retransmits > k.linear) rto = Math.min(rto * 2, RTO_MAX_MS);
  }
}

/** tcp_model_timeout(): the time `boundary` exponential retransmissions take from 1 s. */
function modelTimeoutMs(boundary: number): number {
  const thresh = Math.floor(Math.log2(RTO_MAX_MS / TIMEOUT_INIT_MS));
  if (boundary <= thresh) return (2 ** (boundary + 1) - 1) * TIMEOUT_INIT_MS;
  return (2 ** (thresh + 1) - 1) * TIMEOUT_INIT_MS + (boundary - thresh) * RTO_MAX_MS;
}

/** Delay before the timer firing that follows SYN number `sent` (1-based). */
export function nextDelayMs(plan: RetransmitPlan, sent: number): number {
  const next = sent < plan.sendAtMs.length ? plan.sendAtMs[sent]! : plan.giveUpAtMs;
  return next - plan.sendAtMs[sent - 1]!;
}

const cache = new Map<string, RetransmitPlan>();
/** Plans are immutable; compute each once. */
export function planFor(kind: SynSchedule | 'synack', synRetries?: number): RetransmitPlan {
  const key = synRetries === undefined || kind === 'synack' ? kind : `${kind}:${synRetries}`;
  let p = cache.get(key);
  if (!p) {
    const knobs = kind === 'synack' ? SYNACK_KNOBS : SYN_KNOBS[kind];
    p = retransmitPlan(synRetries === undefined || kind === 'synack' ? knobs : { ...knobs, retries: synRetries });
    cache.set(key, p);
  }
  return p;
}

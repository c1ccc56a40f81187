/**
 * "Packet steps": the trace events a learner steps through. A run records far more
 * (every filter decision, state change, conntrack update, console line); stepping
 * through those would bury the packets. A step is one of:
 *   send      a packet leaving a device onto a link (one step per hop)
 *   drop      a device refusing or losing a packet (DROP, REJECT, no route, helper)
 *   nat       a NAT rewrite (addresses, ports, PORT/227 text)
 *   transfer  a transfer finishing or failing (the outcome, in the client's words)
 * Everything else (recv, filter, conntrack, ftp, console, state, timer) is shown as
 * context "up to the cursor": the panels read all events with index ≤ the step's event.
 */
import type { Trace, TraceEvent, TraceKind } from '../../core/index';

export const STEP_KINDS: ReadonlySet<TraceKind> = new Set(['send', 'drop', 'nat', 'transfer']);

export function isStep(e: TraceEvent): boolean {
  return STEP_KINDS.has(e.kind);
}

/** Event indices of the steps, in trace order. */
export function packetSteps(trace: Trace): number[] {
  const out: number[] = [];
  trace.events.forEach((e, i) => {
    if (isStep(e)) out.push(i);
  });
  return out;
}

/** The step showing event `eventIndex`: the last step at or before it (the first step if none). */
export function stepForEvent(steps: readonly number[], eventIndex: number): number {
  let lo = 0;
  let hi = steps.length - 1;
  let best = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (steps[mid]! <= eventIndex) {
      best = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best;
}

/** "1.234 567 s" style: simulated microseconds as seconds with millisecond precision. */
export function formatSimTime(us: number): string {
  const s = us / 1_000_000;
  if (s < 1) return `${(us / 1000).toFixed(3)} ms`;
  return `${s.toFixed(3)} s`;
}

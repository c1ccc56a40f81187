/**
 * A failure in words a beginner reads. The core's verdict summary ends with the failure's kind,
 * a code ("ls — syn-timeout."); the panels say what the kind means instead.
 */
import type { FailureKind, Verdict } from '../../core/index';

/** What went wrong, in a few words (the full explanation is in the verdict's rows). */
export const FAILURE_WORDS: Record<FailureKind, string> = {
  'syn-timeout': 'a connection went unanswered until it timed out',
  refused: 'the connection was refused (a TCP reset came back)',
  'icmp-unreachable': 'the other end was unreachable (an ICMP error came back)',
  'icmp-prohibited': 'a firewall refused the connection (ICMP "prohibited")',
  'ftp-error': 'the server answered with an error',
  'illegal-port': 'the server refused the address in PORT',
  'client-refused': "the client refused the server's reply",
  'client-timeout': "the client's own time-out ran out",
  stalled: 'the transfer stalled (a packet was lost mid-way)',
  budget: 'the run stopped before it finished',
};

/**
 * The verdict's heading: the core's summary, except that a failure names its first failed
 * command and says what went wrong in words ("2 of 2 transfers failed: ls — a connection went
 * unanswered until it timed out."), not the kind's code.
 */
export function verdictHeadline(v: Verdict): string {
  const failed = v.transfers.filter((t) => !t.ok);
  const first = failed[0];
  if (v.budgetExhausted || !first?.failure || !v.summary.endsWith(` — ${first.failure.kind}.`)) return v.summary;
  const n = v.transfers.length;
  return `${failed.length} of ${n} transfer${n > 1 ? 's' : ''} failed: ${first.command} — ${FAILURE_WORDS[first.failure.kind]}.`;
}

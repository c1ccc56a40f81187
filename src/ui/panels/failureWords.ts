/**
 * A failure in words a beginner reads. The core's verdict summary ends with the failure's kind,
 * a code ("ls — syn-timeout."); the panels say what the kind means instead.
 */
import { transfersSummary, type FailureKind, type Verdict } from '../../core/index';

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
 * The verdict's heading: the core's summary, with a failure's kind said in words ("2 of 2
 * transfers failed: ls — a connection went unanswered until it timed out."), not as its code.
 * A run stopped early keeps the core's own summary.
 */
export function verdictHeadline(v: Verdict): string {
  return v.summary === transfersSummary(v.transfers) ? transfersSummary(v.transfers, (k) => FAILURE_WORDS[k]) : v.summary;
}

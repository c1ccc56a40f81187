/**
 * The outcome of a run, as the verdict panel and the CLI's --json show it.
 * Keep this shape stable: the CLI documents it.
 */
import type { DropFacts, DropHow, RuleRef } from '../sim/trace';

export type FailureKind =
  /**
   * The SYN went unanswered: retransmitted until the connect gave up. Also the server's active
   * data SYN, when the client sees the server's 425 (the kinds below likewise: what the wire
   * showed, the reply being what the client sees).
   */
  | 'syn-timeout'
  /** A TCP RST answered the SYN ("Connection refused"). */
  | 'refused'
  /** An ICMP destination-unreachable answered the SYN (port/host/net unreachable). */
  | 'icmp-unreachable'
  /** An ICMP administratively/host prohibited answered the SYN. */
  | 'icmp-prohibited'
  /** The server answered an FTP error reply (530, 550, …; a 425 with no cause on the wire). */
  | 'ftp-error'
  /** The server refused the PORT/EPRT address (`500 Illegal PORT command.`). */
  | 'illegal-port'
  /** The client itself refused the server's reply (e.g. "Passive mode address mismatch."). */
  | 'client-refused'
  /** The client's own time-out (e.g. curl --connect-timeout) fired first. */
  | 'client-timeout'
  /** A packet was dropped mid-connection (e.g. by the FTP helper) and the transfer stalled. */
  | 'stalled'
  /** The run hit its event budget before the transfer finished. */
  | 'budget';

export interface Culprit {
  /** Device whose decision made the transfer fail. */
  device: string;
  /** The firewall rule responsible, or null when it was a chain policy or a setting. */
  rule: RuleRef | null;
  /** Chain policy responsible (e.g. "FORWARD policy DROP"). */
  policy?: string;
  /** A setting responsible, e.g. `pasv_address` unset, or the helper's `ports=`. */
  setting?: string;
  /**
   * When a dropped or refused packet made the transfer fail: the drop's fields, as the trace's
   * drop event has them (`where` for a netfilter verdict, `cause` for no route, nothing
   * listening, TTL). `policy`/`setting` then hold its sentence with the device's id; a line
   * that names the device builds its own from these fields (explain/names.ts culpritDetail).
   */
  drop?: CulpritDrop;
}

/** A drop's fields in a culprit (its rule is the culprit's `rule`). */
export type CulpritDrop = { how: DropHow } & DropFacts;

export interface TransferResult {
  client: string;
  /** The script line, e.g. "ls" or "get readme.txt". */
  command: string;
  ok: boolean;
  /** Payload bytes that arrived. */
  bytes: number;
  failure?: {
    kind: FailureKind;
    /** Step index in the trace where the decisive packet was lost/refused/answered. */
    step: number;
    culprit: Culprit | null;
    /** What the user sees in that client (its own words). */
    clientSees: string[];
    /** Plain-language explanation: which packet, where, why. */
    explanation: string;
    /** The smallest change that would make it work. */
    fix: string;
    /** The client was killed this many seconds after it started (a bound its caller set, like timeout(1)). */
    killedAfterS?: number;
  };
}

export interface Verdict {
  ok: boolean;
  transfers: TransferResult[];
  /** Did the run end because it hit the event budget? */
  budgetExhausted: boolean;
  /** Simulated time at the end of the run, in microseconds. */
  endTime: number;
  /** One sentence for the verdict panel's heading. */
  summary: string;
}

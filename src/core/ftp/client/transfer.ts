/**
 * The transfer contract: what a client reports about each transfer (the engine records it,
 * explain/ reads it), and a transfer in progress as the client machine keeps it.
 */
import type { Ipv4 } from '../../codec/addr';
import type { ConnectError, TcpSocket } from '../../tcp/hostStack';
import type { FtpReply } from '../../codec/ftp';
import type { CurlUrlPath } from './curlPath';
import type { DataCommand, MdtmCommand, SizeCommand, TypeCommand } from './profiles';
import { isCommandStep, type CommandStep, type ScriptStep } from './script';

/** Why a transfer failed, as the client experienced it; explain/ finds the cause. */
export type Symptom =
  | { kind: 'connect'; conn: string; target: string; err: ConnectError; role: 'control' | 'data' }
  | { kind: 'reply'; verb: string; code: number; text: string }
  | { kind: 'client-refused'; text: string }
  | { kind: 'control-lost'; err?: ConnectError; lastReply?: string; during?: boolean }
  /**
   * The client's own limit ran out, not while dialling a data connection: curl --max-time (the
   * whole transfer), or with `limit` another client's (lftp net:timeout: nothing happened on the
   * control connection for that long).
   */
  | { kind: 'max-time'; seconds: number; lastReply?: string; limit?: string }
  /** The run ended while the client was still waiting (event budget, or nothing left to happen). */
  | { kind: 'unfinished'; state: string; budget: boolean; killedAfterS?: number };

export interface TransferReport {
  client: string;
  command: string;
  ok: boolean;
  bytes: number;
  dataCommand?: DataCommand;
  dataConn?: string;
  symptom?: Symptom;
  /**
   * A passive data connection that failed before the client fell back to active mode
   * (FileZilla, tnftp in its default mode): the cause of the fallback.
   */
  passiveFailure?: Extract<Symptom, { kind: 'connect' }>;
}

/** Where in a transfer a profile's extra commands go (CommandSequence, without afterLogin). */
export type SequencePhase = 'beforeDataCommand' | 'beforeTransferCommand' | 'afterDownload';
export type SequenceCommand = TypeCommand | SizeCommand | MdtmCommand;

/** A transfer in progress. */
export interface Transfer {
  step: ScriptStep;
  commands: DataCommand[];
  index: number;
  triedActiveFallback: boolean;
  target?: { ip: Ipv4; port: number };
  dataConn?: string;
  dataSock?: TcpSocket;
  /** lftp: the SITE UTIME form last sent after this upload (2: `SITE UTIME t FILE`, 1: `SITE UTIME FILE t t t UTC`). */
  utimeSent?: 1 | 2;
  listener?: { close(): void; readonly port: number };
  bytes: number;
  listing: string;
  dataClosed: boolean;
  got226: boolean;
  connectStartedUs: number;
  /** When the transfer began (curl's t_startsingle). */
  startedUs: number;
  /** Has this transfer's outcome been reported? */
  reported?: boolean;
  /** How far each phase of the profile's command sequence has got. */
  sequence: Record<SequencePhase, number>;
  /** The sequence command waiting for its answer. */
  pending?: { phase: SequencePhase; index: number; cmd: SequenceCommand };
  /** What the reported failure was (a data connect that failed drops curl's control connection). */
  symptomKind?: Symptom['kind'];
  /** When the client's own connect time-out for this transfer's data connection runs out. */
  connectDeadlineUs?: number;
  /** The error of an earlier data connect attempt of this transfer. */
  lastConnectError?: { err: ConnectError; target: { ip: Ipv4; port: number }; conn: string };
  /** An active command was announced (curl -P - then prints a stale lookup error: messages.ts). */
  activeAnnounced?: boolean;
  /** The first refusal of a data command, when a later one was tried (inetutils' LPRT after PORT). */
  refusal?: { verb: string; code: number; text: string };
  /** The client closes the control connection after this failure (lftp). */
  dropControl?: boolean;
  /** lftp repeats this command on a new control connection (retries left). */
  lftpRetry?: boolean;
  /** The 227 address was replaced by the server's (fix-unroutable): lftp's fixed_pasv. */
  pasvFixed?: boolean;
  /** Sequence commands not to send again (lftp's SIZE/MDTM answered in an earlier try of the command). */
  skip?: string[];
  /** The size a SIZE reply gave, and the size the client expects once the transfer started (150). */
  sizeReply?: number;
  announcedSize?: number;
  /** The passive data connection is open. */
  dataConnected?: boolean;
  /**
   * curl: the URL's path, the CWDs it sends before the data command, how many were answered, a
   * refusal; `mkdTried`: --ftp-create-dirs already answered the refusal of the CWD under way with MKD.
   */
  curl?: { url: CurlUrlPath; cwds: string[]; sent: number; cwdFailed: boolean; mkdTried: boolean };
  /** Replies and the control connection's end that came while the client read the data connection (read later). */
  held?: ({ type: 'REPLY'; reply: FtpReply } | { type: 'CTRL_CLOSED' } | { type: 'CTRL_FAILED'; err: ConnectError })[];
  /** tnftp -q: the byte count at its last progress check that saw data come, and when. */
  stall?: { lastBytes: number; lastUpdateUs: number };
  /** Cancels the transfer's --max-time timer. */
  cancelMaxTime?: () => void;
}

export function newTransfer(step: ScriptStep, commands: DataCommand[], startedUs: number): Transfer {
  return {
    step,
    commands,
    index: 0,
    triedActiveFallback: false,
    bytes: 0,
    listing: '',
    dataClosed: false,
    got226: false,
    connectStartedUs: 0,
    startedUs,
    sequence: { beforeDataCommand: 0, beforeTransferCommand: 0, afterDownload: 0 },
  };
}

export const isTransfer = (s: ScriptStep | undefined): boolean => s?.kind === 'ls' || s?.kind === 'get' || s?.kind === 'put' || s?.kind === 'append';
/** Script lines whose outcome is reported: transfers and the commands on the server's tree. */
export const isReported = (s: ScriptStep | undefined): boolean => isTransfer(s) || isCommandStep(s);
export const transferVerb = (s: ScriptStep): string => (s.kind === 'ls' ? 'LIST' : s.kind === 'get' ? 'RETR' : s.kind === 'append' ? 'APPE' : 'STOR');
/** An upload: STOR or APPE. */
export const isUpload = (s: ScriptStep): s is Extract<ScriptStep, { kind: 'put' | 'append' }> => s.kind === 'put' || s.kind === 'append';
/** The transfer type a step needs: ASCII for a listing, binary for a file. */
export const typeFor = (s: ScriptStep): 'A' | 'I' => (s.kind === 'ls' ? 'A' : 'I');
export const transferArg = (s: ScriptStep): string | undefined => (s.kind === 'ls' ? s.path : s.kind === 'get' || s.kind === 'put' || s.kind === 'append' ? s.file : undefined);

/** The command a tree step sends first (rename: RNFR, then RNTO after a 350). */
export function stepCommand(s: CommandStep): [string, string | undefined] {
  switch (s.kind) {
    case 'cd':
      return ['CWD', s.dir];
    case 'pwd':
      return ['PWD', undefined];
    case 'mkdir':
      return ['MKD', s.dir];
    case 'rmdir':
      return ['RMD', s.dir];
    case 'delete':
      return ['DELE', s.file];
    case 'rename':
      return ['RNFR', s.from];
  }
}

/** The type a TYPE command of the sequence asks for in this transfer. */
export const typeArg = (cmd: TypeCommand, s: ScriptStep): 'A' | 'I' => (cmd.type === 'I' ? 'I' : typeFor(s));

/**
 * The next command of a sequence phase this transfer needs, from where the phase has got:
 * TYPE only when the type changes (and for downloads only when it says so), SIZE and MDTM
 * for downloads only.
 */
export function nextSequenceCommand(
  list: readonly SequenceCommand[],
  x: Transfer,
  phase: SequencePhase,
  currentType: 'A' | 'I' | null,
): { index: number; cmd: SequenceCommand } | null {
  for (let index = x.sequence[phase]; index < list.length; index++) {
    const cmd = list[index]!;
    if (x.skip?.includes(cmd.verb)) continue;
    // `downloads` (files): a listing asks TYPE A only once a file made the type I (BSD ftp's
    // recvrequest; captured for inetutils and tnftp: tests/kernel vsftpd-tree-commands).
    const applies = cmd.verb === 'TYPE' ? (cmd.for === 'all' || x.step.kind !== 'ls' || currentType === 'I') && currentType !== typeArg(cmd, x.step) : x.step.kind === 'get';
    if (applies) return { index, cmd };
  }
  return null;
}

const LATIN1 = new TextDecoder('latin1');

/**
 * The data connection's bytes are counted (and a listing kept) as they arrive, by the
 * socket's handler: nothing about the client's state changes per segment, so it is not an
 * event of the machine (one per segment cost a machine step for every 1460 bytes).
 */
export function receiveData(x: Transfer, b: Uint8Array): void {
  x.bytes += b.length;
  if (x.step.kind === 'ls') x.listing += LATIN1.decode(b);
}

/** Deterministic upload content: a repeating printable pattern. */
export function uploadBytes(size: number): Uint8Array {
  const b = new Uint8Array(size);
  for (let i = 0; i < size; i++) b[i] = 0x41 + (i % 26);
  return b;
}

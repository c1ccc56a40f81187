/**
 * The FTP client: one XState machine per client, driven by socket events from its HostStack
 * and by the replies it parses from the control connection's bytes. Which data command it
 * uses, how it treats a 227 address, when it falls back and which commands it sends around
 * login and each transfer come from its row in profiles.ts; what it prints from messages.ts;
 * the data connection's socket work is in dataConnection.ts, the transfer contract in
 * transfer.ts.
 */
import { and, assign, enqueueActions, setup } from 'xstate';
import { formatIpv4, ipv4Octets, type Ipv4 } from '../../codec/addr';
import { FtpReplyParser, formatFtpCommand, type FtpReply } from '../../codec/ftp';
import { encodeHostPort, formatEprtArg, parse227, parse229 } from '../../codec/hostport';
import type { ConnectError, HostStack, TcpSocket } from '../../tcp/hostStack';
import { closeData, dialServer, listenForServer, passiveTarget, stopListening, takeAccepted, type DataEvent } from './dataConnection';
import { dataCommandsFor, isPassive, type ClientProfile, type DataCommand, type LoginCommand, type ModeChoice } from './profiles';
import {
  connectErrno,
  connectFailureLines,
  connectTimeUsedUpLines,
  curlGreetingFailure,
  dataFallbackLines,
  lostPeerLines,
  replyFailureLines,
  type ConnectTarget,
} from './messages';
import { describeStep, isCommandStep, type CommandStep, type ScriptStep } from './script';
import {
  isReported,
  isTransfer,
  isUpload,
  stepCommand,
  newTransfer,
  nextSequenceCommand,
  transferArg,
  transferVerb,
  typeArg,
  uploadBytes,
  type SequenceCommand,
  type SequencePhase,
  type Symptom,
  type Transfer,
  type TransferReport,
} from './transfer';
import { TlsChannel } from '../ftps';
import { mdtmTime } from '../server/files';
import { LFTP_PROFILE_RETRIES, type LftpRetries } from './cmdline';
import { curlCwds, curlMkdAfterRefusedCwd, curlUrlPath, freshCurlConn, parseCurlPath, pwdReplyPath, type CurlConnDir } from './curlPath';

/** What the client machine needs from the simulation around it. */
export interface FtpClientEnv {
  clientId: string;
  stack: HostStack;
  /** Line the user sees (console transcript). */
  print(text: string): void;
  /** Protocol line sent or received on the control connection. */
  ftp(dir: 'command' | 'reply', text: string, conn: string): void;
  /** A fresh connection label for this client's next data connection. */
  nextDataConn(): string;
  /** The label of the connection whose packet is being delivered right now, if any. */
  incomingConn(): string | undefined;
  controlConn: string;
  report(r: TransferReport): void;
  now(): number;
  /** A timer on the simulated clock (curl --max-time); returns its cancel. */
  timer?(delayUs: number, fn: () => void): () => void;
}

export interface FtpClientInput {
  env: FtpClientEnv;
  profile: ClientProfile;
  mode: ModeChoice;
  dataPort: 'ephemeral' | 'control+1';
  server: Ipv4;
  serverPort: number;
  controlPort?: number;
  user: string;
  password: string;
  script: ScriptStep[];
  tls: boolean;
  /** Own connect time-out (ms) or null for the kernel's. */
  connectTimeoutMs: number | null;
  /** curl --max-time: each transfer's whole time limit (ms), counted from its start; null = none. */
  maxTimeMs?: number | null;
  /** tnftp -q: a download with no data for longer than this is aborted (ms), checked once a second; null = never. */
  stallTimeoutMs?: number | null;
  /** lftp's net:max-retries and net:reconnect-interval-* (absent: LFTP_PROFILE_RETRIES, max-retries 1). */
  lftpRetries?: LftpRetries;
  /** curl --ftp-create-dirs: a refused CWD of the URL's path is answered with MKD, then that CWD again. */
  createDirs?: boolean;
}

interface Ctx {
  input: FtpClientInput;
  ctrl: TcpSocket | null;
  parser: FtpReplyParser;
  tls: TlsChannel | null;
  pc: number;
  xfer: Transfer | null;
  /** How far the profile's after-login commands have got, for this login. */
  loginStep: number;
  /** The transfer type the server was last told (TYPE A / TYPE I), if any. */
  currentType: 'A' | 'I' | null;
  /** The control connection was dropped after a failed transfer; the next one reconnects. */
  ctrlDead: boolean;
  /**
   * BSD ftp: the server closed the connection while the user typed nothing; noticed only at the
   * next command. 'idle': its last words (421 Timeout.) are still unread and answer that command;
   * 'eof': they were read (500 OOPS), the command's answer is the end of the connection.
   */
  peerGone: false | 'idle' | 'eof';
  /** Logging in again on a new control connection, for the transfer at `pc`. */
  relogin: boolean;
  /** The user and password of the script's login, for logging in again. */
  credentials: { user: string; password: string } | null;
  /** The AUTH argument for the next try (curl: SSL, then TLS). */
  authArg: 'TLS' | 'SSL';
  lastVerb: string;
  lastReply: string;
  connectStartedUs: number;
  /**
   * When the transfer about to begin began, if it began before it: the login step's
   * connection belongs to the first transfer (curl counts a transfer's time, and its connect
   * time-out, from the transfer's start, connect and login included).
   */
  urlStartUs: number | null;
  /** Passive mode failed in auto mode; active for the rest of the session (tnftp). */
  passiveOff: boolean;
  /** EPSV or EPRT was refused; PASV and PORT only for the rest of the session (tnftp). */
  extendedOff: DataCommand[];
  /** A PORT was refused once already (tnftp's default-port retry is spent). */
  portRefused: boolean;
  /** curl: the directories of the URLs' path (the script's cd lines). */
  urlDirs: string[];
  /** curl: what it knows about this control connection's directory (entry path, the last URL's). */
  curlDir: CurlConnDir;
  /**
   * lftp's NetAccess retry state: `retries` counts connection attempts for the command under way
   * (NextTry: +1 at each connect; TrySuccess: 0 when a command ends), `intervalS` the current
   * reconnect interval, `timerEndUs` when the reconnect timer set at the last connect runs out
   * (no reconnect before it), `passive` lftp's PASSIVE_MODE flag once a failure switched it.
   */
  lftp: { retries: number; intervalS: number; timerEndUs: number; passive: boolean | null; retrying: boolean; optDone: string[] };
  /** lftp: the directory it is in, as it remembers it (it sends `cd pub` as `CWD /pub` and answers pwd itself). */
  lftpDir: string;
  /**
   * lftp: whether this control connection may still be asked SITE UTIME in each form
   * (Connection::site_utime2_supported / site_utime_supported: true on a new connection, false
   * once the server said it does not know it).
   */
  lftpUtime: { v2: boolean; v1: boolean };
  /** A reply came after QUIT's answer, while the process was exiting: never read (its close is then a RST). */
  unreadAtExit: boolean;
  /** lftp refused with 530: the script line whose command failed with it (the session ends after PWD and QUIT). */
  lftpRefusedAt: number | null;
  /**
   * BSD ftp whose login was refused (530) with no other login to try: it stays connected, not
   * logged in, and sends each later command anyway (each answered `530 Please login with USER
   * and PASS.`), without the TYPE/SIZE it would send logged in (captured: tests/kernel
   * lftp-login-530 with tnftp and inetutils).
   */
  loginRefused: boolean;
  /**
   * curl: the script's commands (mkdir, rmdir, delete, rename) since the last URL, as `-Q` quote
   * commands of the next URL: sent first in its DO phase, before its CWDs (lib/ftp.c ftp_perform →
   * ftp_state_quote); a reply ≥ 400 ends that URL (exit 21) and the connection (ftp_done: no QUIT).
   * The commands after the last URL are its post-quote commands (`-Q -CMD`): sent after its
   * transfer succeeded (ftp_done → ftp_sendquote), queued here too.
   */
  curlQuotes: string[];
  /** curl: the quote command last sent, as curl names a refused post-quote ("QUOT string not accepted: RNFR a.txt"). */
  curlQuoteSent: string | null;
}

type Ev =
  | { type: 'MAX_TIME'; xfer: Transfer }
  | { type: 'STALL_TICK'; xfer: Transfer }
  | { type: 'CTRL_CONNECTED' }
  | { type: 'CTRL_FAILED'; err: ConnectError }
  | { type: 'CTRL_CLOSED' }
  | { type: 'REPLY'; reply: FtpReply }
  | DataEvent;

/** The data commands a transfer tries, in order, given what this session has learnt. */
function commandsFor(c: Pick<Ctx, 'input' | 'passiveOff' | 'extendedOff' | 'lftp'>): DataCommand[] {
  const { profile, mode } = c.input;
  // lftp's PASSIVE_MODE flag, once a refusal switched it (ftp:auto-passive-mode).
  if (c.lftp.passive !== null) return c.lftp.passive ? profile.passive : profile.active;
  const cmds = c.passiveOff ? profile.active : dataCommandsFor(profile, mode);
  if (c.extendedOff.length === 0) return cmds;
  const left = cmds.filter((x) => !c.extendedOff.includes(x));
  return left.length > 0 ? left : cmds;
}

/** Passive failed: the transfer goes on with these active commands (the client's fallback). */
function goActive(x: Transfer, commands: DataCommand[]): void {
  stopListening(x);
  x.commands = commands;
  x.index = 0;
  x.triedActiveFallback = true;
}

/** The data connection being opened, as a failure message names it. */
function dataTarget(c: Ctx): ConnectTarget {
  return { ip: c.xfer!.target!.ip, port: c.xfer!.target!.port, controlIp: c.input.server, controlPort: c.input.serverPort, role: 'data' };
}

const code = (e: Ev): number => (e.type === 'REPLY' ? e.reply.code : 0);
const current = (c: Ctx): ScriptStep | undefined => c.input.script[c.pc];

const CURL_QUOTE_STEPS: readonly string[] = ['mkdir', 'rmdir', 'delete', 'rename'];
/** A script command curl sends as a quote command: its FTP line (a rename two, RNFR and RNTO). */
function curlQuoteLines(st: CommandStep): string[] {
  const [verb, arg] = stepCommand(st);
  return [arg === undefined ? verb : `${verb} ${arg}`, ...(st.kind === 'rename' ? [`RNTO ${st.to}`] : [])];
}
/**
 * curl: the script's commands after the current transfer, up to quit, when no transfer follows
 * them: the last URL's post-quote commands (`-Q -CMD`), sent once its transfer succeeded.
 */
function curlPostQuotes(c: Ctx): string[] {
  if (c.input.profile.id !== 'curl') return [];
  const rest = c.input.script.slice(c.pc + 1);
  const quit = rest.findIndex((st) => st.kind === 'quit');
  const tail = quit < 0 ? rest : rest.slice(0, quit);
  if (tail.some(isTransfer)) return [];
  return tail.filter((st) => CURL_QUOTE_STEPS.includes(st.kind)).flatMap((st) => curlQuoteLines(st as CommandStep));
}

/** The profile's next after-login command for this login, if any. */
const nextLoginCommand = (c: Ctx): LoginCommand | undefined => c.input.profile.commands.afterLogin[c.loginStep];

/** The next command of a phase of the profile's sequence this transfer needs, if any. */
// Not logged in (BSD ftp after a refused login): no TYPE, SIZE or MDTM around a transfer (captured).
const nextInPhase = (c: Ctx, phase: SequencePhase) => (c.xfer && !c.loginRefused ? nextSequenceCommand(c.input.profile.commands[phase], c.xfer, phase, c.currentType) : null);

/**
 * The state that waits for a sequence command's answer. The names are the ones the trace has
 * always shown (its state events are part of the contract), so they are listed, not derived.
 */
function waitingState(phase: SequencePhase, cmd: SequenceCommand): SequenceState {
  if (phase === 'afterDownload') return 'mdtm';
  if (phase === 'beforeTransferCommand') return cmd.verb === 'TYPE' ? 'typeForStep' : 'size';
  if (cmd.verb === 'TYPE') return cmd.onError === 'ignore' ? 'type' : 'typeFirst';
  return 'sizeFirst';
}
type SequenceState = 'type' | 'typeFirst' | 'sizeFirst' | 'typeForStep' | 'size' | 'mdtm';

/** A state that sends the phase's next sequence command and waits for its answer, then goes back to `then`. */
function sequenceState(phase: SequencePhase, then: string) {
  return {
    entry: { type: 'sendSequenceCommand' as const, params: { phase } },
    on: {
      REPLY: [
        { guard: 'sequenceReplyFails' as const, target: 'failed', actions: ['printReply' as const, 'reportReplyFailure' as const] },
        { target: then, actions: ['printReply' as const, 'sequenceAnswered' as const] },
      ],
    },
  };
}

/** PORT/EPRT/LPRT for the client's own address as its socket sees it (behind NAT, the private one). */
function announce(c: Ctx, cmd: DataCommand, ip: Ipv4, port: number): void {
  if (cmd === 'PORT') send(c, 'PORT', encodeHostPort(ip, port));
  else if (cmd === 'EPRT') send(c, 'EPRT', formatEprtArg(ip, port));
  // RFC 1639: family 4, 4 address bytes, 2 port bytes.
  else send(c, 'LPRT', `4,4,${ipv4Octets(ip).join(',')},2,${port >> 8},${port & 255}`);
}

/**
 * lftp after a data connection it could not open, or a data command refused (ftpclass.cc): its
 * notes, then — unless the data connection timed out — Disconnect's DataAbort, which flushes the
 * transfer command it had queued and ABOR into the control connection's send buffer (lftp -d
 * logs both as `---> `) and closes the connection before that buffer is written: neither
 * reaches the wire (captured: tests/kernel passive-server-firewall-reject, client-nat-active-
 * no-helper with lftp). With retries left (NetAccess::NextTry: net:max-retries counts the
 * connection attempts of one command) the command is repeated on a new control connection,
 * logged in again, once the reconnect timer allows; with none left, the fatal line. Returns
 * true when the command has failed for good.
 */
function lftpFail(c: Ctx, notes: string[], reason: string | null): boolean {
  const x = c.xfer!;
  const { env } = c.input;
  for (const n of notes) env.print(n);
  if (reason !== null) {
    env.print(`---> ${formatFtpCommand(transferVerb(x.step), transferArg(x.step)).replace(/\r\n$/, '')}`);
    env.print('---> ABOR');
  }
  x.dropControl = true;
  const max = (c.input.lftpRetries ?? LFTP_PROFILE_RETRIES).maxRetries;
  if (max === 0 || c.lftp.retries < max) {
    x.lftpRetry = true;
    return false;
  }
  const what = x.step.kind === 'ls' ? 'ls' : `${x.step.kind}: ${transferArg(x.step) ?? ''}`;
  env.print(`${what}: Fatal error: max-retries exceeded${reason !== null ? ` (${reason})` : ''}`);
  return true;
}

/** The argument of RETR/STOR/LIST/SIZE: curl names the file alone (its directories are CWDs). */
const wireArg = (x: Transfer): string | undefined => (x.curl ? x.curl.url.file || undefined : transferArg(x.step));

/** Sends one command line on the control connection (through pseudo-TLS after AUTH TLS). */
function send(c: Ctx, verb: string, arg?: string): void {
  if (!c.ctrl) return;
  const line = formatFtpCommand(verb, arg);
  const shown = verb === 'PASS' ? 'PASS XXXX' : line.replace(/\r\n$/, '');
  c.input.env.print(`---> ${shown}`);
  c.input.env.ftp('command', line.replace(/\r\n$/, ''), c.input.env.controlConn);
  const bytes = new TextEncoder().encode(line);
  c.ctrl.send(c.tls ? c.tls.wrap(bytes) : bytes);
  c.lastVerb = verb;
}

function printReply(c: Ctx, r: FtpReply): void {
  c.lastReply = r.lines.join('\n');
  for (const l of r.lines) c.input.env.print(l);
  c.input.env.ftp('reply', r.lines.join('\n'), c.input.env.controlConn);
}

export const ftpClientMachine = setup({
  types: { context: {} as Ctx, events: {} as Ev, input: {} as FtpClientInput },
  delays: {
    /** lftp's net:timeout: how long it waits with nothing happening on the control connection. */
    lftpNetTimeout: ({ context }) => context.input.connectTimeoutMs ?? context.input.profile.connectTimeoutMs ?? 300_000,
    lftpReconnectDelay: ({ context }) => Math.max(0, (context.lftp.timerEndUs - context.input.env.now()) / 1000),
    exitAfterQuit: ({ context }) => (context.input.profile.exitAfterQuitUs ?? 0) / 1000,
    stepWait: ({ context }) => {
      const s = current(context);
      return s?.kind === 'wait' ? s.seconds * 1000 : 0;
    },
  },
  guards: {
    is220: ({ event }) => code(event) === 220,
    is230: ({ event }) => code(event) === 230,
    is331: ({ event }) => code(event) === 331,
    is234: ({ event }) => code(event) === 234,
    isPositive: ({ event }) => code(event) >= 200 && code(event) < 300,
    isPreliminary: ({ event }) => code(event) >= 100 && code(event) < 200,
    isError: ({ event }) => code(event) >= 400,
    is226: ({ event }) => code(event) === 226,
    isTls: ({ context }) => context.input.tls,
    stepIsLogin: ({ context }) => current(context)?.kind === 'login',
    stepIsTransfer: ({ context }) => isTransfer(current(context)),
    nextLoginCommandIs: ({ context }, params: { verb: LoginCommand }) => nextLoginCommand(context) === params.verb,
    /** The next command of this phase of the profile's sequence waits in `state`. */
    nextInPhaseWaitsIn: ({ context }, params: { phase: SequencePhase; state: SequenceState }) => {
      const next = nextInPhase(context, params.phase);
      return next !== null && waitingState(params.phase, next.cmd) === params.state;
    },
    /** The answer to the sequence command just sent ends the transfer. */
    sequenceReplyFails: ({ context, event }) => {
      const cmd = context.xfer?.pending?.cmd;
      if (!cmd || event.type !== 'REPLY') return false;
      if (cmd.verb === 'TYPE') return cmd.onError === 'fail' && !(event.reply.code >= 200 && event.reply.code < 300);
      if (cmd.verb === 'SIZE') return cmd.onError === 'fail-on-550' && event.reply.code === 550;
      return false;
    },
    controlDead: ({ context }) => context.ctrlDead,
    relogin: ({ context }) => context.relogin,
    dropsControl: ({ context }) => context.input.profile.dropsControlAfterFatalError && (context.xfer?.symptomKind === 'connect' || !!context.xfer?.dropControl),
    lftpFeatFirst: ({ context }) => context.input.profile.lftpSequence,
    isLftp: ({ context }) => context.input.profile.lftpSequence,
    isCurl: ({ context }) => context.input.profile.id === 'curl',
    /** curl or lftp, and no step left that would make it connect: curl's URLs; lftp's transfers and commands but pwd. */
    connectsForNothing: ({ context }) => {
      const { profile, script } = context.input;
      const lftp = profile.lftpSequence;
      if (profile.id !== 'curl' && !lftp) return false;
      return !script.slice(context.pc).some((st) => isTransfer(st) || (lftp && isCommandStep(st) && st.kind !== 'pwd'));
    },
    /** lftp asks its after-login commands (PWD) on its first login only. */
    lftpRelogin: ({ context }) => context.input.profile.lftpSequence && context.relogin,
    lftpDataCommandRefused: ({ context, event }) => context.input.profile.lftpSequence && code(event) >= 400 && ['PORT', 'EPRT', 'PASV', 'EPSV'].includes(context.lastVerb),
    /** lftp: an upload is done and a SITE UTIME form is still worth asking on this connection. */
    lftpSetsFileTime: ({ context }) => {
      const x = context.xfer;
      return context.input.profile.lftpSequence && !!x && isUpload(x.step) && (context.lftpUtime.v2 || context.lftpUtime.v1);
    },
    /** The server does not know the `SITE UTIME t FILE` just sent: lftp tries the other form, if this connection still allows it. */
    lftpTriesOtherUtime: ({ context, event }) => code(event) >= 500 && code(event) <= 502 && context.xfer?.utimeSent === 2 && context.lftpUtime.v1,
    lftpWaitsForActiveData: ({ context }) => {
      const x = context.xfer;
      return context.input.profile.lftpSequence && !!x && !isPassive(x.commands[x.index]!) && !x.dataSock;
    },
    /** lftp repeats the failed command (retries left). */
    lftpRetries: ({ context }) => !!context.xfer?.lftpRetry,
    /**
     * lftp's reconnect timer still runs: no new control connection before it (NetAccess::ReconnectAllowed).
     * The timer is the command's own session's: only a retry of the same command waits for it.
     */
    lftpMustWait: ({ context }) => context.input.profile.lftpSequence && context.input.env.now() < context.lftp.timerEndUs,

    aborsAfterRefusal: ({ context }) => context.input.profile.aborAfterPasvRefusal && context.xfer?.symptomKind === 'client-refused',
    /** curl has no cd/pwd: a cd becomes the path of the URLs after it. */
    stepIsCurlCd: ({ context }) => context.input.profile.id === 'curl' && current(context)?.kind === 'cd',
    stepIsCurlPwd: ({ context }) => context.input.profile.id === 'curl' && current(context)?.kind === 'pwd',
    stepIsCurlQuote: ({ context }) => context.input.profile.id === 'curl' && CURL_QUOTE_STEPS.includes(current(context)?.kind ?? ''),
    curlQuotePending: ({ context }) => !!context.xfer?.curl && context.curlQuotes.length > 0,
    /** curl: this is the last URL and script commands follow it (its post-quote commands). */
    curlHasPostQuotes: ({ context }) => curlPostQuotes(context).length > 0,
    /** lftp answers pwd from memory (its URL), sending nothing (captured: tests/kernel cd-pub). */
    stepIsLftpPwd: ({ context }) => context.input.profile.lftpSequence && current(context)?.kind === 'pwd',
    /** curl: the URL's directories not yet changed to on this control connection (CWD before EPSV/EPRT). */
    curlNeedsCwd: ({ context }) => !!context.xfer?.curl && context.xfer.curl.sent < context.xfer.curl.cwds.length,
    /** curl --ftp-create-dirs: the refused CWD is one of the URL's directories, not yet answered with MKD. */
    curlMakesDir: ({ context }) => {
      const c = context.xfer?.curl;
      return !!c && !!context.input.createDirs && curlMkdAfterRefusedCwd(c.cwds, c.url, c.sent, c.mkdTried) !== null;
    },
    dropsControlOnFailure: ({ context }) => context.input.profile.dropsControlAfterFatalError,
    mayAskAuthTls: ({ context }) => context.lastVerb === 'AUTH' && context.authArg === 'SSL',
    currentIsPassive: ({ context }) => !!context.xfer && isPassive(context.xfer.commands[context.xfer.index]!),
    canFallBackOnReply: ({ context }) => !!context.xfer && context.input.profile.fallbackOnReply && context.xfer.index + 1 < context.xfer.commands.length,
    /** tnftp in its default mode: passive failed, go on in active mode. */
    abandonsPassive: ({ context }) => {
      const x = context.xfer;
      const { profile, mode } = context.input;
      return !!x && profile.activeFallback === 'session-in-auto' && mode === 'auto' && isPassive(x.commands[x.index]!);
    },
    canFallBackOnConnect: ({ context, event }) => {
      const x = context.xfer;
      if (!x || event.type !== 'DATA_FAILED') return false;
      const fast = event.err.kind === 'refused' || event.err.kind === 'icmp';
      const timedOut = event.err.kind === 'timeout' || event.err.kind === 'client-timeout';
      const p = context.input.profile;
      if (((fast && p.fallbackOnFastConnectFailure) || (timedOut && p.fallbackOnConnectTimeout)) && x.index + 1 < x.commands.length) return true;
      return context.input.profile.activeFallback === 'transfer' && !x.triedActiveFallback;
    },
    connectTimeUsedUp: ({ context }) => {
      const x = context.xfer;
      return !!x && x.connectDeadlineUs !== undefined && context.input.env.now() >= x.connectDeadlineUs;
    },
    /**
     * BSD ftp and curl read a download's data connection to its end before the control
     * connection: an error reply, or the control connection's end, waits unread meanwhile.
     */
    blockedOnData: ({ context, event }) => {
      const x = context.xfer;
      if (!x || context.input.profile.readsControlDuringTransfer || !x.dataSock || x.dataClosed) return false;
      return event.type !== 'REPLY' || event.reply.code >= 400;
    },
    /** tnftp's progressmeter: whole seconds since data last came, more than -q allows. */
    stalledTooLong: ({ context, event }) => {
      const x = context.xfer;
      const q = context.input.stallTimeoutMs;
      if (event.type !== 'STALL_TICK' || event.xfer !== x || !x?.stall || q == null) return false;
      return x.bytes === x.stall.lastBytes && Math.floor((context.input.env.now() - x.stall.lastUpdateUs) / 1_000_000) > q / 1000;
    },
    transferComplete: ({ context }) => !!context.xfer && context.xfer.dataClosed && context.xfer.got226,
  },
  actions: {
    openControl: assign(({ context, self }) => {
      const { env, server, serverPort, controlPort } = context.input;
      const timeoutMs = context.input.connectTimeoutMs ?? undefined;
      // A control connection the client dropped (curl after a failed transfer) says nothing more.
      let ctrl: TcpSocket | null = null;
      const mine = (): boolean => ctrl !== null && self.getSnapshot().context.ctrl === ctrl;
      ctrl = env.stack.connect(
        { dst: server, dstPort: serverPort, srcPort: controlPort, conn: env.controlConn, timeoutMs },
        {
          onConnected: () => mine() && self.send({ type: 'CTRL_CONNECTED' }),
          onError: (err) => mine() && self.send({ type: 'CTRL_FAILED', err }),
          onData: (bytes) => {
            if (!mine()) return;
            const tls = self.getSnapshot().context.tls;
            const text = new TextDecoder('latin1').decode(tls ? tls.unwrap(bytes) : bytes);
            for (const reply of self.getSnapshot().context.parser.push(text).replies) self.send({ type: 'REPLY', reply });
          },
          onPeerClosed: () => mine() && self.send({ type: 'CTRL_CLOSED' }),
          onClosed: () => mine() && self.send({ type: 'CTRL_CLOSED' }),
        },
      );
      if (context.input.profile.lftpSequence) {
        // NetAccess::NextTry: the first attempt of a command waits the base interval, each
        // further one the interval times the multiplier, up to the maximum.
        const r = context.input.lftpRetries ?? LFTP_PROFILE_RETRIES;
        const l = context.lftp;
        l.intervalS = l.retries === 0 ? r.baseS : r.multiplier > 1 ? Math.min(l.intervalS * r.multiplier, r.maxS) : l.intervalS;
        l.retries++;
        l.timerEndUs = env.now() + Math.round(l.intervalS * 1_000_000);
      }
      return {
        ctrl,
        connectStartedUs: env.now(),
        urlStartUs: context.relogin ? context.urlStartUs : env.now(),
        parser: new FtpReplyParser(),
        tls: null,
        currentType: null,
        authArg: context.input.profile.authArg,
        lftpUtime: { v2: true, v1: true },
      };
    }),
    printConnected: ({ context }) => context.input.env.print(`Connected to ${formatIpv4(context.input.server)}.`),
    printReply: ({ context, event }) => {
      if (event.type === 'REPLY') printReply(context, event.reply);
    },
    reportControlFailure: ({ context, event }) => {
      if (event.type !== 'CTRL_FAILED') return;
      const { env, profile, server, serverPort } = context.input;
      const startedUs = context.xfer?.startedUs ?? context.connectStartedUs;
      for (const l of connectFailureLines(profile, { ip: server, port: serverPort, controlPort: serverPort, role: 'control' }, event.err, env.now() - startedUs)) env.print(l);
      const symptom: Symptom = { kind: 'connect', conn: env.controlConn, target: `${formatIpv4(server)}:${serverPort}`, err: event.err, role: 'control' };
      for (const step of context.input.script.slice(context.pc)) {
        if (isReported(step)) env.report({ client: env.clientId, command: describeStep(step), ok: false, bytes: 0, symptom });
      }
    },
    /** The control connection went away in the middle of a command. */
    reportInterrupted: ({ context, event }) => {
      const x = context.xfer;
      if (!x || x.reported) return;
      const err = event.type === 'CTRL_FAILED' ? event.err : undefined;
      reportFailure(context, { kind: 'control-lost', err, lastReply: context.lastReply, during: true });
    },
    reportRemainingAsLost: ({ context }) => {
      const { env } = context.input;
      const from = context.xfer ? context.pc + 1 : context.pc;
      for (const step of context.input.script.slice(from)) {
        if (isReported(step)) env.report({ client: env.clientId, command: describeStep(step), ok: false, bytes: 0, symptom: { kind: 'control-lost' } });
      }
    },
    sendAuthTls: ({ context }) => send(context, 'AUTH', context.authArg),
    askAuthTls: assign({ authArg: 'TLS' as const }),
    /**
     * curl: AUTH refused (exit 64), or the login refused (USER/PASS: exit 67, "Access denied"),
     * so this URL fails before its transfer; the next URL tries again on a new connection.
     */
    failNextTransferOnAuth: assign(({ context, event }) => {
      const { i, urlDirs } = curlRefusedUrl(context);
      if (i >= context.input.script.length || event.type !== 'REPLY') return { pc: context.input.script.length, urlDirs, curlQuotes: [] };
      refusedBeforeTransfer(context, context.lastVerb, [context.input.script[i]!], event.reply);
      return { pc: i + 1, urlDirs, curlQuotes: [] };
    }),
    /**
     * curl turned away instead of greeted (lib/ftp.c): ftp_readresp takes any 421 as a time-out
     * (CURLE_OPERATION_TIMEDOUT, exit 28, no message of its own), and in FTP_WAIT220 any other
     * code than 220 is CURLE_WEIRD_SERVER_REPLY (exit 8, "Got a 500 ftp-server response when 220
     * was expected"). The URL fails before its DO phase, so no QUIT (ctl_valid is still false);
     * the connection is closed and the next URL connects again (captured: tests/kernel
     * vsftpd-no-logins with curl, the second connection at once).
     */
    curlGreetingRefused: assign(({ context, event }) => {
      if (event.type !== 'REPLY') return {};
      const { env, script } = context.input;
      const r = event.reply;
      env.print(curlGreetingFailure(r.code));
      const { i, urlDirs } = curlRefusedUrl(context);
      const failing = script[i];
      if (failing) greetingRefused(context, failing, r);
      context.ctrl?.close();
      return { ctrl: null, ctrlDead: true, relogin: false, xfer: null, urlStartUs: null, urlDirs, curlQuotes: [], pc: Math.min(i + 1, script.length) };
    }),
    /**
     * lftp turned away instead of greeted (ftpclass.cc, Expect::READY not 2xx): Disconnect,
     * NextPeer, and the reconnect interval counted from now. It had connected for its next
     * command that needs the server (a `user` line only sets the login, pwd is answered from
     * memory): with net:max-retries spent that command fails, "ls: Fatal error: max-retries
     * exceeded (500 OOPS: …)"; the next one is a fresh session and connects at once (captured:
     * tests/kernel vsftpd-no-logins with lftp, vsftpd-max-clients). With retries left it
     * connects again once the reconnect timer allows.
     */
    lftpGreetingRefused: assign(({ context, event }) => {
      if (event.type !== 'REPLY') return {};
      const { env, script } = context.input;
      let credentials = context.credentials;
      let k = context.pc;
      for (; k < script.length; k++) {
        const st = script[k]!;
        if (st.kind === 'login') credentials = loginCredentials(context, st);
        else if (st.kind === 'pwd') {
          env.print(`ftp://${context.input.user}@${formatIpv4(context.input.server)}${context.lftpDir}`);
          env.report({ client: env.clientId, command: 'pwd', ok: true, bytes: 0 });
        } else break;
      }
      context.ctrl?.close();
      const dead = { ctrl: null, ctrlDead: true, relogin: false, credentials, xfer: null, urlStartUs: null };
      const failing = script[k];
      if (!failing || !isReported(failing)) return { ...dead, pc: k };
      const l = context.lftp;
      const max = (context.input.lftpRetries ?? LFTP_PROFILE_RETRIES).maxRetries;
      if (max === 0 || l.retries < max) {
        l.timerEndUs = env.now() + Math.round(l.intervalS * 1_000_000);
        return { ...dead, pc: k };
      }
      const r = event.reply;
      env.print(`${lftpCommandName(failing)}: Fatal error: max-retries exceeded (${r.code} ${r.text})`);
      greetingRefused(context, failing, r);
      // As at the end of any command (advance): the next one runs on a fresh session.
      l.retries = 0;
      l.passive = null;
      l.timerEndUs = 0;
      return { ...dead, pc: k + 1 };
    }),
    /** lftp's `user` line while it has no connection: the login it will send on the next one. */
    takeLoginForNextConnection: assign(({ context }) => {
      const s = current(context);
      return s?.kind === 'login' ? { credentials: loginCredentials(context, s) } : {};
    }),
    /** AUTH refused: every transfer still to come fails before logging in. */
    failRemainingOnAuth: ({ context, event }) => {
      if (event.type === 'REPLY') refusedBeforeTransfer(context, 'AUTH', context.input.script.slice(context.pc).filter(isTransfer), event.reply);
    },
    startTls: assign(({ context }) => ({ tls: new TlsChannel(context.input.env.clientId) })),
    sendPbsz: ({ context }) => send(context, 'PBSZ', '0'),
    sendProt: ({ context }) => send(context, 'PROT', 'P'),
    /** The script's login step's user and password (or the client's), kept for logging in again. */
    takeCredentials: assign(({ context }) => {
      if (context.relogin && context.credentials) return {};
      const s = current(context);
      return { credentials: loginCredentials(context, s?.kind === 'login' ? s : undefined) };
    }),
    sendUser: ({ context }) => send(context, 'USER', context.credentials!.user),
    sendPass: ({ context }) => send(context, 'PASS', context.credentials!.password),
    /** After login: the next script line, or (logging in again) the transfer that is waiting. */
    afterLogin: assign(({ context }) => (context.relogin ? { relogin: false, loginStep: 0 } : { pc: context.pc + 1, xfer: null, loginStep: 0 })),
    /** curl after a failed data connect: FIN on the control connection, no QUIT. */
    dropControl: assign(({ context }) => {
      context.ctrl?.close();
      return { ctrl: null, ctrlDead: true };
    }),
    // A new control connection: what the last one learnt about EPSV/EPRT and its directory are
    // forgotten, and the session's type is the server's default again.
    prepareRelogin: assign({ ctrlDead: false, relogin: true, extendedOff: [] as DataCommand[], currentType: null, curlDir: freshCurlConn() }),
    /** lftp: a data connection it could not open; retried on a new connection while net:max-retries allows. */
    lftpDataFailed: ({ context, event }) => {
      if (event.type !== 'DATA_FAILED' || !context.xfer) return;
      const x = context.xfer;
      const timedOut = event.err.kind === 'timeout' || event.err.kind === 'client-timeout';
      const errno = connectErrno(event.err);
      const notes = [timedOut ? '**** Timeout - reconnecting' : `**** Data socket error (${errno}) - reconnecting`];
      // A 227 address it had fixed (ftp:fix-pasv-address) did not work: passive off (ftp:auto-passive-mode).
      if (!timedOut && x.pasvFixed) {
        notes.push('---- Switching passive mode off');
        context.lftp.passive = false;
      }
      if (lftpFail(context, notes, timedOut ? null : errno)) {
        reportFailure(context, { kind: 'connect', conn: x.dataConn!, target: `${formatIpv4(x.target!.ip)}:${x.target!.port}`, err: event.err, role: 'data' });
      }
    },
    /**
     * lftp's login failed: `pwd` lines before the first command that needs the server are
     * answered from memory (lftp connects only for such a command: captured, pwd ok before the
     * login), that command fails with "Login failed: <reply>", the rest are lost.
     */
    lftpLoginFailed: ({ context, event }) => {
      if (event.type !== 'REPLY') return;
      const { env, script } = context.input;
      const rest = script.slice(context.pc + 1);
      const k = rest.findIndex((st) => (isTransfer(st) || isCommandStep(st)) && st.kind !== 'pwd');
      const failing = k < 0 ? undefined : rest[k];
      const reply = `${event.reply.code} ${event.reply.text}`;
      if (failing) {
        const arg = isTransfer(failing) ? transferArg(failing) : stepCommand(failing as CommandStep)[1];
        const name =
          failing.kind === 'ls'
            ? 'ls'
            : failing.kind === 'get'
              ? 'get'
              : failing.kind === 'put' || failing.kind === 'append'
                ? 'put'
                : stepCommand(failing as CommandStep)[0].toLowerCase();
        env.print(`${name}: ${arg ? `${arg}: ` : ''}Login failed: ${reply}`);
      }
      send(context, 'PWD');
      for (const [i, st] of rest.entries()) {
        if (!isReported(st)) continue;
        if (st.kind === 'pwd' && (k < 0 || i < k)) {
          env.print(`ftp://${context.input.user}@${formatIpv4(context.input.server)}${context.lftpDir}`);
          env.report({ client: env.clientId, command: 'pwd', ok: true, bytes: 0 });
        } else if (i === k) {
          env.report({
            client: env.clientId,
            command: describeStep(st),
            ok: false,
            bytes: 0,
            symptom: { kind: 'reply', verb: 'PASS', code: event.reply.code, text: event.reply.lines.join('\n') },
          });
        } else env.report({ client: env.clientId, command: describeStep(st), ok: false, bytes: 0, symptom: { kind: 'control-lost' } });
      }
    },
    /**
     * lftp's login refused with 530 (ftp:retry-530 not matching): the command that needed the
     * server fails with `CMD: ARG: Login failed: 530 …`; the PWD queued behind PASS still goes out
     * (and is answered 530), then QUIT. Only that command fails: the next one connects and logs in
     * again (captured: tests/kernel/scenarios/lftp-login-530).
     */
    lftpLogin530: assign(({ context, event }) => {
      if (event.type !== 'REPLY') return {};
      const { env, script } = context.input;
      send(context, 'PWD');
      // Logging in again: the waiting command; at the script's login, the first one that needs the server.
      let at = context.pc;
      if (!context.relogin) {
        at = context.pc + 1;
        while (at < script.length && !((isTransfer(script[at]) || isCommandStep(script[at])) && script[at]!.kind !== 'pwd')) {
          if (script[at]!.kind === 'pwd') {
            env.print(`ftp://${context.credentials?.user ?? context.input.user}@${formatIpv4(context.input.server)}${context.lftpDir}`);
            env.report({ client: env.clientId, command: 'pwd', ok: true, bytes: 0 });
          }
          at++;
        }
      }
      const failing = script[at];
      if (failing && (isTransfer(failing) || isCommandStep(failing))) {
        env.print(`ftp> ${describeStep(failing)}`);
        const arg = isTransfer(failing) ? transferArg(failing) : stepCommand(failing as CommandStep)[1];
        const name = isTransfer(failing) ? (failing.kind === 'append' ? 'put' : failing.kind) : stepCommand(failing as CommandStep)[0].toLowerCase();
        env.print(`${name}: ${arg ? `${arg}: ` : ''}Login failed: ${event.reply.code} ${event.reply.text}`);
        env.report({
          client: env.clientId,
          command: describeStep(failing),
          ok: false,
          bytes: 0,
          symptom: { kind: 'reply', verb: 'PASS', code: event.reply.code, text: event.reply.lines.join('\n') },
        });
      }
      context.lftp.retries = 0;
      // The next command's session is a fresh clone: no reconnect timer to wait for (captured: the
      // next connection 50 ms after the QUIT's FIN exchange, not 15 s after the first connect).
      context.lftp.timerEndUs = 0;
      return { lftpRefusedAt: at };
    }),
    /** After lftp's QUIT: the refused command is done; the next one needs a new connection. */
    lftpAfterRefusal: assign(({ context }) => {
      context.ctrl?.close();
      return { ctrl: null, ctrlDead: true, relogin: false, pc: (context.lftpRefusedAt ?? context.pc) + 1, xfer: null, loginStep: 0, lftpRefusedAt: null };
    }),
    /** lftp's SITE UTIME in the first form this connection still allows, with the local file's time. */
    sendSiteUtime: ({ context }) => {
      const x = context.xfer!;
      const file = transferArg(x.step) ?? '';
      // The local file's time: written before the session began (the simulated clock's start).
      const t = mdtmTime(0);
      if (context.lftpUtime.v2 && x.utimeSent === undefined) {
        x.utimeSent = 2;
        send(context, 'SITE', `UTIME ${t} ${file}`);
      } else {
        x.utimeSent = 1;
        send(context, 'SITE', `UTIME ${file} ${t} ${t} ${t} UTC`);
      }
    },
    noteSiteUtimeAnswer: ({ context, event }) => {
      const x = context.xfer;
      if (!x || event.type !== 'REPLY' || ![500, 501, 502].includes(event.reply.code)) return;
      if (x.utimeSent === 2) context.lftpUtime.v2 = false;
      else context.lftpUtime.v1 = false;
    },
    /** lftp: net:timeout ran out waiting for the server (active mode): no command, no ABOR, the connection dropped. */
    lftpNetTimeout: ({ context }) => {
      const x = context.xfer;
      if (!x) return;
      const ms = context.input.connectTimeoutMs ?? context.input.profile.connectTimeoutMs ?? 300_000;
      if (lftpFail(context, ['**** Timeout - reconnecting'], null)) {
        reportFailure(context, { kind: 'max-time', seconds: ms / 1000, lastReply: context.lastReply, limit: 'lftp net:timeout' });
      }
    },
    /** lftp: PORT refused — passive on (a 5xx, ftp:auto-passive-mode); PASV refused — passive off; then as a data socket error. */
    lftpDataCommandRefused: ({ context, event }) => {
      if (event.type !== 'REPLY' || !context.xfer) return;
      const line = event.reply.lines[event.reply.lines.length - 1] ?? '';
      const notes: string[] = [];
      if (event.reply.code >= 500) {
        const passive = !isPassive(context.lastVerb as DataCommand);
        notes.push(`---- Switching passive mode ${passive ? 'on' : 'off'}`);
        context.lftp.passive = passive;
      }
      if (lftpFail(context, notes, line)) {
        reportFailure(context, { kind: 'reply', verb: context.lastVerb, code: event.reply.code, text: event.reply.lines.join('\n') });
      }
    },
    /** lftp repeats the command on a new control connection: no prompt again, SIZE/MDTM not asked again once answered. */
    markLftpRetry: ({ context }) => {
      context.lftp.retrying = true;
    },
    /** curl --max-time ran out during this transfer (exit 28, as multi.c words it). */
    reportMaxTime: ({ context }) => {
      const x = context.xfer;
      if (!x) return;
      const { env, maxTimeMs } = context.input;
      const ms = Math.round((env.now() - x.startedUs) / 1000);
      const of = x.announcedSize !== undefined ? ` out of ${x.announcedSize}` : '';
      env.print(`curl: (28) Operation timed out after ${ms} milliseconds with ${isUpload(x.step) ? 0 : x.bytes}${of} bytes received`);
      x.dropControl = true;
      // Still dialling the passive data connection: that connection is what the time ran out on.
      if (x.target && x.dataConn && !x.dataConnected) {
        reportFailure(context, {
          kind: 'connect',
          conn: x.dataConn,
          target: `${formatIpv4(x.target.ip)}:${x.target.port}`,
          err: { kind: 'client-timeout', elapsedUs: env.now() - x.startedUs },
          role: 'data',
        });
      } else reportFailure(context, { kind: 'max-time', seconds: (maxTimeMs ?? 0) / 1000, lastReply: context.lastReply });
    },
    sendAbor: ({ context }) => send(context, 'ABOR'),
    sendFeatNow: ({ context }) => send(context, 'FEAT'),
    addCurlQuote: assign(({ context }) => ({ curlQuotes: [...context.curlQuotes, ...curlQuoteLines(current(context) as CommandStep)] })),
    takeCurlPostQuotes: assign(({ context }) => ({ curlQuotes: curlPostQuotes(context) })),
    sendCurlQuote: assign(({ context }) => {
      const [line, ...rest] = context.curlQuotes;
      const sp = line!.indexOf(' ');
      send(context, sp < 0 ? line! : line!.slice(0, sp), sp < 0 ? undefined : line!.slice(sp + 1));
      return { curlQuotes: rest, curlQuoteSent: line! };
    }),
    /**
     * A post-quote command refused (ftp_sendquote: `curl: (21) QUOT string not accepted: CMD`): the
     * URL fails though its transfer went through, the rest are not sent; the connection stays
     * (QUIT at exit). Captured: tests/kernel curl-postquote-refused.
     */
    curlPostQuoteFailed: assign(({ context, event }) => {
      if (event.type !== 'REPLY' || !context.xfer) return {};
      context.input.env.print(`curl: (21) QUOT string not accepted: ${context.curlQuoteSent ?? context.lastVerb}`);
      reportFailure(context, { kind: 'reply', verb: context.lastVerb, code: event.reply.code, text: event.reply.lines.join('\n') });
      return { curlQuotes: [] };
    }),
    /** A quote command refused: `curl: (21) QUOT command failed with NNN`; the rest are not sent, the connection is dropped. */
    curlQuoteFailed: assign(({ context, event }) => {
      if (event.type !== 'REPLY' || !context.xfer) return {};
      context.input.env.print(`curl: (21) QUOT command failed with ${event.reply.code}`);
      context.xfer.dropControl = true;
      reportFailure(context, { kind: 'reply', verb: context.lastVerb, code: event.reply.code, text: event.reply.lines.join('\n') });
      return { curlQuotes: [] };
    }),
    addUrlDir: assign(({ context }) => {
      const s = current(context);
      return s?.kind === 'cd' ? { urlDirs: [...context.urlDirs, s.dir] } : {};
    }),
    sendUrlCwd: ({ context }) => {
      const c = context.xfer!.curl!;
      send(context, 'CWD', c.cwds[c.sent]);
    },
    noteUrlCwd: ({ context }) => {
      context.xfer!.curl!.sent++;
      context.xfer!.curl!.mkdTried = false;
    },
    /** curl --ftp-create-dirs: MKD the directory it could not change to (then that CWD again). */
    sendUrlMkd: ({ context }) => {
      const c = context.xfer!.curl!;
      c.mkdTried = true;
      send(context, 'MKD', c.cwds[c.sent]);
    },
    /** curl: a refused CWD; the directory is not remembered (ftp_done: cwdfail). */
    noteUrlCwdRefused: ({ context }) => {
      context.xfer!.curl!.cwdFailed = true;
    },
    /** curl's entry path: the directory PWD reported after login (it goes back there on a reused connection). */
    noteEntryPath: assign(({ context, event }) => {
      if (context.input.profile.id !== 'curl' || event.type !== 'REPLY' || event.reply.code !== 257) return {};
      return { curlDir: { ...context.curlDir, entryPath: pwdReplyPath(event.reply.text) } };
    }),
    /** curl's ftp_done: the connection is reused by the next URL and remembers this one's directory. */
    curlTransferEnded: assign(({ context }) => {
      const c = context.xfer?.curl;
      if (!c) return {};
      return { curlDir: { ...context.curlDir, reused: true, prevPath: c.cwdFailed ? null : c.url.dir } };
    }),
    sendLoginCommand: ({ context }) => send(context, nextLoginCommand(context)!),
    loginCommandAnswered: assign(({ context }) => ({ loginStep: context.loginStep + 1 })),
    printSystem: ({ context }) => {
      context.input.env.print('Remote system type is UNIX.');
      context.input.env.print('Using binary mode to transfer files.');
    },
    advance: assign(({ context }) => {
      // lftp's TrySuccess: a command that ended (well or not) leaves the retry count at 0. Its
      // passive flag, switched by a refusal (ftp:auto-passive-mode), holds for that command's
      // retries only: the next command starts from ftp:passive-mode again (captured:
      // tests/kernel client-nat-active-no-helper with lftp, PORT for the get after the ls's
      // "Switching passive mode on").
      if (isReported(current(context))) {
        context.lftp.retries = 0;
        context.lftp.passive = null;
        // The next command runs on a fresh session (commands.cc: session->Clone(); NetAccess::Init):
        // its reconnect timer has not been set, so it connects at once when it needs to.
        context.lftp.timerEndUs = 0;
      }
      return { pc: context.pc + 1, xfer: null };
    }),
    sendStepCommand: ({ context }) => {
      const [verb, arg] = stepCommand(current(context) as CommandStep);
      send(context, verb, verb === 'CWD' && context.input.profile.lftpSequence ? lftpPath(context.lftpDir, arg!) : arg);
    },
    /** lftp: a cd the server accepted moves the directory it remembers. */
    noteLftpDir: assign(({ context, event }) => {
      const s = current(context);
      if (!context.input.profile.lftpSequence || s?.kind !== 'cd' || event.type !== 'REPLY' || event.reply.code >= 300) return {};
      return { lftpDir: lftpPath(context.lftpDir, s.dir) };
    }),
    reportLftpPwd: ({ context }) => {
      const { env } = context.input;
      env.print(`ftp://${context.input.user}@${formatIpv4(context.input.server)}${context.lftpDir}`);
      env.report({ client: env.clientId, command: 'pwd', ok: true, bytes: 0 });
    },
    sendRnto: ({ context }) => {
      const s = current(context);
      if (s?.kind === 'rename') send(context, 'RNTO', s.to);
    },
    /** A tree command's outcome: done on a 2xx, failed with the server's reply otherwise. */
    reportCommand: ({ context, event }) => {
      const s = current(context);
      if (event.type !== 'REPLY' || !s) return;
      const { env } = context.input;
      const ok = event.reply.code >= 200 && event.reply.code < 300;
      env.report({
        client: env.clientId,
        command: describeStep(s),
        ok,
        bytes: 0,
        ...(ok ? {} : { symptom: { kind: 'reply' as const, verb: context.lastVerb, code: event.reply.code, text: event.reply.lines.join('\n') } }),
      });
    },
    printLoginFailed: ({ context }) => context.input.env.print('Login failed.'),
    printWait: ({ context }) => {
      const s = current(context);
      if (s?.kind === 'wait') context.input.env.print(`(no command for ${s.seconds} s)`);
    },
    echoPrompt: ({ context }) => {
      if (context.lftp.retrying) return;
      const s = current(context);
      if (s) context.input.env.print(`ftp> ${describeStep(s)}`);
    },
    beginTransfer: assign(({ context, self }) => {
      const step = current(context)!;
      const commands = commandsFor(context);
      const { env, maxTimeMs } = context.input;
      const startedUs = context.urlStartUs ?? env.now();
      const xfer = newTransfer(step, commands, startedUs);
      // curl: the URL's directories (the script's cd lines and the argument's own), changed to as curl does.
      if (context.input.profile.id === 'curl') {
        const url = parseCurlPath(curlUrlPath(context.urlDirs, transferArg(step), step.kind === 'ls'));
        xfer.curl = { url, cwds: curlCwds(context.curlDir, url), sent: 0, cwdFailed: false, mkdTried: false };
      }
      // curl --max-time: one timer per transfer, from its start; cancelled when the transfer ends.
      if (maxTimeMs != null && env.timer) xfer.cancelMaxTime = env.timer(Math.max(0, startedUs + maxTimeMs * 1000 - env.now()), () => self.send({ type: 'MAX_TIME', xfer }));
      // lftp's repeat of a command: what the first try learnt (SIZE, MDTM) is not asked again.
      if (context.lftp.retrying) xfer.skip = [...context.lftp.optDone];
      else context.lftp.optDone = [];
      context.lftp.retrying = false;
      return { xfer, urlStartUs: null };
    }),
    /** The next command of a phase of the profile's sequence (TYPE, SIZE, MDTM). */
    sendSequenceCommand: assign(({ context }, params: { phase: SequencePhase }) => {
      const x = context.xfer!;
      const next = nextInPhase(context, params.phase)!;
      x.pending = { phase: params.phase, ...next };
      if (next.cmd.verb !== 'TYPE') {
        send(context, next.cmd.verb, wireArg(x));
        return {};
      }
      const type = typeArg(next.cmd, x.step);
      send(context, 'TYPE', type);
      // A client that ignores the answer takes the type as set when it asks.
      return next.cmd.onError === 'ignore' ? { currentType: type } : {};
    }),
    /** The sequence command was answered and the transfer goes on (a TYPE that had to succeed did). */
    sequenceAnswered: assign(({ context, event }) => {
      const x = context.xfer!;
      const p = x.pending!;
      if (event.type === 'REPLY' && event.reply.code >= 200 && event.reply.code < 300 && (p.cmd.verb === 'SIZE' || p.cmd.verb === 'MDTM')) {
        if (!context.lftp.optDone.includes(p.cmd.verb)) context.lftp.optDone.push(p.cmd.verb);
        const n = p.cmd.verb === 'SIZE' ? Number(/^213 (\d+)/.exec(event.reply.lines[0] ?? '')?.[1]) : NaN;
        if (Number.isInteger(n)) x.sizeReply = n;
      }
      x.sequence[p.phase] = p.index + 1;
      x.pending = undefined;
      return p.cmd.verb === 'TYPE' && p.cmd.onError === 'fail' ? { currentType: typeArg(p.cmd, x.step) } : {};
    }),
    /** PASV/EPSV: ask; PORT/EPRT: listen first, then announce the address. */
    sendDataCommand: ({ context, self }) => {
      const x = context.xfer!;
      const cmd = x.commands[x.index]!;
      if (isPassive(cmd)) {
        send(context, cmd);
        return;
      }
      const ctrl = context.ctrl!;
      // The same listening socket announced again with the next command (reuseDataPortOnRetry).
      const port = x.listener ? x.listener.port : listenForServer(context.input.env, context.input.dataPort, ctrl, x, (e) => self.send(e));
      x.activeAnnounced = true;
      announce(context, cmd, ctrl.localIp, port);
    },
    abandonPassive: assign(({ context }) => {
      goActive(context.xfer!, commandsFor({ ...context, passiveOff: true }));
      return { passiveOff: true };
    }),
    /** BSD ftp's first PORT refused: it tries the default data port, which is taken. */
    notePortRefused: assign(({ context, event }) => {
      if (!context.input.profile.defaultPortRetry || event.type !== 'REPLY' || event.reply.code < 500 || context.portRefused) return {};
      if (!['PORT', 'EPRT', 'LPRT'].includes(context.lastVerb)) return {};
      context.input.env.print(context.input.profile.bindFailureText);
      return { portRefused: true };
    }),
    /** EPSV/EPRT refused: off for this connection (tnftp both, curl the one refused); the first refusal is kept. */
    noteExtendedRefused: assign(({ context, event }) => {
      const x = context.xfer;
      const cmd = x?.commands[x.index];
      if (x && event.type === 'REPLY' && x.refusal === undefined) x.refusal = { verb: context.lastVerb, code: event.reply.code, text: event.reply.lines.join('\n') };
      const how = context.input.profile.extendedOffAfterRefusal;
      if (how === 'none' || (cmd !== 'EPSV' && cmd !== 'EPRT')) return {};
      if (how === 'each') return { extendedOff: [...context.extendedOff, cmd] };
      context.input.env.print('disabling epsv4 for this connection');
      return { extendedOff: ['EPSV', 'EPRT'] as DataCommand[] };
    }),
    nextDataCommand: ({ context }) => {
      const x = context.xfer!;
      if (x.index + 1 < x.commands.length) {
        const keep = context.input.profile.reuseDataPortOnRetry && !isPassive(x.commands[x.index]!) && !isPassive(x.commands[x.index + 1]!);
        if (!keep) stopListening(x);
        x.index++;
      } else goActive(x, context.input.profile.active);
    },
    connectData: ({ context, self }) => {
      const { env, profile, connectTimeoutMs, dataPort } = context.input;
      dialServer(env, profile, connectTimeoutMs, dataPort, context.ctrl, context.xfer!, (e) => self.send(e));
    },
    takeAccepted: ({ context, event }) => {
      if (event.type === 'DATA_ACCEPTED' && context.xfer) takeAccepted(context.xfer, event.sock);
    },
    setPassiveTarget: ({ context, event }) => {
      if (event.type !== 'REPLY' || !context.xfer) return;
      const x = context.xfer;
      if (event.reply.code === 229) {
        const p = parse229(event.reply.text);
        if (p.ok) x.target = { ip: context.input.server, port: p.value.port };
        return;
      }
      const p = parse227(event.reply.text);
      if (!p.ok) return;
      const t = passiveTarget(context.input.profile, context.input.server, p.value.ip, p.value.port, (l) => context.input.env.print(l));
      if ('refuse' in t) {
        context.input.env.print(t.refuse);
        x.target = undefined;
        reportFailure(context, { kind: 'client-refused', text: t.refuse });
      } else {
        x.target = t;
        x.pasvFixed = context.input.profile.pasvAddress === 'fix-unroutable' && t.ip !== p.value.ip;
      }
    },
    sendTransferCommand: ({ context }) => {
      const x = context.xfer!;
      send(context, transferVerb(x.step), wireArg(x));
    },
    uploadIfStor: ({ context }) => {
      const x = context.xfer!;
      if (!isUpload(x.step) || !x.dataSock) return;
      x.dataSock.send(uploadBytes(x.step.size));
      x.bytes = x.step.size;
      x.dataSock.close();
      x.dataClosed = true;
    },
    markDataClosed: ({ context }) => {
      const x = context.xfer;
      if (!x) return;
      x.dataClosed = true;
      // A directory listing appears on screen between 150 and 226, as the data arrives.
      for (const line of x.listing.split(/\r?\n/)) if (line) context.input.env.print(line);
      x.listing = '';
    },
    /** vsftpd's 150 names the file's size ("(1024 bytes)"): curl then knows how much to expect. */
    noteAnnouncedSize: ({ context, event }) => {
      const x = context.xfer;
      if (!x || event.type !== 'REPLY' || x.step.kind !== 'get') return;
      const n = Number(/\((\d+) bytes\)/.exec(event.reply.lines[0] ?? '')?.[1]);
      x.announcedSize = Number.isInteger(n) ? n : x.sizeReply;
    },
    markDataConnected: ({ context }) => {
      if (context.xfer) context.xfer.dataConnected = true;
    },
    mark226: ({ context }) => {
      if (context.xfer) context.xfer.got226 = true;
    },
    reportSuccess: ({ context }) => {
      const x = context.xfer!;
      x.cancelMaxTime?.();
      const { env } = context.input;
      if (x.step.kind !== 'ls') env.print(`${x.bytes} bytes ${isUpload(x.step) ? 'sent' : 'received'}.`);
      x.reported = true;
      env.report({ client: env.clientId, command: describeStep(x.step), ok: true, bytes: x.bytes, dataCommand: x.commands[x.index], dataConn: x.dataConn });
    },
    reportReplyFailure: ({ context, event }) => {
      if (event.type !== 'REPLY') return;
      for (const l of replyFailureLines(context.input.profile, context.lastVerb, event.reply.code, !!context.xfer?.activeAnnounced)) context.input.env.print(l);
      if (context.input.profile.lftpSequence && context.xfer) {
        const line = lftpAccessFailed(context.xfer.step, context.lastVerb, event.reply);
        if (line) context.input.env.print(line);
      }
      // LPRT is inetutils' courtesy retry: the refusal that tells what went wrong is PORT's.
      const first = context.xfer?.refusal;
      if (context.lastVerb === 'LPRT' && first) {
        reportFailure(context, { kind: 'reply', ...first });
        return;
      }
      reportFailure(context, { kind: 'reply', verb: context.lastVerb, code: event.reply.code, text: event.reply.lines.join('\n') });
    },
    printDataConnectFailure: ({ context, event }) => {
      if (event.type !== 'DATA_FAILED' || !context.xfer) return;
      const x = context.xfer;
      const { env, profile } = context.input;
      for (const l of connectFailureLines(profile, dataTarget(context), event.err, env.now() - x.startedUs)) env.print(l);
      for (const l of dataFallbackLines(profile, x.commands[x.index]!)) env.print(l);
      x.lastConnectError = { err: event.err, target: x.target!, conn: x.dataConn! };
    },
    reportConnectTimeUsedUp: ({ context }) => {
      const x = context.xfer!;
      const { env, profile } = context.input;
      const last = x.lastConnectError;
      if (!last) return;
      for (const l of connectTimeUsedUpLines(profile, { ...dataTarget(context), ip: last.target.ip, port: last.target.port }, env.now() - x.startedUs)) env.print(l);
      reportFailure(context, { kind: 'connect', conn: last.conn, target: `${formatIpv4(last.target.ip)}:${last.target.port}`, err: last.err, role: 'data' });
    },
    reportDataConnectFailure: ({ context, event }) => {
      if (event.type !== 'DATA_FAILED' || !context.xfer) return;
      const x = context.xfer;
      const { env, profile } = context.input;
      for (const l of connectFailureLines(profile, dataTarget(context), event.err, env.now() - x.startedUs)) env.print(l);
      reportFailure(context, { kind: 'connect', conn: x.dataConn!, target: `${formatIpv4(x.target!.ip)}:${x.target!.port}`, err: event.err, role: 'data' });
    },
    /**
     * tnftp -q: its progress meter checks once a second from the start of the download's data
     * (progressbar.c progressmeter: 1 Hz alarm; `wait.tv_sec > quit_time` aborts).
     */
    watchStall: ({ context, self }) => {
      const x = context.xfer;
      const { env, stallTimeoutMs } = context.input;
      if (!x || x.stall || stallTimeoutMs == null || !env.timer || x.step.kind !== 'get' || !x.dataSock || x.dataClosed) return;
      const stall = { lastBytes: x.bytes, lastUpdateUs: env.now() };
      x.stall = stall;
      const tick = () => {
        if (x.dataClosed || x.reported || x.stall !== stall) return;
        env.timer!(1_000_000, tick);
        self.send({ type: 'STALL_TICK', xfer: x });
      };
      env.timer(1_000_000, tick);
    },
    noteProgress: ({ context, event }) => {
      const x = context.xfer;
      if (event.type !== 'STALL_TICK' || event.xfer !== x || !x?.stall || x.bytes === x.stall.lastBytes) return;
      x.stall.lastBytes = x.bytes;
      x.stall.lastUpdateUs = context.input.env.now();
    },
    /** tnftp gives up the stalled download and goes back to its prompt; the control connection's news stays unread. */
    reportStall: ({ context }) => {
      const x = context.xfer!;
      const { env, stallTimeoutMs } = context.input;
      const sec = Math.floor((env.now() - x.stall!.lastUpdateUs) / 1_000_000);
      env.print(`ftp: transfer aborted because stalled for ${sec} sec.`);
      x.stall = undefined;
      reportFailure(context, { kind: 'max-time', seconds: (stallTimeoutMs ?? 0) / 1000, lastReply: context.lastReply, limit: 'tnftp -q' });
    },
    /** An event read later (blockedOnData). */
    hold: ({ context, event }) => {
      const x = context.xfer!;
      if (event.type === 'REPLY' || event.type === 'CTRL_CLOSED' || event.type === 'CTRL_FAILED') (x.held ??= []).push(event);
    },
    /** The held events, read now, in the order they came. */
    replayHeld: enqueueActions(({ context, enqueue }) => {
      const x = context.xfer;
      const held = x?.held;
      if (!x || !held) return;
      x.held = undefined;
      for (const e of held) enqueue.raise(e);
    }),
    cleanupData: ({ context }) => {
      context.xfer?.cancelMaxTime?.();
      if (context.xfer) closeData(context.xfer);
    },
    sendQuit: ({ context }) => send(context, 'QUIT'),
    closeControl: ({ context }) => context.ctrl?.close(),
    /** Linux closes a socket with unread data by RST (tcp_close), else by FIN. */
    closeAtExit: ({ context }) => (context.unreadAtExit ? context.ctrl?.abort() : context.ctrl?.close()),
  },
}).createMachine({
  id: 'ftpClient',
  context: ({ input }) => ({
    input,
    ctrl: null,
    parser: new FtpReplyParser(),
    tls: null,
    pc: 0,
    xfer: null,
    loginStep: 0,
    currentType: null,
    ctrlDead: false,
    peerGone: false,
    relogin: false,
    credentials: null,
    authArg: input.profile.authArg,
    lastVerb: '',
    lastReply: '',
    connectStartedUs: 0,
    urlStartUs: null,
    passiveOff: false,
    extendedOff: [],
    portRefused: false,
    urlDirs: [],
    curlDir: freshCurlConn(),
    lftp: { retries: 0, intervalS: 0, timerEndUs: 0, passive: null, retrying: false, optDone: [] },
    lftpDir: '/',
    lftpUtime: { v2: true, v1: true },
    unreadAtExit: false,
    lftpRefusedAt: null,
    loginRefused: false,
    curlQuotes: [],
    curlQuoteSent: null,
  }),
  initial: 'start',
  // The server may close or reset the control connection at any point (421, 500 OOPS …).
  on: {
    CTRL_FAILED: { target: '.closed', actions: ['cleanupData', 'reportInterrupted', 'reportRemainingAsLost'] },
    CTRL_CLOSED: { target: '.closed', actions: ['cleanupData', 'reportInterrupted', 'reportRemainingAsLost'] },
  },
  states: {
    /** A script that begins with `wait`: the user opens the connection only after it. */
    start: {
      always: [
        { guard: ({ context }) => current(context)?.kind === 'wait', target: 'startWait', actions: 'printWait' },
        // lftp and curl connect for a command that needs the server: with none left (only logins,
        // lftp's pwd, quit) they open no connection at all (seen on the kernel).
        { guard: 'connectsForNothing', target: 'next', actions: assign({ ctrlDead: true }) },
        { target: 'connecting' },
      ],
    },
    startWait: { after: { stepWait: { target: 'start', actions: 'advance' } } },
    connecting: {
      entry: 'openControl',
      on: {
        CTRL_CONNECTED: { target: 'banner', actions: 'printConnected' },
        CTRL_FAILED: { target: 'closed', actions: 'reportControlFailure' },
      },
    },
    banner: {
      on: {
        REPLY: [
          { guard: 'is220', target: 'tlsCheck', actions: 'printReply' },
          // Turned away instead of greeted (vsftpd's 421 too many users, its 500 OOPS with both logins
          // off): the server closes. curl fails the URL and goes on with the next on a new
          // connection; lftp fails the command it connected for, with its FEAT first (captured:
          // tests/kernel vsftpd-max-clients, vsftpd-no-logins). Neither sends QUIT.
          { guard: 'isCurl', target: 'next', actions: ['printReply', 'curlGreetingRefused'] },
          { guard: 'isLftp', target: 'next', actions: ['printReply', 'sendFeatNow', 'lftpGreetingRefused'] },
          { target: 'closed', actions: ['printReply', 'reportRemainingAsLost', 'closeControl'] },
        ],
      },
    },
    tlsCheck: { always: [{ guard: 'lftpFeatFirst', target: 'lftpFeat' }, { guard: 'isTls', target: 'authTls' }, { target: 'next' }] },
    /** lftp: FEAT before logging in, then AUTH TLS (ftp:ssl-allow); refused, it goes on in the clear. */
    lftpFeat: {
      entry: 'sendFeatNow',
      on: {
        REPLY: [
          { guard: 'isTls', target: 'authTls', actions: 'printReply' },
          // Its own anonymous login (no user on the command line): no AUTH TLS (ftp:ssl-allow-anonymous
          // off; captured: tests/kernel lftp-retries-passive-reject).
          { guard: ({ context }) => !!context.input.lftpRetries?.anonymous, target: 'next', actions: 'printReply' },
          { target: 'lftpAuth', actions: 'printReply' },
        ],
      },
    },
    lftpAuth: {
      entry: 'sendAuthTls',
      on: {
        REPLY: [
          { guard: 'is234', target: 'pbsz', actions: ['printReply', 'startTls'] },
          { target: 'next', actions: 'printReply' },
        ],
      },
    },
    authTls: {
      entry: 'sendAuthTls',
      on: {
        REPLY: [
          { guard: 'is234', target: 'pbsz', actions: ['printReply', 'startTls'] },
          // curl asks AUTH SSL, then AUTH TLS.
          { guard: 'mayAskAuthTls', target: 'authTls', reenter: true, actions: ['printReply', 'askAuthTls'] },
          // Refused: FTPS is required, so no login. curl fails this URL and drops the connection
          // (the next URL tries again on a new one); the others give up on the rest.
          { guard: 'dropsControlOnFailure', target: 'next', actions: ['printReply', 'failNextTransferOnAuth', 'dropControl'] },
          { target: 'quitting', actions: ['printReply', 'failRemainingOnAuth'] },
        ],
      },
    },
    pbsz: { entry: 'sendPbsz', on: { REPLY: { target: 'prot', actions: 'printReply' } } },
    prot: { entry: 'sendProt', on: { REPLY: { target: 'next', actions: 'printReply' } } },
    /** Dispatch the next script line. */
    next: {
      always: [
        { guard: ({ context }) => context.pc >= context.input.script.length, target: 'quitting' },
        { guard: ({ context }) => current(context)?.kind === 'quit', target: 'quitting', actions: 'echoPrompt' },
        { guard: 'relogin', target: 'user' },
        // lftp's `user` while it has no connection: the login for the next one.
        { guard: and(['isLftp', 'controlDead', 'stepIsLogin']), target: 'next', reenter: true, actions: ['takeLoginForNextConnection', 'advance'] },
        // curl logs in once per connection, with the script's first login (-u): the later ones have no place on its command line.
        // Nor does it log in without a URL to fetch.
        {
          guard: and(['isCurl', 'stepIsLogin', ({ context }) => context.ctrlDead || context.input.script.findIndex((st) => st.kind === 'login') !== context.pc]),
          target: 'next',
          reenter: true,
          actions: 'advance',
        },
        // lftp's `user` only sets the login for the next connection: of several in a row only the last is sent (captured).
        {
          guard: ({ context }) => context.input.profile.lftpSequence && current(context)?.kind === 'login' && context.input.script[context.pc + 1]?.kind === 'login',
          target: 'next',
          reenter: true,
          actions: 'advance',
        },
        { guard: 'stepIsLogin', target: 'user' },
        // curl dropped the control connection after a failed transfer: a new one for this one.
        { guard: 'stepIsCurlCd', target: 'next', reenter: true, actions: ['addUrlDir', 'advance'] },
        { guard: 'stepIsCurlPwd', target: 'next', reenter: true, actions: 'advance' },
        { guard: 'stepIsCurlQuote', target: 'next', reenter: true, actions: ['addCurlQuote', 'advance'] },
        { guard: 'stepIsLftpPwd', target: 'next', reenter: true, actions: ['echoPrompt', 'reportLftpPwd', 'advance'] },
        { guard: and(['lftpMustWait', ({ context }) => context.ctrlDead && (isTransfer(current(context)) || isCommandStep(current(context)))]), target: 'lftpDelay' },
        { guard: ({ context }) => context.ctrlDead && (isTransfer(current(context)) || isCommandStep(current(context))), target: 'connecting', actions: 'prepareRelogin' },
        { guard: ({ context }) => context.peerGone && (isTransfer(current(context)) || isCommandStep(current(context))), target: 'deadCommand', actions: 'echoPrompt' },
        { guard: 'stepIsTransfer', target: 'transfer', actions: ['echoPrompt', 'beginTransfer'] },
        { guard: ({ context }) => isCommandStep(current(context)), target: 'command', actions: 'echoPrompt' },
        { guard: ({ context }) => current(context)?.kind === 'wait', target: 'waiting', actions: 'printWait' },
        { target: 'next', reenter: true, actions: 'advance' },
      ],
    },
    /** lftp waits for its reconnect timer ("Delaying before reconnect" on its status line), then connects again. */
    lftpDelay: { after: { lftpReconnectDelay: 'next' } },
    /** cd, pwd, mkdir, rmdir, delete, rename: one command (rename two) and its reply. */
    command: {
      entry: 'sendStepCommand',
      on: {
        REPLY: [
          { guard: ({ context, event }) => current(context)?.kind === 'rename' && code(event) === 350, target: 'renameTo', actions: 'printReply' },
          { target: 'next', actions: ['printReply', 'reportCommand', 'noteLftpDir', 'advance'] },
        ],
      },
    },
    renameTo: { entry: 'sendRnto', on: { REPLY: { target: 'next', actions: ['printReply', 'reportCommand', 'advance'] } } },
    /** The user types nothing: a reply the server sends meanwhile (an idle time-out's 421) is shown. */
    waiting: {
      after: { stepWait: { target: 'next', actions: 'advance' } },
      on: {
        REPLY: { actions: 'printReply' },
        // BSD ftp (netkit, inetutils, tnftp) reads nothing while idle: it finds the close (the
        // 421 Timeout.) only when it sends its next command (captured: tests/kernel vsftpd-idle-timeout).
        CTRL_CLOSED: { guard: ({ context }) => BSD_FTP.includes(context.input.profile.id), actions: assign({ peerGone: 'idle' as const }) },
      },
    },
    /** The command sent into a connection the server already closed; then the session is over. */
    deadCommand: {
      entry: ({ context }) => {
        const s = current(context)!;
        if (isCommandStep(s)) {
          const [verb, arg] = stepCommand(s);
          send(context, verb, arg);
          // Its last words already read (500 OOPS): the answer is the end of the connection.
          if (context.peerGone === 'eof') for (const l of lostPeerLines(context.input.profile, verb)) context.input.env.print(l);
        } else {
          // Passive: its PASV/EPSV (an active PORT would first need a listening port: not modelled).
          const dc = commandsFor(context)[0];
          if (dc === 'PASV' || dc === 'EPSV') send(context, dc);
          // It reads the 421 as the answer (netkit and inetutils: "Passive mode refused.").
          if (dc === 'PASV' && context.input.profile.id !== 'tnftp') context.input.env.print('Passive mode refused.');
        }
      },
      always: [
        { guard: ({ context }) => context.peerGone === 'eof', target: 'closed', actions: 'closeControl' },
        { target: 'closed', actions: ['reportRemainingAsLost', 'closeControl'] },
      ],
    },
    user: {
      entry: ['takeCredentials', 'sendUser'],
      on: {
        REPLY: [
          { guard: 'is331', target: 'pass', actions: 'printReply' },
          { guard: 'is230', target: 'loggedIn', actions: 'printReply' },
          { guard: 'isCurl', target: 'next', actions: ['printReply', 'failNextTransferOnAuth', 'dropControl'] },
          { target: 'quitting', actions: ['printReply', 'reportReplyFailure', 'reportRemainingAsLost'] },
        ],
      },
    },
    pass: {
      entry: 'sendPass',
      on: {
        REPLY: [
          { guard: 'is230', target: 'loggedIn', actions: 'printReply' },
          // curl refused at login sends no QUIT (its control connection counts as valid only once
          // a transfer began: lib/ftp.c ctl_valid, ftp_quit); this URL fails (exit 67), the next
          // one logs in again on a new connection (captured: tests/kernel vsftpd-chroot-writable-root).
          { guard: 'isCurl', target: 'next', actions: ['printReply', 'failNextTransferOnAuth', 'dropControl'] },
          // tnftp after vsftpd's 500 OOPS (the server closes): "Login failed.", and it notices the
          // close only when its next command gets no answer (captured: the same world).
          {
            guard: ({ context, event }) => context.input.profile.id === 'tnftp' && code(event) !== 530,
            target: 'next',
            // The steps left are lost with the session: reported now, against the OOPS.
            actions: ['printReply', 'printLoginFailed', 'reportRemainingAsLost', assign({ peerGone: 'eof' as const }), 'advance'],
          },
          { guard: ({ context, event }) => context.input.profile.lftpSequence && code(event) === 530, target: 'lftpRefused', actions: ['printReply', 'lftpLogin530'] },
          // lftp's login refused with a 5xx other than 530 (vsftpd's 500 OOPS, the server then
          // closing): LoginCheck sets LOGIN_FAILED, but the PWD it queued behind PASS is already
          // flushed (sync mode sends it once PASS is answered): PWD goes out, no QUIT (captured:
          // tests/kernel vsftpd-chroot-writable-root with lftp, twice).
          {
            guard: ({ context, event }) => context.input.profile.lftpSequence && code(event) >= 500 && code(event) !== 530,
            target: 'lftpLoginFailed',
            actions: ['printReply', 'lftpLoginFailed'],
          },
          // BSD ftp (netkit, inetutils) asks SYST after its login at connect even when it failed
          // (captured: tests/kernel vsftpd-login-fails), then shows the prompt again.
          {
            guard: ({ context, event }) => code(event) === 530 && systAfterFailedLogin(context),
            target: 'systAfterFailure',
            actions: ['printReply', 'printLoginFailed'],
          },
          // "Login failed." and the ftp> prompt again: the next login line tries once more.
          {
            guard: ({ context, event }) => code(event) === 530 && !context.relogin && context.input.script[context.pc + 1]?.kind === 'login',
            target: 'next',
            actions: ['printReply', 'printLoginFailed', 'advance'],
          },
          // BSD ftp refused for good with 530: "Login failed.", (netkit/inetutils at connect: SYST),
          // then the prompt again, still connected; the script goes on, not logged in.
          {
            guard: ({ context, event }) => code(event) === 530 && BSD_FTP.includes(context.input.profile.id) && firstLoginAtConnect(context),
            target: 'systAfterFailure',
            actions: ['printReply', 'printLoginFailed', assign({ loginRefused: true })],
          },
          {
            guard: ({ context, event }) => code(event) === 530 && BSD_FTP.includes(context.input.profile.id) && !context.relogin,
            target: 'next',
            actions: ['printReply', 'printLoginFailed', assign({ loginRefused: true }), 'advance'],
          },
          // The same SYST when the login at connect fails for good (500 OOPS: the server has closed).
          {
            guard: ({ context }) => firstLoginAtConnect(context),
            target: 'systThenQuit',
            actions: ['printReply', 'reportReplyFailure', 'reportRemainingAsLost'],
          },
          { target: 'quitting', actions: ['printReply', 'reportReplyFailure', 'reportRemainingAsLost'] },
        ],
      },
    },
    // Its steps are reported already: a close now only ends the session.
    systThenQuit: { entry: ({ context }) => send(context, 'SYST'), on: { REPLY: { target: 'quitting', actions: 'printReply' }, CTRL_CLOSED: 'closed', CTRL_FAILED: 'closed' } },
    systAfterFailure: { entry: ({ context }) => send(context, 'SYST'), on: { REPLY: { target: 'next', actions: ['printReply', 'advance'] } } },
    /** lftp after its login failed: the queued PWD's answer (if the server still gives one), then the end. */
    lftpLoginFailed: { on: { REPLY: { actions: 'printReply' }, CTRL_CLOSED: 'closed', CTRL_FAILED: 'closed' } },
    /** lftp refused with 530: PWD's answer, then QUIT and its answer; the next command connects again. */
    lftpRefused: { on: { REPLY: { target: 'lftpRefusedQuit', actions: ['printReply', 'sendQuit'] }, CTRL_CLOSED: { target: 'next', actions: 'lftpAfterRefusal' } } },
    lftpRefusedQuit: { on: { REPLY: { target: 'next', actions: ['printReply', 'lftpAfterRefusal'] }, CTRL_CLOSED: { target: 'next', actions: 'lftpAfterRefusal' } } },
    /** The profile's after-login commands, one at a time; then the next script line. */
    loggedIn: {
      always: [
        { guard: 'lftpRelogin', target: 'next', actions: 'afterLogin' },
        { guard: { type: 'nextLoginCommandIs', params: { verb: 'SYST' } }, target: 'syst' },
        { guard: { type: 'nextLoginCommandIs', params: { verb: 'FEAT' } }, target: 'feat' },
        { guard: { type: 'nextLoginCommandIs', params: { verb: 'PWD' } }, target: 'pwd' },
        { target: 'next', actions: 'afterLogin' },
      ],
    },
    syst: { entry: 'sendLoginCommand', on: { REPLY: { target: 'loggedIn', actions: ['printReply', 'printSystem', 'loginCommandAnswered'] } } },
    /** tnftp asks what the server supports; it goes on whatever the answer. */
    feat: { entry: 'sendLoginCommand', on: { REPLY: { target: 'loggedIn', actions: ['printReply', 'loginCommandAnswered'] } } },
    /** curl asks for the entry path; any answer will do (it only remembers it). */
    pwd: { entry: 'sendLoginCommand', on: { REPLY: { target: 'loggedIn', actions: ['printReply', 'noteEntryPath', 'loginCommandAnswered'] } } },
    transfer: {
      initial: 'start',
      // curl --max-time: the transfer's whole time, connect and login included for the first URL.
      on: { MAX_TIME: { guard: ({ context, event }) => event.xfer === context.xfer, target: '.failed', actions: ['reportMaxTime'] } },

      states: {
        /** The profile's commands before the data command (TYPE, SIZE), then the data command. */
        start: {
          always: [
            { guard: 'curlQuotePending', target: 'urlQuote' },
            { guard: 'curlNeedsCwd', target: 'urlCwd' },
            ...(['type', 'typeFirst', 'sizeFirst'] as const).map((state) => ({
              guard: { type: 'nextInPhaseWaitsIn' as const, params: { phase: 'beforeDataCommand' as const, state } },
              target: state,
            })),
            { target: 'dataCommand' },
          ],
        },
        /** curl: the URL's -Q commands, one at a time, before its CWDs. */
        urlQuote: {
          entry: 'sendCurlQuote',
          on: {
            REPLY: [
              { guard: ({ event }) => code(event) < 400, target: 'start', actions: 'printReply' },
              { target: 'failed', actions: ['printReply', 'curlQuoteFailed'] },
            ],
          },
        },
        /** curl: CWD to each directory of the URL's path, once per control connection; a refusal ends the URL (exit 9). */
        urlCwd: {
          entry: 'sendUrlCwd',
          on: {
            REPLY: [
              { guard: 'isPositive', target: 'start', actions: ['printReply', 'noteUrlCwd'] },
              { guard: 'curlMakesDir', target: 'urlMkd', actions: 'printReply' },
              { target: 'failed', actions: ['printReply', 'noteUrlCwdRefused', 'reportReplyFailure'] },
            ],
          },
        },
        /** curl --ftp-create-dirs: MKD after a refused CWD; whatever the answer, that CWD again (curlPath.ts curlMkdAfterRefusedCwd). */
        urlMkd: { entry: 'sendUrlMkd', on: { REPLY: { target: 'urlCwd', actions: 'printReply' } } },
        type: sequenceState('beforeDataCommand', 'start'),
        typeFirst: sequenceState('beforeDataCommand', 'start'),
        sizeFirst: sequenceState('beforeDataCommand', 'start'),
        dataCommand: {
          entry: 'sendDataCommand',
          on: {
            REPLY: [
              { guard: ({ event }) => code(event) === 227 || code(event) === 229, target: 'resolvePassive', actions: ['printReply', 'setPassiveTarget'] },
              { guard: 'isPositive', target: 'beforeCommand', actions: 'printReply' },
              { guard: 'lftpDataCommandRefused', target: 'failed', actions: ['printReply', 'lftpDataCommandRefused'] },
              { guard: 'canFallBackOnReply', target: 'dataCommand', reenter: true, actions: ['printReply', 'noteExtendedRefused', 'nextDataCommand'] },
              { guard: 'abandonsPassive', target: 'dataCommand', reenter: true, actions: ['printReply', 'noteExtendedRefused', 'abandonPassive'] },
              { target: 'failed', actions: ['printReply', 'notePortRefused', 'reportReplyFailure'] },
            ],
          },
        },
        resolvePassive: {
          always: [
            { guard: 'connectTimeUsedUp', target: 'failed', actions: 'reportConnectTimeUsedUp' },
            { guard: ({ context }) => !!context.xfer?.target, target: 'connectingData' },
            { guard: 'aborsAfterRefusal', target: 'abor' },
            { target: 'failed' },
          ],
        },
        /** inetutils, after refusing the 227 address: ABOR (vsftpd: 225 No transfer to ABOR.). */
        abor: { entry: 'sendAbor', on: { REPLY: { target: 'failed', actions: 'printReply' } } },
        connectingData: {
          entry: 'connectData',
          on: {
            DATA_CONNECTED: { target: 'beforeCommand', actions: 'markDataConnected' },
            DATA_FAILED: [
              { guard: 'isLftp', target: 'failed', actions: 'lftpDataFailed' },
              { guard: 'abandonsPassive', target: 'dataCommand', actions: ['printDataConnectFailure', 'abandonPassive'] },
              { guard: 'canFallBackOnConnect', target: 'dataCommand', actions: ['printDataConnectFailure', 'nextDataCommand'] },
              { target: 'failed', actions: 'reportDataConnectFailure' },
            ],
          },
        },
        /** With the data connection set up: the profile's commands before LIST/RETR/STOR (curl: TYPE, SIZE). */
        beforeCommand: {
          always: [
            ...(['typeForStep', 'size'] as const).map((state) => ({
              guard: { type: 'nextInPhaseWaitsIn' as const, params: { phase: 'beforeTransferCommand' as const, state } },
              target: state,
            })),
            { target: 'sendCommand' },
          ],
        },
        typeForStep: sequenceState('beforeTransferCommand', 'beforeCommand'),
        size: sequenceState('beforeTransferCommand', 'beforeCommand'),
        sendCommand: {
          entry: 'sendTransferCommand',
          // lftp in active mode: the server's data connection never arrives and no reply comes
          // (a client firewall drops the server's SYNs; vsftpd's own connect_timeout is longer):
          // lftp gives up on its net:timeout (captured: tests/kernel active-client-firewall-blocked
          // with lftp, "**** Timeout - reconnecting" 5 s after LIST with net:timeout 5).
          after: { lftpNetTimeout: { guard: 'lftpWaitsForActiveData', target: 'failed', actions: 'lftpNetTimeout' } },
          on: {
            DATA_ACCEPTED: { actions: 'takeAccepted' },
            DATA_CLOSED: { actions: 'markDataClosed' },
            REPLY: [
              { guard: 'isPreliminary', target: 'transferring', actions: ['printReply', 'noteAnnouncedSize', 'uploadIfStor'] },
              { guard: 'is226', target: 'transferring', actions: ['printReply', 'mark226'] },
              { target: 'failed', actions: ['printReply', 'reportReplyFailure'] },
            ],
          },
        },
        transferring: {
          entry: 'watchStall',
          always: [
            { guard: and(['transferComplete', { type: 'nextInPhaseWaitsIn', params: { phase: 'afterDownload' as const, state: 'mdtm' as const } }]), target: 'mdtm' },
            { guard: and(['transferComplete', 'lftpSetsFileTime']), target: 'utime' },
            { guard: and(['transferComplete', 'curlHasPostQuotes']), target: 'postQuote', actions: 'takeCurlPostQuotes' },
            { guard: 'transferComplete', target: 'done' },
          ],
          on: {
            DATA_ACCEPTED: { actions: ['takeAccepted', 'uploadIfStor'] },
            DATA_CLOSED: { actions: ['markDataClosed', 'replayHeld'] },
            REPLY: [
              { guard: 'blockedOnData', actions: 'hold' },
              { guard: 'isError', target: 'failed', actions: ['printReply', 'reportReplyFailure'] },
              { actions: ['printReply', 'mark226'] },
            ],
            CTRL_CLOSED: { guard: 'blockedOnData', actions: 'hold' },
            CTRL_FAILED: { guard: 'blockedOnData', actions: 'hold' },
            // tnftp -q: once a second, has data come? Stalled longer than allowed: the transfer is abandoned.
            STALL_TICK: [{ guard: 'stalledTooLong', target: 'failed', actions: 'reportStall' }, { actions: 'noteProgress' }],
          },
        },
        /**
         * curl, after the last URL's transfer: its post-quote commands one at a time (lib/ftp.c
         * ftp_done → ftp_sendquote, only when the transfer succeeded); a refusal fails the URL.
         * Captured: tests/kernel vsftpd-anon-other-write with curl (RNFR, RNTO, DELE, MKD after the
         * APPE's 226, then QUIT), curl-postquote-refused (RNFR 550: exit 21, MKD not sent, QUIT).
         */
        postQuote: {
          entry: 'sendCurlQuote',
          on: {
            REPLY: [
              { guard: ({ context, event }) => code(event) < 400 && context.curlQuotes.length > 0, target: 'postQuote', reenter: true, actions: 'printReply' },
              { guard: ({ event }) => code(event) < 400, target: 'done', actions: 'printReply' },
              { target: 'failed', actions: ['printReply', 'curlPostQuoteFailed'] },
            ],
          },
        },
        /** After a download (tnftp: MDTM, to set the local copy's time). */
        mdtm: sequenceState('afterDownload', 'transferring'),
        /**
         * lftp after an upload the server confirmed (ftpclass.cc Expect::TRANSFER, 2xx with every
         * byte sent): SendUTimeRequest sets the remote file's time to the local file's, in the
         * first form this connection still allows (vsftpd announces neither MFMT nor MFF):
         * `SITE UTIME <time> FILE`, then `SITE UTIME FILE <time> <time> <time> UTC`; a 500, 501
         * or 502 answer (site_cmd_unsupported) rules that form out and tries the next.
         */
        utime: {
          entry: 'sendSiteUtime',
          on: {
            REPLY: [
              { guard: 'lftpTriesOtherUtime', target: 'utime', reenter: true, actions: ['printReply', 'noteSiteUtimeAnswer'] },
              { target: 'done', actions: ['printReply', 'noteSiteUtimeAnswer'] },
            ],
          },
        },
        done: { entry: ['reportSuccess', 'curlTransferEnded'], always: { target: '#ftpClient.next', actions: 'advance' } },
        failed: {
          entry: ['cleanupData', 'curlTransferEnded'],
          // Every profile goes on with the next command; curl, after a data connection it could
          // not open, on a new control connection (the next URL logs in again).
          always: [
            { guard: 'lftpRetries', target: '#ftpClient.next', actions: ['dropControl', 'markLftpRetry'] },
            { guard: 'dropsControl', target: '#ftpClient.next', actions: ['dropControl', 'advance'] },
            // What came on the control connection meanwhile is read now: it answers the next command.
            { target: '#ftpClient.next', actions: ['replayHeld', 'advance'] },
          ],
        },
      },
    },
    quitting: {
      // With the control connection already dropped there is nobody to say QUIT to.
      always: { guard: 'controlDead', target: 'closed' },
      entry: 'sendQuit',
      on: {
        REPLY: [
          { guard: ({ context }) => (context.input.profile.exitAfterQuitUs ?? 0) > 0, target: 'exiting', actions: 'printReply' },
          { target: 'closed', actions: ['printReply', 'closeControl'] },
        ],
        CTRL_CLOSED: 'closed',
      },
    },
    /**
     * QUIT answered (by whatever reply was read first): the process exits, and the kernel closes
     * the socket then (profile exitAfterQuitUs). What arrives meanwhile stays unread; the server's
     * FIN changes nothing here.
     */
    exiting: {
      on: { REPLY: { actions: assign({ unreadAtExit: true }) }, CTRL_CLOSED: {} },
      after: { exitAfterQuit: { target: 'closed', actions: 'closeAtExit' } },
    },
    closed: { type: 'final' },
  },
});

/**
 * The program is killed (timeout(1) around it): the kernel closes what it had open, as at any
 * exit. A socket with data the program never read is closed by RST (Linux tcp_close), else by
 * FIN: the control connection holding a reply read later (blockedOnData) or one that came while
 * the process was exiting; the data connection, read as it comes, by FIN; a listener just goes.
 */
export function closeAtKill(c: Pick<Ctx, 'ctrl' | 'xfer' | 'unreadAtExit'>): void {
  const x = c.xfer;
  if (x?.dataSock && !x.dataClosed) x.dataSock.close();
  x?.listener?.close();
  if (c.unreadAtExit || x?.held?.some((e) => e.type === 'REPLY')) c.ctrl?.abort();
  else c.ctrl?.close();
}

/** A login line's user and password, the client's own where it names none. */
function loginCredentials(c: Ctx, st: Extract<ScriptStep, { kind: 'login' }> | undefined): { user: string; password: string } {
  return { user: st?.user || c.input.user, password: st?.password || c.input.password };
}

/**
 * The step a connection was opened for fails with the server's answer to the connection itself
 * (no command was sent: `verb` is empty).
 */
function greetingRefused(c: Ctx, step: ScriptStep, reply: FtpReply): void {
  const { env } = c.input;
  env.report({ client: env.clientId, command: describeStep(step), ok: false, bytes: 0, symptom: { kind: 'reply', verb: '', code: reply.code, text: reply.lines.join('\n') } });
}

/**
 * The lftp command a script step is typed as (its name in lftp's error lines), with the file for
 * get and put (captured for ls and get; the tree commands' names are lftp's, their lines not captured).
 */
function lftpCommandName(st: ScriptStep): string {
  switch (st.kind) {
    case 'ls':
      return 'ls';
    case 'get':
      return `get: ${st.file}`;
    case 'put':
    case 'append':
      return `put: ${st.file}`;
    case 'delete':
      return 'rm';
    case 'rename':
      return 'mv';
    default:
      return st.kind;
  }
}

/**
 * curl refused before a URL's transfer (turned away at the greeting, AUTH or the login refused):
 * the URL this connection was for is the next transfer from `pc` (its index, or the script's
 * length if none). The script's cd lines before it are part of every later URL's path, so they
 * are kept; its quote commands went with it.
 */
function curlRefusedUrl(c: Ctx): { i: number; urlDirs: string[] } {
  const { script } = c.input;
  const urlDirs = [...c.urlDirs];
  let i = c.pc;
  for (; i < script.length && !isTransfer(script[i]); i++) {
    const st = script[i]!;
    if (st.kind === 'cd') urlDirs.push(st.dir);
  }
  return { i, urlDirs };
}

/** The server refused AUTH (curl prints exit 64) or the login (curl: 67): these transfers fail with its reply. */
function refusedBeforeTransfer(c: Ctx, verb: string, steps: ScriptStep[], reply: FtpReply): void {
  const { env, profile } = c.input;
  for (const l of replyFailureLines(profile, verb, reply.code)) env.print(l);
  for (const step of steps) {
    env.report({
      client: env.clientId,
      command: describeStep(step),
      ok: false,
      bytes: 0,
      symptom: { kind: 'reply', verb, code: reply.code, text: reply.lines.join('\n') },
    });
  }
}

function reportFailure(c: Ctx, symptom: Symptom): void {
  const x = c.xfer;
  if (!x || x.reported) return;
  x.reported = true;
  x.symptomKind = symptom.kind;
  const { env } = c.input;
  const last = x.lastConnectError;
  const passiveFailure =
    x.triedActiveFallback && last && symptom !== undefined
      ? { kind: 'connect' as const, conn: last.conn, target: `${formatIpv4(last.target.ip)}:${last.target.port}`, err: last.err, role: 'data' as const }
      : undefined;
  env.report({
    client: env.clientId,
    command: describeStep(x.step),
    ok: false,
    bytes: x.bytes,
    dataCommand: x.commands[x.index],
    dataConn: x.dataConn,
    symptom,
    ...(passiveFailure ? { passiveFailure } : {}),
  });
}

/**
 * lftp's line for a file or listing the server refused (5xx): `get: Access failed: 550
 * Permission denied. (song.mp3)`, `put: Access failed: 553 Could not create file. (x.txt)`; a
 * 4xx (426) `get: big.iso: Fatal error: max-retries exceeded` (captured).
 */
function lftpAccessFailed(step: ScriptStep, verb: string, reply: FtpReply): string | null {
  if (reply.code < 400 || !['RETR', 'STOR', 'APPE', 'LIST'].includes(verb)) return null;
  const arg = transferArg(step);
  const name = step.kind === 'ls' ? 'ls' : step.kind === 'get' ? 'get' : 'put';
  // A 4xx is worth retrying: with net:max-retries 1 it gives up at once (426 mid-transfer: captured).
  if (reply.code < 500) return `${name}: ${arg ? `${arg}: ` : ''}Fatal error: max-retries exceeded`;
  return `${name}: Access failed: ${reply.code} ${reply.text}${arg ? ` (${arg})` : ''}`;
}

const BSD_FTP: string[] = ['classic', 'inetutils', 'tnftp'];

/** netkit/inetutils: the first login failed and the script logs in again (the SYST of setpeer still comes). */
function systAfterFailedLogin(c: Ctx): boolean {
  return firstLoginAtConnect(c) && c.input.script[c.pc + 1]?.kind === 'login';
}

/** netkit/inetutils at their login on connecting (setpeer: login, then SYST whatever came of it). */
function firstLoginAtConnect(c: Ctx): boolean {
  const { profile, script } = c.input;
  if (profile.id !== 'classic' && profile.id !== 'inetutils') return false;
  return !c.relogin && script.findIndex((st) => st.kind === 'login') === c.pc;
}

/** A directory as lftp resolves it against the one it is in (`pub` in `/` → `/pub`, `..` up). */
export function lftpPath(cwd: string, dir: string): string {
  const parts = dir.startsWith('/') ? [] : cwd.split('/').filter(Boolean);
  for (const p of dir.split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..') parts.pop();
    else parts.push(p);
  }
  return '/' + parts.join('/');
}

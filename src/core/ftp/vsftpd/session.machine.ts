/**
 * One vsftpd 3.0.x session: the machine server.ts starts for each accepted control
 * connection. It takes the command lines server.ts reads from the control socket, asks
 * commands.ts what vsftpd would answer, and runs the data connection the way vsftpd does:
 *   passive — listen on a random port of the pasv range (9 bind tries); on LIST/RETR/STOR
 *             accept within accept_timeout, refuse a peer other than the control peer
 *             (pasv_promiscuous=NO), then 150, data, close, 226;
 *   active  — connect first (from ftp_data_port when connect_from_port_20) within
 *             connect_timeout: the SYN goes out before any 150, a failure is a bare 425.
 * vsftpd is blocking: commands that arrive during a transfer wait their turn.
 */
import { accessCheckFile } from './accounts';
import { assign, enqueueActions, setup } from 'xstate';
import { encodeHostPort } from '../../codec/hostport';
import { parseIpv4, type Ipv4 } from '../../codec/addr';
import { effectivePasvRange, type VsftpdConf } from './conf';
import type { Prng } from '../../sim/prng';
import type { Scheduler } from '../../sim/scheduler';
import type { TraceRecorder } from '../../sim/trace';
import type { ConnectError, HostStack, TcpSocket } from '../../tcp/hostStack';
import {
  decideLoggedIn,
  decidePreLogin,
  initialSession,
  newOwner,
  startsTransfer,
  type Cmd,
  type Effect,
  type Outcome,
  type SessionState,
  type TransferPlan,
  type VsftpdUser,
} from './commands';
import type { VirtualFs } from '../server/files';
import { encodeReplyText, reply, replyTraceText, type Reply, type ReplyArgs, type ReplyId, type ReplyStyle } from '../server/replies';
import { TlsChannel } from '../ftps';
import { dataTransferStates } from '../server/transferStates';

export type ConnLabel = (kind: 'control' | 'data', remoteIp: Ipv4, remotePort: number, controlConn?: string) => string;

/** What every session of one server shares. */
export interface ServerEnv {
  stack: HostStack;
  hostId: string;
  conf: VsftpdConf;
  /** The server's files, one tree for all sessions. */
  fs: VirtualFs;
  style: ReplyStyle;
  /** Local accounts PASS is checked against; absent = any password (the model before accounts). */
  users?: readonly VsftpdUser[];
  /** userlist_file's lines, chroot_list_file's lines, user_config_dir's files (by user). */
  userList?: readonly string[];
  chrootList?: readonly string[];
  userConfig?: Readonly<Record<string, string>>;
  prng: Prng;
  scheduler: Scheduler;
  trace: TraceRecorder;
  connLabel: ConnLabel;
}

interface Pasv {
  id: number;
  port: number;
  listener: { close(): void };
  /** Connections the kernel accepted that the session has not taken yet (the backlog). */
  backlog: TcpSocket[];
}

interface Xfer {
  id: number;
  plan: TransferPlan;
  sock: TcpSocket | null;
  bytes: number;
  dirOpened: boolean;
}

interface Ctx {
  env: ServerEnv;
  sock: TcpSocket;
  conn: string;
  client: string;
  s: SessionState;
  tls: TlsChannel | null;
  queue: Cmd[];
  port: { ip: Ipv4; port: number } | null;
  pasv: Pasv | null;
  xfer: Xfer | null;
  closing: 'close' | 'abort' | null;
  nextId: number;
  /** An outcome held back by delay_failed_login: sent when the delay is over. */
  pending: { outcome: Outcome; seconds: number } | null;
}

type Ev =
  /** `queued`: replayed from the queue of commands that arrived while the session was busy. */
  | { type: 'CMD'; cmd: Cmd; queued?: boolean }
  | { type: 'CTRL_CLOSED' }
  | { type: 'PASV_ACCEPT'; pasvId: number; sock: TcpSocket }
  | { type: 'DATA_CONNECTED'; xferId: number }
  | { type: 'DATA_FAILED'; xferId: number; err: ConnectError }
  | { type: 'DATA_BYTES'; xferId: number; n: number }
  | { type: 'DATA_EOF'; xferId: number }
  | { type: 'DATA_CLOSED'; xferId: number };

export interface SessionInput {
  env: ServerEnv;
  sock: TcpSocket;
  conn: string;
}

// ---- pure helpers -------------------------------------------------------------------

/** The client id a conn label names ("c1/control" → "c1"); the label itself otherwise. */
export function clientOf(conn: string): string {
  const slash = conn.indexOf('/');
  return slash > 0 ? conn.slice(0, slash) : conn;
}

const nowS = (c: Ctx): number => Math.floor(c.env.scheduler.now / 1_000_000);
/** The session's configuration: the server's, or after login the user's (user_config_dir). */
const confOf = (c: Ctx): VsftpdConf => c.s.conf ?? c.env.conf;
/** The tree as the session sees it (a chroot()ed user's "/" is the home). */
const fsOf = (c: Ctx): VirtualFs => c.env.fs.view(c.s.root);
const envFor = (c: Ctx) => ({
  conf: confOf(c),
  style: c.env.style,
  fs: fsOf(c),
  host: c.env.hostId,
  peerIp: c.sock.remoteIp,
  nowS: nowS(c),
  users: c.env.users,
  userList: c.env.userList,
  chrootList: c.env.chrootList,
  userConfig: c.env.userConfig,
});
const cmdOf = (e: Ev): Cmd | null => (e.type === 'CMD' ? e.cmd : null);
const hasEffect = (o: Outcome, kind: Effect['kind']): boolean => o.effects.some((e) => e.kind === kind);
export const latin1 = (s: string): Uint8Array => Uint8Array.from(s, (ch) => ch.charCodeAt(0) & 0xff);
export const latin1Text = (b: Uint8Array): string => {
  let s = '';
  for (const x of b) s += String.fromCharCode(x);
  return s;
};
const dequeued = (c: Ctx, e: Ev): Ctx => (e.type === 'CMD' && e.queued ? { ...c, queue: c.queue.slice(1) } : c);
const isCurrentXfer = (c: Ctx, e: Ev): boolean => 'xferId' in e && c.xfer?.id === e.xferId;

/**
 * vsftpd's passive port draw (privops.c): 16 random bits scaled into [min, max]; up to 9
 * tries when the port is taken. Returns null when all tries hit a used port.
 */
export function drawPasvPort(prng: Prng, conf: Pick<VsftpdConf, 'pasv_min_port' | 'pasv_max_port'>, inUse: (port: number) => boolean): number | null {
  const { min, max } = effectivePasvRange(conf);
  for (let attempt = 0; attempt < 9; attempt++) {
    const r = prng.nextU32() & 0xffff;
    const port = Math.floor(min + (r / 65536) * (max - min + 1));
    if (!inUse(port)) return port;
  }
  return null;
}

// ---- effects on the control connection ----------------------------------------------

function sendReply(c: Ctx, r: Reply): void {
  const { trace, hostId } = c.env;
  trace.emit({ kind: 'ftp', host: hostId, client: c.client, conn: c.conn, dir: 'reply', text: replyTraceText(r) });
  const bytes = latin1(encodeReplyText(r));
  c.sock.send(c.tls ? c.tls.wrap(bytes) : bytes);
}

function say(c: Ctx, id: ReplyId, args: ReplyArgs = {}): void {
  sendReply(c, reply(c.env.style, id, args));
}

/** pasv_cleanup + port_cleanup: the listener closes and connections still queued are reset. */
function cleanupData(c: Ctx): Pick<Ctx, 'pasv' | 'port'> {
  if (c.pasv) {
    c.pasv.listener.close();
    for (const s of c.pasv.backlog) s.abort();
  }
  return { pasv: null, port: null };
}

/** PASV/EPSV: listen on a drawn port and announce it. */
function openPassive(c: Ctx, self: { send(e: Ev): void }, epsv: boolean): Partial<Ctx> {
  const { stack, prng, connLabel } = c.env;
  const conf = confOf(c);
  // vsftpd binds its passive socket with SO_REUSEADDR: only another listener makes a port busy
  // (an earlier data connection on the same port in TIME_WAIT does not).
  const port = drawPasvPort(prng, conf, (p) => stack.isListening(p));
  if (port === null) {
    say(c, 'oops', { what: 'vsf_sysutil_bind' });
    return { closing: 'abort' };
  }
  const id = c.nextId;
  const listener = stack.listen(port, (sock) => self.send({ type: 'PASV_ACCEPT', pasvId: id, sock }), {
    conn: (ip, p) => connLabel('data', ip, p, c.conn),
  });
  const pasv: Pasv = { id, port, listener, backlog: [] };
  if (epsv) {
    say(c, 'epsvOk', { port });
    return { pasv, nextId: id + 1 };
  }
  const announced = conf.pasv_address === null ? c.sock.localIp : parseIpv4(conf.pasv_address);
  if (announced === null) {
    // vsftpd: die("invalid pasv_address")
    say(c, 'oops', { what: 'invalid pasv_address' });
    return { pasv, nextId: id + 1, closing: 'abort' };
  }
  say(c, 'pasvOk', { hostPort: encodeHostPort(announced, port) });
  return { pasv, nextId: id + 1 };
}

/** Sends an outcome's replies and carries out its effects, in order. */
function apply(c: Ctx, o: Outcome, self: { send(e: Ev): void }): Partial<Ctx> {
  // delay_failed_login: vsftpd sleeps before it answers; hold the whole outcome back.
  const delay = o.effects.find((e) => e.kind === 'delay');
  if (delay && delay.kind === 'delay') return { ...c, pending: { outcome: { ...o, effects: o.effects.filter((e) => e !== delay) }, seconds: delay.seconds } };
  let next: Ctx = { ...c, s: { ...c.s, ...o.patch } };
  for (const r of o.replies) sendReply(next, r);
  for (const e of o.effects) {
    switch (e.kind) {
      case 'cleanupData':
        next = { ...next, ...cleanupData(next) };
        break;
      case 'port':
        next = { ...next, port: { ip: e.ip, port: e.port } };
        break;
      case 'pasv':
        next = { ...next, ...openPassive(next, self, e.epsv) };
        break;
      case 'startTls':
        // The 234 went out in clear; everything after it is wrapped.
        next = { ...next, tls: new TlsChannel(c.conn, 'server') };
        break;
      case 'transfer':
        next = { ...next, xfer: { id: next.nextId, plan: e.plan, sock: null, bytes: 0, dirOpened: true }, nextId: next.nextId + 1 };
        break;
      case 'close':
        next = { ...next, closing: e.how };
        break;
      case 'login':
      case 'delay':
        break;
    }
  }
  return next;
}

function dataHandlers(self: { send(e: Ev): void }, xferId: number) {
  return {
    onConnected: () => self.send({ type: 'DATA_CONNECTED', xferId }),
    onError: (err: ConnectError) => self.send({ type: 'DATA_FAILED', xferId, err }),
    onData: (bytes: Uint8Array) => self.send({ type: 'DATA_BYTES', xferId, n: bytes.length }),
    onPeerClosed: () => self.send({ type: 'DATA_EOF', xferId }),
    onClosed: () => self.send({ type: 'DATA_CLOSED', xferId }),
  };
}

// ---- the session machine --------------------------------------------------------------

export const ftpServerMachine = setup({
  types: { context: {} as Ctx, events: {} as Ev, input: {} as SessionInput },
  delays: {
    idleTimeout: ({ context }) => confOf(context).idle_session_timeout * 1000,
    loginDelay: ({ context }) => (context.pending?.seconds ?? 0) * 1000,
    acceptTimeout: ({ context }) => confOf(context).accept_timeout * 1000,
    dataTimeout: ({ context }) => confOf(context).data_connection_timeout * 1000,
  },
  guards: {
    hasPending: ({ context }) => context.pending !== null,
    isClosing: ({ context }) => context.closing !== null,
    logsIn: ({ context, event }) => {
      const cmd = cmdOf(event);
      return !!cmd && hasEffect(decidePreLogin(context.s, envFor(context), cmd), 'login');
    },
    startsTransfer: ({ context, event }) => {
      const cmd = cmdOf(event);
      return !!cmd && startsTransfer(context.s, envFor(context), cmd);
    },
    idleTimeoutOn: ({ context }) => confOf(context).idle_session_timeout > 0,
    dataTimeoutOn: ({ context }) => confOf(context).data_connection_timeout > 0,
    isPassive: ({ context }) => context.pasv !== null,
    /**
     * Measured with vsftpd 3.0.3: port_promiscuous=YES takes the unprivileged connect path,
     * which cannot bind port 20 → "500 OOPS: vsf_sysutil_bind" and the session dies.
     */
    activeBindFails: ({ context }) => confOf(context).port_promiscuous && confOf(context).connect_from_port_20,
    /** Only reachable with port_promiscuous=YES (else PORT already refused it). */
    activeReservedPort: ({ context }) => (context.port?.port ?? 0) < 1024,
    hasBacklog: ({ context }) => (context.pasv?.backlog.length ?? 0) > 0,
    forCurrentPasv: ({ context, event }) => event.type === 'PASV_ACCEPT' && context.pasv?.id === event.pasvId,
    backlogFromPeer: ({ context }) => confOf(context).pasv_promiscuous || context.pasv?.backlog[0]?.remoteIp === context.sock.remoteIp,
    isUpload: ({ context }) => context.xfer?.plan.verb === 'STOR' || context.xfer?.plan.verb === 'APPE',
    currentXfer: ({ context, event }) => isCurrentXfer(context, event),
  },
  actions: {
    greet: ({ context }) => say(context, 'greeting', { banner: confOf(context).ftpd_banner ?? undefined, host: context.env.hostId }),
    enqueue: assign(({ context, event }) => (event.type === 'CMD' && !event.queued ? { queue: [...context.queue, event.cmd] } : {})),
    /**
     * Replays the oldest command that arrived while the session was busy (the handler
     * drops it from the queue). A static action: creating actions at run time warns when
     * another actor (the TCP endpoint) is mid-action on the same call stack.
     */
    drainQueue: enqueueActions(({ context, enqueue }) => {
      const cmd = context.queue[0];
      if (cmd) enqueue.raise({ type: 'CMD', cmd, queued: true });
    }),
    handlePreLogin: assign(({ context, event, self }) => {
      const cmd = cmdOf(event);
      return cmd ? apply(dequeued(context, event), decidePreLogin(context.s, envFor(context), cmd), self) : {};
    }),
    handleLoggedIn: assign(({ context, event, self }) => {
      const cmd = cmdOf(event);
      return cmd ? apply(dequeued(context, event), decideLoggedIn(context.s, envFor(context), cmd), self) : {};
    }),
    applyPending: assign(({ context, self }) => (context.pending ? { ...apply({ ...context, pending: null }, context.pending.outcome, self), pending: null } : {})),
    replyIdleTimeout: assign(({ context }) => {
      say(context, 'idleTimeout');
      return { closing: 'close' as const };
    }),
    storeAccepted: assign(({ context, event }) => {
      if (event.type !== 'PASV_ACCEPT') return {};
      // A connection to a listener this session already closed: nobody will accept it.
      if (!context.pasv || context.pasv.id !== event.pasvId) {
        event.sock.abort();
        return {};
      }
      return { pasv: { ...context.pasv, backlog: [...context.pasv.backlog, event.sock] } };
    }),
    takeAccepted: assign(({ context, self }) => {
      const pasv = context.pasv!;
      const [sock, ...rest] = pasv.backlog;
      sock!.setHandlers(dataHandlers(self, context.xfer!.id));
      return { pasv: { ...pasv, backlog: rest }, xfer: { ...context.xfer!, sock: sock! } };
    }),
    /** vsftpd closes the foreign connection, answers 425 and drops the listener. */
    rejectBadIp: assign(({ context }) => {
      const pasv = context.pasv!;
      const [sock, ...rest] = pasv.backlog;
      sock?.close();
      say(context, 'badIp');
      return { pasv: { ...pasv, backlog: rest } };
    }),
    connectActive: assign(({ context, self }) => {
      const { stack, connLabel } = context.env;
      const conf = confOf(context);
      const t = context.port!;
      const x = context.xfer!;
      const sock = stack.connect(
        {
          dst: t.ip,
          dstPort: t.port,
          srcPort: conf.connect_from_port_20 ? conf.ftp_data_port : undefined,
          conn: connLabel('data', t.ip, t.port, context.conn),
          timeoutMs: conf.connect_timeout * 1000,
        },
        dataHandlers(self, x.id),
      );
      return { xfer: { ...x, sock } };
    }),
    oopsBind: assign(({ context }) => {
      say(context, 'oops', { what: 'vsf_sysutil_bind' });
      return { closing: 'abort' as const };
    }),
    oopsReservedPort: assign(({ context }) => {
      say(context, 'oops', { what: 'Illegal port request' });
      return { closing: 'abort' as const };
    }),
    replyFailedConnect: ({ context }) => say(context, 'failedConnect'),
    sendMark: ({ context }) => sendReply(context, context.xfer!.plan.mark),
    /** Listing or file bytes, then close (vsftpd's dispose lingers until the peer has it all). */
    sendPayload: assign(({ context }) => {
      const x = context.xfer!;
      const fs = fsOf(context);
      let bytes: Uint8Array;
      let dirOpened = true;
      if (x.plan.verb === 'RETR') {
        bytes = fs.content(x.plan.path) ?? new Uint8Array(0);
      } else {
        const l = fs.listing(context.s.cwd, x.plan.arg, x.plan.verb === 'LIST', nowS(context), (name) => accessCheckFile(name, confOf(context).hide_file));
        bytes = latin1(l.text);
        dirOpened = l.opened;
      }
      if (bytes.length > 0) x.sock!.send(bytes);
      x.sock!.close();
      return { xfer: { ...x, bytes: bytes.length, dirOpened } };
    }),
    countBytes: assign(({ context, event }) => (event.type === 'DATA_BYTES' && context.xfer ? { xfer: { ...context.xfer, bytes: context.xfer.bytes + event.n } } : {})),
    finishUpload: ({ context }) => {
      const x = context.xfer!;
      x.sock!.close();
      // APPE adds to what the file had (a missing file is created).
      const fs = fsOf(context);
      const before = x.plan.verb === 'APPE' ? (fs.size(x.plan.path) ?? 0) : 0;
      fs.store(x.plan.path, before + x.bytes, nowS(context), newOwner(context.s, envFor(context), false));
    },
    replyDone: ({ context }) => {
      const x = context.xfer!;
      if (x.plan.verb === 'LIST' || x.plan.verb === 'NLST') say(context, x.dirOpened ? 'dirOk' : 'dirFailedOpen');
      else say(context, 'transferOk');
    },
    replyNetFail: ({ context }) => say(context, context.xfer?.plan.verb === 'STOR' || context.xfer?.plan.verb === 'APPE' ? 'readNetFail' : 'writeNetFail'),
    replyDataTimeout: assign(({ context }) => {
      say(context, 'dataTimeout');
      return { closing: 'close' as const };
    }),
    /** After a transfer or a failed data connection: vsftpd's port_cleanup + pasv_cleanup. */
    endTransfer: assign(({ context }) => {
      return { ...cleanupData(context), xfer: null, s: { ...context.s, dataMode: 'none' as const } };
    }),
    shutdown: ({ context }) => {
      cleanupData(context);
      // The process exits: the kernel closes whatever data socket is still open.
      const s = context.xfer?.sock;
      if (s && s.state !== 'CLOSED') s.close();
      if (context.closing === 'abort') context.sock.abort();
      else context.sock.close();
    },
  },
}).createMachine({
  id: 'ftpServer',
  context: ({ input }) => ({
    env: input.env,
    sock: input.sock,
    conn: input.conn,
    client: clientOf(input.conn),
    s: initialSession(),
    tls: null,
    queue: [],
    port: null,
    pasv: null,
    xfer: null,
    closing: null,
    nextId: 1,
    pending: null,
  }),
  initial: 'greeting',
  on: {
    CMD: { actions: 'enqueue' },
    CTRL_CLOSED: '.closed',
    PASV_ACCEPT: { actions: 'storeAccepted' },
  },
  states: {
    greeting: { entry: 'greet', always: 'preLogin' },
    preLogin: {
      entry: 'drainQueue',
      always: [
        { guard: 'hasPending', target: 'delaying' },
        { guard: 'isClosing', target: 'closed' },
      ],
      after: { idleTimeout: { guard: 'idleTimeoutOn', target: 'closed', actions: 'replyIdleTimeout' } },
      on: {
        CMD: [
          { guard: 'logsIn', target: 'ready', actions: 'handlePreLogin' },
          { target: 'preLogin', reenter: true, actions: 'handlePreLogin' },
        ],
      },
    },
    /** delay_failed_login: nothing is answered until the delay is over (commands wait in the queue). */
    delaying: { after: { loginDelay: { target: 'preLogin', actions: 'applyPending' } } },
    ready: {
      entry: 'drainQueue',
      always: { guard: 'isClosing', target: 'closed' },
      after: { idleTimeout: { guard: 'idleTimeoutOn', target: 'closed', actions: 'replyIdleTimeout' } },
      on: {
        CMD: [
          { guard: 'startsTransfer', target: 'transfer', actions: 'handleLoggedIn' },
          { target: 'ready', reenter: true, actions: 'handleLoggedIn' },
        ],
      },
    },
    transfer: {
      initial: 'route',
      states: {
        route: {
          always: [
            { guard: 'isPassive', target: 'accepting' },
            { guard: 'activeReservedPort', target: '#ftpServer.closed', actions: 'oopsReservedPort' },
            { guard: 'activeBindFails', target: '#ftpServer.closed', actions: 'oopsBind' },
            { target: 'connecting' },
          ],
        },
        accepting: {
          always: { guard: 'hasBacklog', target: 'checkPeer' },
          after: { acceptTimeout: { target: '#ftpServer.ready', actions: ['replyFailedConnect', 'endTransfer'] } },
          // A connection for a listener already closed falls through to the root handler.
          on: { PASV_ACCEPT: { guard: 'forCurrentPasv', target: 'checkPeer', actions: 'storeAccepted' } },
        },
        checkPeer: {
          always: [
            { guard: 'backlogFromPeer', target: 'open', actions: 'takeAccepted' },
            { target: '#ftpServer.ready', actions: ['rejectBadIp', 'endTransfer'] },
          ],
        },
        connecting: {
          entry: 'connectActive',
          on: {
            DATA_CONNECTED: { guard: 'currentXfer', target: 'open' },
            DATA_FAILED: { guard: 'currentXfer', target: '#ftpServer.ready', actions: ['replyFailedConnect', 'endTransfer'] },
          },
        },
        open: {
          entry: 'sendMark',
          always: [{ guard: 'isUpload', target: 'receiving' }, { target: 'sending' }],
        },
        ...dataTransferStates({ idle: '#ftpServer.ready', closed: '#ftpServer.closed', broke: 'replyNetFail' }),
      },
    },
    closed: { type: 'final', entry: 'shutdown' },
  },
});

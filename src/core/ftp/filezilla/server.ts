/**
 * The simulated FileZilla Server 0.9.60: listens on its ports and runs one session actor per
 * control connection over the same TCP stack as vsftpd. The session asks session.ts what the
 * server answers and runs the data connection the way FileZilla's CTransferSocket does:
 *   passive — listen on a port of the passive range; once the client's data connection is
 *             in and the transfer command came, check its address against the control peer
 *             ("425 Rejected data connection…"), send "150 Opening data channel…", transfer,
 *             "226 Successfully transferred…". No data connection within 10 s: 425.
 *   active  — connect from the control port − 1 (20 for 21) and send the 150 at once, before
 *             the connection is up; a refused or silent connection ends in "425 Can't open
 *             data connection for transfer of…" (after 10 s at most).
 * Time-outs (CheckForTimeout, once a second): the connection time-out since the last
 * command, the login time-out before login, the no-transfer time-out after it.
 */
import { assign, createActor, enqueueActions, setup } from 'xstate';
import type { ConnectError, HostStack, TcpSocket } from '../../tcp/hostStack';
import { VirtualFs, type FileSpec } from '../server/files';
import { encodeReplyText, replyTraceText } from '../server/replies';
import { LineSplitter } from '../../codec/ftp';
import { encodeHostPort } from '../../codec/hostport';
import { asIpv4 } from '../../codec/addr';
import type { Prng } from '../../sim/prng';
import type { Scheduler } from '../../sim/scheduler';
import type { TraceRecorder } from '../../sim/trace';
import { FzAutobanState } from './autoban';
import { FZ, fzWelcome, type FzReply } from './replies';
import { decideFz, drawFzPasvPort, initialFzSession, splitFzCommand, type FzCmd, type FzOutcome, type FzSessionState, type FzTransferPlan } from './session';
import { FZ_VERSION, type FzSettings } from './settings';
import { dataTransferStates } from '../server/transferStates';

export type FzConnLabel = (kind: 'control' | 'data', remoteIp: number, remotePort: number, controlConn?: string) => string;

export interface FzServerOptions {
  stack: HostStack;
  hostId: string;
  settings: FzSettings;
  files: Record<string, FileSpec> | VirtualFs;
  prng: Prng;
  scheduler: Scheduler;
  trace: TraceRecorder;
  connLabel: FzConnLabel;
}

export interface FzServerHandle {
  stop(): void;
  readonly fs: VirtualFs;
  /** Control connections open now. */
  readonly sessions: number;
  /** Logged-in sessions now, by user. */
  loggedIn(user: string): number;
  readonly autoban: FzAutobanState;
}

/** What every session of one server shares: settings, tree, autoban and the counts. */
interface ServerEnv extends Omit<FzServerOptions, 'files'> {
  fs: VirtualFs;
  autoban: FzAutobanState;
  live: Set<TcpSocket>;
  perIp: Map<number, number>;
  perUser: Map<string, number>;
}

interface Pasv {
  id: number;
  port: number;
  listener: { close(): void };
  backlog: TcpSocket[];
}

interface Xfer {
  id: number;
  plan: FzTransferPlan;
  sock: TcpSocket | null;
  bytes: number;
}

interface Ctx {
  env: ServerEnv;
  sock: TcpSocket;
  conn: string;
  client: string;
  s: FzSessionState;
  /** The user whose login is counted (per user and per address), or null. */
  counted: string | null;
  queue: FzCmd[];
  port: { ip: number; port: number } | null;
  pasv: Pasv | null;
  xfer: Xfer | null;
  closing: boolean;
  nextId: number;
  connectedUs: number;
  lastCmdUs: number;
  lastTransferUs: number;
}

type Ev =
  | { type: 'CMD'; cmd: FzCmd; queued?: boolean }
  | { type: 'CTRL_CLOSED' }
  | { type: 'PASV_ACCEPT'; pasvId: number; sock: TcpSocket }
  | { type: 'DATA_CONNECTED'; xferId: number }
  | { type: 'DATA_FAILED'; xferId: number; err: ConnectError }
  | { type: 'DATA_BYTES'; xferId: number; n: number }
  | { type: 'DATA_EOF'; xferId: number }
  | { type: 'DATA_CLOSED'; xferId: number };

const S = 1_000_000;
/** A transfer not started 10 s after its command ends in 425 (CTransferSocket::CheckForTimeout). */
export const FZ_NOCONN_S = 10;

const nowS = (c: Ctx): number => Math.floor(c.env.scheduler.now / S);
const latin1 = (s: string): Uint8Array => Uint8Array.from(s, (ch) => ch.charCodeAt(0) & 0xff);
const latin1Text = (b: Uint8Array): string => {
  let s = '';
  for (const x of b) s += String.fromCharCode(x);
  return s;
};
const isCurrentXfer = (c: Ctx, e: Ev): boolean => 'xferId' in e && c.xfer?.id === e.xferId;

/** The first check of the once-a-second timer after `deadlineUs` has passed. */
export function fzTickAfter(deadlineUs: number): number {
  return (Math.floor(deadlineUs / S) + 1) * S;
}

/** CheckForTimeout: when the next control time-out fires, and which one. */
export function fzControlTimeout(c: Pick<Ctx, 'lastCmdUs' | 'connectedUs' | 'lastTransferUs'> & { loggedIn: boolean }, st: FzSettings): { atUs: number; reply: FzReply } | null {
  if (!st.timeoutS) return null;
  const cands: { atUs: number; reply: FzReply }[] = [{ atUs: fzTickAfter(c.lastCmdUs + st.timeoutS * S), reply: FZ.timedOut() }];
  if (c.loggedIn && st.noTransferTimeoutS) cands.push({ atUs: fzTickAfter(c.lastTransferUs + st.noTransferTimeoutS * S), reply: FZ.noTransferTimeout() });
  if (!c.loggedIn && st.loginTimeoutS) cands.push({ atUs: fzTickAfter(c.connectedUs + st.loginTimeoutS * S), reply: FZ.loginTimeout() });
  // The connection time-out is checked first: at an equal tick it wins.
  return cands.reduce((a, b) => (b.atUs < a.atUs ? b : a));
}

function sendReply(c: Ctx, r: FzReply): void {
  c.env.trace.emit({ kind: 'ftp', host: c.env.hostId, client: c.client, conn: c.conn, dir: 'reply', text: replyTraceText(r) });
  c.sock.send(latin1(encodeReplyText(r)));
}

function cleanupData(c: Ctx): Pick<Ctx, 'pasv' | 'port'> {
  if (c.pasv) {
    c.pasv.listener.close();
    for (const s of c.pasv.backlog) s.abort();
  }
  return { pasv: null, port: null };
}

function countLogin(c: Ctx, user: string | null): Pick<Ctx, 'counted'> {
  const { perIp, perUser } = c.env;
  const ip = c.sock.remoteIp;
  if (c.counted !== null) {
    perIp.set(ip, (perIp.get(ip) ?? 1) - 1);
    perUser.set(c.counted, (perUser.get(c.counted) ?? 1) - 1);
  }
  if (user) {
    perIp.set(ip, (perIp.get(ip) ?? 0) + 1);
    perUser.set(user, (perUser.get(user) ?? 0) + 1);
  }
  return { counted: user || null };
}

function openPassive(c: Ctx, self: { send(e: Ev): void }, epsv: boolean, announce: number): Partial<Ctx> {
  const { stack, prng, settings, connLabel } = c.env;
  const port = drawFzPasvPort(
    settings,
    () => prng.nextU32(),
    (p) => stack.isListening(p),
  );
  if (port === null) {
    sendReply(c, FZ.noSocket());
    return { s: { ...c.s, dataMode: 'none' } };
  }
  const id = c.nextId;
  const listener = stack.listen(port, (sock) => self.send({ type: 'PASV_ACCEPT', pasvId: id, sock }), { conn: (ip, p) => connLabel('data', ip, p, c.conn) });
  sendReply(c, epsv ? FZ.epsvOk(port) : FZ.pasvOk(encodeHostPort(asIpv4(announce), port)));
  return { pasv: { id, port, listener, backlog: [] }, nextId: id + 1 };
}

function apply(c: Ctx, o: FzOutcome, self: { send(e: Ev): void }): Ctx {
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
        next = { ...next, ...openPassive(next, self, e.epsv, e.announce) };
        break;
      case 'transfer':
        next = { ...next, xfer: { id: next.nextId, plan: e.plan, sock: null, bytes: 0 }, nextId: next.nextId + 1 };
        if (e.plan.verb === 'RETR' || e.plan.verb === 'STOR' || e.plan.verb === 'APPE') next.lastTransferUs = next.env.scheduler.now;
        break;
      case 'login':
        next = { ...next, ...countLogin(next, e.user), lastTransferUs: next.env.scheduler.now };
        break;
      case 'close':
        next = { ...next, closing: true };
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

const endTransfer = (c: Ctx): Partial<Ctx> => {
  const s = c.xfer?.sock;
  if (s && s.state !== 'CLOSED') s.close();
  // ProcessTransferMsg: ResetTransferstatus (a new PORT/PASV is needed), m_lastCmdTime = now,
  // and for a download or upload m_lastTransferTime too.
  const verb = c.xfer?.plan.verb;
  const now = c.env.scheduler.now;
  return { ...cleanupData(c), xfer: null, s: { ...c.s, dataMode: 'none' }, lastCmdUs: now, ...(verb === 'LIST' || verb === 'NLST' ? {} : { lastTransferUs: now }) };
};

export const fzSessionMachine = setup({
  types: { context: {} as Ctx, events: {} as Ev, input: {} as { env: ServerEnv; sock: TcpSocket; conn: string } },
  delays: {
    controlTimeout: ({ context }) => {
      const t = fzControlTimeout({ ...context, loggedIn: context.s.loggedIn }, context.env.settings);
      return t ? Math.max(0, (t.atUs - context.env.scheduler.now) / 1000) : 2 ** 31 - 1;
    },
    noConn: ({ context }) => (fzTickAfter(context.env.scheduler.now + FZ_NOCONN_S * S) - context.env.scheduler.now) / 1000,
    dataTimeout: ({ context }) => (fzTickAfter(context.env.scheduler.now + context.env.settings.timeoutS * S) - context.env.scheduler.now) / 1000,
  },
  guards: {
    isClosing: ({ context }) => context.closing,
    hasXfer: ({ context }) => context.xfer !== null,
    timeoutsOn: ({ context }) => fzControlTimeout({ ...context, loggedIn: context.s.loggedIn }, context.env.settings) !== null,
    dataTimeoutOn: ({ context }) => context.env.settings.timeoutS > 0,
    isPassive: ({ context }) => context.pasv !== null,
    hasBacklog: ({ context }) => (context.pasv?.backlog.length ?? 0) > 0,
    forCurrentPasv: ({ context, event }) => event.type === 'PASV_ACCEPT' && context.pasv?.id === event.pasvId,
    // OPTION_CHECK_DATA_CONNECTION_IP defaults to 2: the data peer must be the control peer.
    backlogFromPeer: ({ context }) => context.pasv?.backlog[0]?.remoteIp === context.sock.remoteIp,
    isUpload: ({ context }) => context.xfer?.plan.verb === 'STOR' || context.xfer?.plan.verb === 'APPE',
    currentXfer: ({ context, event }) => isCurrentXfer(context, event),
  },
  actions: {
    greet: ({ context }) => sendReply(context, fzWelcome(context.env.settings.welcome, FZ_VERSION)),
    enqueue: assign(({ context, event }) => (event.type === 'CMD' && !event.queued ? { queue: [...context.queue, event.cmd] } : {})),
    handleCmd: assign(({ context, event, self }) => {
      if (event.type !== 'CMD') return {};
      const base = event.queued ? { ...context, queue: context.queue.slice(1) } : context;
      const now = context.env.scheduler.now;
      const env = {
        settings: context.env.settings,
        fs: context.env.fs,
        autoban: context.env.autoban,
        peerIp: context.sock.remoteIp,
        localIp: context.sock.localIp,
        nowS: nowS(context),
        connections: context.env.live.size,
        loggedInFromIp: context.env.perIp.get(context.sock.remoteIp) ?? 0,
        loggedInAs: (u: string) => context.env.perUser.get(u) ?? 0,
      };
      return apply({ ...base, lastCmdUs: now }, decideFz(context.s, env, event.cmd), self);
    }),
    /** Replays the oldest command that arrived mid-transfer (a raise, as the vsftpd session does). */
    drainQueue: enqueueActions(({ context, enqueue }) => {
      const cmd = context.queue[0];
      if (cmd) enqueue.raise({ type: 'CMD', cmd, queued: true });
    }),
    replyTimeout: assign(({ context }) => {
      const t = fzControlTimeout({ ...context, loggedIn: context.s.loggedIn }, context.env.settings);
      if (t) sendReply(context, t.reply);
      return { closing: true };
    }),
    storeAccepted: assign(({ context, event }) => {
      if (event.type !== 'PASV_ACCEPT') return {};
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
    rejectIp: assign(({ context }) => {
      const pasv = context.pasv!;
      const [sock, ...rest] = pasv.backlog;
      sock?.close();
      sendReply(context, FZ.dataIpMismatch(context.xfer!.plan.resource));
      return { pasv: { ...pasv, backlog: rest } };
    }),
    connectActive: assign(({ context, self }) => {
      const { stack, connLabel } = context.env;
      const t = context.port!;
      const x = context.xfer!;
      const ctrlPort = context.sock.localPort;
      // CreateTransferSocket: bind the control port − 1 (SO_REUSEADDR), else any port.
      const srcPort = ctrlPort > 1 && !stack.isListening(ctrlPort - 1) ? ctrlPort - 1 : undefined;
      const sock = stack.connect({ dst: asIpv4(t.ip), dstPort: t.port, srcPort, conn: connLabel('data', t.ip, t.port, context.conn) }, dataHandlers(self, x.id));
      return { xfer: { ...x, sock } };
    }),
    sendMark: ({ context }) => sendReply(context, context.xfer!.plan.mark),
    replyNoConn: ({ context }) => sendReply(context, FZ.noDataConn(context.xfer!.plan.resource)),
    sendPayload: ({ context }) => {
      const x = context.xfer!;
      const bytes = x.plan.verb === 'RETR' ? (context.env.fs.content(x.plan.tree) ?? new Uint8Array(0)) : latin1(x.plan.listing ?? '');
      if (bytes.length > 0) x.sock!.send(bytes);
      x.sock!.close();
    },
    countBytes: assign(({ context, event }) => (event.type === 'DATA_BYTES' && context.xfer ? { xfer: { ...context.xfer, bytes: context.xfer.bytes + event.n } } : {})),
    finishUpload: ({ context }) => {
      const x = context.xfer!;
      x.sock!.close();
      context.env.fs.store(x.plan.tree, (x.plan.appendTo ?? 0) + x.bytes, nowS(context));
    },
    replyDone: ({ context }) => sendReply(context, FZ.transferred(context.xfer!.plan.resource)),
    replyAborted: ({ context }) => sendReply(context, FZ.aborted(context.xfer!.plan.resource)),
    /** 426 for the transfer, then ForceClose(1): "421 Connection timed out." and the close. */
    replyDataTimeout: assign(({ context }) => {
      sendReply(context, FZ.dataTimeout(context.xfer!.plan.resource));
      sendReply(context, FZ.timedOut());
      return { closing: true };
    }),
    endTransfer: assign(({ context }) => endTransfer(context)),
    shutdown: ({ context }) => {
      cleanupData(context);
      const s = context.xfer?.sock;
      if (s && s.state !== 'CLOSED') s.close();
      countLogin(context, null);
      context.sock.close();
    },
  },
}).createMachine({
  id: 'fzServer',
  context: ({ input }) => {
    const now = input.env.scheduler.now;
    const slash = input.conn.indexOf('/');
    return {
      env: input.env,
      sock: input.sock,
      conn: input.conn,
      client: slash > 0 ? input.conn.slice(0, slash) : input.conn,
      s: initialFzSession(),
      counted: null,
      queue: [],
      port: null,
      pasv: null,
      xfer: null,
      closing: false,
      nextId: 1,
      connectedUs: now,
      lastCmdUs: now,
      lastTransferUs: now,
    };
  },
  initial: 'greeting',
  on: {
    CMD: { actions: 'enqueue' },
    CTRL_CLOSED: '.closed',
    PASV_ACCEPT: { actions: 'storeAccepted' },
  },
  states: {
    greeting: { entry: 'greet', always: 'control' },
    control: {
      entry: 'drainQueue',
      always: [
        { guard: 'isClosing', target: 'closed' },
        { guard: 'hasXfer', target: 'transfer' },
      ],
      after: { controlTimeout: { guard: 'timeoutsOn', target: 'closed', actions: 'replyTimeout' } },
      on: { CMD: { target: 'control', reenter: true, actions: 'handleCmd' } },
    },
    transfer: {
      initial: 'route',
      states: {
        route: { always: [{ guard: 'isPassive', target: 'accepting' }, { target: 'connecting' }] },
        accepting: {
          always: { guard: 'hasBacklog', target: 'checkPeer' },
          after: { noConn: { target: '#fzServer.control', actions: ['replyNoConn', 'endTransfer'] } },
          on: { PASV_ACCEPT: { guard: 'forCurrentPasv', target: 'checkPeer', actions: 'storeAccepted' } },
        },
        checkPeer: {
          always: [
            { guard: 'backlogFromPeer', target: 'open', actions: 'takeAccepted' },
            { target: '#fzServer.control', actions: ['rejectIp', 'endTransfer'] },
          ],
        },
        connecting: {
          entry: ['connectActive', 'sendMark'],
          after: { noConn: { target: '#fzServer.control', actions: ['replyNoConn', 'endTransfer'] } },
          on: {
            DATA_CONNECTED: { guard: 'currentXfer', target: 'started' },
            DATA_FAILED: { guard: 'currentXfer', target: '#fzServer.control', actions: ['replyNoConn', 'endTransfer'] },
          },
        },
        open: { entry: 'sendMark', always: 'started' },
        started: { always: [{ guard: 'isUpload', target: 'receiving' }, { target: 'sending' }] },
        ...dataTransferStates({ idle: '#fzServer.control', closed: '#fzServer.closed', broke: 'replyAborted' }),
      },
    },
    closed: { type: 'final', entry: 'shutdown' },
  },
});

/** Starts FileZilla Server: a listener on every port, one session actor per connection. */
export function startFzServer(opts: FzServerOptions): FzServerHandle {
  const fs = opts.files instanceof VirtualFs ? opts.files : new VirtualFs(opts.files);
  const env: ServerEnv = { ...opts, fs, autoban: new FzAutobanState(opts.settings.autoban), live: new Set(), perIp: new Map(), perUser: new Map() };
  const actors = new Map<TcpSocket, { stop(): void }>();
  const { trace, hostId, connLabel } = opts;
  const clientOf = (conn: string) => (conn.indexOf('/') > 0 ? conn.slice(0, conn.indexOf('/')) : conn);

  const onAccept = (sock: TcpSocket) => {
    const conn = sock.conn;
    if (env.autoban.isBanned(sock.remoteIp, Math.floor(opts.scheduler.now / S))) {
      const r = FZ.bannedAtConnect();
      trace.emit({ kind: 'ftp', host: hostId, client: clientOf(conn), conn, dir: 'reply', text: replyTraceText(r) });
      sock.send(latin1(encodeReplyText(r)));
      sock.close();
      return;
    }
    env.live.add(sock);
    const actor = createActor(fzSessionMachine, { clock: opts.scheduler.clock, input: { env, sock, conn } });
    const actorName = `${hostId}:${conn}`;
    let last = '';
    actor.subscribe((snap) => {
      const value = typeof snap.value === 'string' ? snap.value : JSON.stringify(snap.value);
      if (value !== last) {
        trace.emit({ kind: 'state', actor: actorName, machine: 'fzServer', from: last, to: value });
        last = value;
      }
      if (snap.status === 'done') {
        env.live.delete(sock);
        actors.delete(sock);
      }
    });
    const lines = new LineSplitter();
    sock.setHandlers({
      onData: (bytes) => {
        if (actor.getSnapshot().status !== 'active') return;
        for (const line of lines.push(latin1Text(bytes))) {
          trace.emit({ kind: 'ftp', host: hostId, client: clientOf(conn), conn, dir: 'command', text: line });
          actor.send({ type: 'CMD', cmd: splitFzCommand(line) });
        }
      },
      onPeerClosed: () => actor.send({ type: 'CTRL_CLOSED' }),
      onError: () => actor.send({ type: 'CTRL_CLOSED' }),
      onClosed: () => actor.send({ type: 'CTRL_CLOSED' }),
    });
    actors.set(sock, actor);
    actor.start();
  };
  const listeners = opts.settings.ports.map((p) => opts.stack.listen(p, onAccept, { conn: (ip, port) => connLabel('control', ip, port) }));

  return {
    stop: () => {
      for (const l of listeners) l.close();
      for (const a of actors.values()) a.stop();
      actors.clear();
      env.live.clear();
    },
    fs,
    get sessions() {
      return env.live.size;
    },
    loggedIn: (u) => env.perUser.get(u) ?? 0,
    autoban: env.autoban,
  };
}

/**
 * The vsftpd server process: `startFtpServer` listens on listen_port, answers connections
 * beyond max_clients / max_per_ip with a 421 before any greeting, and starts one session
 * machine (session.machine.ts) per accepted control connection, feeding it the command
 * lines it reads from the control socket.
 */
import { createActor } from 'xstate';
import { LineSplitter } from '../../codec/ftp';
import type { Ipv4 } from '../../codec/addr';
import type { TcpSocket } from '../../tcp/hostStack';
import { splitCommand } from './commands';
import { uidOf } from './accounts';
import type { VsftpdConf } from './conf';
import { VirtualFs, type FileSpec } from '../server/files';
import { encodeReplyText, reply, replyTraceText, type Reply, type ReplyStyle } from '../server/replies';
import { clientOf, ftpServerMachine, latin1, latin1Text, type ServerEnv } from './session.machine';

export type { ConnLabel } from './session.machine';

export interface FtpServerOptions extends Omit<ServerEnv, 'fs'> {
  /** The scenario's file map, or a tree to share. */
  files: Record<string, FileSpec> | VirtualFs;
}

export interface FtpServerHandle {
  stop(): void;
  readonly fs: VirtualFs;
  /** Sessions currently open. */
  readonly sessions: number;
}

/**
 * What a new connection is answered instead of a greeting: vsftpd's main.c dies with "500
 * OOPS: vsftpd: both local and anonymous access disabled!" in every session when neither login
 * is on (seen on the kernel: the OOPS, then the close; tests/kernel/scenarios/vsftpd-no-logins),
 * before prelogin.c's check_limits answers a connection over max_clients / max_per_ip with 421.
 */
function refusalAtConnect(conf: VsftpdConf, style: ReplyStyle, total: number, fromIp: number): Reply | null {
  if (!conf.local_enable && !conf.anonymous_enable) return reply(style, 'oops', { what: 'vsftpd: both local and anonymous access disabled!' });
  if (conf.max_clients > 0 && total > conf.max_clients) return { code: 421, lines: ['There are too many connected users, please try later.'] };
  if (conf.max_per_ip > 0 && fromIp > conf.max_per_ip) return { code: 421, lines: ['There are too many connections from your internet address.'] };
  return null;
}

/** Starts the server: one session actor per accepted control connection. */
export function startFtpServer(opts: FtpServerOptions): FtpServerHandle {
  const fs = opts.files instanceof VirtualFs ? opts.files : new VirtualFs(opts.files);
  // A user's /home/<name> the scenario gave no owner is the user's, drwxr-xr-x, as useradd -m makes it.
  for (const u of opts.users ?? []) {
    const uid = uidOf(u.name, opts.users)!;
    fs.adopt(`/home/${u.name}`, { uid, gid: uid, mode: 0o755 });
  }
  const env: ServerEnv = { ...opts, fs };
  const live = new Map<TcpSocket, { stop(): void }>();
  /** Open sessions per client address (max_per_ip), kept with `live`. */
  const perIp = new Map<Ipv4, number>();
  const forget = (sock: TcpSocket) => {
    if (!live.delete(sock)) return;
    const n = (perIp.get(sock.remoteIp) ?? 1) - 1;
    if (n > 0) perIp.set(sock.remoteIp, n);
    else perIp.delete(sock.remoteIp);
  };
  const { conf, trace, hostId, connLabel } = opts;

  const listener = opts.stack.listen(
    conf.listen_port,
    (sock) => {
      const conn = sock.conn;
      const sameIp = (perIp.get(sock.remoteIp) ?? 0) + 1;
      const refusal = refusalAtConnect(conf, opts.style, live.size + 1, sameIp);
      if (refusal) {
        trace.emit({ kind: 'ftp', host: hostId, client: clientOf(conn), conn, dir: 'reply', text: replyTraceText(refusal) });
        sock.send(latin1(encodeReplyText(refusal)));
        sock.close();
        return;
      }
      const actor = createActor(ftpServerMachine, { clock: opts.scheduler.clock, input: { env, sock, conn } });
      const actorName = `${hostId}:${conn}`;
      let last = '';
      actor.subscribe((snap) => {
        const value = typeof snap.value === 'string' ? snap.value : JSON.stringify(snap.value);
        if (value !== last) {
          trace.emit({ kind: 'state', actor: actorName, machine: 'ftpServer', from: last, to: value });
          last = value;
        }
        if (snap.status === 'done') forget(sock);
      });
      const lines = new LineSplitter();
      sock.setHandlers({
        onData: (bytes) => {
          if (actor.getSnapshot().status !== 'active') return;
          const tls = actor.getSnapshot().context.tls;
          const plain = tls ? tls.unwrap(bytes) : bytes;
          for (const line of lines.push(latin1Text(plain))) {
            trace.emit({ kind: 'ftp', host: hostId, client: clientOf(conn), conn, dir: 'command', text: line });
            actor.send({ type: 'CMD', cmd: splitCommand(line) });
          }
        },
        onPeerClosed: () => actor.send({ type: 'CTRL_CLOSED' }),
        onError: () => actor.send({ type: 'CTRL_CLOSED' }),
        onClosed: () => actor.send({ type: 'CTRL_CLOSED' }),
      });
      live.set(sock, actor);
      perIp.set(sock.remoteIp, sameIp);
      actor.start();
    },
    { conn: (ip, port) => connLabel('control', ip, port) },
  );

  return {
    stop: () => {
      listener.close();
      for (const a of live.values()) a.stop();
      live.clear();
      perIp.clear();
    },
    fs,
    get sessions() {
      return live.size;
    },
  };
}

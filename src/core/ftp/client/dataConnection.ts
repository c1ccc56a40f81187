/**
 * The data connection's plumbing: listening for the server's connection (PORT/EPRT),
 * dialling the server's port (PASV/EPSV), where a 227 sends the client, and closing. The
 * machine decides when; these functions do the socket work and report back as events.
 */
import { isPrivateIpv4, type Ipv4 } from '../../codec/addr';
import type { HostStack, TcpSocket, ConnectError } from '../../tcp/hostStack';
import { unroutablePasvLines } from './messages';
import type { ClientProfile } from './profiles';
import { receiveData, type Transfer } from './transfer';

/** What the data connection tells the machine. */
export type DataEvent = { type: 'DATA_CONNECTED' } | { type: 'DATA_FAILED'; err: ConnectError } | { type: 'DATA_ACCEPTED'; sock: TcpSocket } | { type: 'DATA_CLOSED' };

/** What these functions need from the client around them. */
export interface DataEnv {
  stack: HostStack;
  /** A fresh connection label for this client's next data connection. */
  nextDataConn(): string;
  /** The label of the connection whose packet is being delivered right now, if any. */
  incomingConn(): string | undefined;
  now(): number;
}

/** The port a data socket binds: the control connection's port + 1 when asked and free, else an ephemeral one. */
function localDataPort(stack: HostStack, dataPort: 'ephemeral' | 'control+1', ctrl: TcpSocket | null): number | undefined {
  return dataPort === 'control+1' && ctrl && !stack.isPortInUse(ctrl.localPort + 1) ? ctrl.localPort + 1 : undefined;
}

/** Active mode: listen for the server's connection; returns the port to announce. */
export function listenForServer(env: DataEnv, dataPort: 'ephemeral' | 'control+1', ctrl: TcpSocket, x: Transfer, send: (e: DataEvent) => void): number {
  const port = localDataPort(env.stack, dataPort, ctrl) ?? env.stack.ephemeralPort();
  // The data connection is the server's: it is labelled by the server's SYN when it arrives.
  x.dataConn = undefined;
  x.listener = env.stack.listen(
    port,
    (sock) => {
      sock.setHandlers({
        onData: (b) => receiveData(x, b),
        onPeerClosed: () => {
          sock.close();
          send({ type: 'DATA_CLOSED' });
        },
      });
      send({ type: 'DATA_ACCEPTED', sock });
    },
    { conn: () => env.incomingConn() ?? env.nextDataConn() },
  );
  return port;
}

/**
 * Passive mode: dial the target the server announced, within the client's own connect
 * time-out when it has one (counted from the transfer's start or from this connect, as the
 * profile says).
 */
export function dialServer(
  env: DataEnv,
  profile: ClientProfile,
  connectTimeoutMs: number | null,
  dataPort: 'ephemeral' | 'control+1',
  ctrl: TcpSocket | null,
  x: Transfer,
  send: (e: DataEvent) => void,
): void {
  x.dataConn = env.nextDataConn();
  x.connectStartedUs = env.now();
  if (connectTimeoutMs !== null && x.connectDeadlineUs === undefined) {
    const from = profile.connectBudgetFrom === 'transfer' ? x.startedUs : env.now();
    x.connectDeadlineUs = from + connectTimeoutMs * 1000;
  }
  const timeoutMs = x.connectDeadlineUs !== undefined ? Math.max(1, (x.connectDeadlineUs - env.now()) / 1000) : undefined;
  const srcPort = localDataPort(env.stack, dataPort, ctrl);
  const sock = env.stack.connect(
    { dst: x.target!.ip, dstPort: x.target!.port, srcPort, conn: x.dataConn, timeoutMs },
    {
      onConnected: () => send({ type: 'DATA_CONNECTED' }),
      onError: (err) => send({ type: 'DATA_FAILED', err }),
      onData: (b) => receiveData(x, b),
      onPeerClosed: () => {
        sock.close();
        send({ type: 'DATA_CLOSED' });
      },
    },
  );
  x.dataSock = sock;
}

/** The server's connection arrived (active mode): it is the data connection; stop listening. */
export function takeAccepted(x: Transfer, sock: TcpSocket): void {
  x.dataSock = sock;
  x.dataConn = sock.conn;
  stopListening(x);
}

export function stopListening(x: Transfer): void {
  x.listener?.close();
  x.listener = undefined;
}

/** The transfer is over or abandoned: no more listening, and an open data connection is reset. */
export function closeData(x: Transfer): void {
  x.listener?.close();
  if (x.dataSock && x.dataSock.state !== 'CLOSED') x.dataSock.abort();
}

/** Where the client connects after a 227, per its profile's policy; or the refusal message. */
export function passiveTarget(profile: ClientProfile, server: Ipv4, announced: Ipv4, port: number, print: (line: string) => void): { ip: Ipv4; port: number } | { refuse: string } {
  switch (profile.pasvAddress) {
    case 'trust':
      return { ip: announced, port };
    case 'ignore':
      return { ip: server, port };
    case 'refuse-mismatch':
      return announced === server ? { ip: announced, port } : { refuse: 'Passive mode address mismatch.' };
    case 'fix-unroutable':
      if (isPrivateIpv4(announced) && !isPrivateIpv4(server)) {
        for (const l of unroutablePasvLines(profile)) print(l);
        return { ip: server, port };
      }
      return { ip: announced, port };
  }
}

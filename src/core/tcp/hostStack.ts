/**
 * The socket layer of one host: demultiplexes received packets to TCP endpoints by
 * 4-tuple, runs listeners, answers segments nobody owns with RST (as Linux does), routes
 * ICMP errors to the connection named in the quoted header, and hands out ephemeral
 * ports. Each connection is a tcpEndpoint machine on the simulated clock.
 */
import { createActor, type Actor } from 'xstate';
import { formatIpv4, type Ipv4 } from '../codec/addr';
import { decodePacket } from '../codec/packet';
import { encodeTcpPacket } from '../codec/packet';
import type { Ipv4Header } from '../codec/ipv4';
import type { IcmpMessage } from '../codec/icmp';
import { IPPROTO } from '../codec/ipv4';
import type { TcpSegment } from '../codec/tcp';
import type { Prng } from '../sim/prng';
import type { Scheduler, TimerId } from '../sim/scheduler';
import type { TraceRecorder } from '../sim/trace';
import { syncRtx, tcpEndpointMachine, type TcpEndpointEvent } from './endpoint.machine';
import type { SynSchedule } from './schedule';
import { IP_TTL, Tcb } from './tcb';
import type { ConnectError, EndpointHooks } from './types';

export type { SynSchedule } from './schedule';
export type { ConnectError } from './types';

export interface SocketHandlers {
  onConnected?(): void;
  onData?(bytes: Uint8Array): void;
  onPeerClosed?(): void;
  onClosed?(): void;
  onError?(err: ConnectError): void;
}

export interface TcpSocket {
  readonly conn: string;
  readonly localIp: Ipv4;
  readonly localPort: number;
  readonly remoteIp: Ipv4;
  readonly remotePort: number;
  send(bytes: Uint8Array): void;
  close(): void;
  abort(): void;
  setHandlers(h: SocketHandlers): void;
  readonly state: string;
}

export interface HostStackOptions {
  id: string;
  ip: Ipv4;
  scheduler: Scheduler;
  prng: Prng;
  trace: TraceRecorder;
  synSchedule: SynSchedule;
  /** tcp_syn_retries, when not the schedule's own. */
  synRetries?: number;
  transmit: (bytes: Uint8Array, meta: { conn?: string }) => void;
}

/** Linux net.ipv4.ip_local_port_range defaults. */
export const EPHEMERAL_MIN = 32768;
export const EPHEMERAL_MAX = 60999;

/** ICMP types that carry an error about a datagram we sent (unreachable, time exceeded, parameter problem). */
const ICMP_ERRORS: ReadonlySet<number> = new Set([3, 11, 12]);

const tupleKey = (localIp: number, localPort: number, remoteIp: number, remotePort: number): string => `${localIp}:${localPort}:${remoteIp}:${remotePort}`;

interface Listener {
  port: number;
  onAccept: (sock: TcpSocket) => void;
  conn?: (remoteIp: Ipv4, remotePort: number) => string;
  /** Half-open connections (SYN_RECEIVED) not yet accepted. */
  pending: Set<Socket>;
}

class Socket implements TcpSocket, EndpointHooks {
  readonly localIp: Ipv4;
  readonly localPort: number;
  readonly remoteIp: Ipv4;
  readonly remotePort: number;
  readonly key: string;
  actor!: Actor<typeof tcpEndpointMachine>;
  /** Counted in the host's tables (until its endpoint reaches CLOSED). */
  registered = false;
  /** Payload that arrived before anyone set onData. */
  private held: Uint8Array[] | null = null;

  constructor(
    private readonly stack: HostStack,
    readonly conn: string,
    readonly tcb: Tcb,
    private handlers: SocketHandlers,
    private readonly listener: Listener | null,
  ) {
    this.localIp = tcb.localIp;
    this.localPort = tcb.localPort;
    this.remoteIp = tcb.remoteIp;
    this.remotePort = tcb.remotePort;
    this.key = tupleKey(tcb.localIp, tcb.localPort, tcb.remoteIp, tcb.remotePort);
  }

  get state(): string {
    return this.tcb.state;
  }

  /** Events to a connection that has reached CLOSED are dropped, like calls on a dead fd. */
  deliver(e: TcpEndpointEvent): void {
    if (this.tcb.state !== 'CLOSED') this.actor.send(e);
  }

  /** Writes, and (Tcb.write having sent what the window allows) arms the retransmission timer. */
  send(bytes: Uint8Array): void {
    const t = this.tcb;
    if (t.write(bytes) && (t.state === 'ESTABLISHED' || t.state === 'CLOSE_WAIT')) syncRtx(t, this);
  }
  close(): void {
    this.deliver({ type: 'CLOSE' });
  }
  abort(): void {
    this.deliver({ type: 'ABORT' });
  }
  setHandlers(h: SocketHandlers): void {
    this.handlers = h;
    const held = this.held;
    if (held && h.onData) {
      this.held = null;
      for (const b of held) h.onData(b);
    }
  }

  // EndpointHooks: what the machine reports.
  established(): void {
    if (this.listener) {
      this.listener.pending.delete(this);
      this.listener.onAccept(this);
    } else this.handlers.onConnected?.();
  }
  data(bytes: Uint8Array): void {
    const on = this.handlers.onData;
    if (on) on(bytes);
    else (this.held ??= []).push(bytes.slice());
  }
  peerClosed(): void {
    this.handlers.onPeerClosed?.();
  }
  closed(): void {
    this.handlers.onClosed?.();
  }
  error(err: ConnectError): void {
    this.handlers.onError?.(err);
  }
  released(): void {
    this.listener?.pending.delete(this);
    this.stack.forget(this);
  }
  private rtxTimer: TimerId | null = null;
  get rtxArmed(): boolean {
    return this.rtxTimer !== null;
  }
  armRtx(delayMs: number): void {
    this.stopRtx();
    this.rtxTimer = this.stack.scheduler.after(delayMs * 1000, () => {
      this.rtxTimer = null;
      this.deliver({ type: 'RTO' });
    });
  }
  stopRtx(): void {
    if (this.rtxTimer === null) return;
    this.stack.scheduler.cancel(this.rtxTimer);
    this.rtxTimer = null;
  }
}

export class HostStack {
  readonly id: string;
  readonly ip: Ipv4;
  /** Packets dropped on arrival, by reason (a host counts them; nothing is traced). */
  readonly stats = { badChecksum: 0, malformed: 0, noSocket: 0, resetsSent: 0 };
  private readonly sockets = new Map<string, Socket>();
  private readonly listeners = new Map<number, Listener>();
  /** Local port → sockets using it. */
  private readonly portUse = new Map<number, number>();
  /** Timestamp offsets by address pair, and their own PRNG (forked: drawing them moves no port or ISN). */
  private readonly tsOffsets = new Map<string, number>();
  private readonly tsPrng: Prng;

  constructor(private readonly opts: HostStackOptions) {
    this.id = opts.id;
    this.ip = opts.ip;
    this.tsPrng = opts.prng.fork('tcp-timestamps');
  }

  /**
   * The TSval offset for connections between two addresses: Linux 6.x keys it on the
   * address pair (secure_tcp_ts_off, a keyed hash since 4.13), so every connection between
   * the same two hosts shares it; here a PRNG draw on the pair's first use.
   */
  tsOffsetFor(localIp: Ipv4, remoteIp: Ipv4): number {
    const key = `${localIp}>${remoteIp}`;
    let off = this.tsOffsets.get(key);
    if (off === undefined) this.tsOffsets.set(key, (off = this.tsPrng.nextU32()));
    return off;
  }

  /** The simulated clock's scheduler (its sockets' retransmission timers run on it). */
  get scheduler(): Scheduler {
    return this.opts.scheduler;
  }

  /** Open connections (any state but CLOSED), for tests and views. */
  get socketCount(): number {
    return this.sockets.size;
  }

  receive(bytes: Uint8Array): void {
    // Checksums verified here, once per delivery. The payload is a view of the packet's bytes
    // (never mutated: they are the trace's), not a copy: applications only read it, and a
    // socket that must hold it before a handler exists copies it (Socket.data).
    const p = decodePacket(bytes, { copyPayload: false });
    if (!p.ok) {
      if (p.error.kind === 'bad-checksum') this.stats.badChecksum++;
      else this.stats.malformed++;
      return;
    }
    const { ip, tcp, icmp } = p.value;
    if (tcp) this.receiveTcp(ip.header, tcp);
    else if (icmp) this.receiveIcmp(ip.header, icmp);
  }

  listen(port: number, onAccept: (sock: TcpSocket) => void, opts?: { conn?: (remoteIp: Ipv4, remotePort: number) => string }): { close(): void; readonly port: number } {
    const l: Listener = { port, onAccept, conn: opts?.conn, pending: new Set() };
    this.listeners.set(port, l);
    return {
      port,
      close: () => {
        if (this.listeners.get(port) === l) this.listeners.delete(port);
        // Half-open children vanish silently; their final ACK will meet a RST (Linux).
        for (const s of [...l.pending]) s.deliver({ type: 'DROP' });
        l.pending.clear();
      },
    };
  }

  connect(opts: { dst: Ipv4; dstPort: number; srcPort?: number; conn: string; timeoutMs?: number }, handlers: SocketHandlers): TcpSocket {
    const srcPort = opts.srcPort ?? this.ephemeralPort();
    this.evict(tupleKey(this.ip, srcPort, opts.dst, opts.dstPort));
    const tcb = this.newTcb(this.ip, srcPort, opts.dst, opts.dstPort, opts.conn);
    const sock = new Socket(this, opts.conn, tcb, handlers, null);
    this.start(sock, 'active', opts.timeoutMs);
    return sock;
  }

  ephemeralPort(): number {
    const prng = this.opts.prng;
    for (let i = 0; i < 64; i++) {
      const p = prng.intBetween(EPHEMERAL_MIN, EPHEMERAL_MAX);
      if (!this.isPortInUse(p)) return p;
    }
    // A crowded range: walk it from a random point, as __inet_hash_connect does.
    const span = EPHEMERAL_MAX - EPHEMERAL_MIN + 1;
    const from = prng.intBetween(0, span - 1);
    for (let i = 0; i < span; i++) {
      const p = EPHEMERAL_MIN + ((from + i) % span);
      if (!this.isPortInUse(p)) return p;
    }
    throw new Error(`${this.id}: no free ephemeral port (EADDRNOTAVAIL)`);
  }

  /** Is a listener bound to the port? (A server binding with SO_REUSEADDR, as vsftpd does, only collides with a listener.) */
  isListening(port: number): boolean {
    return this.listeners.has(port);
  }

  isPortInUse(port: number): boolean {
    return this.listeners.has(port) || (this.portUse.get(port) ?? 0) > 0;
  }

  /** Called by a socket whose endpoint reached CLOSED. */
  forget(sock: Socket): void {
    if (!sock.registered) return;
    sock.registered = false;
    if (this.sockets.get(sock.key) === sock) this.sockets.delete(sock.key);
    const n = (this.portUse.get(sock.localPort) ?? 1) - 1;
    if (n > 0) this.portUse.set(sock.localPort, n);
    else this.portUse.delete(sock.localPort);
  }

  // ------------------------------------------------------------------ internals

  private receiveTcp(h: Ipv4Header, seg: TcpSegment): void {
    const key = tupleKey(h.dst, seg.dstPort, h.src, seg.srcPort);
    const sock = this.sockets.get(key);
    const isSyn = seg.flags.syn && !seg.flags.ack && !seg.flags.rst;
    if (sock) {
      // A new SYN on a 4-tuple in TIME_WAIT reopens it when someone listens (tcp_timewait_state_process).
      if (!(isSyn && sock.state === 'TIME_WAIT' && this.listeners.has(seg.dstPort))) {
        sock.deliver({ type: 'SEGMENT', seg });
        return;
      }
      sock.deliver({ type: 'DROP' });
    }
    const l = isSyn ? this.listeners.get(seg.dstPort) : undefined;
    if (l) {
      this.accept(l, h, seg);
      return;
    }
    this.stats.noSocket++;
    this.resetFor(h, seg);
  }

  private accept(l: Listener, h: Ipv4Header, seg: TcpSegment): void {
    const conn = l.conn ? l.conn(h.src, seg.srcPort) : `${this.id}:${l.port}`;
    const tcb = this.newTcb(h.dst, seg.dstPort, h.src, seg.srcPort, conn);
    tcb.takePeerSyn(seg);
    tcb.state = 'LISTEN';
    const sock = new Socket(this, conn, tcb, {}, l);
    l.pending.add(sock);
    this.start(sock, 'passive');
  }

  /** Linux's tcp_v4_send_reset for a segment no socket owns; never in reply to a RST. */
  private resetFor(h: Ipv4Header, seg: TcpSegment): void {
    if (seg.flags.rst) return;
    const len = seg.payload.length + (seg.flags.syn ? 1 : 0) + (seg.flags.fin ? 1 : 0);
    const build = seg.flags.ack ? { seq: seg.ack, ack: 0, flags: { rst: true } } : { seq: 0, ack: (seg.seq + len) >>> 0, flags: { rst: true, ack: true } };
    const bytes = encodeTcpPacket(
      { src: h.dst, dst: h.src, ttl: IP_TTL, identification: 0, dontFragment: true },
      { srcPort: seg.dstPort, dstPort: seg.srcPort, window: 0, ...build },
    );
    this.stats.resetsSent++;
    this.opts.transmit(bytes, {});
  }

  private receiveIcmp(h: Ipv4Header, icmp: IcmpMessage): void {
    const o = icmp.original;
    if (!ICMP_ERRORS.has(icmp.type) || !o || o.header.protocol !== IPPROTO.TCP) return;
    if (o.srcPort === undefined || o.dstPort === undefined) return;
    const sock = this.sockets.get(tupleKey(o.header.src, o.srcPort, o.header.dst, o.dstPort));
    sock?.deliver({ type: 'ICMP', icmpType: icmp.type, code: icmp.code, from: h.src, seq: o.tcpSeq });
  }

  /** An old connection on the same 4-tuple (TIME_WAIT, typically) is forgotten silently. */
  private evict(key: string): void {
    this.sockets.get(key)?.deliver({ type: 'DROP' });
  }

  private newTcb(localIp: Ipv4, localPort: number, remoteIp: Ipv4, remotePort: number, conn: string): Tcb {
    const meta = { conn };
    const transmit = this.opts.transmit;
    return new Tcb({
      localIp,
      localPort,
      remoteIp,
      remotePort,
      iss: this.opts.prng.nextU32(),
      ipId: this.opts.prng.nextU32() & 0xffff,
      tsOffset: this.tsOffsetFor(localIp, remoteIp),
      now: () => this.opts.scheduler.now,
      transmit: (bytes) => transmit(bytes, meta),
    });
  }

  private start(sock: Socket, mode: 'active' | 'passive', connectTimeoutMs?: number): void {
    this.sockets.set(sock.key, sock);
    sock.registered = true;
    this.portUse.set(sock.localPort, (this.portUse.get(sock.localPort) ?? 0) + 1);
    const t = sock.tcb;
    sock.actor = createActor(tcpEndpointMachine, {
      clock: this.opts.scheduler.clock,
      input: {
        tcb: t,
        mode,
        synSchedule: this.opts.synSchedule,
        ...(this.opts.synRetries !== undefined ? { synRetries: this.opts.synRetries } : {}),
        connectTimeoutMs,
        hooks: sock,
        trace: this.opts.trace,
        actorId: `${this.id}/tcp ${formatIpv4(t.localIp)}:${t.localPort}→${formatIpv4(t.remoteIp)}:${t.remotePort}`,
        now: () => this.opts.scheduler.now,
      },
    });
    sock.actor.start();
  }
}

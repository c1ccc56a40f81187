/**
 * What both servers' stack tests stand on: hosts with real HostStacks on one wire (a packet
 * reaches the stack that owns its destination address after a fixed latency), the simulated
 * clock, raw control sockets that collect the replies, and data connections that collect the
 * bytes.
 */
import { parseIpv4, type Ipv4 } from '../../codec/addr';
import { Prng } from '../../sim/prng';
import { Scheduler, ms } from '../../sim/scheduler';
import { TraceRecorder } from '../../sim/trace';
import { HostStack, type TcpSocket } from '../../tcp/hostStack';

export const ip = (s: string): Ipv4 => parseIpv4(s)!;
export const enc = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
export const dec = (b: Uint8Array) => String.fromCharCode(...b);

/** The port a 227 reply names (with or without the final period). */
export const pasvPortOf = (reply: string) => {
  const m = /(\d+),(\d+)\)\.?\r\n$/.exec(reply)!;
  return Number(m[1]) * 256 + Number(m[2]);
};

/** A wire, its clock, trace and PRNG; `host` puts a stack on it, `settle` runs 50 ms. */
export function stackWire(seed: number, latencyUs = 500) {
  const scheduler = new Scheduler();
  const trace = new TraceRecorder(() => scheduler.now);
  const prng = new Prng(seed);
  const stacks = new Map<number, HostStack>();
  const dstOf = (b: Uint8Array) => ((b[16]! << 24) | (b[17]! << 16) | (b[18]! << 8) | b[19]!) >>> 0;
  const host = (id: string, addr: Ipv4) => {
    const s = new HostStack({
      id,
      ip: addr,
      scheduler,
      prng: prng.fork(id),
      trace,
      synSchedule: 'linux',
      transmit: (bytes) => {
        const to = stacks.get(dstOf(bytes));
        if (to) scheduler.after(latencyUs, () => to.receive(bytes));
      },
    });
    stacks.set(addr, s);
    return s;
  };
  const settle = () => scheduler.run({ until: scheduler.now + ms(50) });
  return { scheduler, trace, prng, host, settle };
}

/**
 * A control connection from `from` to `dst:port`: `cmd` sends a line, settles and returns
 * what came back; the socket is closed when the server closes (state.closed).
 */
export function controlSession(from: HostStack, to: { dst: Ipv4; port: number; srcPort?: number; conn: string }, settle: () => void) {
  let replies = '';
  const state = { closed: false };
  const sock: TcpSocket = from.connect(
    { dst: to.dst, dstPort: to.port, srcPort: to.srcPort, conn: to.conn },
    {
      onData: (b) => (replies += dec(b)),
      onPeerClosed: () => {
        state.closed = true;
        sock.close();
      },
    },
  );
  const cmd = (line: string): string => {
    const before = replies.length;
    sock.send(enc(`${line}\r\n`));
    settle();
    return replies.slice(before);
  };
  return { sock, cmd, replies: () => replies, state };
}

/** A data connection to `dst:port` that collects what arrives and closes when the server does. */
export function openData(from: HostStack, dst: Ipv4, port: number, conn: string) {
  const got: number[] = [];
  const state = { closed: false };
  const sock: TcpSocket = from.connect(
    { dst, dstPort: port, conn },
    {
      onData: (b) => got.push(...b),
      onPeerClosed: () => {
        state.closed = true;
        sock.close();
      },
    },
  );
  return { got, state, sock };
}

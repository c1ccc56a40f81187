/**
 * Test bench for the TCP layer: two HostStacks joined by one wire with a fixed delay each
 * way, on one Scheduler. Every packet put on the wire is recorded; a filter can drop it or
 * answer it in the middle (a firewall stand-in). Used by the tcp/hostStack tests only.
 */
import { parseIpv4, type Ipv4 } from '../codec/addr';
import { decodePacket, type DecodedPacket } from '../codec/packet';
import { Prng } from '../sim/prng';
import { Scheduler } from '../sim/scheduler';
import { TraceRecorder } from '../sim/trace';
import { HostStack } from './hostStack';
import type { SynSchedule } from './schedule';

export const CLIENT_IP = parseIpv4('192.168.1.100')!;
export const SERVER_IP = parseIpv4('203.0.113.10')!;

export interface WirePacket {
  t: number;
  from: 'client' | 'server' | 'middle';
  bytes: Uint8Array;
  conn?: string;
  dropped: boolean;
}

/** 'drop' discards the packet; a function result is delivered back to the sender instead. */
export type WireFilter = (p: WirePacket, decoded: DecodedPacket) => 'pass' | 'drop' | { reply: Uint8Array };

export interface TestNet {
  scheduler: Scheduler;
  trace: TraceRecorder;
  client: HostStack;
  server: HostStack;
  wire: WirePacket[];
  /** Decoded packets the given side sent (dropped ones included). */
  sentBy(side: 'client' | 'server'): { t: number; p: DecodedPacket; dropped: boolean }[];
}

export function makeTestNet(opts: { seed?: number; synSchedule?: SynSchedule; delayUs?: number; filter?: WireFilter } = {}): TestNet {
  const scheduler = new Scheduler();
  const trace = new TraceRecorder(() => scheduler.now);
  const prng = new Prng(opts.seed ?? 1);
  const delay = opts.delayUs ?? 1000;
  const wire: WirePacket[] = [];
  const stacks: Record<'client' | 'server', HostStack> = {} as never;
  const put = (from: 'client' | 'server', bytes: Uint8Array, conn?: string) => {
    const p: WirePacket = { t: scheduler.now, from, bytes, conn, dropped: false };
    wire.push(p);
    const to = from === 'client' ? 'server' : 'client';
    const verdict = opts.filter ? opts.filter(p, mustDecode(bytes)) : 'pass';
    if (verdict === 'drop') {
      p.dropped = true;
      return;
    }
    if (verdict !== 'pass') {
      p.dropped = true;
      wire.push({ t: scheduler.now, from: 'middle', bytes: verdict.reply, dropped: false });
      scheduler.after(delay, () => stacks[from].receive(verdict.reply));
      return;
    }
    scheduler.after(delay, () => stacks[to].receive(bytes));
  };
  const mk = (id: 'client' | 'server', ip: Ipv4) =>
    new HostStack({ id, ip, scheduler, prng: prng.fork(`tcp:${id}`), trace, synSchedule: opts.synSchedule ?? 'linux', transmit: (b, m) => put(id, b, m.conn) });
  stacks.client = mk('client', CLIENT_IP);
  stacks.server = mk('server', SERVER_IP);
  return {
    scheduler,
    trace,
    client: stacks.client,
    server: stacks.server,
    wire,
    sentBy: (side) => wire.filter((w) => w.from === side).map((w) => ({ t: w.t, p: mustDecode(w.bytes), dropped: w.dropped })),
  };
}

export function mustDecode(bytes: Uint8Array): DecodedPacket {
  const d = decodePacket(bytes);
  if (!d.ok) throw new Error(`undecodable packet on the wire: ${d.error.message}`);
  return d.value;
}

/** Deterministic test payload: byte i = (i * 31 + 7) mod 251. */
export function pattern(n: number, salt = 0): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i * 31 + 7 + salt) % 251;
  return out;
}

export function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((s, c) => s + c.length, 0));
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

import { describe, expect, it } from 'vitest';
import { makeTestNet, CLIENT_IP, SERVER_IP, pattern, concat, type TestNet } from './testNet.testkit';
import type { ConnectError, TcpSocket } from './hostStack';
import type { TraceEvent } from '../sim/trace';
import { encodeTcpPacket } from '../codec/packet';

const MS = 1000;
const S = 1_000_000;

/** RFC states an actor went through, from the trace. */
function statesOf(net: TestNet, host: string): string[] {
  const evs = net.trace.events.filter((e): e is Extract<TraceEvent, { kind: 'state' }> => e.kind === 'state' && e.actor.startsWith(`${host}/tcp`));
  return evs.length ? [evs[0]!.from, ...evs.map((e) => e.to)] : [];
}

function stateTimes(net: TestNet, host: string, to: string): number[] {
  return net.trace.events.filter((e) => e.kind === 'state' && e.actor.startsWith(`${host}/tcp`) && e.to === to).map((e) => e.t);
}

function timers(net: TestNet, host: string) {
  return net.trace.events.filter((e): e is Extract<TraceEvent, { kind: 'timer' }> => e.kind === 'timer' && e.actor.startsWith(`${host}/tcp`));
}

/** Server on port 21 that echoes nothing and closes when the client does. */
function serve(net: TestNet, onSock?: (s: TcpSocket) => void): { got: Uint8Array[]; accepted: TcpSocket[] } {
  const got: Uint8Array[] = [];
  const accepted: TcpSocket[] = [];
  net.server.listen(21, (s) => {
    accepted.push(s);
    s.setHandlers({ onData: (b) => got.push(b), onPeerClosed: () => s.close() });
    onSock?.(s);
  });
  return { got, accepted };
}

describe('three-way handshake', () => {
  it('reaches ESTABLISHED on both sides; SYN and SYN-ACK carry Linux options (MSS, SACK_PERM, TS, NOP, WS 7), later segments NOP, NOP, TS', () => {
    const net = makeTestNet();
    serve(net);
    let connectedAt = -1;
    const c = net.client.connect({ dst: SERVER_IP, dstPort: 21, conn: 'c1/control' }, { onConnected: () => (connectedAt = net.scheduler.now) });
    net.scheduler.run({ until: 10 * MS });
    expect(c.state).toBe('ESTABLISHED');
    expect(connectedAt).toBe(2 * MS); // SYN out at 0, SYN-ACK back at 2 ms
    expect(statesOf(net, 'client')).toEqual(['CLOSED', 'SYN_SENT', 'ESTABLISHED']);
    expect(statesOf(net, 'server')).toEqual(['LISTEN', 'SYN_RECEIVED', 'ESTABLISHED']);
    const [syn] = net.sentBy('client');
    const [synAck] = net.sentBy('server');
    const s = syn!.p.tcp!;
    const sa = synAck!.p.tcp!;
    expect(s.flags).toMatchObject({ syn: true, ack: false });
    const synTs = s.options[2]!.kind === 'timestamps' ? s.options[2]!.tsval : -1;
    expect(s.options).toEqual([
      { kind: 'mss', value: 1460 },
      { kind: 'sack-permitted' },
      { kind: 'timestamps', tsval: synTs, tsecr: 0 },
      { kind: 'nop' },
      { kind: 'wscale', shift: 7 },
    ]);
    // 20 bytes of options: a 40-byte TCP header, 60 bytes of IP (74 on Ethernet).
    expect(s.dataOffset * 4).toBe(40);
    expect(syn!.p.ip.header.totalLength).toBe(60);
    expect(sa.flags).toMatchObject({ syn: true, ack: true });
    const saTs = sa.options[2]!.kind === 'timestamps' ? sa.options[2]!.tsval : -1;
    // The SYN-ACK echoes the SYN's TSval; 2 ms later the server's clock is 2 ms on, from its own offset.
    expect(sa.options).toEqual([
      { kind: 'mss', value: 1460 },
      { kind: 'sack-permitted' },
      { kind: 'timestamps', tsval: saTs, tsecr: synTs },
      { kind: 'nop' },
      { kind: 'wscale', shift: 7 },
    ]);
    expect(sa.ack).toBe((s.seq + 1) >>> 0);
    const ack = net.sentBy('client')[1]!.p.tcp!;
    expect(ack.flags).toMatchObject({ syn: false, ack: true });
    expect(ack.ack).toBe((sa.seq + 1) >>> 0);
    // The client's TSval moved on by the 2 ms the handshake took; it echoes the server's.
    expect(ack.options).toEqual([{ kind: 'nop' }, { kind: 'nop' }, { kind: 'timestamps', tsval: (synTs + 2) >>> 0, tsecr: saTs }]);
    // IP as Linux sends TCP: TTL 64, DF set. Windows: SYN 64240 = 44 × 1460; SYN-ACK 65160 = 45 × 1448;
    // after the handshake scaled by 2^7: 64240 rounded up to 502 × 128 = 64256.
    expect(syn!.p.ip.header).toMatchObject({ ttl: 64, dontFragment: true });
    expect([s.window, sa.window, ack.window]).toEqual([64240, 65160, 502]);
  });

  it('a SYN without options gets a SYN-ACK with MSS only; the connection then sends no options and no scaling', () => {
    const net = makeTestNet();
    serve(net);
    net.server.receive(encodeTcpPacket({ src: CLIENT_IP, dst: SERVER_IP }, { srcPort: 5555, dstPort: 21, seq: 100, ack: 0, flags: { syn: true }, window: 8192 }));
    net.scheduler.run({ until: 10 * MS });
    const sa = net.sentBy('server')[0]!.p.tcp!;
    expect(sa.options).toEqual([{ kind: 'mss', value: 1460 }]);
    // No timestamps: the window is cut in segments of the full 1460 (44 × 1460), unscaled.
    expect(sa.window).toBe(64240);
  });

  it('data written before the handshake completes goes out after it', () => {
    const net = makeTestNet();
    const { got } = serve(net);
    const c = net.client.connect({ dst: SERVER_IP, dstPort: 21, conn: 'c' }, {});
    c.send(new TextEncoder().encode('USER anonymous\r\n'));
    net.scheduler.run({ until: 10 * MS });
    expect(new TextDecoder().decode(concat(got))).toBe('USER anonymous\r\n');
  });
});

describe('what the application sees', () => {
  it('handlers run after the state changed: ESTABLISHED in onConnected, CLOSED in onError', () => {
    const net = makeTestNet();
    serve(net);
    const seen: string[] = [];
    const c = net.client.connect({ dst: SERVER_IP, dstPort: 21, conn: 'c' }, { onConnected: () => seen.push(c.state) });
    const r = net.client.connect({ dst: SERVER_IP, dstPort: 2121, conn: 'r' }, { onError: () => seen.push(r.state) });
    net.scheduler.run({ until: 10 * MS });
    expect(seen).toEqual(['ESTABLISHED', 'CLOSED']);
  });

  it('an error handler may reconnect from the same local port at once', () => {
    const net = makeTestNet();
    serve(net);
    let second: TcpSocket | null = null;
    const first = net.client.connect(
      { dst: SERVER_IP, dstPort: 2121, srcPort: 40001, conn: 'a' },
      {
        onError: () => (second = net.client.connect({ dst: SERVER_IP, dstPort: 21, srcPort: 40001, conn: 'b' }, {})),
      },
    );
    net.scheduler.run({ until: 10 * MS });
    expect(first.state).toBe('CLOSED');
    expect(second!.state).toBe('ESTABLISHED');
    expect(net.client.isPortInUse(40001)).toBe(true);
    second!.abort();
    expect(net.client.isPortInUse(40001)).toBe(false);
  });

  it('a handshake ACK carrying data and FIN is accepted, delivered, and closes the peer side', () => {
    // Server only: its replies are recorded but not delivered, so we can play the client by hand.
    const net = makeTestNet({ filter: (p) => (p.from === 'server' ? 'drop' : 'pass') });
    const got: string[] = [];
    let peerClosed = false;
    let acc: TcpSocket | null = null;
    net.server.listen(21, (s) => {
      acc = s;
      s.setHandlers({ onData: (b) => got.push(new TextDecoder().decode(b)), onPeerClosed: () => (peerClosed = true) });
    });
    const isn = 1000;
    const mk = (seq: number, ack: number, flags: object, text = '') =>
      encodeTcpPacket({ src: CLIENT_IP, dst: SERVER_IP }, { srcPort: 5555, dstPort: 21, seq, ack, flags, window: 65535, payload: new TextEncoder().encode(text) });
    net.server.receive(mk(isn, 0, { syn: true }));
    const synAck = net.sentBy('server')[0]!.p.tcp!;
    net.server.receive(mk(isn + 1, (synAck.seq + 1) >>> 0, { ack: true, psh: true, fin: true }, 'QUIT\r\n'));
    expect(got).toEqual(['QUIT\r\n']);
    expect(peerClosed).toBe(true);
    expect(acc!.state).toBe('CLOSE_WAIT');
    const ack = net.sentBy('server')[1]!.p.tcp!;
    expect(ack.ack).toBe(isn + 1 + 6 + 1);
  });
});

describe('orderly close', () => {
  it('active closer: FIN_WAIT_1 → FIN_WAIT_2 → TIME_WAIT → CLOSED 60 s later; passive: CLOSE_WAIT → LAST_ACK → CLOSED', () => {
    const net = makeTestNet();
    serve(net);
    let closedCalls = 0;
    const c = net.client.connect({ dst: SERVER_IP, dstPort: 21, conn: 'c' }, { onConnected: () => c.close(), onClosed: () => closedCalls++ });
    net.scheduler.run();
    expect(statesOf(net, 'client')).toEqual(['CLOSED', 'SYN_SENT', 'ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2', 'TIME_WAIT', 'CLOSED']);
    expect(statesOf(net, 'server')).toEqual(['LISTEN', 'SYN_RECEIVED', 'ESTABLISHED', 'CLOSE_WAIT', 'LAST_ACK', 'CLOSED']);
    const [tw] = stateTimes(net, 'client', 'TIME_WAIT');
    const closed = stateTimes(net, 'client', 'CLOSED');
    expect(closed[closed.length - 1]! - tw!).toBe(60 * S);
    expect(timers(net, 'client').map((t) => t.name)).toEqual(['time-wait']);
    expect(closedCalls).toBe(1);
    expect(c.state).toBe('CLOSED');
    expect(net.client.socketCount).toBe(0);
    expect(net.server.socketCount).toBe(0);
    expect(net.scheduler.pending).toBe(0);
  });

  it('is still in TIME_WAIT just before 60 s', () => {
    const net = makeTestNet();
    serve(net);
    const c = net.client.connect({ dst: SERVER_IP, dstPort: 21, conn: 'c' }, { onConnected: () => c.close() });
    net.scheduler.run({ until: 60 * S });
    expect(c.state).toBe('TIME_WAIT');
    expect(net.client.isPortInUse(c.localPort)).toBe(true);
    net.scheduler.run();
    expect(c.state).toBe('CLOSED');
    expect(net.client.isPortInUse(c.localPort)).toBe(false);
  });

  it('simultaneous close goes through CLOSING on both sides', () => {
    const net = makeTestNet();
    serve(net, (s) => s.close());
    const c = net.client.connect({ dst: SERVER_IP, dstPort: 21, conn: 'c' }, { onConnected: () => net.scheduler.after(1 * MS, () => c.close()) });
    // Server closes when it accepts (t=3 ms); client closes at t=3 ms too: FINs cross.
    net.scheduler.run();
    expect(statesOf(net, 'client')).toContain('CLOSING');
    expect(statesOf(net, 'server')).toContain('CLOSING');
    expect(statesOf(net, 'client').slice(-2)).toEqual(['TIME_WAIT', 'CLOSED']);
    expect(statesOf(net, 'server').slice(-2)).toEqual(['TIME_WAIT', 'CLOSED']);
  });

  it('half-close: data sent after the peer closed still arrives', () => {
    const net = makeTestNet();
    const got: Uint8Array[] = [];
    net.server.listen(21, (s) => s.setHandlers({ onPeerClosed: () => (s.send(pattern(3000)), s.close()) }));
    const c = net.client.connect({ dst: SERVER_IP, dstPort: 21, conn: 'c' }, { onConnected: () => c.close(), onData: (b) => got.push(b) });
    net.scheduler.run();
    expect(concat(got)).toEqual(pattern(3000));
    expect(statesOf(net, 'client')).toEqual(['CLOSED', 'SYN_SENT', 'ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2', 'TIME_WAIT', 'CLOSED']);
  });

  it('a lost FIN is retransmitted on the RTO', () => {
    let dropped = false;
    const net = makeTestNet({
      filter: (p, d) => {
        if (p.from === 'client' && d.tcp?.flags.fin && !dropped) return ((dropped = true), 'drop');
        return 'pass';
      },
    });
    serve(net);
    const c = net.client.connect({ dst: SERVER_IP, dstPort: 21, conn: 'c' }, { onConnected: () => c.close() });
    net.scheduler.run();
    const fins = net.sentBy('client').filter((x) => x.p.tcp!.flags.fin);
    expect(fins.length).toBe(2);
    expect(fins[1]!.t - fins[0]!.t).toBe(1 * S);
    expect(timers(net, 'client')[0]!.name).toBe('rto');
    expect(statesOf(net, 'server')).toContain('LAST_ACK');
    expect(c.state).toBe('CLOSED');
  });
});

describe('SYN retransmission and connect time-outs', () => {
  const blackHole = { filter: () => 'drop' as const };
  const SCHEDULES = [
    // [schedule, SYN send times (s), ETIMEDOUT at (s)] — see schedule.ts for the kernel rule.
    ['linux', [0, 1, 2, 3, 4, 5, 7, 11, 19, 35, 67], 131],
    ['exponential', [0, 1, 3, 7, 15, 31, 63], 127],
  ] as const;
  for (const [schedule, times, giveUp] of SCHEDULES) {
    it(`${schedule}: ${times.length} SYNs at ${times.join(', ')} s, then ETIMEDOUT at ${giveUp} s`, () => {
      const net = makeTestNet({ ...blackHole, synSchedule: schedule });
      let err: ConnectError | null = null;
      let errAt = -1;
      const c = net.client.connect({ dst: SERVER_IP, dstPort: 21, conn: 'c' }, { onError: (e) => ((err = e), (errAt = net.scheduler.now)) });
      net.scheduler.run();
      const syns = net.sentBy('client');
      expect(syns.every((s) => s.p.tcp!.flags.syn && !s.p.tcp!.flags.ack)).toBe(true);
      expect(syns.map((s) => s.t)).toEqual(times.map((t) => t * S));
      // Every retransmission repeats the same ISN.
      expect(new Set(syns.map((s) => s.p.tcp!.seq)).size).toBe(1);
      expect(err).toEqual({ kind: 'timeout', synCount: times.length, elapsedUs: giveUp * S });
      expect(errAt).toBe(giveUp * S);
      expect(c.state).toBe('CLOSED');
      const notes = timers(net, 'client').map((t) => t.note);
      expect(notes.slice(0, 3)).toEqual(['SYN retransmission #1', 'SYN retransmission #2', 'SYN retransmission #3']);
      expect(notes.length).toBe(times.length);
      expect(timers(net, 'client').at(-1)!.name).toBe('syn-timeout');
    });
  }

  it("the client's own connect time-out fires first", () => {
    const net = makeTestNet(blackHole);
    let err: ConnectError | null = null;
    const c = net.client.connect({ dst: SERVER_IP, dstPort: 21, conn: 'c', timeoutMs: 3000 }, { onError: (e) => (err = e) });
    net.scheduler.run();
    expect(err).toEqual({ kind: 'client-timeout', elapsedUs: 3 * S });
    // SYNs at 0, 1, 2 s; the one due at 3 s is not sent (the time-out was armed first).
    expect(net.sentBy('client').map((s) => s.t)).toEqual([0, 1 * S, 2 * S]);
    expect(c.state).toBe('CLOSED');
    expect(net.scheduler.now).toBe(3 * S);
    expect(net.scheduler.pending).toBe(0);
  });

  it('a connect time-out does not fire once connected', () => {
    const net = makeTestNet();
    serve(net);
    let err: ConnectError | null = null;
    const c = net.client.connect({ dst: SERVER_IP, dstPort: 21, conn: 'c', timeoutMs: 3000 }, { onError: (e) => (err = e) });
    net.scheduler.run({ until: 10 * S });
    expect(err).toBeNull();
    expect(c.state).toBe('ESTABLISHED');
  });

  it('SYN-ACKs are retransmitted at 1, 3, 7, 15, 31 s and the half-open connection dropped at 63 s', () => {
    // The client's handshake ACK never arrives: the server keeps repeating its SYN-ACK.
    const net = makeTestNet({ filter: (p, d) => (p.from === 'client' && !d.tcp?.flags.syn ? 'drop' : 'pass') });
    let accepted = 0;
    net.server.listen(21, () => accepted++);
    net.client.connect({ dst: SERVER_IP, dstPort: 21, conn: 'c' }, {});
    net.scheduler.run({ until: 100 * S });
    const synAcks = net.sentBy('server').filter((s) => s.p.tcp!.flags.syn);
    expect(synAcks.map((s) => s.t - 1 * MS)).toEqual([0, 1, 3, 7, 15, 31].map((t) => t * S));
    expect(accepted).toBe(0);
    expect(statesOf(net, 'server')).toEqual(['LISTEN', 'SYN_RECEIVED', 'CLOSED']);
    expect(stateTimes(net, 'server', 'CLOSED')).toEqual([63 * S + 1 * MS]);
    expect(timers(net, 'server').at(-1)!.name).toBe('synack-timeout');
  });
});

describe('resets', () => {
  it('a RST on an established connection reports reset', () => {
    const net = makeTestNet();
    serve(net, (s) => net.scheduler.after(5 * MS, () => s.abort()));
    let err: ConnectError | null = null;
    const c = net.client.connect({ dst: SERVER_IP, dstPort: 21, conn: 'c' }, { onError: (e) => (err = e) });
    net.scheduler.run();
    expect(err).toEqual({ kind: 'reset' });
    expect(c.state).toBe('CLOSED');
    const rst = net.sentBy('server').find((s) => s.p.tcp!.flags.rst)!;
    expect(rst.p.tcp!.flags.ack).toBe(true);
    expect(statesOf(net, 'server').slice(-1)).toEqual(['CLOSED']);
    expect(net.client.socketCount + net.server.socketCount).toBe(0);
  });

  it('a RST outside the receive window is ignored', () => {
    const net = makeTestNet();
    serve(net);
    let err: ConnectError | null = null;
    const c = net.client.connect({ dst: SERVER_IP, dstPort: 21, conn: 'c' }, { onError: (e) => (err = e) });
    net.scheduler.run({ until: 10 * MS });
    const synAck = net.sentBy('server')[0]!.p.tcp!;
    // Forge a RST from the server with a sequence number far from RCV.NXT.
    net.client.receive(forgeRst(c, (synAck.seq + 1 + 1_000_000) >>> 0));
    net.scheduler.run({ until: 20 * MS });
    expect(err).toBeNull();
    expect(c.state).toBe('ESTABLISHED');
  });
});

describe('data retransmission', () => {
  it('a lost data segment is resent after the 1 s RTO and the transfer completes', () => {
    let n = 0;
    const net = makeTestNet({
      filter: (p, d) => (p.from === 'client' && d.tcp!.payload.length > 0 && ++n === 5 ? 'drop' : 'pass'),
    });
    const { got } = serve(net);
    const data = pattern(100_000);
    const c = net.client.connect({ dst: SERVER_IP, dstPort: 21, conn: 'c' }, { onConnected: () => (c.send(data), c.close()) });
    net.scheduler.run();
    expect(concat(got)).toEqual(data);
    const segs = net.sentBy('client').filter((s) => s.p.tcp!.payload.length > 0);
    const lost = segs[4]!;
    const resend = segs.find((s, i) => i > 4 && s.p.tcp!.seq === lost.p.tcp!.seq)!;
    expect(resend).toBeDefined();
    expect(resend.t - lost.t).toBeGreaterThanOrEqual(1 * S);
    expect(resend.t - lost.t).toBeLessThan(1 * S + 10 * MS);
    expect(timers(net, 'client').filter((t) => t.name === 'rto').length).toBe(1);
    expect(c.state).toBe('CLOSED');
  });

  it('data beyond a lost segment is answered by a duplicate ACK whose SACK block names it; TSecr echoes the peer’s latest in-order TSval', () => {
    let n = 0;
    const net = makeTestNet({
      filter: (p, d) => (p.from === 'client' && d.tcp!.payload.length > 0 && ++n === 5 ? 'drop' : 'pass'),
    });
    serve(net);
    const data = pattern(20_000);
    const c = net.client.connect({ dst: SERVER_IP, dstPort: 21, conn: 'c' }, { onConnected: () => (c.send(data), c.close()) });
    net.scheduler.run();
    const segs = net.sentBy('client').filter((s) => s.p.tcp!.payload.length > 0);
    const lost = segs[4]!.p.tcp!;
    const next = segs[5]!.p.tcp!;
    const dup = net.sentBy('server').find((s) => s.p.tcp!.options.some((o) => o.kind === 'sack'))!.p.tcp!;
    // Cumulative ACK stays at the lost segment; the block is the segment that came after it.
    expect(dup.ack).toBe(lost.seq);
    expect(dup.options.slice(3)).toEqual([{ kind: 'nop' }, { kind: 'nop' }, { kind: 'sack', blocks: [{ left: next.seq, right: (next.seq + 1448) >>> 0 }] }]);
    expect(dup.dataOffset * 4).toBe(20 + 12 + 12);
    // Its TSecr is the TSval of the last segment received in order (segment 4), not of the one beyond the gap.
    const tsOf = (t: typeof lost) => t.options.find((o) => o.kind === 'timestamps') as { tsval: number; tsecr: number };
    expect(tsOf(dup).tsecr).toBe(tsOf(segs[3]!.p.tcp!).tsval);
  });

  it('gives up with reset after 15 time-outs when the peer vanishes', () => {
    let cut = false;
    const net = makeTestNet({ filter: () => (cut ? 'drop' : 'pass') });
    serve(net);
    let err: ConnectError | null = null;
    const c = net.client.connect({ dst: SERVER_IP, dstPort: 21, conn: 'c' }, { onError: (e) => (err = e) });
    net.scheduler.run({ until: 10 * MS });
    cut = true;
    c.send(pattern(100));
    net.scheduler.run();
    expect(err).toEqual({ kind: 'reset' });
    const sends = net.sentBy('client').filter((s) => s.p.tcp!.payload.length > 0);
    expect(sends.length).toBe(16); // original + 15 retransmissions
    const gaps = sends.slice(1).map((s, i) => (s.t - sends[i]!.t) / S);
    expect(gaps.slice(0, 8)).toEqual([1, 2, 4, 8, 16, 32, 64, 120]);
  });
});

function forgeRst(c: TcpSocket, seq: number): Uint8Array {
  return encodeTcpPacket({ src: c.remoteIp, dst: c.localIp, ttl: 64 }, { srcPort: c.remotePort, dstPort: c.localPort, seq, ack: 0, flags: { rst: true }, window: 0 });
}

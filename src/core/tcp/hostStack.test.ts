import { describe, expect, it } from 'vitest';
import { parseIpv4 } from '../codec/addr';
import { encodeIcmpPacket, encodeTcpPacket } from '../codec/packet';
import { encodeIcmpError, ICMP_TYPE, UNREACH_CODE } from '../codec/icmp';
import { tcpChecksumOf, type TcpOption } from '../codec/tcp';
import { Prng } from '../sim/prng';
import { Scheduler } from '../sim/scheduler';
import { TraceRecorder } from '../sim/trace';
import { EPHEMERAL_MAX, EPHEMERAL_MIN, HostStack, type ConnectError, type TcpSocket } from './hostStack';
import { CLIENT_IP, concat, makeTestNet, pattern, SERVER_IP, type TestNet, type WireFilter } from './testNet.testkit';

const MS = 1000;
const S = 1_000_000;
const ROUTER_IP = parseIpv4('198.51.100.1')!;

/** Client sends `up` bytes, server sends `down` bytes, then both close. */
function transfer(net: TestNet, up: Uint8Array, down: Uint8Array) {
  const atServer: Uint8Array[] = [];
  const atClient: Uint8Array[] = [];
  net.server.listen(21, (s) => {
    s.setHandlers({ onData: (b) => atServer.push(b), onPeerClosed: () => s.close() });
    s.send(down);
  });
  const c = net.client.connect({ dst: SERVER_IP, dstPort: 21, conn: 'c1/data1' }, { onConnected: () => (c.send(up), c.close()), onData: (b) => atClient.push(b) });
  net.scheduler.run();
  return { atServer: concat(atServer), atClient: concat(atClient), c };
}

/** -1 when equal; else the first index that differs (vitest's deep equality is slow on 1 MB). */
function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

/** An ICMP error from the router quoting `original`, addressed to its sender. */
function icmpFromRouter(original: Uint8Array, type: number, code: number): Uint8Array {
  return encodeIcmpPacket({ src: ROUTER_IP, dst: CLIENT_IP, ttl: 64, dontFragment: false }, encodeIcmpError(type, code, original));
}

describe('data transfer', () => {
  it('1 MB up and 10 KB down arrive intact, in segments of at most MSS − timestamps (1460 − 12 = 1448), every checksum valid', () => {
    const net = makeTestNet();
    const up = pattern(1_000_000);
    const down = pattern(10_000, 3);
    const r = transfer(net, up, down);
    expect(firstDifference(r.atServer, up)).toBe(-1);
    expect(firstDifference(r.atClient, down)).toBe(-1);
    for (const side of ['client', 'server'] as const) {
      for (const { p } of net.sentBy(side)) {
        expect(p.tcp!.payload.length).toBeLessThanOrEqual(1448);
        if (!p.tcp!.flags.syn) expect(p.tcp!.dataOffset * 4, 'NOP, NOP, TS after the handshake').toBe(32);
        expect(tcpChecksumOf(p.ip.payload, p.ip.header.src, p.ip.header.dst)).toBe(0);
      }
    }
    const upSegs = net.sentBy('client').filter((x) => x.p.tcp!.payload.length > 0);
    // 1,000,000 = 690 × 1448 + 880: 691 segments, all full but the last.
    expect(upSegs.length).toBe(Math.ceil(1_000_000 / 1448));
    expect(upSegs.filter((x) => x.p.tcp!.payload.length === 1448).length).toBe(690);
    // PSH only on the segment that ends the write.
    expect(upSegs.filter((x) => x.p.tcp!.flags.psh).length).toBe(1);
    expect(upSegs.at(-1)!.p.tcp!.flags.psh).toBe(true);
    // Every data segment is acknowledged at once (no delayed ACK): one ACK per segment.
    const serverAcks = net.sentBy('server').filter((x) => x.p.tcp!.payload.length === 0 && !x.p.tcp!.flags.syn && !x.p.tcp!.flags.fin);
    expect(serverAcks.length).toBeGreaterThanOrEqual(upSegs.length);
  });

  it('never has more than the peer window (510 × 128 = 65280 after scaling) in flight', () => {
    const net = makeTestNet();
    transfer(net, pattern(300_000), new Uint8Array(0));
    // Bytes in flight at each send = highest byte sent − highest ACK the client had received
    // by then (ACKs take 1 ms to arrive).
    let maxEnd = 0;
    let acked = 0;
    const acks = net.sentBy('server').map((x) => ({ at: x.t + 1 * MS, ack: x.p.tcp!.ack }));
    const base = (net.sentBy('client')[0]!.p.tcp!.seq + 1) >>> 0;
    let i = 0;
    for (const { t, p } of net.sentBy('client')) {
      while (i < acks.length && acks[i]!.at <= t) acked = Math.max(acked, (acks[i++]!.ack - base) >>> 0);
      if (p.tcp!.payload.length === 0) continue;
      maxEnd = Math.max(maxEnd, ((p.tcp!.seq - base) >>> 0) + p.tcp!.payload.length);
      expect(maxEnd - acked).toBeLessThanOrEqual(65280);
    }
    // The server's window field is 510, read ×2^7.
    expect(net.sentBy('server').at(-1)!.p.tcp!.window).toBe(510);
  });

  it('slow start: 10 segments in the first flight (initial congestion window), doubling each round trip up to the peer window', () => {
    const net = makeTestNet();
    transfer(net, pattern(300_000), new Uint8Array(0));
    const data = net.sentBy('client').filter((x) => x.p.tcp!.payload.length > 0);
    const flights = new Map<number, number>();
    for (const d of data) flights.set(d.t, (flights.get(d.t) ?? 0) + 1);
    const sizes = [...flights.values()];
    // The ACKs of a flight arrive together one round trip later: each releases its segment and
    // adds one, so the flight doubles (10, 20, 40) until the peer's window caps it at
    // 45 segments (45 × 1448 = 65160 ≤ 65280 < 46 × 1448).
    expect(sizes.slice(0, 5)).toEqual([10, 20, 40, 45, 45]);
  });

  it('TSval: the millisecond clock plus one offset per address pair, shared by every connection between the two hosts', () => {
    const net = makeTestNet();
    net.server.listen(21, () => {});
    net.client.connect({ dst: SERVER_IP, dstPort: 21, conn: 'a' }, {});
    net.scheduler.run({ until: 5 * MS });
    net.scheduler.after(1234 * MS, () => net.client.connect({ dst: SERVER_IP, dstPort: 21, conn: 'b' }, {}));
    net.scheduler.run({ until: 2 * S });
    const tsval = (p: { p: { tcp?: { options: TcpOption[] } } }) => (p.p.tcp!.options.find((o) => o.kind === 'timestamps') as { tsval: number }).tsval;
    const syns = net.sentBy('client').filter((x) => x.p.tcp!.flags.syn);
    expect(syns).toHaveLength(2);
    // Same pair, same offset: the second SYN's TSval is the first's plus the 1,239 ms between them.
    expect((tsval(syns[1]!) - tsval(syns[0]!)) >>> 0).toBe(Math.floor(syns[1]!.t / MS) - Math.floor(syns[0]!.t / MS));
    expect(tsval(syns[0]!)).toBe(net.client.tsOffsetFor(CLIENT_IP, SERVER_IP));
    // The other direction has its own offset (the server's, drawn from its own PRNG).
    expect(net.server.tsOffsetFor(SERVER_IP, CLIENT_IP)).not.toBe(net.client.tsOffsetFor(CLIENT_IP, SERVER_IP));
  });

  it('several writes: PSH closes each, bytes arrive in order', () => {
    const net = makeTestNet();
    const got: Uint8Array[] = [];
    net.server.listen(21, (s) => {
      for (const line of ['220 (vsFTPd 3.0.3)\r\n', '331 Please specify the password.\r\n']) s.send(new TextEncoder().encode(line));
    });
    net.client.connect({ dst: SERVER_IP, dstPort: 21, conn: 'c' }, { onData: (b) => got.push(b) });
    net.scheduler.run({ until: 10 * MS });
    expect(new TextDecoder().decode(concat(got))).toBe('220 (vsFTPd 3.0.3)\r\n331 Please specify the password.\r\n');
    const data = net.sentBy('server').filter((x) => x.p.tcp!.payload.length > 0);
    expect(data.length).toBe(2);
    expect(data.every((x) => x.p.tcp!.flags.psh)).toBe(true);
  });

  it('data that arrives before setHandlers is held and handed over', () => {
    const net = makeTestNet();
    let accepted: TcpSocket | null = null;
    net.server.listen(21, (s) => (accepted = s));
    const c = net.client.connect({ dst: SERVER_IP, dstPort: 21, conn: 'c' }, { onConnected: () => c.send(pattern(100)) });
    net.scheduler.run({ until: 10 * MS });
    const got: Uint8Array[] = [];
    accepted!.setHandlers({ onData: (b) => got.push(b) });
    expect(concat(got)).toEqual(pattern(100));
  });

  it('a segment with a bad checksum is dropped and counted; the retransmission repairs it', () => {
    let n = 0;
    const corrupt: WireFilter = (p, d) => {
      if (p.from === 'client' && d.tcp!.payload.length > 0 && ++n === 2) p.bytes[p.bytes.length - 1]! ^= 0xff;
      return 'pass';
    };
    const net = makeTestNet({ filter: corrupt });
    const up = pattern(10_000);
    const r = transfer(net, up, new Uint8Array(0));
    expect(net.server.stats.badChecksum).toBe(1);
    expect(r.atServer).toEqual(up);
  });
});

describe('connection refused', () => {
  it('a SYN to a closed port gets RST/ACK (seq 0, ack ISN+1) and connect fails within one RTT', () => {
    const net = makeTestNet();
    let err: ConnectError | null = null;
    let at = -1;
    const c = net.client.connect({ dst: SERVER_IP, dstPort: 2121, conn: 'c' }, { onError: (e) => ((err = e), (at = net.scheduler.now)) });
    net.scheduler.run();
    expect(err).toEqual({ kind: 'refused' });
    expect(at).toBe(2 * MS);
    const syn = net.sentBy('client')[0]!.p.tcp!;
    const [rst] = net.sentBy('server');
    expect(rst!.p.tcp!.flags).toMatchObject({ rst: true, ack: true, syn: false });
    expect(rst!.p.tcp!.seq).toBe(0);
    expect(rst!.p.tcp!.ack).toBe((syn.seq + 1) >>> 0);
    expect(rst!.p.tcp!.window).toBe(0);
    expect(net.server.stats.noSocket).toBe(1);
    expect(net.sentBy('client').length).toBe(1);
    expect(c.state).toBe('CLOSED');
  });

  it('a stray ACK to a closed port gets a bare RST at its ack number; a stray RST gets nothing', () => {
    const net = makeTestNet();
    const ack = encodeTcpPacket({ src: CLIENT_IP, dst: SERVER_IP }, { srcPort: 40000, dstPort: 21, seq: 5, ack: 123456, flags: { ack: true }, window: 100 });
    net.server.receive(ack);
    const rstIn = encodeTcpPacket({ src: CLIENT_IP, dst: SERVER_IP }, { srcPort: 40000, dstPort: 21, seq: 5, ack: 0, flags: { rst: true }, window: 0 });
    net.server.receive(rstIn);
    const out = net.sentBy('server');
    expect(out.length).toBe(1);
    expect(out[0]!.p.tcp!.flags).toMatchObject({ rst: true, ack: false });
    expect(out[0]!.p.tcp!.seq).toBe(123456);
  });
});

describe('ICMP errors', () => {
  const rejectSyn =
    (type: number, code: number): WireFilter =>
    (p, d) =>
      p.from === 'client' && d.tcp?.flags.syn ? { reply: icmpFromRouter(p.bytes, type, code) } : 'pass';

  it('host-prohibited aborts a pending connect at once with the ICMP details', () => {
    const net = makeTestNet({ filter: rejectSyn(ICMP_TYPE.DEST_UNREACH, UNREACH_CODE.HOST_PROHIBITED) });
    net.server.listen(21, () => {});
    let err: ConnectError | null = null;
    let at = -1;
    const c = net.client.connect({ dst: SERVER_IP, dstPort: 21, conn: 'c' }, { onError: (e) => ((err = e), (at = net.scheduler.now)) });
    net.scheduler.run();
    expect(err).toEqual({ kind: 'icmp', type: 3, code: 10, from: ROUTER_IP });
    expect(at).toBe(1 * MS);
    expect(net.sentBy('client').length).toBe(1);
    expect(c.state).toBe('CLOSED');
  });

  // tcp_v4_err: in SYN_SENT every unreachable code but fragmentation-needed is final.
  const CASES = [
    { type: 3, code: UNREACH_CODE.PORT, aborts: true }, // REJECT default (icmp-port-unreachable)
    { type: 3, code: UNREACH_CODE.NET, aborts: true }, // router without a route
    { type: 3, code: UNREACH_CODE.HOST, aborts: true },
    { type: 3, code: UNREACH_CODE.ADMIN_PROHIBITED, aborts: true },
    { type: 11, code: 0, aborts: true }, // TTL exceeded (routing loop)
    { type: 3, code: UNREACH_CODE.FRAG_NEEDED, aborts: false }, // path MTU, not an error
    { type: 4, code: 0, aborts: false }, // source quench: ignored
  ];
  for (const c of CASES) {
    it(`type ${c.type} code ${c.code} ${c.aborts ? 'aborts' : 'does not abort'} a connect`, () => {
      let once = false;
      const net = makeTestNet({
        filter: (p, d) => (p.from === 'client' && d.tcp?.flags.syn && !once ? ((once = true), { reply: icmpFromRouter(p.bytes, c.type, c.code) }) : 'pass'),
      });
      net.server.listen(21, () => {});
      let err: ConnectError | null = null;
      const sock = net.client.connect({ dst: SERVER_IP, dstPort: 21, conn: 'c' }, { onError: (e) => (err = e) });
      net.scheduler.run({ until: 5 * S });
      if (c.aborts) expect(err).toEqual({ kind: 'icmp', type: c.type, code: c.code, from: ROUTER_IP });
      else {
        expect(err).toBeNull();
        expect(sock.state).toBe('ESTABLISHED'); // the SYN retransmitted at 1 s got through
      }
    });
  }

  it('an ICMP error about an established connection is ignored (soft error)', () => {
    const net = makeTestNet();
    net.server.listen(21, () => {});
    let err: ConnectError | null = null;
    const c = net.client.connect({ dst: SERVER_IP, dstPort: 21, conn: 'c' }, { onError: (e) => (err = e) });
    net.scheduler.run({ until: 10 * MS });
    const firstSegment = net.wire[0]!.bytes;
    net.client.receive(icmpFromRouter(firstSegment, 3, UNREACH_CODE.PORT));
    net.scheduler.run({ until: 20 * MS });
    expect(err).toBeNull();
    expect(c.state).toBe('ESTABLISHED');
  });

  it('an ICMP error quoting another sequence number than our SYN is ignored', () => {
    const net = makeTestNet({ filter: () => 'drop' });
    let err: ConnectError | null = null;
    net.client.connect({ dst: SERVER_IP, dstPort: 21, conn: 'c' }, { onError: (e) => (err = e) });
    const syn = net.wire[0]!.bytes.slice();
    syn[24] = syn[24]! ^ 0x40; // change the quoted TCP sequence number
    net.client.receive(icmpFromRouter(syn, 3, UNREACH_CODE.HOST_PROHIBITED));
    expect(err).toBeNull();
  });
});

describe('listeners and labels', () => {
  it('accept fires on ESTABLISHED; conn labels ride in transmit meta', () => {
    const net = makeTestNet();
    const accepted: TcpSocket[] = [];
    net.server.listen(20, (s) => accepted.push(s), { conn: (ip, port) => `c1/data-from-${port}` });
    net.server.listen(21, (s) => accepted.push(s));
    const a = net.client.connect({ dst: SERVER_IP, dstPort: 20, conn: 'c1/data1' }, {});
    net.client.connect({ dst: SERVER_IP, dstPort: 21, conn: 'c1/control' }, {});
    net.scheduler.run({ until: 10 * MS });
    expect(accepted.map((s) => s.state)).toEqual(['ESTABLISHED', 'ESTABLISHED']);
    expect(accepted[0]!.conn).toBe(`c1/data-from-${a.localPort}`);
    expect(accepted[1]!.conn).toBe('server:21');
    expect(accepted[0]).toMatchObject({ localIp: SERVER_IP, localPort: 20, remoteIp: CLIENT_IP, remotePort: a.localPort });
    const labels = new Set(net.wire.map((w) => `${w.from} ${w.conn}`));
    expect(labels).toEqual(new Set(['client c1/data1', 'client c1/control', `server c1/data-from-${a.localPort}`, 'server server:21']));
  });

  it('a closed listener drops its half-open connections; their ACK then meets a RST', () => {
    // Hold the client's handshake ACK back until the listener is gone.
    let hold: Uint8Array | null = null;
    const net = makeTestNet({ filter: (p, d) => (p.from === 'client' && !d.tcp!.flags.syn && !hold ? ((hold = p.bytes), 'drop') : 'pass') });
    let accepted = 0;
    const l = net.server.listen(21, () => accepted++);
    let err: ConnectError | null = null;
    net.client.connect({ dst: SERVER_IP, dstPort: 21, conn: 'c' }, { onError: (e) => (err = e) });
    net.scheduler.run({ until: 10 * MS });
    expect(net.server.socketCount).toBe(1);
    l.close();
    expect(net.server.socketCount).toBe(0);
    expect(net.server.isPortInUse(21)).toBe(false);
    net.server.receive(hold!);
    net.scheduler.run({ until: 20 * MS });
    expect(accepted).toBe(0);
    expect(err).toEqual({ kind: 'reset' });
  });

  it('a new SYN on a 4-tuple in TIME_WAIT opens a new connection when someone listens', () => {
    const net = makeTestNet();
    let accepted = 0;
    net.server.listen(21, (s) => (accepted++, s.close()));
    const first = net.client.connect({ dst: SERVER_IP, dstPort: 21, srcPort: 40000, conn: 'a' }, {});
    net.scheduler.run({ until: 1 * S });
    // The server closed first, so the server side sits in TIME_WAIT.
    first.close();
    net.scheduler.run({ until: 2 * S });
    const serverStates = net.trace.events.filter((e) => e.kind === 'state' && e.actor.startsWith('server/tcp')).map((e) => (e.kind === 'state' ? e.to : ''));
    expect(serverStates.at(-1)).toBe('TIME_WAIT');
    net.scheduler.run({ until: 70 * S }); // client side finished its LAST_ACK long ago
    const second = net.client.connect({ dst: SERVER_IP, dstPort: 21, srcPort: 40000, conn: 'b' }, {});
    net.scheduler.run({ until: 71 * S });
    expect(accepted).toBe(2);
    expect(['ESTABLISHED', 'CLOSE_WAIT']).toContain(second.state);
  });
});

describe('ports', () => {
  const mkStack = (seed: number) => {
    const scheduler = new Scheduler();
    return new HostStack({
      id: 'h',
      ip: CLIENT_IP,
      scheduler,
      prng: new Prng(seed),
      trace: new TraceRecorder(() => scheduler.now),
      synSchedule: 'linux',
      transmit: () => {},
    });
  };

  it('ephemeral ports come from 32768–60999 and skip ports in use', () => {
    const h = mkStack(9);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const p = h.ephemeralPort();
      expect(p).toBeGreaterThanOrEqual(EPHEMERAL_MIN);
      expect(p).toBeLessThanOrEqual(EPHEMERAL_MAX);
      expect(h.isPortInUse(p)).toBe(false);
      h.listen(p, () => {});
      seen.add(p);
    }
    expect(seen.size).toBe(2000);
  });

  it('the same seed gives the same ports', () => {
    const a = mkStack(5);
    const b = mkStack(5);
    expect([1, 2, 3].map(() => a.ephemeralPort())).toEqual([1, 2, 3].map(() => b.ephemeralPort()));
  });

  it('a connection holds its local port until CLOSED', () => {
    const net = makeTestNet({ filter: () => 'drop' });
    const c = net.client.connect({ dst: SERVER_IP, dstPort: 21, conn: 'c', timeoutMs: 1500 }, {});
    expect(net.client.isPortInUse(c.localPort)).toBe(true);
    net.scheduler.run();
    expect(net.client.isPortInUse(c.localPort)).toBe(false);
  });
});

describe('determinism', () => {
  const run = (seed: number) => {
    let n = 0;
    const net = makeTestNet({ seed, filter: (p, d) => (p.from === 'client' && d.tcp!.payload.length > 0 && ++n === 3 ? 'drop' : 'pass') });
    transfer(net, pattern(50_000), pattern(5_000, 1));
    return net;
  };

  it('same seed → identical bytes of every segment, at identical times', () => {
    const a = run(42);
    const b = run(42);
    expect(a.wire.length).toBe(b.wire.length);
    a.wire.forEach((w, i) => {
      expect(w.t).toBe(b.wire[i]!.t);
      expect(firstDifference(w.bytes, b.wire[i]!.bytes)).toBe(-1);
    });
    expect(a.trace.events.filter((e) => e.kind !== 'send')).toEqual(b.trace.events.filter((e) => e.kind !== 'send'));
  });

  it('another seed → other ISNs and ports', () => {
    const a = run(42).sentBy('client')[0]!.p.tcp!;
    const b = run(43).sentBy('client')[0]!.p.tcp!;
    expect(a.seq).not.toBe(b.seq);
    expect(a.srcPort).not.toBe(b.srcPort);
  });
});

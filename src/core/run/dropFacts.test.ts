/**
 * Every drop the network decides without a firewall carries its facts as fields, set where it
 * is decided (network.ts): the address with no route, the next hop nobody answers ARP for, the
 * address a host is not, the port nothing listens on at a router, the TTL. The trace's
 * `reason` is the sentence built from them with the device's id.
 */
import { describe, expect, it } from 'vitest';
import { parseCidr, parseIpv4, type Cidr, type Ipv4 } from '../codec/addr';
import { encodeTcpPacket } from '../codec/packet';
import { Scheduler } from '../sim/scheduler';
import { TraceRecorder, type TraceEvent } from '../sim/trace';
import { Network, type DeviceSpec, type IfaceSpec } from './network';

const ip = (s: string) => parseIpv4(s) as Ipv4;
const cidr = (s: string) => parseCidr(s) as Cidr;
const iface = (name: string, addr: string, net: string, segment: string): IfaceSpec => ({ name, ip: ip(addr), prefix: cidr(net).prefix, network: cidr(net), segment });

/**
 * lan 10.0.0.0/24: host `a` (.1, default route via .2, which is host `b`, not a router), host
 * `b` (.2, no routes), router `r` (.254, also 10.1.0.254 on `far`, no routes beyond the two),
 * host `c` on `far` (.1, default route via `r`).
 */
function lab() {
  const scheduler = new Scheduler();
  const trace = new TraceRecorder(() => scheduler.now);
  const specs: DeviceSpec[] = [
    { id: 'a', kind: 'host', ifaces: [iface('eth0', '10.0.0.1', '10.0.0.0/24', 'lan')], routes: [{ to: cidr('0.0.0.0/0'), via: ip('10.0.0.2'), dev: null }], netfilter: null },
    { id: 'b', kind: 'host', ifaces: [iface('eth0', '10.0.0.2', '10.0.0.0/24', 'lan')], routes: [], netfilter: null },
    {
      id: 'r',
      kind: 'router',
      ifaces: [iface('eth0', '10.0.0.254', '10.0.0.0/24', 'lan'), iface('eth1', '10.1.0.254', '10.1.0.0/24', 'far')],
      routes: [],
      netfilter: null,
    },
    { id: 'c', kind: 'host', ifaces: [iface('eth0', '10.1.0.1', '10.1.0.0/24', 'far')], routes: [{ to: cidr('0.0.0.0/0'), via: ip('10.1.0.254'), dev: null }], netfilter: null },
  ];
  const net = new Network(specs, () => 100, scheduler, trace);
  const send = (from: string, src: string, dst: string, dport: number, ttl?: number) => {
    net.transmitFromHost(
      from,
      encodeTcpPacket({ src: ip(src), dst: ip(dst), ...(ttl ? { ttl } : {}) }, { srcPort: 40000, dstPort: dport, seq: 1, ack: 0, flags: { syn: true }, window: 64240 }),
    );
    scheduler.run();
    return trace.events.filter((e): e is Extract<TraceEvent, { kind: 'drop' }> => e.kind === 'drop').at(-1);
  };
  return { send };
}

describe('drop facts, set where the network decides', () => {
  it('a host that receives a packet for another address: not-addressed, with that address', () => {
    const d = lab().send('a', '10.0.0.1', '192.0.2.7', 21);
    expect(d).toMatchObject({ device: 'b', how: 'no-socket', cause: { kind: 'not-addressed', dst: '192.0.2.7' }, rule: null });
    expect(d?.where).toBeUndefined();
    expect(d?.reason).toBe('b is not 192.0.2.7 and does not forward');
  });

  it('an on-link address nobody owns: no-neighbour, with the segment and the next hop', () => {
    const d = lab().send('a', '10.0.0.1', '10.0.0.99', 21);
    expect(d).toMatchObject({ device: 'a', how: 'no-route', cause: { kind: 'no-neighbour', segment: 'lan', nextHop: '10.0.0.99' } });
    expect(d?.reason).toBe('a cannot reach its next hop 10.0.0.99: nothing on lan answers for it (ARP failed)');
  });

  it('a host without a route: no-route, with the destination', () => {
    const d = lab().send('b', '10.0.0.2', '192.0.2.7', 21);
    expect(d).toMatchObject({ device: 'b', how: 'no-route', cause: { kind: 'no-route', dst: '192.0.2.7' } });
    expect(d?.reason).toBe('b has no route to 192.0.2.7');
  });

  it('a router without a route: no-route, with the destination', () => {
    const d = lab().send('c', '10.1.0.1', '192.0.2.7', 21);
    expect(d).toMatchObject({ device: 'r', how: 'no-route', cause: { kind: 'no-route', dst: '192.0.2.7' } });
    expect(d?.reason).toBe('r has no route to 192.0.2.7');
  });

  it('a packet for the router itself, at a port nothing listens on: closed-port, with the port', () => {
    const d = lab().send('c', '10.1.0.1', '10.1.0.254', 2121);
    expect(d).toMatchObject({ device: 'r', how: 'no-socket', cause: { kind: 'closed-port', port: 2121 } });
    expect(d?.reason).toBe('nothing listens on r at port 2121, so it answers with RST (TCP) or ICMP port unreachable');
  });

  it('a TTL that runs out at a router: ttl', () => {
    const d = lab().send('c', '10.1.0.1', '10.0.0.2', 21, 1);
    expect(d).toMatchObject({ device: 'r', how: 'ttl', cause: { kind: 'ttl' } });
    expect(d?.reason).toBe('TTL expired at r (a routing loop?)');
  });
});

import { describe, expect, it } from 'vitest';
import { parseCidr, parseIpv4, type Ipv4 } from '../codec/addr';
import { DEFAULT_ROUTE, lookupRoute, type RoutedInterface, type StaticRoute } from './routing';

const ip = (s: string): Ipv4 => parseIpv4(s)!;
const iface = (name: string, cidr: string, segment = name): RoutedInterface => {
  const [addr] = cidr.split('/');
  return { name, ip: ip(addr!), network: parseCidr(cidr)!, segment };
};
const route = (to: string, via: string | null, dev: string | null = null): StaticRoute => ({ to: parseCidr(to)!, via: via === null ? null : ip(via), dev });

// A router: eth0 192.168.1.1/24 (LAN), eth1 203.0.113.2/24 (uplink to 203.0.113.1).
const ifaces = [iface('eth0', '192.168.1.1/24'), iface('eth1', '203.0.113.2/24')];
const where = (routes: StaticRoute[], dst: string) => {
  const c = lookupRoute(ifaces, routes, ip(dst));
  return c && { iface: c.iface.name, nextHop: c.nextHop, viaRoute: c.route !== null };
};

describe('lookupRoute', () => {
  it('a connected network goes straight to the destination', () => {
    expect(where([], '192.168.1.50')).toEqual({ iface: 'eth0', nextHop: ip('192.168.1.50'), viaRoute: false });
  });

  it('no connected network and no route: no route', () => {
    expect(where([], '198.51.100.7')).toBeNull();
  });

  it('the longest prefix wins, whatever the order of the routes', () => {
    const routes = [{ to: DEFAULT_ROUTE, via: ip('203.0.113.1'), dev: null }, route('198.51.100.0/24', '192.168.1.254')];
    expect(where(routes, '198.51.100.7')).toEqual({ iface: 'eth0', nextHop: ip('192.168.1.254'), viaRoute: true });
    expect(where(routes, '8.8.8.8')).toEqual({ iface: 'eth1', nextHop: ip('203.0.113.1'), viaRoute: true });
  });

  it('on equal prefixes the connected network wins over a static route', () => {
    expect(where([route('192.168.1.0/24', '203.0.113.1')], '192.168.1.9')).toEqual({ iface: 'eth0', nextHop: ip('192.168.1.9'), viaRoute: false });
  });

  it('an on-link route (dev, no via) sends to the destination itself out of that interface', () => {
    expect(where([route('10.9.0.0/16', null, 'eth1')], '10.9.3.4')).toEqual({ iface: 'eth1', nextHop: ip('10.9.3.4'), viaRoute: true });
  });

  it('dev names the interface even when via would point elsewhere', () => {
    expect(where([route('10.9.0.0/16', '192.168.1.254', 'eth1')], '10.9.3.4')).toEqual({ iface: 'eth1', nextHop: ip('192.168.1.254'), viaRoute: true });
  });

  it('a route whose next hop is on no interface is skipped for a shorter one', () => {
    const routes = [route('10.0.0.0/8', '172.16.0.1'), { to: DEFAULT_ROUTE, via: ip('203.0.113.1'), dev: null }];
    expect(where(routes, '10.1.2.3')).toEqual({ iface: 'eth1', nextHop: ip('203.0.113.1'), viaRoute: true });
  });
});

/**
 * Can a packet get from one device to an address? Static routing only, as a scenario check
 * before any simulation: connected networks, static routes and host gateways, longest
 * prefix first, next hop resolved to the device on the egress segment owning that address
 * (ARP). NAT and firewalls are deliberately ignored: they are what the simulation shows.
 */
import { formatCidr, formatIpv4, type Ipv4 } from '../codec/addr';
import { DEFAULT_ROUTE, lookupRoute, type RouteChoice, type StaticRoute } from '../net/routing';
import type { IfaceAddress, Interface, Route } from './types';

export interface RoutingDevice {
  id: string;
  kind: 'host' | 'router';
  interfaces: Interface[];
  routes: Route[];
  /** Host default gateway; a 0.0.0.0/0 route. */
  gateway?: Ipv4 | null;
}

export type PathResult = { ok: true; reached: string; hops: string[] } | { ok: false; message: string; hops: string[] };

/** Every address of an interface, the primary first. */
export const addressesOf = (i: Interface): IfaceAddress[] => (i.extra.length === 0 ? [i] : [i, ...i.extra]);

/** One interface address as routing, ARP and netfilter see it: its interface's name and segment with it. */
export interface AddressEntry extends IfaceAddress {
  name: string;
  segment: string;
}

const entriesCache = new WeakMap<readonly Interface[], AddressEntry[]>();

/**
 * A device's interfaces as one entry per address, each interface's primary address first
 * (Linux picks an interface's primary address as the source of what the device itself sends).
 * An interface with extra addresses (`ip addr add 203.0.113.10/32 dev wan`) has one entry per
 * address, all named `wan`: routing knows each connected network, ARP answers for each address.
 */
export function addressEntries(ifaces: readonly Interface[]): AddressEntry[] {
  let out = entriesCache.get(ifaces);
  if (out) return out;
  out = [];
  for (const i of ifaces) for (const a of addressesOf(i)) out.push({ name: i.name, segment: i.segment, ip: a.ip, prefix: a.prefix, network: a.network });
  entriesCache.set(ifaces, out);
  return out;
}

/** Is `ip` one of the device's addresses (primary or extra)? */
export function ownsAddress(d: { interfaces: readonly Interface[] }, ip: Ipv4): boolean {
  return d.interfaces.some((i) => i.ip === ip || i.extra.some((x) => x.ip === ip));
}

function owns(d: RoutingDevice, ip: Ipv4): boolean {
  return ownsAddress(d, ip);
}

/** A device's static routes as routing reads them: a host's gateway is a 0.0.0.0/0 route, last. */
export function routesOf(d: RoutingDevice): StaticRoute[] {
  return d.gateway != null ? [...d.routes, { to: DEFAULT_ROUTE, via: d.gateway, dev: null }] : d.routes;
}

/** How a route choice reads in a message: `connected 10.0.0.0/24`, `route 0.0.0.0/0 via 10.0.0.1`. */
function why(c: RouteChoice<AddressEntry>): string {
  const r = c.route;
  if (r === null) return `connected ${formatCidr(c.iface.network)}`;
  return `route ${formatCidr(r.to)}${r.via !== null ? ` via ${formatIpv4(r.via)}` : ''}`;
}

interface DeviceIndex {
  byId: Map<string, RoutingDevice>;
  /** "segment ip" → the devices with that address on that segment, in the list's order. */
  onSegment: Map<string, RoutingDevice[]>;
}

/** Built once per device list (a scenario with 1,000 clients asks for thousands of paths). */
const indexes = new WeakMap<readonly RoutingDevice[], DeviceIndex>();

function indexOf(devices: readonly RoutingDevice[]): DeviceIndex {
  let ix = indexes.get(devices);
  if (ix) return ix;
  ix = { byId: new Map(), onSegment: new Map() };
  for (const d of devices) {
    if (!ix.byId.has(d.id)) ix.byId.set(d.id, d);
    for (const i of addressEntries(d.interfaces)) {
      const key = `${i.segment} ${i.ip}`;
      const list = ix.onSegment.get(key) ?? [];
      if (!list.includes(d)) list.push(d);
      ix.onSegment.set(key, list);
    }
  }
  indexes.set(devices, ix);
  return ix;
}

/**
 * Follows the routing tables from `fromId` to the device owning `dst`. The device list must
 * not change after its first path is asked for (the index is kept).
 */
export function findPath(devices: readonly RoutingDevice[], fromId: string, dst: Ipv4): PathResult {
  const { byId, onSegment } = indexOf(devices);
  const hops: string[] = [fromId];
  let cur = byId.get(fromId);
  const seen = new Set<string>();
  for (let ttl = 0; cur && ttl < 64; ttl++) {
    if (owns(cur, dst)) return { ok: true, reached: cur.id, hops };
    if (cur.kind === 'host' && ttl > 0) {
      return { ok: false, hops, message: `host "${cur.id}" received a packet for ${formatIpv4(dst)} but hosts do not forward` };
    }
    if (seen.has(cur.id)) return { ok: false, hops, message: `routing loop: ${hops.join(' → ')}` };
    seen.add(cur.id);
    const choice = lookupRoute(addressEntries(cur.interfaces), routesOf(cur), dst);
    if (!choice) {
      const nets = cur.interfaces.map((i) => formatCidr(i.network)).join(', ');
      const gw = cur.kind === 'host' && cur.gateway == null ? ' and no gateway' : '';
      return { ok: false, hops, message: `${cur.kind} "${cur.id}" has no route to ${formatIpv4(dst)} (it is on ${nets}${gw})` };
    }
    const here = cur;
    const next = onSegment.get(`${choice.iface.segment} ${choice.nextHop}`)?.find((d) => d !== here);
    if (!next) {
      return {
        ok: false,
        hops,
        message: `${here.kind} "${here.id}" sends to ${formatIpv4(dst)} by its ${why(choice)} out of ${choice.iface.name}, but nothing on segment "${choice.iface.segment}" has the address ${formatIpv4(choice.nextHop)}`,
      };
    }
    hops.push(next.id);
    cur = next;
  }
  return { ok: false, hops, message: `no path to ${formatIpv4(dst)} within 64 hops: ${hops.join(' → ')}` };
}

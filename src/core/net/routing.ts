/**
 * Longest-prefix routing over a device's connected networks and static routes: the one
 * lookup both the simulation (run/network.ts) and the loader's reachability check
 * (scenario/reach.ts) use, so the loader's "no route" and the run can never disagree.
 */
import { inCidr, type Cidr, type Ipv4 } from '../codec/addr';

/** An interface as routing sees it. */
export interface RoutedInterface {
  name: string;
  ip: Ipv4;
  /** The connected network (address masked). */
  network: Cidr;
  segment: string;
}

/** A static route; a host's default gateway is a 0.0.0.0/0 route. */
export interface StaticRoute {
  to: Cidr;
  /** null for an on-link route (`ip route add 10.0.0.0/8 dev eth1`). */
  via: Ipv4 | null;
  /** Outgoing interface when given; else the interface whose network holds `via`. */
  dev: string | null;
}

export interface RouteChoice<I extends RoutedInterface> {
  iface: I;
  /** The address whose owner on the egress segment receives the packet (ARP). */
  nextHop: Ipv4;
  /** The static route chosen, or null for a connected network. */
  route: StaticRoute | null;
}

export const DEFAULT_ROUTE: Cidr = { network: 0 as Ipv4, prefix: 0 };

/**
 * The route for `dst`: the longest matching prefix; on equal prefixes the connected network
 * wins, then the earlier route. A route whose next hop is on no interface is skipped.
 */
export function lookupRoute<I extends RoutedInterface>(interfaces: readonly I[], routes: readonly StaticRoute[], dst: Ipv4): RouteChoice<I> | null {
  let best: RouteChoice<I> | null = null;
  let bestLen = -1;
  for (const iface of interfaces) {
    if (iface.network.prefix > bestLen && inCidr(dst, iface.network)) {
      best = { iface, nextHop: dst, route: null };
      bestLen = iface.network.prefix;
    }
  }
  for (const r of routes) {
    if (r.to.prefix <= bestLen || !inCidr(dst, r.to)) continue;
    const via = r.via;
    const iface = r.dev !== null ? interfaces.find((i) => i.name === r.dev) : via !== null ? interfaces.find((i) => inCidr(via, i.network)) : undefined;
    if (!iface) continue;
    best = { iface, nextHop: via ?? dst, route: r };
    bestLen = r.to.prefix;
  }
  return best;
}

/**
 * Which inbound TCP ports a device's firewall actually admits: a NEW SYN from an outside
 * address is walked through the device's own netfilter (the same engine the simulation
 * uses: raw, conntrack, nat, filter, routing) for every destination port, and the ports
 * whose SYN would be delivered (a host) or forwarded on (a router) are counted, each with
 * the rule — or the chain policy — that let it through.
 *
 * Rules only ever match a destination port by ranges, so the 65,535 ports fall into a
 * handful of intervals on which every rule agrees; one SYN per interval (checked at both
 * ends) stands for all of it. Pure and deterministic: a fresh conntrack table per SYN.
 */
import { inCidr, type Cidr, type Ipv4 } from '../codec/addr';
import { encodeTcpPacket } from '../codec/packet';
import { Netfilter, type NfEvent } from './netfilter';
import type { HelperConfig } from './ftpHelper';
import type { Ruleset } from './iptables/types';

/** The fields of a scenario device the probe needs (the loaded Scenario's hosts and routers have them). */
export interface ProbeDevice {
  id: string;
  kind: 'host' | 'router';
  interfaces: { name: string; ip: Ipv4; prefix: number; network: Cidr; extra?: readonly { ip: Ipv4; prefix: number }[] }[];
  routes: { to: Cidr; via: Ipv4 | null; dev: string | null }[];
  /** A host's default gateway (a 0.0.0.0/0 route). */
  gateway?: Ipv4 | null;
  firewall: { ruleset: Ruleset } | null;
  ftpHelper: HelperConfig;
}

/** Who let a run of ports in: a rule (with its number in the chain and its text), a chain policy, or no firewall at all. */
export interface AdmittedBy {
  table: string;
  chain: string;
  /** 1-based number of the rule in its chain, as `iptables -L --line-numbers` counts; null for a policy. */
  rule: { index: number; line: number; text: string } | null;
  /** "ACCEPT" when the chain policy decided; "no firewall" when the device has none. */
  policy?: string;
}

export interface PortRun {
  from: number;
  to: number;
  by: AdmittedBy;
}

export interface InboundProbe {
  device: string;
  /** The destination address probed and the outside address the SYNs came from. */
  to: Ipv4;
  from: Ipv4;
  /** The interface the SYNs arrived on. */
  inIface: string;
  /** How many of the 65,535 ports a NEW SYN gets through. */
  count: number;
  /** The admitted ports as runs, each with what admitted it (adjacent runs with the same cause merged). */
  admitted: PortRun[];
}

export const ALL_PORTS = 65535;

function routeVia(d: ProbeDevice, dst: Ipv4): string | null {
  let name: string | null = null;
  let len = -1;
  const consider = (net: Cidr, iface: string | undefined) => {
    if (iface !== undefined && inCidr(dst, net) && net.prefix > len) {
      name = iface;
      len = net.prefix;
    }
  };
  for (const i of d.interfaces) consider(i.network, i.name);
  for (const r of d.routes) consider(r.to, r.dev ?? (r.via === null ? undefined : d.interfaces.find((i) => inCidr(r.via!, i.network))?.name));
  if (d.gateway) consider({ network: 0 as Ipv4, prefix: 0 } as Cidr, d.interfaces.find((i) => inCidr(d.gateway!, i.network))?.name);
  return name;
}

/** Every port where some rule's destination-port match begins or ends: the intervals between them behave alike. */
function boundaries(rs: Ruleset | null): number[] {
  const cuts = new Set<number>([1, ALL_PORTS + 1]);
  const add = (from: number, to: number) => {
    cuts.add(from);
    cuts.add(to + 1);
  };
  for (const t of rs?.tables ?? [])
    for (const c of t.chains)
      for (const r of c.rules) {
        for (const m of r.matches) {
          if ((m.kind === 'tcp' || m.kind === 'udp') && m.dport) add(m.dport.from, m.dport.to);
          if (m.kind === 'multiport' && m.dir !== 'sports') for (const p of m.ranges) add(p.from, p.to);
        }
      }
  return [...cuts].filter((p) => p >= 1 && p <= ALL_PORTS + 1).sort((a, b) => a - b);
}

function admittedBy(events: NfEvent[], hasFirewall: boolean): AdmittedBy {
  const last = [...events].reverse().find((e): e is Extract<NfEvent, { kind: 'filter' }> => e.kind === 'filter' && e.table === 'filter');
  if (!last) return { table: 'filter', chain: '', rule: null, policy: hasFirewall ? 'no filter rules' : 'no firewall' };
  return last.rule
    ? { table: last.table, chain: last.chain, rule: { index: last.rule.index, line: last.rule.line, text: last.rule.text } }
    : { table: last.table, chain: last.chain, rule: null, policy: last.policy ?? last.verdict };
}

/**
 * Probes `device` with a NEW TCP SYN from `from` to `to` on every port. A host counts a port
 * when its INPUT chain delivers it; a router when it forwards it on (after any DNAT) rather
 * than dropping, rejecting or taking it for itself.
 */
export function probeInboundTcp(d: ProbeDevice, opts: { to: Ipv4; from: Ipv4 }): InboundProbe | { error: string } {
  const inIface = d.kind === 'host' ? d.interfaces[0]?.name : routeVia(d, opts.from);
  if (!inIface) return { error: `${d.id} has no interface or route towards ${opts.from}` };
  const route = (dst: Ipv4) => routeVia(d, dst);
  const ruleset = d.firewall?.ruleset ?? null;
  const one = (port: number): AdmittedBy | null => {
    const syn = encodeTcpPacket({ src: opts.from, dst: opts.to }, { srcPort: 40000, dstPort: port, seq: 1, ack: 0, flags: { syn: true }, window: 64240 });
    if (!ruleset) return d.kind === 'host' || route(opts.to) !== null ? { table: 'filter', chain: '', rule: null, policy: 'no firewall' } : null;
    const nf = new Netfilter({
      device: d.id,
      ruleset,
      interfaces: d.interfaces.flatMap((i) => [{ name: i.name, ip: i.ip, prefix: i.prefix }, ...(i.extra ?? []).map((x) => ({ name: i.name, ip: x.ip, prefix: x.prefix }))]),
      helper: d.ftpHelper,
    });
    if (d.kind === 'host') {
      const r = nf.input(syn, inIface, 0);
      return r.verdict === 'accept' ? admittedBy(r.events, true) : null;
    }
    const r = nf.forward(syn, inIface, route, 0);
    return r.verdict === 'accept' && r.outIface !== undefined && !r.local && !r.noRoute ? admittedBy(r.events, true) : null;
  };
  const same = (a: AdmittedBy | null, b: AdmittedBy | null) =>
    a === b || (a !== null && b !== null && a.chain === b.chain && a.rule?.line === b.rule?.line && a.rule?.index === b.rule?.index && a.policy === b.policy);

  const admitted: PortRun[] = [];
  const push = (from: number, to: number, by: AdmittedBy) => {
    const prev = admitted[admitted.length - 1];
    if (prev && prev.to === from - 1 && same(prev.by, by)) prev.to = to;
    else admitted.push({ from, to, by });
  };
  const cuts = boundaries(ruleset);
  for (let i = 0; i + 1 < cuts.length; i++) {
    const lo = cuts[i]!;
    const hi = cuts[i + 1]! - 1;
    const a = one(lo);
    const b = hi === lo ? a : one(hi);
    if (same(a, b)) {
      if (a) push(lo, hi, a);
    } else {
      // Something other than a port range decides here: fall back to every port.
      for (let p = lo; p <= hi; p++) {
        const x = one(p);
        if (x) push(p, p, x);
      }
    }
  }
  const count = admitted.reduce((n, r) => n + r.to - r.from + 1, 0);
  return { device: d.id, to: opts.to, from: opts.from, inIface, count, admitted };
}

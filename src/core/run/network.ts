/**
 * Links, routing and forwarding. Every device is a host (with a TCP stack) or a router; a
 * packet moves as bytes from interface to interface over L2 segments, through each device's
 * netfilter model. Next-hop resolution stands in for ARP: the device on the segment that owns
 * the next-hop address receives the packet.
 */
import { asIpv4, formatIpv4, type Cidr, type Ipv4 } from '../codec/addr';
import { decrementTtl, encodeIpv4, IPPROTO, IPV4_FIELDS } from '../codec/ipv4';
import { encodeIcmpError, ICMP_TYPE, UNREACH_CODE } from '../codec/icmp';
import type { Netfilter, NfEvent, NfResult } from '../net/netfilter';
import { packetInfo } from '../net/packetInfo';
import { rejectReply } from '../net/reject';
import { lookupRoute, type RouteChoice, type StaticRoute } from '../net/routing';
import type { Scheduler } from '../sim/scheduler';
import { refusalNamed } from '../sim/refusal';
import type { DropCause, DropHow, NetfilterVerdict, RuleRef, TraceRecorder } from '../sim/trace';

export interface IfaceSpec {
  name: string;
  ip: Ipv4;
  prefix: number;
  network: Cidr;
  segment: string;
}

export interface DeviceSpec {
  id: string;
  kind: 'host' | 'router';
  ifaces: IfaceSpec[];
  /** Static routes; a host's gateway is a 0.0.0.0/0 route here. */
  routes: StaticRoute[];
  netfilter: Netfilter | null;
}

/** What a host's TCP stack exposes to the network. */
export interface LocalReceiver {
  receive(bytes: Uint8Array): void;
}

interface PacketMeta {
  packetId: number;
  conn?: string;
}

interface Device extends DeviceSpec {
  receiver?: LocalReceiver;
  /** Routing decisions by destination: routes never change during a run. */
  routeCache: Map<number, Hop | null>;
  /** The route callback handed to netfilter (one closure per device, not per packet). */
  routeIface: (dst: Ipv4) => string | null;
}

type Hop = RouteChoice<IfaceSpec>;

export class Network {
  private devices = new Map<string, Device>();
  /** segment → address → the interfaces with it there, in device order (who answers ARP). */
  private onSegment = new Map<string, Map<Ipv4, { device: Device; iface: IfaceSpec }[]>>();
  /** The conn label of the packet being delivered right now (for replies such as RST). */
  currentConn: string | undefined;

  constructor(
    specs: DeviceSpec[],
    private readonly latencyUs: (segment: string) => number,
    private readonly scheduler: Scheduler,
    private readonly trace: TraceRecorder,
  ) {
    for (const s of specs) {
      const d: Device = { ...s, routeCache: new Map(), routeIface: (dst) => this.route(d, dst)?.iface.name ?? null };
      this.devices.set(s.id, d);
      for (const iface of s.ifaces) {
        const byIp = this.onSegment.get(iface.segment) ?? new Map<Ipv4, { device: Device; iface: IfaceSpec }[]>();
        const list = byIp.get(iface.ip) ?? [];
        list.push({ device: d, iface });
        byIp.set(iface.ip, list);
        this.onSegment.set(iface.segment, byIp);
      }
    }
  }

  attach(deviceId: string, receiver: LocalReceiver): void {
    const d = this.devices.get(deviceId);
    if (d) d.receiver = receiver;
  }

  /** A host's TCP stack hands over a packet it generated. */
  transmitFromHost(deviceId: string, bytes: Uint8Array, conn?: string): void {
    const d = this.devices.get(deviceId)!;
    const meta: PacketMeta = { packetId: this.trace.newPacketId(), conn: conn ?? this.currentConn };
    const ip = peekIpv4(bytes);
    if (!ip) return;
    const hop = this.route(d, ip.dst);
    if (!hop) {
      this.trace.emit({
        kind: 'drop',
        device: d.id,
        packetId: meta.packetId,
        conn: meta.conn,
        ...refusal('no-route', { kind: 'no-route', dst: formatIpv4(ip.dst) }, d.id),
      });
      return;
    }
    let out = bytes;
    if (d.netfilter) {
      const r = d.netfilter.output(bytes, hop.iface.name, this.scheduler.now);
      this.record(d, meta, r);
      if (r.verdict !== 'accept') {
        this.refuse(d, meta, r, 'OUTPUT');
        return;
      }
      out = r.bytes;
    }
    this.send(d, hop, out, meta);
  }

  private send(d: Device, hop: Hop, bytes: Uint8Array, meta: PacketMeta): void {
    // A map lookup, not a scan: a LAN of 1,000 clients is crossed by every packet.
    const peer = this.onSegment
      .get(hop.iface.segment)
      ?.get(hop.nextHop)
      ?.find((p) => p.device !== d);
    if (!peer) {
      this.trace.emit({
        kind: 'drop',
        device: d.id,
        packetId: meta.packetId,
        conn: meta.conn,
        ...refusal('no-route', { kind: 'no-neighbour', segment: hop.iface.segment, nextHop: formatIpv4(hop.nextHop) }, d.id),
      });
      if (d.kind === 'router') this.icmpBack(d, bytes, ICMP_TYPE.DEST_UNREACH, UNREACH_CODE.HOST, meta);
      return;
    }
    this.trace.emit({ kind: 'send', device: d.id, iface: hop.iface.name, packetId: meta.packetId, conn: meta.conn, bytes, to: peer.device.id });
    this.scheduler.post(this.latencyUs(hop.iface.segment), () => this.arrive(peer.device, peer.iface, bytes, meta, d.id));
  }

  private arrive(d: Device, iface: IfaceSpec, bytes: Uint8Array, meta: PacketMeta, from: string): void {
    this.trace.emit({ kind: 'recv', device: d.id, iface: iface.name, packetId: meta.packetId, conn: meta.conn, bytes, from });
    if (d.kind === 'host') this.deliverLocal(d, iface, bytes, meta);
    else this.forward(d, iface, bytes, meta);
  }

  private deliverLocal(d: Device, iface: IfaceSpec, bytes: Uint8Array, meta: PacketMeta): void {
    const ip = peekIpv4(bytes);
    if (!ip) return;
    if (!d.ifaces.some((i) => i.ip === ip.dst)) {
      this.trace.emit({
        kind: 'drop',
        device: d.id,
        packetId: meta.packetId,
        conn: meta.conn,
        ...refusal('no-socket', { kind: 'not-addressed', dst: formatIpv4(ip.dst) }, d.id),
      });
      return;
    }
    let inb = bytes;
    if (d.netfilter) {
      const r = d.netfilter.input(bytes, iface.name, this.scheduler.now);
      this.record(d, meta, r);
      if (r.verdict !== 'accept') {
        this.refuse(d, meta, r, 'INPUT');
        return;
      }
      inb = r.bytes;
    }
    const prev = this.currentConn;
    this.currentConn = meta.conn;
    try {
      d.receiver?.receive(inb);
    } finally {
      this.currentConn = prev;
    }
  }

  private forward(d: Device, inIface: IfaceSpec, bytes: Uint8Array, meta: PacketMeta): void {
    const ip = peekIpv4(bytes);
    if (!ip) return;
    const own = d.ifaces.some((i) => i.ip === ip.dst);
    if (ip.ttl <= 1 && !own) {
      this.trace.emit({ kind: 'drop', device: d.id, packetId: meta.packetId, conn: meta.conn, ...refusal('ttl', { kind: 'ttl' }, d.id) });
      this.icmpBack(d, bytes, ICMP_TYPE.TIME_EXCEEDED, 0, meta);
      return;
    }
    let out = bytes;
    let outIfaceName: string | undefined;
    if (d.netfilter) {
      const r = d.netfilter.forward(bytes, inIface.name, d.routeIface, this.scheduler.now);
      this.record(d, meta, r);
      if (r.verdict !== 'accept') {
        this.refuse(d, meta, r, 'FORWARD');
        return;
      }
      if (r.local) {
        this.closedPort(d, inIface, r.bytes, meta);
        return;
      }
      out = r.bytes;
      outIfaceName = r.outIface;
    } else if (own) {
      this.closedPort(d, inIface, bytes, meta);
      return;
    }
    const dst = peekIpv4(out);
    if (!dst) return;
    const hop = this.route(d, dst.dst);
    if (!hop || (outIfaceName && hop.iface.name !== outIfaceName && !d.ifaces.some((i) => i.name === outIfaceName))) {
      this.trace.emit({
        kind: 'drop',
        device: d.id,
        packetId: meta.packetId,
        conn: meta.conn,
        ...refusal('no-route', { kind: 'no-route', dst: formatIpv4(dst.dst) }, d.id),
      });
      this.icmpBack(d, bytes, ICMP_TYPE.DEST_UNREACH, UNREACH_CODE.NET, meta);
      return;
    }
    this.send(d, hop, decrementTtl(out), meta);
  }

  /**
   * A packet for the router itself: no service listens there, so the kernel answers a TCP
   * segment with RST ("Connection refused" at the sender) and anything else with ICMP port
   * unreachable.
   */
  private closedPort(d: Device, inIface: IfaceSpec, bytes: Uint8Array, meta: PacketMeta): void {
    const p = packetInfo(bytes);
    this.trace.emit({
      kind: 'drop',
      device: d.id,
      packetId: meta.packetId,
      conn: meta.conn,
      ...refusal('no-socket', { kind: 'closed-port', port: p?.dport ?? null }, d.id),
    });
    if (!p) return;
    // From the address the packet was sent to (one of the router's, maybe an extra one on the
    // interface, not the interface's first): icmp_send answers a local packet from its daddr.
    const from = d.ifaces.some((i) => i.ip === p.dst) ? p.dst : inIface.ip;
    const reply = p.proto === IPPROTO.TCP ? rejectReply(bytes, p, 'tcp-reset', from) : rejectReply(bytes, p, 'icmp-port-unreachable', from);
    if (reply) this.emitLocal(d, reply, { packetId: this.trace.newPacketId(), conn: meta.conn });
  }

  /** Records the netfilter's decisions and rewrites in the trace. */
  private record(d: Device, meta: PacketMeta, r: NfResult): void {
    for (const e of r.events) this.trace.emit(nfEventToTrace(d.id, meta.packetId, e));
  }

  private refuse(d: Device, meta: PacketMeta, r: NfResult, chain: string): void {
    const c = r.culprit;
    const rule: RuleRef | null = c?.rule ? { table: c.table, chain: c.chain, ...c.rule } : null;
    const where: NetfilterVerdict = {
      table: c?.table ?? 'filter',
      chain: c?.chain ?? chain,
      by: !c ? 'conntrack' : c.rule ? c.rule.index : 'policy',
      target: r.verdict === 'reject' ? 'REJECT' : 'DROP',
    };
    if (c?.rejectWith) where.rejectWith = c.rejectWith;
    if (!c) where.why = r.why ?? 'connection tracking dropped it';
    const how = r.verdict === 'reject' ? 'reject' : c ? 'drop' : 'helper';
    this.trace.emit({ kind: 'drop', device: d.id, packetId: meta.packetId, conn: meta.conn, how, reason: refusalNamed({ how, rule, where }, d.id), rule, where });
    if (r.verdict === 'reject' && r.reply) this.emitLocal(d, r.reply, { packetId: this.trace.newPacketId(), conn: meta.conn });
  }

  /** Sends a packet the device generated itself (ICMP errors, RSTs from REJECT). */
  private emitLocal(d: Device, bytes: Uint8Array, meta: PacketMeta): void {
    const ip = peekIpv4(bytes);
    if (!ip) return;
    const hop = this.route(d, ip.dst);
    if (hop) this.send(d, hop, bytes, meta);
  }

  private icmpBack(d: Device, offending: Uint8Array, type: number, code: number, meta: PacketMeta): void {
    const ip = peekIpv4(offending);
    if (!ip || ip.protocol === IPPROTO.ICMP) return; // never an ICMP error about an ICMP packet
    const back = this.route(d, ip.src);
    if (!back) return;
    const icmp = encodeIcmpError(type, code, offending);
    const bytes = encodeIpv4({ src: back.iface.ip, dst: ip.src, protocol: IPPROTO.ICMP, payload: icmp, dontFragment: false });
    this.send(d, back, bytes, { packetId: this.trace.newPacketId(), conn: meta.conn });
  }

  /** The route to dst (lookupRoute), remembered per device. */
  route(d: Device, dst: Ipv4): Hop | null {
    const cached = d.routeCache.get(dst);
    if (cached !== undefined) return cached;
    const hop = lookupRoute(d.ifaces, d.routes, dst);
    d.routeCache.set(dst, hop);
    return hop;
  }
}

/** A drop no firewall decided: its cause as fields, and the trace's sentence (with the device's id) built from them. */
function refusal(how: DropHow, cause: DropCause, deviceId: string) {
  return { how, cause, rule: null, reason: refusalNamed({ how, cause, rule: null }, deviceId) };
}

function nfEventToTrace(device: string, packetId: number, e: NfEvent) {
  switch (e.kind) {
    case 'filter':
      return {
        kind: 'filter' as const,
        device,
        packetId,
        table: e.table,
        chain: e.chain,
        verdict: e.verdict,
        rule: e.rule ? { table: e.table, chain: e.chain, ...e.rule } : null,
        ctState: e.ctState,
      };
    case 'nat':
      return {
        kind: 'nat' as const,
        device,
        packetId,
        what: e.what,
        before: e.before,
        after: e.after,
        rule: e.rule ? { table: 'nat', chain: '', ...e.rule } : null,
        note: e.note,
      };
    case 'conntrack':
      return { kind: 'conntrack' as const, device, packetId, action: e.action, tuple: e.tuple, note: e.note };
  }
}

/**
 * The IPv4 header fields forwarding needs, read at their offsets. Every packet on a link was
 * encoded by the codec and its stack checks it fully on delivery; a router reads only what
 * it routes on, as a kernel's fast path does.
 */
function peekIpv4(bytes: Uint8Array): { src: Ipv4; dst: Ipv4; ttl: number; protocol: number } | null {
  if (bytes.length < 20 || bytes[0]! >> 4 !== 4) return null;
  return { src: u32At(bytes, IPV4_FIELDS.src), dst: u32At(bytes, IPV4_FIELDS.dst), ttl: bytes[IPV4_FIELDS.ttl]!, protocol: bytes[IPV4_FIELDS.protocol]! };
}

/** A module-level helper rather than a closure per call (this runs several times per hop). */
function u32At(bytes: Uint8Array, o: number): Ipv4 {
  return asIpv4(((bytes[o]! << 24) | (bytes[o + 1]! << 16) | (bytes[o + 2]! << 8) | bytes[o + 3]!) >>> 0);
}

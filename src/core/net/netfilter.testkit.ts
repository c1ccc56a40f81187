/** Test helpers: packets built with the codec, and a TCP conversation through one device. */
import { formatIpv4, parseIpv4, type Ipv4 } from '../codec/addr';
import { encodeTcpPacket } from '../codec/packet';
import type { TcpFlags } from '../codec/tcp';
import { hasDnat, hasSnat, formatTuple, type Conn } from './conntrack';
import { parseIptablesSave } from './iptables/parse';
import type { Netfilter } from './netfilter';
import type { Ruleset } from './iptables/types';

export const ip = (s: string): Ipv4 => parseIpv4(s)!;

export function rules(text: string): Ruleset {
  const r = parseIptablesSave(text);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.ruleset;
}

export function tcp(src: string, sport: number, dst: string, dport: number, flags: Partial<TcpFlags>, seq = 1000, ack = 0, text = ''): Uint8Array {
  return encodeTcpPacket({ src: ip(src), dst: ip(dst) }, { srcPort: sport, dstPort: dport, seq, ack, flags, window: 64240, payload: new TextEncoder().encode(text) });
}

/** Both ends of one TCP connection with their own sequence counters. */
export class Conversation {
  cSeq = 1000;
  sSeq = 5000;
  /** `clientAs`: where the server's packets go (the client's NATed address); `serverAs`: where they come from (a DNATed server's own address). */
  constructor(
    readonly client: string,
    readonly cport: number,
    readonly server: string,
    readonly sport: number,
    readonly opts: { clientAs?: [string, number]; serverAs?: [string, number] } = {},
  ) {}
  private get s(): [string, number] {
    return this.opts.serverAs ?? [this.server, this.sport];
  }
  private get c(): [string, number] {
    return this.opts.clientAs ?? [this.client, this.cport];
  }
  syn(): Uint8Array {
    return tcp(this.client, this.cport, this.server, this.sport, { syn: true }, this.cSeq - 1);
  }
  synAck(): Uint8Array {
    return tcp(...this.s, ...this.c, { syn: true, ack: true }, this.sSeq - 1, this.cSeq);
  }
  ack(): Uint8Array {
    return tcp(this.client, this.cport, this.server, this.sport, { ack: true }, this.cSeq, this.sSeq);
  }
  fromClient(text: string): Uint8Array {
    const b = tcp(this.client, this.cport, this.server, this.sport, { ack: true, psh: true }, this.cSeq, this.sSeq, text);
    this.cSeq += text.length;
    return b;
  }
  fromServer(text: string): Uint8Array {
    const b = tcp(...this.s, ...this.c, { ack: true, psh: true }, this.sSeq, this.cSeq, text);
    this.sSeq += text.length;
    return b;
  }
}

export interface ConntrackSnapshot {
  entries: {
    id: number;
    orig: string;
    reply: string;
    state: 'UNREPLIED' | 'ASSURED' | 'CLOSING';
    helper: string | null;
    nat: string | null;
    master: number | null;
    expectation: string | null;
    expiresInUs: number;
  }[];
  expectations: { id: number; master: number; tuple: string; announced: string; nat: string | null; expiresInUs: number }[];
}

/** The device's connection table at `nowUs` (expired entries gone), as readable text. */
export function conntrackList(nf: Netfilter, nowUs: number): ConntrackSnapshot {
  const table = nf.conntrack;
  table.expire(nowUs);
  const natText = (c: Conn): string | null => {
    const parts: string[] = [];
    if (hasDnat(c)) parts.push(`DNAT to ${formatIpv4(c.reply.src)}:${c.reply.sport}`);
    if (hasSnat(c)) parts.push(`SNAT to ${formatIpv4(c.reply.dst)}:${c.reply.dport}`);
    return parts.length ? parts.join(', ') : null;
  };
  return {
    entries: table.conns.map((c) => ({
      id: c.id,
      orig: formatTuple(c.orig),
      reply: formatTuple(c.reply),
      state: !c.seenReply ? 'UNREPLIED' : c.rst || (c.fin[0] && c.fin[1]) ? 'CLOSING' : 'ASSURED',
      helper: c.helper,
      nat: natText(c),
      master: c.master?.id ?? null,
      expectation: c.expectation ? `${formatIpv4(c.expectation.src)}:* -> ${formatIpv4(c.expectation.dst)}:${c.expectation.dport}` : null,
      expiresInUs: c.expiresUs - nowUs,
    })),
    expectations: table.expectations.map((e) => ({
      id: e.id,
      master: e.master.id,
      tuple: `tcp ${formatIpv4(e.src)}:* -> ${formatIpv4(e.dst)}:${e.dport}`,
      announced: e.announced,
      nat: e.nat ? `to ${formatIpv4(e.nat.dnatTo.ip)}:${e.nat.dnatTo.port}` : null,
      expiresInUs: e.expiresUs - nowUs,
    })),
  };
}

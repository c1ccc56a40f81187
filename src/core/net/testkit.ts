/** Test helpers: packets built with the codec, and a TCP conversation through one device. */
import { parseIpv4, type Ipv4 } from '../codec/addr';
import { encodeTcpPacket } from '../codec/packet';
import type { TcpFlags } from '../codec/tcp';
import { parseIptablesSave } from './iptables/parse';
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
    readonly client: string, readonly cport: number, readonly server: string, readonly sport: number,
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

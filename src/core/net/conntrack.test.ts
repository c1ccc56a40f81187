import { describe, expect, it } from 'vitest';
import { encodeIcmpError } from '../codec/icmp';
import { decodePacket, encodeIcmpPacket } from '../codec/packet';
import { Netfilter, type NfResult } from './netfilter';
import { conntrackList, ip, rules, tcp } from './netfilter.testkit';

const host = (text: string) =>
  new Netfilter({ device: 'h', ruleset: rules(text), interfaces: [{ name: 'eth0', ip: ip('203.0.113.10'), prefix: 24 }], helper: { ports: [21], loose: false } });
const state = (r: NfResult) => r.events.find((e) => e.kind === 'filter' && e.table === 'filter') as { ctState: string } | undefined;
const LOG_ALL = '*filter\n-A INPUT -j LOG\nCOMMIT\n';

describe('conntrack states for packets with no connection', () => {
  // [flags, state the rules see]. nf_conntrack_tcp_loose=1 (the default) picks up a mid-stream ACK.
  const cases: [string, Parameters<typeof tcp>[4], string][] = [
    ['SYN', { syn: true }, 'NEW'],
    ['ACK (mid-stream pickup)', { ack: true }, 'NEW'],
    ['SYN-ACK', { syn: true, ack: true }, 'INVALID'],
    ['RST', { rst: true }, 'INVALID'],
    ['FIN-ACK', { fin: true, ack: true }, 'INVALID'],
  ];
  it.each(cases)('%s → %s', (_n, flags, want) => {
    const r = host(LOG_ALL).input(tcp('198.51.100.7', 40000, '203.0.113.10', 21, flags), 'eth0', 0);
    expect(state(r)?.ctState).toBe(want);
  });

  it('a connection is kept only when its first packet got through', () => {
    const nf = host('*filter\n:INPUT DROP [0:0]\nCOMMIT\n');
    nf.input(tcp('198.51.100.7', 40000, '203.0.113.10', 21, { syn: true }), 'eth0', 0);
    expect(conntrackList(nf, 0).entries).toHaveLength(0);
  });

  it('an ICMP error about nothing tracked is INVALID; about a tracked flow RELATED', () => {
    const nf = host(LOG_ALL);
    const syn = tcp('203.0.113.10', 40000, '198.51.100.7', 21, { syn: true });
    nf.output(syn, 'eth0', 0);
    const err = (quoted: Uint8Array) => encodeIcmpPacket({ src: ip('198.51.100.7'), dst: ip('203.0.113.10'), dontFragment: false }, encodeIcmpError(3, 3, quoted));
    expect(state(nf.input(err(syn), 'eth0', 1))?.ctState).toBe('RELATED');
    expect(state(nf.input(err(tcp('203.0.113.10', 40999, '198.51.100.7', 21, { syn: true })), 'eth0', 2))?.ctState).toBe('INVALID');
  });

  it('CT --notrack makes packets UNTRACKED', () => {
    const nf = host('*raw\n-A PREROUTING -j CT --notrack\nCOMMIT\n' + LOG_ALL);
    expect(state(nf.input(tcp('198.51.100.7', 40000, '203.0.113.10', 21, { syn: true }), 'eth0', 0))?.ctState).toBe('UNTRACKED');
  });
});

describe('REJECT --reject-with tcp-reset', () => {
  it('answers a SYN with RST+ACK from the address and port it was sent to', () => {
    const nf = host('*filter\n-A INPUT -p tcp --dport 3238 -j REJECT --reject-with tcp-reset\nCOMMIT\n');
    const r = nf.input(tcp('198.51.100.7', 40001, '203.0.113.10', 3238, { syn: true }, 777), 'eth0', 0);
    expect(r.verdict).toBe('reject');
    const d = decodePacket(r.reply!);
    if (!d.ok) throw new Error(d.error.message);
    const t = d.value.tcp!;
    expect([t.srcPort, t.dstPort, t.flags.rst, t.flags.ack, t.ack]).toEqual([3238, 40001, true, true, 778]);
  });
});

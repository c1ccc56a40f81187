import { describe, expect, it } from 'vitest';
import { formatIpv4 } from '../codec/addr';
import { decodePacket } from '../codec/packet';
import { Netfilter, type NfEvent, type NfResult } from './netfilter';
import { SEED_002 } from './iptables/seed002.testkit';
import { conntrackList, Conversation, ip, rules, tcp } from './netfilter.testkit';

const dec = (b: Uint8Array) => {
  const d = decodePacket(b); // checksums verified
  if (!d.ok) throw new Error(d.error.message);
  return d.value;
};
const cts = (r: NfResult) => r.events.filter((e): e is Extract<NfEvent, { kind: 'conntrack' }> => e.kind === 'conntrack').map((e) => e.action);
const filters = (r: NfResult) => r.events.filter((e): e is Extract<NfEvent, { kind: 'filter' }> => e.kind === 'filter');

describe('a host with the seed 002 firewall', () => {
  const mk = () =>
    new Netfilter({ device: 'server', ruleset: rules(SEED_002), interfaces: [{ name: 'eth0', ip: ip('203.0.113.10'), prefix: 24 }], helper: { ports: [21], loose: false } });

  it('SYN to :21 is NEW and accepted by rule 2; the reply and the rest are ESTABLISHED (rule 1)', () => {
    const nf = mk();
    const c = new Conversation('198.51.100.7', 40000, '203.0.113.10', 21);
    const r1 = nf.input(c.syn(), 'eth0', 0);
    expect(r1.verdict).toBe('accept');
    expect(filters(r1)[0]).toMatchObject({ chain: 'INPUT', ctState: 'NEW', rule: { index: 2, line: 6 } });
    expect(nf.output(c.synAck(), 'eth0', 10).verdict).toBe('accept');
    const r3 = nf.input(c.ack(), 'eth0', 20);
    expect(filters(r3)[0]).toMatchObject({ ctState: 'ESTABLISHED', rule: { index: 1 } });
    expect(conntrackList(nf, 30).entries).toHaveLength(1);
    expect(conntrackList(nf, 30).entries[0]!.state).toBe('ASSURED');
  });

  it('SYN to the passive port 3238 is rejected by rule 4 with ICMP host-prohibited from the server', () => {
    const nf = mk();
    const syn = tcp('198.51.100.7', 40001, '203.0.113.10', 3238, { syn: true });
    const r = nf.input(syn, 'eth0', 0);
    expect(r.verdict).toBe('reject');
    expect(r.culprit).toEqual({
      table: 'filter',
      chain: 'INPUT',
      rule: { index: 4, line: 10, text: '-A INPUT -j REJECT --reject-with icmp-host-prohibited' },
      rejectWith: 'icmp-host-prohibited',
    });
    const reply = dec(r.reply!);
    expect(formatIpv4(reply.ip.header.src)).toBe('203.0.113.10');
    expect(formatIpv4(reply.ip.header.dst)).toBe('198.51.100.7');
    expect([reply.icmp!.type, reply.icmp!.code]).toEqual([3, 10]);
    expect(reply.icmp!.original!.dstPort).toBe(3238);
    // A refused SYN leaves no connection behind.
    expect(conntrackList(nf, 1).entries).toHaveLength(0);
  });
});

const routerRules = (extraRaw: string, forward = '-A FORWARD -m state --state RELATED,ESTABLISHED -j ACCEPT\n-A FORWARD -p tcp --dport 21 -j ACCEPT') =>
  rules(`*raw
${extraRaw}
COMMIT
*filter
:FORWARD DROP [0:0]
${forward}
COMMIT
`);

/** A firewall router between a client (eth0) and a server (eth1), no NAT. */
function router(raw: string, helper = { ports: [21], loose: false }, forward?: string) {
  return new Netfilter({
    device: 'fw',
    ruleset: routerRules(raw, forward),
    helper,
    interfaces: [
      { name: 'eth0', ip: ip('192.0.2.1'), prefix: 24 },
      { name: 'eth1', ip: ip('203.0.113.1'), prefix: 24 },
    ],
  });
}
const route = (dst: number) => (formatIpv4(dst as never).startsWith('192.0.2.') ? 'eth0' : 'eth1');

/** Opens the control connection and lets the server greet; returns the conversation. */
function control(nf: Netfilter, sport = 21, t0 = 0) {
  const c = new Conversation('192.0.2.100', 40000, '203.0.113.10', sport);
  for (const [b, from] of [
    [c.syn(), 'eth0'],
    [c.synAck(), 'eth1'],
    [c.ack(), 'eth0'],
  ] as const)
    expect(nf.forward(b, from, route, t0).verdict).toBe('accept');
  nf.forward(c.fromServer('220 (vsFTPd 3.0.3)\r\n'), 'eth1', route, t0);
  nf.forward(c.fromClient('USER anonymous\r\n'), 'eth0', route, t0);
  nf.forward(c.fromServer('331 Please specify the password.\r\n'), 'eth1', route, t0);
  return c;
}
const CT = '-A PREROUTING -p tcp --dport 21 -j CT --helper ftp';
const dataSyn = () => tcp('203.0.113.10', 20, '192.0.2.100', 12860, { syn: true });

describe('conntrack and the FTP helper on a router', () => {
  it('first packet NEW, then ESTABLISHED once the reply is seen', () => {
    const nf = router('');
    const c = new Conversation('192.0.2.100', 40000, '203.0.113.10', 21);
    expect(filters(nf.forward(c.syn(), 'eth0', route, 0))[0]!.ctState).toBe('NEW');
    const r = nf.forward(c.synAck(), 'eth1', route, 1);
    expect(cts(r)).toContain('established');
    expect(filters(r)[0]!.ctState).toBe('ESTABLISHED');
    expect(filters(nf.forward(c.ack(), 'eth0', route, 2))[0]!.ctState).toBe('ESTABLISHED');
  });

  it('PORT with the helper attached by CT: expectation, and the data SYN is RELATED then ESTABLISHED', () => {
    const nf = router(CT);
    const c = control(nf);
    const r = nf.forward(c.fromClient('PORT 192,0,2,100,50,60\r\n'), 'eth0', route, 100);
    expect(r.verdict).toBe('accept');
    expect(cts(r)).toContain('expect');
    expect(conntrackList(nf, 100).expectations.map((e) => e.tuple)).toEqual(['tcp 203.0.113.10:* -> 192.0.2.100:12860']);
    const d = nf.forward(dataSyn(), 'eth1', route, 200);
    expect(cts(d)).toEqual(['expect-used', 'related']);
    expect(filters(d)[0]).toMatchObject({ ctState: 'RELATED', verdict: 'ACCEPT', rule: { index: 1 } });
    expect(conntrackList(nf, 200).expectations).toHaveLength(0);
    const synAck = tcp('192.0.2.100', 12860, '203.0.113.10', 20, { syn: true, ack: true }, 7000, 1001);
    expect(filters(nf.forward(synAck, 'eth0', route, 201))[0]!.ctState).toBe('ESTABLISHED');
  });

  it('without CT --helper nothing is expected and the data SYN is NEW (dropped by the policy)', () => {
    const nf = router('');
    const c = control(nf);
    expect(cts(nf.forward(c.fromClient('PORT 192,0,2,100,50,60\r\n'), 'eth0', route, 100))).not.toContain('expect');
    const d = nf.forward(dataSyn(), 'eth1', route, 200);
    expect(d.verdict).toBe('drop');
    expect(filters(d)[0]).toMatchObject({ ctState: 'NEW', rule: null, policy: 'DROP' });
  });

  it('attaching the helper is not enough: RELATED must be accepted too', () => {
    const nf = router(CT, undefined, '-A FORWARD -m state --state ESTABLISHED -j ACCEPT\n-A FORWARD -p tcp --dport 21 -j ACCEPT');
    const c = control(nf);
    nf.forward(c.fromClient('PORT 192,0,2,100,50,60\r\n'), 'eth0', route, 100);
    const d = nf.forward(dataSyn(), 'eth1', route, 200);
    expect([d.verdict, filters(d)[0]!.ctState]).toEqual(['drop', 'RELATED']);
  });

  it("an address other than the sender's: no expectation, the packet passes (unless loose=1)", () => {
    const nf = router(CT);
    const c = control(nf);
    const r = nf.forward(c.fromClient('PORT 10,9,9,9,50,60\r\n'), 'eth0', route, 100);
    expect(r.verdict).toBe('accept');
    expect(cts(r)).toContain('helper-ignored');
    expect(conntrackList(nf, 100).expectations).toHaveLength(0);

    const loose = router(CT, { ports: [21], loose: true });
    const c2 = control(loose);
    loose.forward(c2.fromClient('PORT 10,9,9,9,50,60\r\n'), 'eth0', route, 100);
    expect(conntrackList(loose, 100).expectations.map((e) => e.tuple)).toEqual(['tcp 203.0.113.10:* -> 10.9.9.9:12860']);
  });

  it('227 creates an expectation from the client to the server; a multi-line "227-" does not', () => {
    const nf = router(CT);
    const c = control(nf);
    nf.forward(c.fromServer('227-Entering Passive Mode (203,0,113,10,195,149).\r\n'), 'eth1', route, 100);
    expect(conntrackList(nf, 100).expectations).toHaveLength(0);
    nf.forward(c.fromServer('227 Entering Passive Mode 203,0,113,10,195,149\r\n'), 'eth1', route, 101);
    expect(conntrackList(nf, 101).expectations.map((e) => e.tuple)).toEqual(['tcp 192.0.2.100:* -> 203.0.113.10:50069']);
  });

  it('229 needs "(" and three equal delimiters; the address is the server\'s own', () => {
    const nf = router(CT);
    const c = control(nf);
    nf.forward(c.fromServer('229 Entering Extended Passive Mode (|||50070|)\r\n'), 'eth1', route, 100);
    expect(conntrackList(nf, 100).expectations.map((e) => e.tuple)).toEqual(['tcp 192.0.2.100:* -> 203.0.113.10:50070']);
  });

  it('a new PORT replaces the pending expectation (one per control connection)', () => {
    const nf = router(CT);
    const c = control(nf);
    nf.forward(c.fromClient('PORT 192,0,2,100,50,60\r\n'), 'eth0', route, 100);
    const r = nf.forward(c.fromClient('EPRT |1|192.0.2.100|40001|\r\n'), 'eth0', route, 101);
    expect(cts(r)).toEqual(expect.arrayContaining(['expect-replaced', 'expect']));
    expect(conntrackList(nf, 101).expectations.map((e) => e.tuple)).toEqual(['tcp 203.0.113.10:* -> 192.0.2.100:40001']);
  });

  it('expectations expire after 5 minutes of simulated time', () => {
    const nf = router(CT);
    const c = control(nf);
    nf.forward(c.fromClient('PORT 192,0,2,100,50,60\r\n'), 'eth0', route, 0);
    expect(conntrackList(nf, 299_000_000).expectations).toHaveLength(1);
    expect(conntrackList(nf, 300_000_001).expectations).toHaveLength(0);
    expect(nf.forward(dataSyn(), 'eth1', route, 300_000_002).verdict).toBe('drop');
  });

  it('an unparsable PORT is dropped by the helper', () => {
    const nf = router(CT);
    const c = control(nf);
    const r = nf.forward(c.fromClient('PORT 1,2,3\r\n'), 'eth0', route, 100);
    expect(r.verdict).toBe('drop');
    expect(r.culprit).toBeUndefined();
    expect(cts(r)).toContain('helper-drop');
    // No rule and no policy decided: the result says the helper did, and why.
    expect(r.why).toMatch(/^its FTP helper: partial matching of "PORT": .* cannot be parsed/);
  });

  it('only a segment that starts right after a seen newline is parsed', () => {
    const nf = router(CT);
    const c = new Conversation('192.0.2.100', 40000, '203.0.113.10', 21);
    for (const [b, from] of [
      [c.syn(), 'eth0'],
      [c.synAck(), 'eth1'],
      [c.ack(), 'eth0'],
    ] as const)
      nf.forward(b, from, route, 0);
    // The client's first data segment: no newline seen before it in that direction.
    const r = nf.forward(c.fromClient('PORT 192,0,2,100,50,60\r\n'), 'eth0', route, 1);
    expect(r.verdict).toBe('accept');
    expect(conntrackList(nf, 1).expectations).toHaveLength(0);
    // Now one has been seen: the next PORT counts.
    nf.forward(c.fromClient('PORT 192,0,2,100,50,61\r\n'), 'eth0', route, 2);
    expect(conntrackList(nf, 2).expectations).toHaveLength(1);
  });

  it('encrypted (TLS) control traffic is ignored, never dropped', () => {
    const nf = router(CT);
    const c = control(nf);
    const tls = String.fromCharCode(0x16, 0x03, 0x01, 0x00, 0x2a) + 'PORT';
    const r = nf.forward(c.fromClient(tls), 'eth0', route, 100);
    expect(r.verdict).toBe('accept');
    expect(conntrackList(nf, 100).expectations).toHaveLength(0);
  });

  it('ports=: CT --helper ftp names the port-21 helper; with ports=2121 there is no helper "ftp"', () => {
    const nf = router('-A PREROUTING -p tcp --dport 2121 -j CT --helper ftp', { ports: [2121], loose: false });
    const c = new Conversation('192.0.2.100', 40000, '203.0.113.10', 2121);
    const r = nf.forward(c.syn(), 'eth0', route, 0);
    expect(cts(r)).toContain('helper-ignored');
    expect(conntrackList(nf, 0).entries[0]?.helper ?? null).toBeNull();
    // ports=2121 registers "ftp-0": that name attaches.
    const nf2 = router('-A PREROUTING -p tcp --dport 2121 -j CT --helper ftp-0', { ports: [2121], loose: false });
    expect(cts(nf2.forward(c.syn(), 'eth0', route, 0))).toContain('helper-assigned');
  });

  it('an explicitly attached helper works on any port (the kernel finds helpers by name, not port)', () => {
    const nf = router(
      '-A PREROUTING -p tcp --dport 2121 -j CT --helper ftp',
      undefined,
      '-A FORWARD -m state --state RELATED,ESTABLISHED -j ACCEPT\n-A FORWARD -p tcp --dport 2121 -j ACCEPT',
    );
    const c = control(nf, 2121);
    nf.forward(c.fromClient('PORT 192,0,2,100,50,60\r\n'), 'eth0', route, 100);
    expect(conntrackList(nf, 100).expectations).toHaveLength(1);
  });
});

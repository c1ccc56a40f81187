import { describe, expect, it } from 'vitest';
import { parseIpv4, type Ipv4 } from '../../codec/addr';
import { evaluateChain, type MatchContext } from './match';
import { parseIptablesSave, type Ruleset } from './parse';
import { SEED_002 } from './seed002.testkit';

const ip = (s: string): Ipv4 => parseIpv4(s)!;
const load = (text: string): Ruleset => {
  const r = parseIptablesSave(text);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.ruleset;
};
const pkt = (over: Partial<MatchContext>): MatchContext => ({
  src: ip('198.51.100.7'),
  dst: ip('203.0.113.10'),
  protocol: 6,
  srcPort: 40000,
  dstPort: 21,
  inIface: 'eth0',
  ctState: 'NEW',
  ...over,
});

describe('evaluateChain: the seed server firewall', () => {
  const rs = load(SEED_002);
  it('a SYN to :21 is NEW and accepted by rule 2 (the --dport 21 rule)', () => {
    const v = evaluateChain(rs, 'filter', 'INPUT', pkt({ tcpFlags: { syn: true } }));
    expect(v.target.kind).toBe('ACCEPT');
    expect([v.rule?.index, v.rule?.line]).toEqual([2, 6]);
  });
  it('a SYN to the passive port 3238 is rejected with icmp-host-prohibited by rule 4', () => {
    const v = evaluateChain(rs, 'filter', 'INPUT', pkt({ dstPort: 3238 }));
    expect(v.target).toEqual({ kind: 'REJECT', with: 'icmp-host-prohibited' });
    expect(v.rule?.index).toBe(4);
  });
  it('anything ESTABLISHED is accepted by rule 1', () => {
    const v = evaluateChain(rs, 'filter', 'INPUT', pkt({ dstPort: 3238, ctState: 'ESTABLISHED' }));
    expect([v.target.kind, v.rule?.index]).toEqual(['ACCEPT', 1]);
  });
  it('an FTP data connection the helper expected (RELATED) is accepted by rule 1', () => {
    const v = evaluateChain(rs, 'filter', 'INPUT', pkt({ dstPort: 3238, ctState: 'RELATED' }));
    expect(v.rule?.index).toBe(1);
  });
  it('UDP to 21 is not the tcp rule: rejected', () => {
    expect(evaluateChain(rs, 'filter', 'INPUT', pkt({ protocol: 17 })).rule?.index).toBe(4);
  });
  it('a chain with no rules gives its policy (ACCEPT here)', () => {
    const v = evaluateChain(rs, 'filter', 'OUTPUT', pkt({}));
    expect([v.target.kind, v.rule]).toEqual(['ACCEPT', null]);
  });
  it('a missing table accepts', () => {
    expect(evaluateChain(rs, 'nat', 'PREROUTING', pkt({})).target.kind).toBe('ACCEPT');
  });
});

describe('evaluateChain: table of match cases', () => {
  // [rule, packet, matches?] — each rule ACCEPTs in front of a DROP policy.
  const cases: [string, Partial<MatchContext>, boolean][] = [
    ['-s 10.0.0.0/8', { src: ip('10.200.1.1') }, true],
    ['-s 10.0.0.0/8', { src: ip('11.0.0.1') }, false],
    ['! -s 10.0.0.0/8', { src: ip('11.0.0.1') }, true],
    ['-d 203.0.113.10', { dst: ip('203.0.113.10') }, true],
    ['-d 203.0.113.10', { dst: ip('203.0.113.11') }, false],
    ['-s 0.0.0.0/0', { src: ip('1.2.3.4') }, true],
    ['-p tcp --dport 3001:3100', { dstPort: 3100 }, true],
    ['-p tcp --dport 3001:3100', { dstPort: 3101 }, false],
    ['-p tcp ! --dport 3001:3100', { dstPort: 3238 }, true],
    ['-p tcp --sport 20', { srcPort: 20 }, true],
    ['-p udp --dport 21', { dstPort: 21 }, false],
    ['! -p tcp', { protocol: 1 }, true],
    ['! -p tcp', {}, false],
    ['-p tcp -m multiport --dports 21,50000:50100', { dstPort: 50050 }, true],
    ['-p tcp -m multiport --dports 21,50000:50100', { dstPort: 50101 }, false],
    ['-p tcp -m multiport --ports 20,21', { srcPort: 20, dstPort: 40000 }, true],
    ['-p tcp -m multiport ! --dports 21', { dstPort: 22 }, true],
    ['-i eth+', { inIface: 'eth1' }, true],
    ['-i eth+', { inIface: 'wg0' }, false],
    ['-i eth0', { inIface: 'eth01' }, false],
    ['! -i eth0', { inIface: 'eth1' }, true],
    ['-m state --state NEW,ESTABLISHED', { ctState: 'ESTABLISHED' }, true],
    ['-m conntrack --ctstate RELATED', { ctState: 'NEW' }, false],
    ['-m conntrack ! --ctstate INVALID', { ctState: 'NEW' }, true],
    ['-m helper --helper ftp', { helper: 'ftp' }, true],
    ['-m helper --helper ftp', {}, false],
    ['-p tcp --syn', { tcpFlags: { syn: true } }, true],
    ['-p tcp --syn', { tcpFlags: { syn: true, ack: true } }, false],
    ['-p icmp --icmp-type destination-unreachable', { protocol: 1, srcPort: undefined, dstPort: undefined, icmpType: 3, icmpCode: 10 }, true],
    ['-p icmp --icmp-type port-unreachable', { protocol: 1, icmpType: 3, icmpCode: 10 }, false],
    ['-m comment --comment "anything"', {}, true],
  ];
  it.each(cases)('%s on %o → %s', (rule, over, hit) => {
    const rs = load(`*filter\n:FORWARD DROP [0:0]\n-A FORWARD ${rule} -j ACCEPT\nCOMMIT\n`);
    const v = evaluateChain(rs, 'filter', 'FORWARD', pkt(over));
    expect(v.target.kind).toBe(hit ? 'ACCEPT' : 'DROP');
    expect(v.rule === null).toBe(!hit);
  });
});

describe('evaluateChain: chains, RETURN, LOG, policy', () => {
  const rs = load(`*filter
:INPUT DROP [0:0]
:FTP - [0:0]
:LOGDROP - [0:0]
-A INPUT -j LOG --log-prefix "in: "
-A INPUT -p tcp -j FTP
-A INPUT -p icmp -j LOGDROP
-A INPUT -s 10.0.0.0/8 -j ACCEPT
-A FTP -s 192.0.2.0/24 -j RETURN
-A FTP -p tcp --dport 21 -j ACCEPT
-A LOGDROP -j LOG --log-prefix "dropped: "
-A LOGDROP -j REJECT --reject-with icmp-admin-prohibited
COMMIT
`);
  it('descends into a user chain and decides there', () => {
    const v = evaluateChain(rs, 'filter', 'INPUT', pkt({}));
    expect([v.target.kind, v.rule?.chain, v.rule?.index]).toEqual(['ACCEPT', 'FTP', 2]);
    expect(v.chainPath).toEqual(['INPUT', 'FTP']);
    expect(v.logs.map((r) => r.target.kind === 'LOG' && r.target.prefix)).toEqual(['in: ']);
  });
  it('RETURN comes back to the caller, which goes on with its next rule', () => {
    const v = evaluateChain(rs, 'filter', 'INPUT', pkt({ src: ip('192.0.2.5') }));
    expect([v.target.kind, v.rule]).toEqual(['DROP', null]);
    expect(v.chainPath).toEqual(['INPUT', 'FTP']);
  });
  it('running off a user chain returns too, and a later rule may still accept', () => {
    const v = evaluateChain(rs, 'filter', 'INPUT', pkt({ src: ip('10.1.1.1'), dstPort: 80 }));
    expect([v.target.kind, v.rule?.chain, v.rule?.index]).toEqual(['ACCEPT', 'INPUT', 4]);
  });
  it('LOG is not terminal: both LOGs recorded, REJECT decides', () => {
    const v = evaluateChain(rs, 'filter', 'INPUT', pkt({ protocol: 1, srcPort: undefined, dstPort: undefined }));
    expect(v.target).toEqual({ kind: 'REJECT', with: 'icmp-admin-prohibited' });
    expect(v.logs.map((r) => r.text)).toEqual(['-A INPUT -j LOG --log-prefix "in: "', '-A LOGDROP -j LOG --log-prefix "dropped: "']);
  });
  it('RETURN in a built-in chain gives the policy', () => {
    const r2 = load('*filter\n:FORWARD DROP [0:0]\n-A FORWARD -p tcp -j RETURN\n-A FORWARD -j ACCEPT\nCOMMIT\n');
    expect(evaluateChain(r2, 'filter', 'FORWARD', pkt({})).target.kind).toBe('DROP');
    expect(evaluateChain(r2, 'filter', 'FORWARD', pkt({ protocol: 17 })).target.kind).toBe('ACCEPT');
  });
  it('the first CT rule is the one that counts (raw table)', () => {
    const r3 = load('*raw\n-A PREROUTING -p tcp --dport 21 -j CT --helper ftp\n-A PREROUTING -j CT --notrack\nCOMMIT\n');
    const v = evaluateChain(r3, 'raw', 'PREROUTING', pkt({}));
    expect([v.target.kind, v.ct?.index]).toEqual(['ACCEPT', 1]);
    expect(evaluateChain(r3, 'raw', 'PREROUTING', pkt({ dstPort: 22 })).ct?.index).toBe(2);
  });
});

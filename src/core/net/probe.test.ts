import { describe, expect, it } from 'vitest';
import { parseCidr } from '../codec/addr';
import { ip, rules } from './netfilter.testkit';
import { probeInboundTcp, type ProbeDevice } from './probe';

const router = (text: string | null): ProbeDevice => ({
  id: 'fw',
  kind: 'router',
  interfaces: [
    { name: 'eth0', ip: ip('203.0.113.1'), prefix: 24, network: parseCidr('203.0.113.0/24')! },
    { name: 'eth1', ip: ip('192.0.2.2'), prefix: 24, network: parseCidr('192.0.2.0/24')! },
  ],
  routes: [{ to: parseCidr('0.0.0.0/0')!, via: ip('192.0.2.1'), dev: null }],
  firewall: text === null ? null : { ruleset: rules(text) },
  ftpHelper: { ports: [21], loose: false },
});
const opts = { to: ip('203.0.113.10'), from: ip('198.18.0.1') };
const probe = (text: string | null) => {
  const p = probeInboundTcp(router(text), opts);
  if ('error' in p) throw new Error(p.error);
  return p;
};

const head = '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n-A FORWARD -m state --state RELATED,ESTABLISHED -j ACCEPT\n';

describe('probeInboundTcp', () => {
  it('counts the ports a range rule opens, with the rule that opens them', () => {
    const p = probe(
      head + '-A FORWARD -d 203.0.113.10/32 -i eth1 -p tcp -m tcp --dport 21 -j ACCEPT\n-A FORWARD -d 203.0.113.10/32 -i eth1 -p tcp -m tcp --dport 3001:3100 -j ACCEPT\nCOMMIT\n',
    );
    expect(p.count).toBe(101);
    expect(p.inIface).toBe('eth1');
    expect(p.admitted.map((r) => [r.from, r.to, r.by.rule?.index])).toEqual([
      [21, 21, 2],
      [3001, 3100, 3],
    ]);
  });

  it('a rule accepting every NEW connection exposes all 65,535 ports', () => {
    const p = probe(head + '-A FORWARD -m state --state NEW -j ACCEPT\nCOMMIT\n');
    expect(p.count).toBe(65535);
    expect(p.admitted).toHaveLength(1);
    expect(p.admitted[0]!.by.rule?.index).toBe(2);
  });

  it('a policy ACCEPT and no firewall at all both admit everything, named as such', () => {
    expect(probe('*filter\n:FORWARD ACCEPT [0:0]\nCOMMIT\n').admitted[0]!.by.policy).toBe('ACCEPT');
    expect(probe(null).admitted[0]!.by.policy).toBe('no firewall');
  });

  it('only ESTABLISHED,RELATED admits no NEW SYN; REJECT and DROP rules close their ports', () => {
    expect(probe(head + 'COMMIT\n').count).toBe(0);
    const p = probe(
      '*filter\n:FORWARD ACCEPT [0:0]\n-A FORWARD -p tcp -m tcp --dport 1:1023 -j REJECT --reject-with tcp-reset\n-A FORWARD -p tcp -m multiport --dports 8000:8999,9100 -j DROP\nCOMMIT\n',
    );
    expect(p.count).toBe(65535 - 1023 - 1001);
  });

  it('a source-restricted rule admits nothing from another address', () => {
    expect(probe(head + '-A FORWARD -s 198.51.100.0/24 -p tcp -j ACCEPT\nCOMMIT\n').count).toBe(0);
  });

  it('a host probes its INPUT chain', () => {
    const host: ProbeDevice = {
      id: 'client',
      kind: 'host',
      interfaces: [{ name: 'eth0', ip: ip('192.168.1.100'), prefix: 24, network: parseCidr('192.168.1.0/24')! }],
      routes: [],
      gateway: ip('192.168.1.1'),
      firewall: {
        ruleset: rules('*filter\n:INPUT DROP [0:0]\n-A INPUT -m state --state ESTABLISHED,RELATED -j ACCEPT\n-A INPUT -p tcp -m tcp --dport 1024:65535 -j ACCEPT\nCOMMIT\n'),
      },
      ftpHelper: { ports: [21], loose: false },
    };
    const p = probeInboundTcp(host, { to: ip('192.168.1.100'), from: ip('198.18.0.1') });
    expect('error' in p ? p.error : p.count).toBe(64512);
  });
});

/**
 * A refusal's two sentences, built from the drop's fields for every `how`: the one that names
 * the device, and the one for a line that has named it already. The device's id also appears
 * inside other words and twice in the facts (a rule's text, the helper's reason, a segment), so
 * a sentence made by cutting or renaming the id in another text would come out wrong here.
 */
import { describe, expect, it } from 'vitest';
import { refusalAfterName, refusalBesideName, refusalNamed, type Refusal } from './refusal';

const rule = (index: number, text: string) => ({ table: 'filter', chain: 'FORWARD', index, line: 7, text });

/** [case, refusal, named with "Server firewall", after the name]. The device's id is "edge". */
const cases: [string, Refusal, string, string][] = [
  [
    'drop by the chain policy',
    { how: 'drop', rule: null, where: { table: 'filter', chain: 'FORWARD', by: 'policy', target: 'DROP' } },
    "Dropped by Server firewall, the FORWARD chain's policy",
    "dropped by the FORWARD chain's policy",
  ],
  [
    'drop by a rule that names the id twice',
    { how: 'drop', rule: rule(2, '-A FORWARD -i edge -o edge-lan -j DROP'), where: { table: 'filter', chain: 'FORWARD', by: 2, target: 'DROP' } },
    'Dropped by Server firewall, rule 2 of filter/FORWARD: -A FORWARD -i edge -o edge-lan -j DROP',
    'dropped by rule 2 of filter/FORWARD: -A FORWARD -i edge -o edge-lan -j DROP',
  ],
  [
    'reject by a rule in another table',
    {
      how: 'reject',
      rule: { table: 'raw', chain: 'PREROUTING', index: 1, line: 4, text: '-A PREROUTING -d 10.0.0.0/8 -j REJECT' },
      where: { table: 'raw', chain: 'PREROUTING', by: 1, target: 'REJECT', rejectWith: 'icmp-port-unreachable' },
    },
    'Rejected by Server firewall, rule 1 of raw/PREROUTING: -A PREROUTING -d 10.0.0.0/8 -j REJECT',
    'rejected by rule 1 of raw/PREROUTING: -A PREROUTING -d 10.0.0.0/8 -j REJECT',
  ],
  [
    'the FTP helper, whose reason names the id',
    { how: 'helper', rule: null, where: { table: 'filter', chain: 'FORWARD', by: 'conntrack', target: 'DROP', why: 'its FTP helper: "227 edge, edge" cannot be parsed' } },
    'Dropped by Server firewall, its FTP helper: "227 edge, edge" cannot be parsed',
    'dropped by its FTP helper: "227 edge, edge" cannot be parsed',
  ],
  ['no route', { how: 'no-route', rule: null, cause: { kind: 'no-route', dst: '10.0.0.10' } }, 'Server firewall has no route to 10.0.0.10', 'no route to 10.0.0.10'],
  [
    'no ARP answer, on a segment named after the device',
    { how: 'no-route', rule: null, cause: { kind: 'no-neighbour', segment: 'edge-wan', nextHop: '192.0.2.99' } },
    'Server firewall cannot reach its next hop 192.0.2.99: nothing on edge-wan answers for it (ARP failed)',
    'cannot reach its next hop 192.0.2.99: nothing on edge-wan answers for it (ARP failed)',
  ],
  [
    'a host not addressed',
    { how: 'no-socket', rule: null, cause: { kind: 'not-addressed', dst: '10.0.0.10' } },
    'Server firewall is not 10.0.0.10 and does not forward',
    'not 10.0.0.10, and it does not forward',
  ],
  [
    'nothing listening at the router',
    { how: 'no-socket', rule: null, cause: { kind: 'closed-port', port: 2121 } },
    'nothing listens on Server firewall at port 2121, so it answers with RST (TCP) or ICMP port unreachable',
    'nothing listens at port 2121, so it answers with RST (TCP) or ICMP port unreachable',
  ],
  ['TTL', { how: 'ttl', rule: null, cause: { kind: 'ttl' } }, 'TTL expired at Server firewall (a routing loop?)', 'TTL expired (a routing loop?)'],
];

describe('a refusal said from its fields', () => {
  it.each(cases)('%s', (_case, r, named, after) => {
    expect(refusalNamed(r, 'Server firewall')).toBe(named);
    expect(refusalAfterName(r)).toBe(after);
    expect(refusalBesideName(r)).toBe(after.charAt(0).toUpperCase() + after.slice(1));
  });

  it('every how is covered', () => {
    expect(new Set(cases.map(([, r]) => r.how))).toEqual(new Set(['drop', 'reject', 'helper', 'no-route', 'no-socket', 'ttl']));
  });

  it('the name is used as given: an id, or a label with characters a replacement pattern would expand', () => {
    const [, policy] = cases[0]!;
    expect(refusalNamed(policy, 'edge')).toBe("Dropped by edge, the FORWARD chain's policy");
    expect(refusalNamed(policy, '$& $1 router')).toBe("Dropped by $& $1 router, the FORWARD chain's policy");
    expect(refusalNamed(cases[4]![1], 'edge')).toBe('edge has no route to 10.0.0.10');
  });
});

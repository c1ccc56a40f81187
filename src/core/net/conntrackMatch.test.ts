/**
 * `-m conntrack` as iptables 1.8.9 accepts and prints it (the canonical texts below were read
 * back from iptables-save after iptables-restore in a namespace), and as xt_conntrack matches:
 * the port-forwarding router written with `--ctstate DNAT`.
 */
import { describe, expect, it } from 'vitest';
import { formatIpv4, type Ipv4 } from '../codec/addr';
import { parseIptablesSave } from './iptables/parse';
import { Netfilter, type NfEvent } from './netfilter';
import { Conversation, ip, rules, tcp } from './netfilter.testkit';

const canon = (line: string): string => {
  const r = parseIptablesSave(`*filter\n${line}\nCOMMIT\n`);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.ruleset.tables[0]!.chains.flatMap((c) => c.rules).map((x) => x.text)[0]!;
};
const error = (line: string): string => {
  const r = parseIptablesSave(`*filter\n${line}\nCOMMIT\n`);
  return r.ok ? '(accepted)' : r.errors.map((e) => e.message).join('; ');
};

describe('-m conntrack: what the loader accepts, as iptables-save prints it', () => {
  const cases: [string, string][] = [
    ['-A FORWARD -i wan -o lan -m conntrack --ctstate DNAT -j ACCEPT', '-A FORWARD -i wan -o lan -m conntrack --ctstate DNAT -j ACCEPT'],
    ['-A FORWARD -m conntrack --ctstate dnat,NEW,snat,untracked -j ACCEPT', '-A FORWARD -m conntrack --ctstate NEW,UNTRACKED,SNAT,DNAT -j ACCEPT'],
    ['-A FORWARD -m conntrack ! --ctstate SNAT -j ACCEPT', '-A FORWARD -m conntrack ! --ctstate SNAT -j ACCEPT'],
    ['-A FORWARD -m conntrack --ctstatus SEEN_REPLY,ASSURED,expected,CONFIRMED -j ACCEPT', '-A FORWARD -m conntrack --ctstatus EXPECTED,SEEN_REPLY,ASSURED,CONFIRMED -j ACCEPT'],
    ['-A FORWARD -m conntrack --ctstatus NONE -j ACCEPT', '-A FORWARD -m conntrack --ctstatus NONE -j ACCEPT'],
    ['-A FORWARD -m conntrack --ctorigdst 203.0.113.10 --ctorigdstport 21 -j ACCEPT', '-A FORWARD -m conntrack --ctorigdst 203.0.113.10 --ctorigdstport 21 -j ACCEPT'],
    [
      '-A FORWARD -m conntrack ! --ctorigdst 203.0.113.0/24 ! --ctorigdstport 3000:3100 -j ACCEPT',
      '-A FORWARD -m conntrack ! --ctorigdst 203.0.113.0/24 ! --ctorigdstport 3000:3100 -j ACCEPT',
    ],
    [
      '-A FORWARD -m conntrack --ctorigsrc 10.0.0.1 --ctreplsrc 10.0.0.10 --ctrepldst 1.2.3.4/16 --ctorigsrcport 5 --ctreplsrcport 21 --ctrepldstport 7 -j ACCEPT',
      '-A FORWARD -m conntrack --ctorigsrc 10.0.0.1 --ctreplsrc 10.0.0.10 --ctrepldst 1.2.3.4/16 --ctorigsrcport 5 --ctreplsrcport 21 --ctrepldstport 7 -j ACCEPT',
    ],
    ['-A FORWARD -m conntrack --ctdir REPLY -j ACCEPT', '-A FORWARD -m conntrack --ctdir REPLY -j ACCEPT'],
    // libxt_conntrack prints --ctexpire after --ctstatus and before --ctdir; one number when min = max.
    [
      '-A FORWARD -m conntrack --ctdir REPLY --ctexpire 10:300 --ctstatus ASSURED -j ACCEPT',
      '-A FORWARD -m conntrack --ctstatus ASSURED --ctexpire 10:300 --ctdir REPLY -j ACCEPT',
    ],
    ['-A FORWARD -m conntrack ! --ctexpire 5:5 -j DROP', '-A FORWARD -m conntrack ! --ctexpire 5 -j DROP'],
    ['-A FORWARD -m conntrack --ctdir original --ctstate NEW -j ACCEPT', '-A FORWARD -m conntrack --ctstate NEW --ctdir ORIGINAL -j ACCEPT'],
    ['-A FORWARD -m conntrack --ctproto tcp --ctstate NEW -j ACCEPT', '-A FORWARD -m conntrack --ctstate NEW --ctproto 6 -j ACCEPT'],
    [
      '-A FORWARD -m conntrack --ctstatus NONE --ctstate ESTABLISHED,RELATED --ctorigdstport 21 --ctdir ORIGINAL -j ACCEPT',
      '-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED --ctorigdstport 21 --ctstatus NONE --ctdir ORIGINAL -j ACCEPT',
    ],
  ];
  it.each(cases)('%s', (line, saved) => {
    expect(canon(line)).toBe(saved);
    expect(canon(saved)).toBe(saved);
  });

  it("refuses what iptables refuses, in iptables' words", () => {
    expect(error('-A FORWARD -m conntrack -j ACCEPT')).toMatch(/conntrack: At least one option is required/);
    expect(error('-A FORWARD -m conntrack ! --ctdir REPLY -j ACCEPT')).toMatch(/option "--ctdir" cannot be inverted/);
    expect(error('-A FORWARD -m conntrack --ctstate FOO -j ACCEPT')).toMatch(/Bad ctstate "FOO"/);
    expect(error('-A FORWARD -m conntrack --ctstatus FOO -j ACCEPT')).toMatch(/Bad ctstatus "FOO"/);
    expect(error('-A FORWARD -m conntrack --ctdir up -j ACCEPT')).toMatch(/Bad value for "--ctdir" option: "up"/);
    expect(error('-A FORWARD -m conntrack --ctorigdstport 21 --ctorigdstport 22 -j ACCEPT')).toMatch(/"--ctorigdstport" can only be used once/);
    expect(error('-A FORWARD -m state --state DNAT -j ACCEPT')).toMatch(/Bad state "DNAT"/);
    expect(error('-A FORWARD -m conntrack --ctexpire 20:10 -j ACCEPT')).toMatch(/expire min. range value "20" greater than max. range value "10"/);
    expect(error('-A FORWARD -m conntrack --ctexpire ten -j ACCEPT')).toMatch(/bad --ctexpire value "ten"/);
    expect(error('-A FORWARD -m conntrack --ctexpire 1 --ctexpire 2 -j ACCEPT')).toMatch(/"--ctexpire" can only be used once/);
  });
});

// ── a port-forwarding router: 203.0.113.10 published, server 10.0.0.10 on lan ──
const FORWARDING = `*nat
-A PREROUTING -d 203.0.113.10/32 -i wan -p tcp -m tcp --dport 21 -j DNAT --to-destination 10.0.0.10
COMMIT
*filter
:FORWARD DROP [0:0]
-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A FORWARD -i wan -o lan -m conntrack --ctstate DNAT -j ACCEPT
-A FORWARD -i lan -o wan -j ACCEPT
COMMIT
`;
const router = (text = FORWARDING) =>
  new Netfilter({
    device: 'router',
    ruleset: rules(text),
    helper: { ports: [21], loose: false },
    interfaces: [
      { name: 'lan', ip: ip('10.0.0.1'), prefix: 24 },
      { name: 'wan', ip: ip('203.0.113.1'), prefix: 24 },
    ],
  });
const route = (dst: Ipv4) => (formatIpv4(dst).startsWith('10.0.0.') ? 'lan' : 'wan');
const forwardRule = (events: NfEvent[]) =>
  events.filter((e): e is Extract<NfEvent, { kind: 'filter' }> => e.kind === 'filter' && e.chain === 'FORWARD').map((e) => e.rule?.index ?? `policy ${e.policy}`);

describe('--ctstate DNAT on a port-forwarding router', () => {
  it('admits the SYN the router itself forwarded (DNAT), and the connection goes on', () => {
    const nf = router();
    const c = new Conversation('198.51.100.7', 40000, '203.0.113.10', 21, { serverAs: ['10.0.0.10', 21] });
    const syn = nf.forward(c.syn(), 'wan', route, 0);
    expect(syn.verdict).toBe('accept');
    expect(forwardRule(syn.events)).toEqual([2]);
    expect(nf.forward(c.synAck(), 'lan', route, 1).verdict).toBe('accept');
    expect(nf.forward(c.ack(), 'wan', route, 2).verdict).toBe('accept');
  });

  it('silently drops a SYN sent straight to the private address (a client that trusted a 227 naming 10.0.0.10)', () => {
    const nf = router();
    const r = nf.forward(tcp('198.51.100.7', 40001, '10.0.0.10', 50069, { syn: true }), 'wan', route, 0);
    expect(r.verdict).toBe('drop');
    expect(forwardRule(r.events)).toEqual(['policy DROP']);
    expect(r.reply).toBeUndefined();
  });

  it('with --ctstate NEW instead, the same direct SYN would pass: DNAT is what tells them apart', () => {
    const nf = router(FORWARDING.replace('--ctstate DNAT', '--ctstate NEW'));
    expect(nf.forward(tcp('198.51.100.7', 40001, '10.0.0.10', 50069, { syn: true }), 'wan', route, 0).verdict).toBe('accept');
  });
});

describe('--ctorigdst, --ctorigdstport, --ctdir, --ctstatus', () => {
  const only = (rule: string) => `*nat
-A PREROUTING -d 203.0.113.10/32 -i wan -p tcp -m tcp --dport 21 -j DNAT --to-destination 10.0.0.10
COMMIT
*filter
:FORWARD DROP [0:0]
${rule}
COMMIT
`;
  const handshake = (nf: Netfilter) => {
    const c = new Conversation('198.51.100.7', 40000, '203.0.113.10', 21, { serverAs: ['10.0.0.10', 21] });
    return [nf.forward(c.syn(), 'wan', route, 0).verdict, nf.forward(c.synAck(), 'lan', route, 1).verdict, nf.forward(c.ack(), 'wan', route, 2).verdict];
  };

  it('--ctorigdst names the public address the client dialled, after DNAT changed the packet', () => {
    expect(handshake(router(only('-A FORWARD -m conntrack --ctorigdst 203.0.113.10 --ctorigdstport 21 -j ACCEPT')))).toEqual(['accept', 'accept', 'accept']);
    // -d sees the translated packet (10.0.0.10), the original tuple does not.
    expect(handshake(router(only('-A FORWARD -m conntrack --ctorigdst 10.0.0.10 -j ACCEPT')))).toEqual(['drop', 'drop', 'drop']);
    expect(handshake(router(only('-A FORWARD -m conntrack --ctorigdstport 22 -j ACCEPT')))[0]).toBe('drop');
  });

  it('--ctdir tells the reply direction from the original one', () => {
    const nf = router(only('-A FORWARD -m conntrack --ctdir ORIGINAL -j ACCEPT\n-A FORWARD -m conntrack --ctdir REPLY --ctstate ESTABLISHED -j ACCEPT'));
    expect(handshake(nf)).toEqual(['accept', 'accept', 'accept']);
    expect(handshake(router(only('-A FORWARD -m conntrack --ctdir ORIGINAL -j ACCEPT')))).toEqual(['accept', 'drop', 'accept']);
  });

  it('--ctstatus SEEN_REPLY holds once the SYN-ACK passed; ASSURED once the handshake finished; NONE never', () => {
    const seen = router(only('-A FORWARD -m conntrack --ctstate NEW -j ACCEPT\n-A FORWARD -m conntrack --ctstatus SEEN_REPLY -j ACCEPT'));
    expect(handshake(seen)).toEqual(['accept', 'accept', 'accept']);
    // The SYN-ACK is not assured yet: dropped. Conntrack still saw it (it runs before the
    // filter), so the third ACK sets ASSURED before FORWARD looks, and passes.
    const assured = router(only('-A FORWARD -m conntrack --ctstate NEW -j ACCEPT\n-A FORWARD -m conntrack --ctstatus ASSURED -j ACCEPT'));
    expect(handshake(assured)).toEqual(['accept', 'drop', 'accept']);
    expect(handshake(router(only('-A FORWARD -m conntrack --ctstatus NONE -j ACCEPT')))[0]).toBe('drop');
    expect(handshake(router(only('-A FORWARD -m conntrack ! --ctstatus NONE -j ACCEPT')))[0]).toBe('accept');
  });
});

describe('--ctexpire: the remaining lifetime of the connection entry, in seconds', () => {
  const only = (rule: string) => `*filter
:FORWARD DROP [0:0]
${rule}
COMMIT
`;
  const three = (nf: Netfilter) => {
    const c = new Conversation('198.51.100.7', 40000, '10.0.0.10', 21);
    return [nf.forward(c.syn(), 'wan', route, 0).verdict, nf.forward(c.synAck(), 'lan', route, 1000).verdict, nf.forward(c.ack(), 'wan', route, 2000).verdict];
  };

  it('an answered TCP connection has 432000 s (5 days) left, refreshed by every packet; the first SYN, not yet confirmed, reads 0', () => {
    // SYN: unconfirmed, 0 s left → only the first rule can take it.
    expect(three(router(only('-A FORWARD -m conntrack --ctexpire 0 -j ACCEPT\n-A FORWARD -m conntrack --ctexpire 432000 -j ACCEPT')))).toEqual(['accept', 'accept', 'accept']);
    expect(three(router(only('-A FORWARD -m conntrack --ctexpire 0 -j ACCEPT')))).toEqual(['accept', 'drop', 'drop']);
    // The SYN let through by state; what follows only by its lifetime.
    const after = (rule: string) => router(only(`-A FORWARD -m conntrack --ctstate NEW -j ACCEPT\n${rule}`));
    expect(three(after('-A FORWARD -m conntrack --ctexpire 400000:500000 -j ACCEPT'))).toEqual(['accept', 'accept', 'accept']);
    expect(three(after('-A FORWARD -m conntrack ! --ctexpire 400000:500000 -j ACCEPT'))).toEqual(['accept', 'drop', 'drop']);
    expect(three(after('-A FORWARD -m conntrack --ctexpire 432001:4294967295 -j ACCEPT'))).toEqual(['accept', 'drop', 'drop']);
  });

  it('after a RST the entry has 10 s left', () => {
    const nf = router(
      only('-A FORWARD -m conntrack --ctstate NEW -j ACCEPT\n-A FORWARD -m conntrack --ctexpire 11:500000 -j ACCEPT\n-A FORWARD -m conntrack --ctexpire 0:10 -j REJECT'),
    );
    const c = new Conversation('198.51.100.7', 40000, '10.0.0.10', 21);
    expect(three(nf)).toEqual(['accept', 'accept', 'accept']);
    expect(nf.forward(tcp('198.51.100.7', 40000, '10.0.0.10', 21, { rst: true }, c.cSeq), 'wan', route, 3000).verdict).toBe('reject');
  });
});

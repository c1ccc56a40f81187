import { describe, expect, it } from 'vitest';
import { argsOf, checkFields, emptyRule, fieldsOf, fieldsOfLine } from './ruleFields';
import { tokenize } from './iptablesText';

describe('rule fields', () => {
  it("reads the seed's lines", () => {
    const f = fieldsOfLine('-A INPUT -m state --state NEW -m tcp -p tcp --dport 21 -j ACCEPT');
    expect(f).toMatchObject({ proto: 'tcp', dport: '21', states: 'NEW', stateModule: 'state', target: 'ACCEPT', extra: [] });
    const r = fieldsOfLine('-A INPUT -j REJECT --reject-with icmp-host-prohibited');
    expect(r).toMatchObject({ target: 'REJECT', rejectWith: 'icmp-host-prohibited', targetExtra: [] });
  });

  it('writes iptables-save order and keeps what it does not show', () => {
    const f = fieldsOfLine('-A FORWARD ! -s 10.0.0.0/8 -i eth1 -p tcp -m multiport --dports 21,22 -m comment --comment "ftp and ssh" -j DNAT --to-destination 10.0.0.10');
    expect(f.extra).toEqual(['!', '-s', '10.0.0.0/8', '-m', 'multiport', '--dports', '21,22', '-m', 'comment', '--comment', 'ftp and ssh']);
    expect(argsOf(f)).toBe('-i eth1 -p tcp ! -s 10.0.0.0/8 -m multiport --dports 21,22 -m comment --comment "ftp and ssh" -j DNAT --to-destination 10.0.0.10');
  });

  it('round-trips: reading what it wrote gives the same fields', () => {
    const lines = [
      '-A INPUT -s 192.168.1.0/24 -p tcp -m tcp --dport 3001:3100 -m conntrack --ctstate NEW -j ACCEPT',
      '-A INPUT -m state --state ESTABLISHED,RELATED -j ACCEPT',
      '-A PREROUTING -p tcp --dport 21 -j CT --helper ftp',
      '-A OUTPUT -o eth0 -p udp -m udp --sport 53 -j DROP',
      '-A FORWARD -i wan -o lan -m conntrack --ctstate DNAT -j ACCEPT',
    ];
    for (const l of lines) {
      const f = fieldsOfLine(l);
      expect(fieldsOf(tokenize(argsOf(f)))).toEqual(f);
    }
  });

  it('adds -m tcp for ports, and the state module it came with', () => {
    expect(argsOf({ ...emptyRule(), proto: 'tcp', dport: '3001:3100', states: 'new' })).toBe('-p tcp -m tcp --dport 3001:3100 -m conntrack --ctstate NEW -j ACCEPT');
    expect(argsOf({ ...emptyRule(), states: 'RELATED', stateModule: 'state', target: 'REJECT', rejectWith: 'tcp-reset' })).toBe(
      '-m state --state RELATED -j REJECT --reject-with tcp-reset',
    );
  });

  it('keeps conntrack options other than --ctstate with their module', () => {
    const f = fieldsOfLine('-A FORWARD -m conntrack --ctorigdst 203.0.113.10 --ctorigdstport 21 -j ACCEPT');
    expect(argsOf(f)).toBe('-m conntrack --ctorigdst 203.0.113.10 --ctorigdstport 21 -j ACCEPT');
    const g = fieldsOfLine('-A FORWARD -m conntrack --ctstate DNAT --ctdir ORIGINAL -j ACCEPT');
    expect(argsOf(g)).toBe('-m conntrack --ctstate DNAT --ctdir ORIGINAL -j ACCEPT');
  });

  it('explains bad fields', () => {
    const ok = { ...emptyRule(), proto: 'tcp', dport: '21' };
    expect(checkFields(ok)).toBeNull();
    expect(checkFields({ ...ok, src: '10.0.0' })).toMatch(/source "10.0.0"/);
    expect(checkFields({ ...ok, dport: '3001-3100' })).toMatch(/range like 3001:3100/);
    expect(checkFields({ ...ok, proto: '' })).toMatch(/ports need protocol tcp or udp/);
    expect(checkFields({ ...ok, states: 'NEW,RELATE' })).toMatch(/unknown connection state RELATE/);
    // DNAT/SNAT are --ctstate words only.
    expect(checkFields({ ...ok, states: 'DNAT' })).toBeNull();
    expect(checkFields({ ...ok, states: 'DNAT', stateModule: 'state' })).toMatch(/unknown connection state DNAT/);
    expect(checkFields({ ...ok, target: '' })).toMatch(/target/);
  });
});

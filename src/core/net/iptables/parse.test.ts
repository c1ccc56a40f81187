import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseIptablesSave, serializeIptablesSave } from './parse';
import { SEED_002 } from './seed002.testkit';

describe('parseIptablesSave: the seed', () => {
  it('the seed file contains this text verbatim', () => {
    const seed = readFileSync('/work/shared/seeds/002_6c565dfce9afc12b.txt', 'utf8');
    const body = SEED_002.trim().split('\n');
    const at = seed.split('\n').findIndex((l) => l === body[0]);
    expect(at).toBeGreaterThanOrEqual(0);
    expect(seed.split('\n').slice(at, at + body.length)).toEqual(body);
  });

  it('loads with rule numbers, source lines and iptables-save text', () => {
    const r = parseIptablesSave(SEED_002);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const input = r.ruleset.tables[0]!.chains.find((c) => c.name === 'INPUT')!;
    expect(input.policy).toBe('ACCEPT');
    expect(input.rules.map((x) => [x.index, x.line, x.text])).toEqual([
      [1, 4, '-A INPUT -m state --state RELATED,ESTABLISHED -j ACCEPT'],
      [2, 6, '-A INPUT -p tcp -m state --state NEW -m tcp --dport 21 -j ACCEPT'],
      [3, 8, '-A INPUT -p tcp -m state --state NEW -m tcp --dport 22 -j ACCEPT'],
      [4, 10, '-A INPUT -j REJECT --reject-with icmp-host-prohibited'],
    ]);
    expect(input.rules[3]!.target).toEqual({ kind: 'REJECT', with: 'icmp-host-prohibited' });
  });
});

describe('parseIptablesSave: canonical text', () => {
  const cases: [string, string, string][] = [
    // [table, rule as written, as iptables-save prints it]
    ['filter', '-A FORWARD -p tcp --dport 21 -m state --state NEW -j ACCEPT', '-A FORWARD -p tcp -m tcp --dport 21 -m state --state NEW -j ACCEPT'],
    ['filter', '-A INPUT -p 6 -s 10.1.2.3/8 -j DROP', '-A INPUT -s 10.0.0.0/8 -p tcp -j DROP'],
    ['filter', '-A INPUT ! -i eth+ -p tcp ! --sport 1024: -j ACCEPT', '-A INPUT ! -i eth+ -p tcp -m tcp ! --sport 1024:65535 -j ACCEPT'],
    ['filter', '-A INPUT -p tcp -m multiport --dports ftp,50000:50100 -j ACCEPT', '-A INPUT -p tcp -m multiport --dports 21,50000:50100 -j ACCEPT'],
    ['filter', '-A INPUT -p all -j REJECT', '-A INPUT -j REJECT --reject-with icmp-port-unreachable'],
    ['filter', '-A INPUT -p tcp --syn -j REJECT --reject-with tcp-rst', '-A INPUT -p tcp -m tcp --tcp-flags FIN,SYN,RST,ACK SYN -j REJECT --reject-with tcp-reset'],
    ['filter', '-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED,NEW -j ACCEPT', '-A INPUT -m conntrack --ctstate NEW,RELATED,ESTABLISHED -j ACCEPT'],
    [
      'filter',
      '-A INPUT -m comment --comment \'FTP data\' -j LOG --log-prefix "ftp: " --log-level info',
      '-A INPUT -m comment --comment "FTP data" -j LOG --log-prefix "ftp: " --log-level 6',
    ],
    ['filter', '-A INPUT -m helper --helper ftp -j ACCEPT', '-A INPUT -m helper --helper ftp -j ACCEPT'],
    ['filter', '-A INPUT -p icmp --icmp-type echo-request -j ACCEPT', '-A INPUT -p icmp -m icmp --icmp-type 8 -j ACCEPT'],
    [
      'nat',
      '-A PREROUTING -i eth1 -d 203.0.113.1 -p tcp --dport 21 -j DNAT --to-destination 10.0.0.10',
      '-A PREROUTING -d 203.0.113.1/32 -i eth1 -p tcp -m tcp --dport 21 -j DNAT --to-destination 10.0.0.10',
    ],
    ['nat', '-A POSTROUTING -s 192.168.1.0/24 -o eth1 -j MASQUERADE', '-A POSTROUTING -s 192.168.1.0/24 -o eth1 -j MASQUERADE'],
    ['nat', '-A POSTROUTING -p tcp -o eth1 -j SNAT --to-source 198.51.100.1:1024-65535', '-A POSTROUTING -o eth1 -p tcp -j SNAT --to-source 198.51.100.1:1024-65535'],
    ['raw', '-A PREROUTING -p tcp --dport 21 -j CT --helper ftp', '-A PREROUTING -p tcp -m tcp --dport 21 -j CT --helper ftp'],
    ['raw', '-A OUTPUT -j CT --notrack', '-A OUTPUT -j CT --notrack'],
  ];
  it.each(cases)('%s: %s', (table, line, canonical) => {
    const r = parseIptablesSave(`*${table}\n${line}\nCOMMIT\n`);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const rules = r.ruleset.tables[0]!.chains.flatMap((c) => c.rules);
    expect(rules.map((x) => x.text)).toEqual([canonical]);
    // And the canonical text reads back to itself.
    const again = parseIptablesSave(`*${table}\n${canonical}\nCOMMIT\n`);
    expect(again.ok && again.ruleset.tables[0]!.chains.flatMap((c) => c.rules).map((x) => x.text)).toEqual([canonical]);
  });
});

describe('parseIptablesSave: errors, every bad line with its number', () => {
  const bad: [string, string, number, RegExp][] = [
    ['typo in an option', '*filter\n-A INPUT -p tcp --dprot 21 -j ACCEPT\nCOMMIT', 2, /unknown option "--dprot"/],
    ['port without -p', '*filter\n-A INPUT --dport 21 -j ACCEPT\nCOMMIT', 2, /unknown option "--dport"/],
    ['port too big', '*filter\n-A INPUT -p tcp --dport 70000 -j ACCEPT\nCOMMIT', 2, /invalid port\/service "70000"/],
    ['range backwards', '*filter\n-A INPUT -p udp --sport 30:20 -j ACCEPT\nCOMMIT', 2, /min > max/],
    ['bad CIDR', '*filter\n\n-A INPUT -s 10.0.0.0/33 -j ACCEPT\nCOMMIT', 3, /host\/network "10.0.0.0\/33"/],
    ['undeclared chain', '*filter\n-A FOO -j ACCEPT\nCOMMIT', 2, /chain "FOO" does not exist/],
    ['jump to nothing', '*filter\n-A INPUT -j ACCPET\nCOMMIT', 2, /Couldn't load target "ACCPET"/],
    ['missing COMMIT', '*filter\n-A INPUT -j ACCEPT\n', 2, /COMMIT expected/],
    ['DNAT in filter', '*filter\n-A INPUT -j DNAT --to-destination 1.2.3.4\nCOMMIT', 2, /only valid in the nat table/],
    ['DNAT in POSTROUTING', '*nat\n-A POSTROUTING -j DNAT --to-destination 1.2.3.4\nCOMMIT', 2, /only usable from PREROUTING\/OUTPUT/],
    ['FORWARD in nat', '*nat\n:FORWARD ACCEPT [0:0]\nCOMMIT', 2, /Bad built-in chain name/],
    ['tcp-reset without tcp', '*filter\n-A INPUT -p udp -j REJECT --reject-with tcp-reset\nCOMMIT', 2, /tcp-reset is only valid with -p tcp/],
    ['unknown state', '*filter\n-A INPUT -m state --state NEW,ESTABLISED -j ACCEPT\nCOMMIT', 2, /ESTABLISED/],
    ['CT outside raw', '*filter\n-A INPUT -p tcp -j CT --helper ftp\nCOMMIT', 2, /only valid in the raw table/],
    ['unknown table', '*security\nCOMMIT', 1, /Table does not exist/],
    ['rule before a table', '-A INPUT -j ACCEPT', 1, /no table given/],
    ['unterminated quote', '*filter\n-A INPUT -m comment --comment "oops -j ACCEPT\nCOMMIT', 2, /unterminated/],
    ['-m tcp with udp', '*filter\n-A INPUT -p udp -m tcp --dport 1 -j ACCEPT\nCOMMIT', 2, /-m tcp needs -p tcp/],
    ['loop', '*filter\n:A - [0:0]\n:B - [0:0]\n-A A -j B\n-A B -j A\n-A INPUT -j A\nCOMMIT', 6, /chain loop A -> B -> A/],
  ];
  it.each(bad)('%s', (_name, text, line, message) => {
    const r = parseIptablesSave(text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.some((e) => e.line === line && message.test(e.message))).toBe(true);
  });

  it('reports every bad line of one text, not just the first, and keeps the good rules', () => {
    const text = [
      '*filter',
      ':INPUT DROP [0:0]',
      '-A INPUT -p tcp --dprot 21 -j ACCEPT',
      '-A INPUT -p tcp --dport 21 -j ACCEPT',
      '-A INPUT -s nowhere -j ACCEPT',
      '-A INPUT -j NOPE',
      'COMMIT',
    ].join('\n');
    const r = parseIptablesSave(text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.line)).toEqual([3, 5, 6]);
    expect(r.errors[0]!.column).toBe(17);
    const input = r.partial.tables[0]!.chains.find((c) => c.name === 'INPUT')!;
    expect(input.rules.map((x) => [x.index, x.line])).toEqual([[1, 4]]);
    expect(input.policy).toBe('DROP');
  });

  it('never throws on garbage', () => {
    for (const t of ['*', '*filter\n:', '*filter\n:INPUT', '*filter\n-A', '*filter\n-A INPUT !', '*filter\n-A INPUT -j', '\u0000\n*nat\n-A PREROUTING -j DNAT', 'COMMIT\nCOMMIT'])
      expect(() => parseIptablesSave(t)).not.toThrow();
  });

  it('warns about the mangle table and keeps its lines', () => {
    const r = parseIptablesSave('*mangle\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -j MARK --set-mark 1\nCOMMIT\n*filter\nCOMMIT\n');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.warnings.map((w) => w.line)).toEqual([1]);
    expect(serializeIptablesSave(r.ruleset)).toContain('-A PREROUTING -j MARK --set-mark 1');
  });

  it('warns about rules after a catch-all', () => {
    const r = parseIptablesSave('*filter\n-A INPUT -j DROP\n-A INPUT -p tcp --dport 21 -j ACCEPT\nCOMMIT\n');
    expect(r.ok && r.warnings.map((w) => w.line)).toEqual([3]);
  });
});

describe('chain names: one rule for ":NAME - [0:0]" and "-N NAME", as iptables-restore 1.8.9', () => {
  const table = (line: string) => `*filter\n:INPUT ACCEPT [0:0]\n${line}\nCOMMIT\n`;
  // [line, iptables-restore's complaint]: both spellings of each are refused, on line 3.
  const refused: [string, RegExp][] = [
    ['ACCEPT', /chain name may not clash with target name/],
    ['LOG', /chain name may not clash with target name/],
    ['QUEUE', /chain name may not clash with target name/],
    ['-A', /chain name not allowed to start with `-'/],
    ['!ab', /chain name not allowed to start with `!'/],
    ['ABCDEFGHIJKLMNOPQRSTUVWXYZ123', /too long \(must be under 29 chars/],
    ['ééééééééééééééé', /too long/],
  ];
  it.each(refused)('%s is refused both ways', (name, message) => {
    for (const line of [`:${name} - [0:0]`, `-N ${name}`]) {
      const r = parseIptablesSave(table(line));
      expect(r.ok, line).toBe(false);
      if (r.ok) continue;
      expect(
        r.errors.map((e) => [e.line, message.test(e.message)]),
        line,
      ).toEqual([[3, true]]);
    }
  });

  it('accepts what iptables accepts, both ways: 28 characters, lower-case target names, punctuation, non-ASCII', () => {
    for (const name of ['ABCDEFGHIJKLMNOPQRSTUVWXYZ12', 'accept', 'a!b', 'a/b', 'é', 'my-chain.2', 'ERROR']) {
      for (const line of [`:${name} - [0:0]`, `-N ${name}`]) {
        const r = parseIptablesSave(table(line));
        expect(r.ok && r.ruleset.tables[0]!.chains.map((c) => c.name), line).toEqual(['INPUT', 'FORWARD', 'OUTPUT', name]);
      }
    }
  });

  it('-N takes one name and nothing after it', () => {
    const extra = parseIptablesSave(table('-N FOO extra'));
    expect(!extra.ok && extra.errors.map((e) => [e.line, e.column, e.message])).toEqual([[3, 8, "Bad argument `extra' (-N takes one chain name and nothing after it)"]]);
    const twice = parseIptablesSave(table('-N foo -N bar'));
    expect(!twice.ok && twice.errors[0]!.message).toMatch(/Cannot use -N with -N/);
    const none = parseIptablesSave(table('-N'));
    expect(!none.ok && none.errors[0]!.message).toMatch(/-N needs a chain name/);
  });

  it('a chain -N accepted prints back as a ":" line the parser reads again', () => {
    const r = parseIptablesSave(table('-N LOG_DROP\n-A INPUT -j LOG_DROP'));
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const text = serializeIptablesSave(r.ruleset);
    expect(text).toContain(':LOG_DROP - [0:0]');
    const again = parseIptablesSave(text);
    expect(again.ok && serializeIptablesSave(again.ruleset)).toBe(text);
  });
});

describe('found by fuzzing', () => {
  it('an empty *mangle table prints back as an empty *mangle table', () => {
    const text = '*filter\n:accept - [0:0]\nCOMMIT\n*mangle\nCOMMIT\n';
    const r = parseIptablesSave(text);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const printed = serializeIptablesSave(r.ruleset);
    expect(printed.endsWith('*mangle\nCOMMIT\n')).toBe(true);
    const again = parseIptablesSave(printed);
    expect(again.ok && again.ruleset).toEqual(r.ruleset);
  });
});

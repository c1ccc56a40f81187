import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { asIpv4, parseCidr, formatIpv4 } from '../../codec/addr';
import { ruleText } from './canon';
import { emptyTable, parseIptablesSave, serializeIptablesSave } from './parse';
import type { Match, PortSpec, RejectWith, Rule, Ruleset, TableName, Target } from './types';

const port = fc.integer({ min: 0, max: 65535 });
const range = fc.tuple(port, port).map(([a, b]) => ({ from: Math.min(a, b), to: Math.max(a, b) }));
const portSpec: fc.Arbitrary<PortSpec> = fc.tuple(range, fc.boolean()).map(([r, invert]) => ({ ...r, invert }));
const cidr = fc.tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 32 })).map(([n, p]) => parseCidr(`${formatIpv4(asIpv4(n))}/${p}`)!);
const iface = fc.tuple(fc.constantFrom('eth', 'ppp', 'wg'), fc.constantFrom('0', '1', '+'));
const text = fc.string({ unit: fc.constantFrom('a', 'Z', ' ', '"', "'", '\\', '-', ':', '_', '9', 'é'), maxLength: 20 });
const states = fc.subarray(['INVALID', 'NEW', 'RELATED', 'ESTABLISHED', 'UNTRACKED'] as const, { minLength: 1 });

/** Matches valid for `chain`, in the order iptables-save prints them. */
function matchesArb(chain: string, tcpOnly: boolean): fc.Arbitrary<Match[]> {
  return fc
    .record({
      s: fc.option(fc.tuple(cidr, fc.boolean())),
      d: fc.option(fc.tuple(cidr, fc.boolean())),
      i: fc.option(fc.tuple(iface, fc.boolean())),
      o: fc.option(fc.tuple(iface, fc.boolean())),
      proto: tcpOnly ? fc.constant(6) : fc.constantFrom(0, 1, 6, 17),
      ports: fc.option(fc.record({ sport: fc.option(portSpec), dport: fc.option(portSpec) })),
      multi: fc.option(fc.record({ dir: fc.constantFrom('sports', 'dports', 'ports'), ranges: fc.array(range, { minLength: 1, maxLength: 7 }), invert: fc.boolean() })),
      state: fc.option(fc.record({ module: fc.constantFrom('state', 'conntrack'), states, invert: fc.boolean() })),
      helper: fc.option(fc.boolean()),
      comment: fc.option(text),
      order: fc.shuffledSubarray(['ports', 'multi', 'state', 'helper', 'comment'] as const, { minLength: 5, maxLength: 5 }),
    })
    .map((g) => {
      const out: Match[] = [];
      if (g.s) out.push({ kind: 'source', cidr: g.s[0], invert: g.s[1] });
      if (g.d) out.push({ kind: 'destination', cidr: g.d[0], invert: g.d[1] });
      if (g.i && chain !== 'OUTPUT' && chain !== 'POSTROUTING') out.push({ kind: 'inIface', name: g.i[0].join(''), invert: g.i[1] });
      if (g.o && chain !== 'INPUT' && chain !== 'PREROUTING') out.push({ kind: 'outIface', name: g.o[0].join(''), invert: g.o[1] });
      if (g.proto !== 0) out.push({ kind: 'protocol', proto: g.proto, invert: false });
      const portProto = g.proto === 6 || g.proto === 17;
      for (const k of g.order) {
        if (k === 'ports' && g.ports && portProto) {
          const m: Match = { kind: g.proto === 6 ? 'tcp' : 'udp' };
          if (g.ports.sport) m.sport = g.ports.sport;
          if (g.ports.dport) m.dport = g.ports.dport;
          out.push(m);
        }
        if (k === 'multi' && g.multi && portProto) out.push({ kind: 'multiport', ...g.multi, ranges: g.multi.ranges.slice(0, 7) });
        if (k === 'state' && g.state) out.push({ kind: 'state', ...g.state, states: [...g.state.states] });
        if (k === 'helper' && g.helper !== null) out.push({ kind: 'helper', name: 'ftp', invert: g.helper });
        if (k === 'comment' && g.comment !== null) out.push({ kind: 'comment', text: g.comment });
      }
      return out;
    });
}

const ip = fc.integer({ min: 0, max: 0xffffffff }).map(asIpv4);

function targetArb(table: TableName, chain: string, users: string[], tcp: boolean, portProto: boolean): fc.Arbitrary<Target> {
  const common: fc.Arbitrary<Target>[] = [
    fc.constant({ kind: 'NONE' }),
    fc.constant({ kind: 'RETURN' }),
    fc.option(text.filter((t) => t.length > 0 && t.length <= 29)).map((p): Target => (p === null ? { kind: 'LOG' } : { kind: 'LOG', prefix: p })),
  ];
  if (users.length) common.push(fc.constantFrom(...users).map((c): Target => ({ kind: 'JUMP', chain: c })));
  const ports = portProto ? fc.option(range, { nil: undefined }) : fc.constant(undefined);
  const natTo = fc.tuple(ip, ports).map(([a, p]) => (p ? { ip: a, ports: p } : { ip: a }));
  if (table === 'filter') {
    const withs = [
      'icmp-net-unreachable',
      'icmp-host-unreachable',
      'icmp-port-unreachable',
      'icmp-proto-unreachable',
      'icmp-net-prohibited',
      'icmp-host-prohibited',
      'icmp-admin-prohibited',
      ...(tcp ? ['tcp-reset'] : []),
    ] as RejectWith[];
    return fc.oneof(
      ...common,
      fc.constant({ kind: 'ACCEPT' }),
      fc.constant({ kind: 'DROP' }),
      fc.constantFrom(...withs).map((w): Target => ({ kind: 'REJECT', with: w })),
    );
  }
  if (table === 'nat') {
    const dnat = natTo.map((to): Target => ({ kind: 'DNAT', to }));
    const snat = natTo.map((to): Target => ({ kind: 'SNAT', to }));
    const masq = ports.map((p): Target => (p ? { kind: 'MASQUERADE', ports: p } : { kind: 'MASQUERADE' }));
    const own = chain === 'PREROUTING' || chain === 'OUTPUT' ? [dnat] : chain === 'POSTROUTING' ? [snat, masq] : chain === 'INPUT' ? [snat] : [dnat, snat, masq];
    return fc.oneof(...common, fc.constant({ kind: 'ACCEPT' }), ...own);
  }
  return fc.oneof(
    ...common,
    fc.constant({ kind: 'ACCEPT' }),
    tcp ? fc.constant<Target>({ kind: 'CT', helper: 'ftp', notrack: false }) : fc.constant<Target>({ kind: 'CT', notrack: true }),
  );
}

const rulesetArb: fc.Arbitrary<Ruleset> = fc
  .record({
    tables: fc.shuffledSubarray(['raw', 'nat', 'filter'] as const, { minLength: 1 }),
    users: fc.array(fc.constantFrom<string>('ALLOW_FTP', 'LOGDROP', 'my-chain', 'X1'), { maxLength: 3 }).map((u) => [...new Set(u)]),
    policies: fc.array(fc.constantFrom('ACCEPT', 'DROP') as fc.Arbitrary<'ACCEPT' | 'DROP'>, { minLength: 4, maxLength: 4 }),
    seed: fc.integer(),
  })
  .chain(({ tables, users, policies }) => {
    const perTable = tables.map((name) => {
      const t = emptyTable(name);
      t.chains.forEach((c, i) => (c.policy = policies[i]!));
      // User chains may only jump "forward" in the list, so no loop can be generated.
      users.forEach((u) => t.chains.push({ name: u, builtin: false, policy: null, rules: [] }));
      const chainRules = t.chains.map((c) => {
        const later = c.builtin ? users : users.slice(users.indexOf(c.name) + 1);
        return fc.array(
          fc.boolean().chain((tcpOnly) =>
            matchesArb(c.name, tcpOnly).chain((matches) => {
              const p = matches.find((m) => m.kind === 'protocol');
              const proto = p?.kind === 'protocol' ? p.proto : 0;
              return targetArb(name, c.name, later, proto === 6, proto === 6 || proto === 17).map((target) => ({ matches, target }));
            }),
          ),
          { maxLength: 4 },
        );
      });
      return fc.tuple(...chainRules).map((rs) => {
        t.chains.forEach((c, ci) => {
          c.rules = rs[ci]!.map((r, i): Rule => ({ table: name, chain: c.name, index: i + 1, line: 0, text: ruleText(c.name, r.matches, r.target), ...r }));
        });
        return t;
      });
    });
    return fc.tuple(...perTable).map((ts) => ({ tables: ts }));
  });

const withoutLines = (r: Ruleset): Ruleset => ({
  tables: r.tables.map((t) => ({ ...t, chains: t.chains.map((c) => ({ ...c, rules: c.rules.map((x) => ({ ...x, line: 0 })) })) })),
});

describe('serializeIptablesSave', () => {
  it('prints text that parses back to the same ruleset', () => {
    fc.assert(
      fc.property(rulesetArb, (rs) => {
        const text = serializeIptablesSave(rs);
        const back = parseIptablesSave(text);
        if (!back.ok) throw new Error(`${JSON.stringify(back.errors)}\n${text}`);
        expect(withoutLines(back.ruleset)).toEqual(rs);
        // A second trip changes nothing: the text is already canonical.
        expect(serializeIptablesSave(back.ruleset)).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it('gives each rule its line in the printed text', () => {
    const r = parseIptablesSave('*filter\n:INPUT DROP [0:0]\n-A INPUT -p tcp --dport 21 -j ACCEPT\nCOMMIT\n');
    if (!r.ok) throw new Error('bad');
    const text = serializeIptablesSave(r.ruleset);
    expect(text).toBe('*filter\n:INPUT DROP [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -p tcp -m tcp --dport 21 -j ACCEPT\nCOMMIT\n');
    const again = parseIptablesSave(text);
    expect(again.ok && again.ruleset.tables[0]!.chains[0]!.rules[0]!.line).toBe(5);
  });
});

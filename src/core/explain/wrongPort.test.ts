/**
 * A client dialling a port nothing listens on (65535, the server listening on 21): the
 * explanation says so first, and the fix does not send the learner to open port 21 in a
 * firewall, nor 65535 — whether the server answered with RST, a firewall refused or dropped
 * the SYN, or a NAT router had nothing to forward.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { loadScenario, runScenario } from '../index';

function failureWithPort(id: string, port: number) {
  const f = JSON.parse(readFileSync(`src/scenarios/${id}.json`, 'utf8'));
  (f.client ?? f.clients[0]).connectPort = port;
  const l = loadScenario(f);
  if (!l.ok) throw new Error(JSON.stringify(l.errors));
  const t = runScenario(l.scenario).verdict.transfers.find((x) => !x.ok);
  if (!t?.failure) throw new Error('expected a failed transfer');
  return t.failure;
}

describe('nothing listens on the dialled port', () => {
  it.each([
    ['seed-passive-session', 'the server answers with RST', 'refused'],
    ['passive-server-firewall-reject', "the server's firewall rejects the SYN", 'icmp-prohibited'],
    ['passive-server-firewall-drop', "the server's firewall drops the SYN", 'syn-timeout'],
    ['server-nat-pasv-address', 'the NAT router has nothing to forward and answers with RST', 'refused'],
  ])('%s: %s', (id, _how, kind) => {
    const f = failureWithPort(id, 65535);
    expect(f.kind).toBe(kind);
    expect(f.explanation).toMatch(/^Nothing listens on port 65535; the server listens on 21\./);
    expect(f.fix).toMatch(/^Connect to port 21, where the server listens/);
    expect(f.fix).not.toMatch(/Allow TCP to port 21|route to the destination/);
  });

  it("a port a NAT router forwards to the server's port is not called wrong", () => {
    // The router forwards 2121 to the server's 21; the transfer then fails for its own reason (the 227 address).
    const f = JSON.parse(readFileSync('src/scenarios/server-nat-classic-no-pasv-address.json', 'utf8'));
    const edge = f.routers.find((r: { iptables?: string[] }) => r.iptables?.some((l) => l.includes('--dport 21 -j DNAT')));
    edge.iptables = edge.iptables.map((l: string) =>
      l.includes('--dport 21 -j DNAT') ? l.replace('--dport 21 -j DNAT --to-destination 10.0.0.10', '--dport 2121 -j DNAT --to-destination 10.0.0.10:21') : l,
    );
    (f.client ?? f.clients[0]).connectPort = 2121;
    const l = loadScenario(f);
    if (!l.ok) throw new Error(JSON.stringify(l.errors));
    const failed = runScenario(l.scenario).verdict.transfers.filter((t) => !t.ok);
    expect(failed.length).toBeGreaterThan(0);
    for (const t of failed) {
      expect(t.failure!.explanation).toMatch(/^The 227 reply named 10\.0\.0\.10/);
      expect(t.failure!.explanation).not.toMatch(/Nothing listens on port/);
    }
  });
});

/**
 * The learner's sentence for a packet a firewall refused is built from the drop event's own
 * fields (device, table, chain, rule number or policy, target, REJECT's answer), not parsed back
 * from the simulator's reason text: a policy drop, a DROP rule, a REJECT with an ICMP error and
 * one with a TCP reset each say which rule (or the policy) decided and what the sender got back.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { loadScenario, runScenario } from '../index';

type File = { hosts: { iptables?: string[] }[]; routers?: { id: string; label?: string }[] };

function firstFailure(id: string, edit?: (f: File) => void) {
  const f = JSON.parse(readFileSync(`src/scenarios/${id}.json`, 'utf8')) as File;
  edit?.(f);
  const l = loadScenario(f);
  if (!l.ok) throw new Error(JSON.stringify(l.errors));
  const run = runScenario(l.scenario);
  const failure = run.verdict.transfers.find((t) => !t.ok)?.failure;
  if (!failure) throw new Error('expected a failed transfer');
  const drop = run.trace.events[failure.step]!;
  if (drop.kind !== 'drop') throw new Error(`expected the failure's step to be a drop, got ${drop.kind}`);
  return { failure, drop };
}

/** The server's last rule (REJECT with icmp-host-prohibited) replaced by `rule`. */
const lastRejectIs = (rule: string) => (f: File) => {
  const server = f.hosts.find((h) => h.iptables)!;
  server.iptables = server.iptables!.map((l) => (l.includes('-j REJECT') ? rule : l));
};

describe('why a firewall refused a packet, from the drop event fields', () => {
  it("a chain's policy: no rule accepted it, so the policy (DROP) applied", () => {
    const { failure, drop } = firstFailure('server-nat-ctstate-dnat');
    expect(drop).toMatchObject({ device: 'server-edge', how: 'drop', rule: null, where: { table: 'filter', chain: 'FORWARD', by: 'policy', target: 'DROP' } });
    expect(failure.explanation).toContain("Port-forwarding router dropped it: no rule of its FORWARD chain accepted it, so the chain's policy (DROP) applied");
  });

  it('a DROP rule: its number, its chain and its text, and that DROP sends no answer', () => {
    const { failure, drop } = firstFailure('passive-server-firewall-drop');
    expect(drop).toMatchObject({ device: 'server', how: 'drop', where: { table: 'filter', chain: 'INPUT', by: 4, target: 'DROP' } });
    expect(drop.kind === 'drop' && drop.rule?.index).toBe(4);
    expect(failure.explanation).toContain('FTP server dropped it: rule 4 of its INPUT chain, `-A INPUT -j DROP`, matched it, and DROP discards it without any answer');
  });

  it('a REJECT rule with an ICMP error: which error the sender got back, with its type and code', () => {
    const { failure, drop } = firstFailure('passive-server-firewall-reject');
    expect(drop).toMatchObject({ how: 'reject', where: { chain: 'INPUT', by: 4, target: 'REJECT', rejectWith: 'icmp-host-prohibited' } });
    expect(failure.kind).toBe('icmp-prohibited');
    expect(failure.explanation).toContain(
      'FTP server refused it: rule 4 of its INPUT chain, `-A INPUT -j REJECT --reject-with icmp-host-prohibited`, matched it, and REJECT answers the sender with an ICMP error "host prohibited" (type 3 code 10)',
    );
  });

  it('a REJECT rule with a TCP reset: the sender got a RST', () => {
    const { failure, drop } = firstFailure('passive-server-firewall-reject', lastRejectIs('-A INPUT -p tcp -j REJECT --reject-with tcp-reset'));
    expect(drop).toMatchObject({ how: 'reject', where: { by: 4, target: 'REJECT', rejectWith: 'tcp-reset' } });
    expect(failure.kind).toBe('refused');
    expect(failure.explanation).toContain('FTP server refused it: rule 4 of its INPUT chain, `-A INPUT -p tcp -j REJECT --reject-with tcp-reset`');
    expect(failure.explanation).toContain('REJECT answers the sender with a TCP RST (reset)');
    expect(failure.explanation).not.toMatch(/ICMP error "/);
  });

  it('a REJECT rule that names no answer: the default, ICMP port unreachable', () => {
    const { failure, drop } = firstFailure('passive-server-firewall-reject', lastRejectIs('-A INPUT -j REJECT'));
    expect(drop).toMatchObject({ how: 'reject', where: { by: 4, target: 'REJECT', rejectWith: 'icmp-port-unreachable' } });
    expect(failure.explanation).toContain('REJECT answers the sender with an ICMP error "port unreachable" (type 3 code 3)');
  });
});

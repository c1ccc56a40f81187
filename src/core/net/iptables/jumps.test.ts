/**
 * Jumps between chains, as iptables-restore (nf_tables, Debian's default) checks them: a loop or
 * a nesting deeper than the kernel's jump stack, reachable from a built-in chain, is refused on
 * the line of the rule that made it so; every walk is iterative and linear in the text's size.
 * Texts and outcomes as iptables-nft-restore 1.8.9 gave them in a network namespace.
 */
import { describe, expect, it } from 'vitest';
import { parseIptablesSave } from './parse';
import { evaluateChain } from './match';
import { asIpv4 } from '../../codec/addr';

/** `:C0 - [0:0]` … then `-A FORWARD -j C0`, `-A Ci -j Ci+1`: n user chains each jumping to the next. */
function chained(n: number): string {
  const out = ['*filter', ':INPUT ACCEPT [0:0]', ':FORWARD ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]'];
  for (let i = 0; i < n; i++) out.push(`:C${i} - [0:0]`);
  out.push('-A FORWARD -j C0');
  for (let i = 0; i + 1 < n; i++) out.push(`-A C${i} -j C${i + 1}`);
  out.push('COMMIT');
  return out.join('\n') + '\n';
}

/** Line of `-A C{i} -j C{i+1}` in chained(n). */
const jumpLine = (n: number, i: number): number => 4 + n + 1 + i + 1;

describe('chain jumps: depth and loops as iptables-restore checks them', () => {
  it('15 user chains below FORWARD load; a 16th level is refused on the rule that reaches it', () => {
    expect(parseIptablesSave(chained(15)).ok).toBe(true);
    const r = parseIptablesSave(chained(16));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    // iptables-nft-restore: "line 36: RULE_APPEND failed (Too many links): rule in chain C14".
    expect(jumpLine(16, 14)).toBe(36);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]!.line).toBe(36);
    expect(r.errors[0]!.message).toMatch(/^RULE_APPEND failed \(Too many links\): rule in chain C14/);
    expect(r.errors[0]!.message).toContain('FORWARD -> C0 -> C1');
    expect(r.errors[0]!.message).toContain('C15');
  });

  it('a loop reachable from a built-in chain is refused on the rule that closes it, naming the loop', () => {
    const text = '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:A - [0:0]\n:B - [0:0]\n-A FORWARD -j A\n-A A -j B\n-A B -j A\nCOMMIT\n';
    const r = parseIptablesSave(text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.line)).toEqual([9]);
    expect(r.errors[0]!.message).toMatch(/rule in chain B.*chain loop A -> B -> A/);
  });

  it('the line is that of the rule that makes the loop reachable, when the loop was written first', () => {
    const text = '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:A - [0:0]\n:B - [0:0]\n-A A -j B\n-A B -j A\n-A INPUT -j A\nCOMMIT\n';
    const r = parseIptablesSave(text);
    expect(!r.ok && r.errors.map((e) => [e.line, /rule in chain INPUT/.test(e.message)])).toEqual([[9, true]]);
  });

  it('a loop no built-in chain reaches loads, as it does in the kernel (no packet can enter it)', () => {
    expect(parseIptablesSave('*filter\n:A - [0:0]\n:B - [0:0]\n-A A -j B\n-A B -j A\nCOMMIT\n').ok).toBe(true);
    expect(parseIptablesSave('*filter\n:A - [0:0]\n-A A -j A\nCOMMIT\n').ok).toBe(true);
  });

  it("6,000 chained user chains: refused fast, on the line of C14's jump, with no stack overflow", () => {
    const text = chained(6000);
    const t0 = performance.now();
    const r = parseIptablesSave(text);
    const ms = performance.now() - t0;
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors[0]!.line).toBe(jumpLine(6000, 14));
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]!.message).toMatch(/and 5,984 more rules/);
    expect(ms).toBeLessThan(2000);
  });

  it('60,000 chained user chains: linear (about a second on this 2-core machine; 20 s and a stack overflow before), and says where', () => {
    const text = chained(60000);
    const t0 = performance.now();
    const r = parseIptablesSave(text);
    const ms = performance.now() - t0;
    expect(!r.ok && r.errors[0]!.line).toBe(jumpLine(60000, 14));
    expect(ms).toBeLessThan(8000);
  });

  it('20,000 user chains that do not nest load, and a packet walks FORWARD through them', () => {
    const n = 20000;
    const out = ['*filter', ':FORWARD DROP [0:0]'];
    for (let i = 0; i < n; i++) out.push(`:C${i} - [0:0]`);
    for (let i = 0; i < n; i++) out.push(`-A FORWARD -p tcp -m tcp --dport ${1 + i} -j C${i}`);
    out.push(`-A C${n - 1} -j ACCEPT`, 'COMMIT');
    const t0 = performance.now();
    const r = parseIptablesSave(out.join('\n'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const v = evaluateChain(r.ruleset, 'filter', 'FORWARD', { src: asIpv4(1), dst: asIpv4(2), protocol: 6, srcPort: 1, dstPort: n, ctState: 'NEW' });
    expect(v.target.kind).toBe('ACCEPT');
    expect(v.chainPath).toEqual(['FORWARD', `C${n - 1}`]);
    expect(performance.now() - t0).toBeLessThan(5000);
  });
});

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compressToEncodedURIComponent } from 'lz-string';
import { applyDelta, diffDelta } from './delta';
import { BUILTIN_SCENARIOS } from '../../scenarios/index';
import { encodeShare } from './share';

const drop = BUILTIN_SCENARIOS.find((b) => b.id === 'passive-server-firewall-drop')!.json as { hosts: { iptables?: string[] }[]; seed: number };

describe('edit delta for share links', () => {
  it('one changed iptables line is a short delta, far shorter than the whole file', () => {
    const next = structuredClone(drop);
    const server = next.hosts.find((h) => h.iptables)!;
    const i = server.iptables!.findIndex((l) => l.includes('-j DROP'));
    server.iptables![i] = server.iptables![i]!.replace('DROP', 'ACCEPT');
    const d = diffDelta(drop, next);
    const link = compressToEncodedURIComponent(JSON.stringify(d));
    expect(link.length).toBeLessThan(120);
    expect(encodeShare(next, 0).length).toBeGreaterThan(1500);
    expect(applyDelta(drop, d)).toEqual({ ok: true, value: next });
  });

  it('an inserted rule is one splice', () => {
    const next = structuredClone(drop);
    const lines = next.hosts.find((h) => h.iptables)!.iptables!;
    lines.splice(5, 0, '-A INPUT -p tcp --dport 50000:50100 -j ACCEPT');
    const d = diffDelta(drop, next) as { hosts: { $a: Record<string, { iptables: { $s: unknown[] } }> } };
    const only = Object.values(d.hosts.$a)[0]!;
    expect(only.iptables.$s).toEqual([5, 0, '-A INPUT -p tcp --dport 50000:50100 -j ACCEPT']);
    expect(applyDelta(drop, d)).toEqual({ ok: true, value: next });
  });

  it('lines an editor turned into one text travel as a line splice', () => {
    const base = { vsftpd: ['# conf', 'listen=YES', 'pasv_min_port=3001', 'pasv_max_port=3300'] };
    const next = { vsftpd: '# conf\nlisten=YES\npasv_min_port=3001\npasv_max_port=3100\n' };
    const d = diffDelta(base, next);
    expect(d).toEqual({ vsftpd: { $t: [3, 1, 'pasv_max_port=3100', ''] } });
    expect(applyDelta(base, d)).toEqual({ ok: true, value: next });
  });

  it('no change: no delta; a removed key is null', () => {
    expect(diffDelta(drop, structuredClone(drop))).toBeUndefined();
    const { seed: _seed, ...noSeed } = drop;
    expect(diffDelta(drop, noSeed)).toEqual({ seed: null });
    expect(applyDelta(drop, { seed: null })).toEqual({ ok: true, value: noSeed });
  });

  it('round-trips any JSON edit (property)', () => {
    const json = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.integer(),
        fc.string(),
        fc.boolean(),
        fc.array(tie('value'), { maxLength: 4 }),
        fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd'), tie('value'), { maxKeys: 4 }),
      ),
    })).value;
    fc.assert(
      fc.property(json, json, (a, b) => {
        const r = applyDelta(a, diffDelta(a, b));
        expect(r).toEqual({ ok: true, value: b });
      }),
      { numRuns: 300 },
    );
  });

  it('a delta that does not fit the scenario says where', () => {
    const r = applyDelta(drop, { hosts: { $a: { '9': { label: 'x' } } } });
    expect(r).toEqual({ ok: false, message: 'The edit in the link changes item 9 of hosts, which has 2.' });
    expect(applyDelta(drop, { name: { $s: [0, 1] } }).ok).toBe(false);
  });
});

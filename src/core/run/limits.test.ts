/** A routing loop ends by TTL, and a run that would go on too long stops at its budget. */
import { describe, expect, it } from 'vitest';
import { BUILTIN_SCENARIOS } from '../../scenarios/index';
import { loadScenario } from '../scenario/load';
import { parseCidr, parseIpv4 } from '../codec/addr';
import { decodePacket } from '../codec/packet';
import { runScenario } from '../runScenario';

function load(id: string) {
  const r = loadScenario(BUILTIN_SCENARIOS.find((s) => s.id === id)!.json);
  if (!r.ok) throw new Error(id);
  return r.scenario;
}

describe('run limits', () => {
  it('a routing loop ends by TTL with ICMP time exceeded, not a hang', () => {
    const s = load('server-nat-curl-no-pasv-address');
    // The internet router loses its server-side link and sends everything back to the client router.
    const internet = s.routers.find((r) => r.role === 'internet')!;
    internet.interfaces = internet.interfaces.filter((i) => i.segment !== 'server-wan');
    internet.routes = [{ to: parseCidr('0.0.0.0/0')!, via: parseIpv4('198.51.100.1')!, dev: null }];
    const r = runScenario(s);
    expect(r.verdict.budgetExhausted).toBe(false);
    expect(r.verdict.ok).toBe(false);
    const ttlDrops = r.trace.events.filter((e) => e.kind === 'drop' && e.how === 'ttl');
    expect(ttlDrops.length).toBeGreaterThan(0);
    const timeExceeded = r.trace.events.some(
      (e) =>
        e.kind === 'send' &&
        (() => {
          const p = decodePacket(e.bytes);
          return p.ok && p.value.icmp?.type === 11;
        })(),
    );
    expect(timeExceeded).toBe(true);
  });

  it('a server that cannot bind a passive port resets the session; the transfer is reported, not lost', () => {
    const json = structuredClone(BUILTIN_SCENARIOS.find((s) => s.id === 'seed-passive-session')!.json) as any;
    // A second client at the same time: the pinned single passive port is still taken.
    json.hosts.push({ id: 'testbox3', role: 'client', ip: '192.168.150.81/24' });
    json.clients = [json.client, { ...json.client, id: 'second', host: 'testbox3', controlPort: undefined }];
    delete json.client;
    const loaded = loadScenario(json);
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
    const r = runScenario(loaded.scenario);
    expect(r.verdict.transfers).toHaveLength(2);
    const failed = r.verdict.transfers.filter((t) => !t.ok);
    expect(failed).toHaveLength(1);
    expect(failed[0]!.failure!.clientSees.join('\n')).toMatch(/500 OOPS: vsf_sysutil_bind/);
    expect(failed[0]!.failure!.fix).toMatch(/pasv_min_port/);
  });

  it('stops at the event budget and says so', () => {
    const r = runScenario(load('seed-passive-session'), { budget: 10 });
    expect(r.verdict.budgetExhausted).toBe(true);
    expect(r.verdict.ok).toBe(false);
    expect(r.trace.events.some((e) => e.kind === 'budget')).toBe(true);
    expect(r.verdict.summary).toMatch(/budget/);
  });
});

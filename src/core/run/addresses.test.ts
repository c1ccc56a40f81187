/**
 * Several addresses on one interface (`ip addr add 203.0.113.10/32 dev wan`): the loader reads
 * them, ARP and routing use them, and the router's own answers come from the right one.
 */
import { describe, expect, it } from 'vitest';
import { BUILTIN_SCENARIOS } from '../../scenarios/index';
import { formatIpv4 } from '../codec/addr';
import { decodePacket } from '../codec/packet';
import { formatScenarioError, loadScenario } from '../scenario/load';
import { runScenario, type RunResult } from '../runScenario';
import type { TraceEvent } from '../sim/trace';

const ID = 'server-nat-second-address';
function json(edit?: (j: any) => void): any {
  const j = structuredClone(BUILTIN_SCENARIOS.find((s) => s.id === ID)!.json) as any;
  edit?.(j);
  return j;
}
function run(edit?: (j: any) => void): RunResult {
  const r = loadScenario(json(edit), `${ID}.json`);
  if (!r.ok) throw new Error(r.errors.map(formatScenarioError).join('\n'));
  return runScenario(r.scenario);
}
const edge = (j: any) => j.routers.find((r: any) => r.id === 'server-edge');
type Send = Extract<TraceEvent, { kind: 'send' }>;
const packets = (r: RunResult, device: string) =>
  r.trace.events
    .filter((e): e is Send => e.kind === 'send' && e.device === device)
    .map((e) => decodePacket(e.bytes))
    .flatMap((p) => (p.ok ? [p.value] : []));

describe('a second address on the router’s wan interface', () => {
  it('the built-in succeeds: 203.0.113.10 is answered by the router (ARP) and DNATed to the server', () => {
    const r = run();
    expect(r.verdict.ok).toBe(true);
    // The Internet router hands packets for .10 to server-edge, which forwards them to 10.0.0.10.
    const inet = r.trace.events.filter((e): e is Send => e.kind === 'send' && e.device === 'internet' && e.conn === 'client/control');
    expect(inet.length).toBeGreaterThan(0);
    expect(inet.every((e) => e.to === 'server-edge' || e.to === 'client-edge')).toBe(true);
    const toServer = packets(r, 'server-edge').filter((p) => p.tcp && formatIpv4(p.ip.header.dst) === '10.0.0.10');
    expect(toServer.length).toBeGreaterThan(0);
    // The server's replies leave as 203.0.113.10 (SNAT to the second address), not the primary .1.
    const out = packets(r, 'server-edge').filter((p) => p.tcp && formatIpv4(p.ip.header.dst) === '198.51.100.1');
    expect(new Set(out.map((p) => formatIpv4(p.ip.header.src)))).toEqual(new Set(['203.0.113.10']));
  });

  it('without the extra address nothing on the segment owns 203.0.113.10: the loader says so (no ARP answer)', () => {
    const r = loadScenario(json((j) => delete edge(j).interfaces[1].addresses));
    expect(r.ok ? [] : r.errors.map(formatScenarioError)).toEqual([expect.stringMatching(/client\.connectTo: .*nothing on segment "server-wan" has the address 203\.0\.113\.10/)]);
  });

  it('a port nothing forwards is answered by the router itself: RST from 203.0.113.10, the address dialled', () => {
    const r = run((j) => (j.client.connectPort = 2222));
    const rst = packets(r, 'server-edge').find((p) => p.tcp?.flags.rst);
    expect(rst && formatIpv4(rst.ip.header.src)).toBe('203.0.113.10');
    const said = r.trace.events.filter((e) => e.kind === 'console').map((e) => (e as { text: string }).text);
    expect(said).toContain('ftp: connect: Connection refused');
    expect(r.verdict.ok).toBe(false);
  });

  it('REJECT with an ICMP error on INPUT answers from the address the packet was sent to', () => {
    const r = run((j) => {
      j.client.connectPort = 2222;
      edge(j).iptables.push('*filter', ':INPUT ACCEPT [0:0]', '-A INPUT -p tcp -m tcp --dport 2222 -j REJECT --reject-with icmp-port-unreachable', 'COMMIT');
    });
    const icmp = packets(r, 'server-edge').find((p) => p.icmp);
    expect(icmp && formatIpv4(icmp.ip.header.src)).toBe('203.0.113.10');
  });

  it('the loader checks each extra address and names where it is', () => {
    const bad = (addresses: unknown) => {
      const r = loadScenario(json((j) => (edge(j).interfaces[1].addresses = addresses)));
      return r.ok ? [] : r.errors.map(formatScenarioError);
    };
    expect(bad(['203.0.113.300'])).toEqual([expect.stringMatching(/^routers\[2\]\.interfaces\[1\]\.addresses\[0\]: "203\.0\.113\.300" is not an IPv4 address/)]);
    expect(bad(['203.0.113.1/32'])).toEqual([expect.stringMatching(/addresses\[0\]: 203\.0\.113\.1 is already an address of this router/)]);
    expect(bad(['203.0.113.10', '10.0.0.1'])).toEqual([expect.stringMatching(/addresses\[1\]: 10\.0\.0\.1 is already an address/)]);
    // A bare address is /32, as `ip addr add` takes it.
    const ok = loadScenario(json((j) => (edge(j).interfaces[1].addresses = ['203.0.113.10'])));
    expect(ok.ok && ok.scenario.routers[2]!.interfaces[1]!.extra.map((a) => a.prefix)).toEqual([32]);
    // Another device may not use the same address on the segment.
    const clash = loadScenario(json((j) => (j.routers.find((r: any) => r.id === 'internet').interfaces[1].ip = '203.0.113.10/24')));
    expect(clash.ok ? [] : clash.errors.map(formatScenarioError)).toContainEqual(expect.stringMatching(/address 203\.0\.113\.10 on segment "server-wan" is also used by/));
  });
});

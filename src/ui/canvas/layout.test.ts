/**
 * Several clients stand side by side on their LAN (every client's host in the first column),
 * not one of them in the middle of the chain behind the router it is reached through.
 */
import { describe, expect, it } from 'vitest';
import { loadScenario, type ScenarioFile } from '../../core/index';
import { BUILTIN_SCENARIOS } from '../../scenarios/index';
import { layoutTopology } from './layout';

type Json = Record<string, unknown> & { hosts: Record<string, unknown>[] };

function withSecondClient(id: string, host: Record<string, unknown>): ScenarioFile {
  const f = structuredClone(BUILTIN_SCENARIOS.find((b) => b.id === id)!.json) as unknown as Json;
  const first = f.client as Record<string, unknown>;
  delete f.client;
  f.hosts.push(host);
  f.clients = [
    { ...first, id: 'client-1' },
    { id: 'client-2', host: host.id, profile: 'classic', mode: 'passive', script: ['login', 'ls', 'quit'] },
  ];
  return f as unknown as ScenarioFile;
}

function columns(file: ScenarioFile) {
  const loaded = loadScenario(file, 'two-clients.json');
  if (!loaded.ok) throw new Error(loaded.errors.map((e) => `${e.path}: ${e.message}`).join('; '));
  const { devices, links } = layoutTopology(loaded.scenario);
  return { col: new Map(devices.map((d) => [d.id, d.column])), row: new Map(devices.map((d) => [d.id, d.row])), links };
}

describe('several clients on the canvas', () => {
  it('a second client on the client LAN behind a NAT router sits beside the first, the chain after them', () => {
    const file = withSecondClient('passive-server-firewall-drop', {
      id: 'desk',
      label: 'Desk PC',
      role: 'client',
      ip: '192.168.1.101/24',
      gateway: '192.168.1.1',
      segment: 'client-lan',
    });
    const { col, row, links } = columns(file);
    expect(col.get('client')).toBe(0);
    expect(col.get('desk')).toBe(0);
    expect(new Set([row.get('client'), row.get('desk')])).toEqual(new Set([0, 1]));
    // The chain goes on after them: the client's router next, the server last.
    expect(col.get('client-edge')).toBe(1);
    expect(col.get('server')).toBe(Math.max(...col.values()));
    // Both clients are linked to their router, drawn left to right.
    expect(
      links
        .filter((l) => l.target === 'client-edge')
        .map((l) => l.source)
        .sort(),
    ).toEqual(['client', 'desk']);
  });

  it('on a LAN without a router (the seeds), the second client is not drawn between the first and the server', () => {
    const file = withSecondClient('seed-passive-session', { id: 'testbox3', label: 'testbox3', role: 'client', ip: '192.168.150.81/24' });
    const { col } = columns(file);
    expect(col.get('testbox1')).toBe(0);
    expect(col.get('testbox3')).toBe(0);
    expect(col.get('server')).toBe(1);
  });

  it('one client: the chain as before, the client first', () => {
    const { col } = columns(BUILTIN_SCENARIOS.find((b) => b.id === 'passive-server-firewall-drop')!.json as ScenarioFile);
    expect(col.get('client')).toBe(0);
    expect([...col.values()].sort()).toEqual([0, 1, 2, 3, 4]);
  });
});

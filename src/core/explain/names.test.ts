/**
 * One name per device: the verdict's explanation and fix name devices as the canvas does
 * ("Server firewall"), the structured culprit keeps the id (JSON, the command line).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { loadScenario, runScenario } from '../index';
import { culpritDetail, nameWithId } from './names';
import { BUILTIN_SCENARIOS } from '../../scenarios/index';
import { formatVerdict } from '../../cli/format';

function verdictOf(id: string) {
  const l = loadScenario(JSON.parse(readFileSync(`src/scenarios/${id}.json`, 'utf8')));
  if (!l.ok) throw new Error(JSON.stringify(l.errors));
  return runScenario(l.scenario).verdict;
}

describe('device names', () => {
  it('the command line names a device with its id', () => {
    expect(nameWithId('server-edge', 'Server firewall')).toBe('Server firewall (server-edge)');
    expect(nameWithId('server', undefined)).toBe('server');
  });

  it.each([
    ['seed-incident-pasv-range', 'server-edge', 'Server firewall'],
    ['active-client-firewall-blocked', 'client-edge', 'Client router'],
  ])('%s: the explanation and fix say "%s" by its display name', (id, deviceId, name) => {
    const f = verdictOf(id).transfers.find((t) => t.failure)!.failure!;
    expect(f.culprit?.device).toBe(deviceId);
    const text = `${f.explanation} ${f.fix}`;
    expect(text).toContain(name);
    expect(text).not.toMatch(new RegExp(`(?<![\\w-])${deviceId}(?![\\w-])`));
  });
});

describe('a reason shown once, after its device', () => {
  it('a label that starts with its id is not followed by the id again', () => {
    expect(nameWithId('testbox2', 'testbox2 (FileZilla Server)')).toBe('testbox2 (FileZilla Server)');
    expect(nameWithId('server', 'testbox2')).toBe('testbox2 (server)');
  });

  it('culpritDetail: a dropped packet is said from the drop’s fields, without the device; a setting as it is', () => {
    // The texts kept for the JSON (with the id) are not what the line says: it is built from `drop`.
    expect(culpritDetail({ device: 'server-edge', rule: null, setting: 'kept for the JSON', drop: { how: 'no-socket', cause: { kind: 'closed-port', port: 50044 } } })).toEqual({
      kind: 'reason',
      text: 'nothing listens at port 50044, so it answers with RST (TCP) or ICMP port unreachable',
    });
    expect(
      culpritDetail({ device: 'edge', rule: null, policy: 'kept', drop: { how: 'drop', where: { table: 'filter', chain: 'FORWARD', by: 'policy', target: 'DROP' } } }),
    ).toEqual({
      kind: 'policy',
      text: "dropped by the FORWARD chain's policy",
    });
    expect(culpritDetail({ device: 'edge', rule: null, setting: 'kept', drop: { how: 'no-route', cause: { kind: 'no-route', dst: '10.0.0.10' } } })).toEqual({
      kind: 'reason',
      text: 'no route to 10.0.0.10',
    });
    expect(culpritDetail({ device: 'server', rule: null, setting: 'pasv_address unset' })).toEqual({ kind: 'setting', text: 'pasv_address unset' });
    // A setting that names a field after the device's id is not a sentence about the device: left whole.
    expect(culpritDetail({ device: 'server', rule: null, setting: 'local_enable / server.users' })).toEqual({ kind: 'setting', text: 'local_enable / server.users' });
  });

  // Every built-in's failures, as the CLI prints them: the where line names the device once by its
  // display name with the id in parentheses, and the explanation names it once per clause.
  const files = BUILTIN_SCENARIOS.map((b) => [b.id, b.json] as const);
  it.each(files)('%s: where and why name a device once', (_id, json) => {
    const l = loadScenario(json as never);
    if (!l.ok) throw new Error(JSON.stringify(l.errors));
    const run = runScenario(l.scenario);
    const names = new Map([...l.scenario.hosts, ...l.scenario.routers].map((d) => [d.id, d.label]));
    const text = formatVerdict(run.verdict, names);
    const esc = (x: string) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    for (const line of text.split('\n').filter((x) => x.trim().startsWith('where:'))) {
      const c = run.verdict.transfers.map((t) => t.failure?.culprit).find((x) => x && line.includes(`where: ${nameWithId(x.device, names.get(x.device))}`))!;
      expect(c, line).toBeDefined();
      // After "Server firewall (server-edge), " the detail names no device again (an id with a
      // hyphen is never an English word, so it is looked for too).
      const rest = line.slice(line.indexOf(nameWithId(c.device, names.get(c.device))) + nameWithId(c.device, names.get(c.device)).length);
      for (const [id, name] of names) {
        expect(rest, line).not.toMatch(new RegExp(`(?<![\\w.-])${esc(name)}(?![\\w-])`));
        if (id.includes('-')) expect(rest, line).not.toMatch(new RegExp(`(?<![\\w.-])${esc(id)}(?![\\w-])`));
      }
    }
    for (const t of run.verdict.transfers) {
      const e = t.failure?.explanation ?? '';
      expect(e).not.toMatch(/nothing listens on \S+ at that port, so it answers with RST \(TCP\) or ICMP/);
    }
  });
});

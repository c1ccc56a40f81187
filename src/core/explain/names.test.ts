/**
 * One name per device: the verdict's explanation and fix name devices as the canvas does
 * ("Server firewall"), the structured culprit keeps the id (JSON, the command line).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { loadScenario, runScenario } from '../index';
import { culpritDetail, nameDevice, nameWithId, reasonAfterName, reasonBesideName } from './names';
import { BUILTIN_SCENARIOS } from '../../scenarios/index';
import { formatVerdict } from '../../cli/format';

function verdictOf(id: string) {
  const l = loadScenario(JSON.parse(readFileSync(`src/scenarios/${id}.json`, 'utf8')));
  if (!l.ok) throw new Error(JSON.stringify(l.errors));
  return runScenario(l.scenario).verdict;
}

describe('device names', () => {
  it('renames whole ids only', () => {
    expect(nameDevice('Dropped by server-edge, the FORWARD chain’s policy', 'server-edge', 'Server firewall')).toBe('Dropped by Server firewall, the FORWARD chain’s policy');
    expect(nameDevice('nothing listens on server at that port', 'server', 'FTP server')).toBe('nothing listens on FTP server at that port');
    expect(nameDevice('server-edge and ftp-server', 'server', 'FTP server')).toBe('server-edge and ftp-server');
    expect(nameDevice('a $& b', 'a', '$1')).toBe('$1 $& b');
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

  it('a refusal reason shown after its device drops the repeated "by <device>"', () => {
    expect(reasonAfterName('Dropped by server-edge, the FORWARD chain’s policy', 'server-edge')).toBe('dropped by the FORWARD chain’s policy');
    expect(reasonAfterName('Rejected by crouter, rule 2 of filter/FORWARD: -j REJECT', 'crouter')).toBe('rejected by rule 2 of filter/FORWARD: -j REJECT');
    // Another device's reason, or text not in that form, is left as it is.
    expect(reasonAfterName('Dropped by server-edge-2, the INPUT chain’s policy', 'server-edge')).toBe('Dropped by server-edge-2, the INPUT chain’s policy');
    expect(reasonAfterName('nothing listens here on server', 'server')).toBe('nothing listens here on server');
  });
});

describe('a reason shown once, after its device', () => {
  it('every reason form that names its device drops the device', () => {
    const cases: [string, string, string][] = [
      [
        'nothing listens on server-edge at that port, so it answers with RST (TCP) or ICMP port unreachable',
        'server-edge',
        'nothing listens at that port, so it answers with RST (TCP) or ICMP port unreachable',
      ],
      ['server-edge has no route to 10.0.0.10', 'server-edge', 'no route to 10.0.0.10'],
      ['client is not 10.0.0.10 and does not forward', 'client', 'not 10.0.0.10, and it does not forward'],
      ['TTL expired at core (a routing loop?)', 'core', 'TTL expired (a routing loop?)'],
    ];
    for (const [text, id, out] of cases) expect(reasonAfterName(text, id)).toBe(out);
    // Whole ids only: server's reason is not server-edge's.
    expect(reasonAfterName('nothing listens on server-edge at that port', 'server')).toBe('nothing listens on server-edge at that port');
    expect(reasonBesideName('Dropped by server-edge, the FORWARD chain’s policy', 'server-edge')).toBe('Dropped by the FORWARD chain’s policy');
  });

  it('a label that starts with its id is not followed by the id again', () => {
    expect(nameWithId('testbox2', 'testbox2 (FileZilla Server)')).toBe('testbox2 (FileZilla Server)');
    expect(nameWithId('server', 'testbox2')).toBe('testbox2 (server)');
  });

  it('culpritDetail: a setting that is a simulator reason is a reason, without the device', () => {
    expect(culpritDetail({ device: 'server-edge', rule: null, setting: 'nothing listens on server-edge at that port, so …' })).toEqual({
      kind: 'reason',
      text: 'nothing listens at that port, so …',
    });
    expect(culpritDetail({ device: 'server', rule: null, setting: 'pasv_address unset' })).toEqual({ kind: 'setting', text: 'pasv_address unset' });
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

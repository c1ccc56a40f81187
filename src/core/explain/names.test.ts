/**
 * One name per device: the verdict's explanation and fix name devices as the canvas does
 * ("Server firewall"), the structured culprit keeps the id (JSON, the command line).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { loadScenario, runScenario } from '../index';
import { nameDevice, nameWithId, reasonAfterName } from './names';

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
    expect(reasonAfterName('nothing listens on server at that port', 'server')).toBe('nothing listens on server at that port');
  });
});

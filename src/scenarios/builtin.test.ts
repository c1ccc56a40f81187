import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { formatIpv4 } from '../core/codec/addr';
import { formatScenarioError, loadScenario } from '../core/scenario/load';
import { bannerText, effectivePasvRange } from '../core/ftp/vsftpd/conf';
import type { Scenario } from '../core/scenario/types';
import { BUILTIN_SCENARIOS } from './index';

const here = dirname(fileURLToPath(import.meta.url));

function load(id: string): Scenario {
  const entry = BUILTIN_SCENARIOS.find((s) => s.id === id);
  if (!entry) throw new Error(`no built-in ${id}`);
  const r = loadScenario(entry.json, `${id}.json`);
  if (!r.ok) throw new Error(r.errors.map(formatScenarioError).join('\n'));
  return r.scenario;
}

describe('built-in scenarios', () => {
  it('the index lists every JSON file in the folder once', () => {
    const files = readdirSync(here)
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.replace(/\.json$/, ''))
      .sort();
    expect(BUILTIN_SCENARIOS.map((s) => s.id).sort()).toEqual(files);
  });

  it.each(BUILTIN_SCENARIOS.map((s) => [s.id]))('%s loads from its file text with no error and no warning', (id) => {
    const text = readFileSync(join(here, `${id}.json`), 'utf8');
    const r = loadScenario(text, `${id}.json`);
    if (!r.ok) throw new Error(r.errors.map(formatScenarioError).join('\n'));
    expect(r.warnings.map(formatScenarioError)).toEqual([]);
    expect(r.scenario.teaches.length).toBeGreaterThan(10);
    expect(r.scenario.expect).not.toBeNull();
  });

  it('names are unique', () => {
    const names = BUILTIN_SCENARIOS.map((s) => (s.json as { name: string }).name);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('the seed sessions are set up to reproduce the transcripts', () => {
  it('active: control port 3761, so PORT 192,168,150,80,14,178 names 3762', () => {
    const s = load('seed-active-session');
    const c = s.clients[0]!;
    expect(formatIpv4(c.connectTo)).toBe('192.168.150.90');
    expect(formatIpv4(s.hosts.find((h) => h.id === c.host)!.interfaces[0]!.ip)).toBe('192.168.150.80');
    expect([c.profile, c.mode, c.dataPort, c.user, c.password]).toEqual(['classic', 'active', 'control+1', 'slacker', 'TmpPass']);
    expect(c.controlPort! + 1).toBe(14 * 256 + 178);
    expect(bannerText(s.server.vsftpd)).toBe('testbox2.slacksite.com FTP server ready.');
    expect(s.server.style).toBe('proftpd');
    expect(s.routers).toEqual([]);
    expect(s.hosts.every((h) => h.firewall === null)).toBe(true);
  });

  it('passive: the only passive port vsftpd can pick is 195*256+149 = 50069', () => {
    const s = load('seed-passive-session');
    expect(effectivePasvRange(s.server.vsftpd)).toEqual({ min: 195 * 256 + 149, max: 195 * 256 + 149 });
    expect(s.clients[0]!.mode).toBe('passive');
  });

  it('the incident: vsftpd 3001–3300 behind a firewall opening 3001:3100; the fix opens 3001:3300', () => {
    const broken = load('seed-incident-pasv-range');
    expect(effectivePasvRange(broken.server.vsftpd)).toEqual({ min: 3001, max: 3300 });
    expect(broken.routers.find((r) => r.id === 'server-edge')!.firewall!.text).toContain('--dport 3001:3100 -j ACCEPT');
    expect(load('seed-incident-pasv-range-fixed').routers.find((r) => r.id === 'server-edge')!.firewall!.text).toContain('--dport 3001:3300 -j ACCEPT');
  });

  it('the seed 002 iptables file sits verbatim on the server host', () => {
    const seedFile = [
      '*filter',
      ':INPUT ACCEPT [0:0]',
      '# Allow established and related connections (including FTP data)',
      '-A INPUT -m state --state ESTABLISHED,RELATED -j ACCEPT',
      '# Allow new incoming connections to FTP control port',
      '-A INPUT -m state --state NEW -m tcp -p tcp --dport 21 -j ACCEPT',
      '# Allow new incoming connections to SSH (example)',
      '-A INPUT -m state --state NEW -m tcp -p tcp --dport 22 -j ACCEPT',
      '# Drop all other new incoming connections',
      '-A INPUT -j REJECT --reject-with icmp-host-prohibited',
      'COMMIT',
    ]
      .map((l) => `${l}\n`)
      .join('');
    expect(load('passive-server-firewall-reject').hosts.find((h) => h.id === 'server')!.firewall!.text).toBe(seedFile);
  });

  it('behind DNAT the client dials the router; pasv_address only where the scenario says so', () => {
    for (const id of ['server-nat-classic-no-pasv-address', 'server-nat-curl-no-pasv-address', 'server-nat-helper-rewrites-227']) {
      const s = load(id);
      expect(formatIpv4(s.clients[0]!.connectTo)).toBe('203.0.113.1');
      expect(s.server.vsftpd.pasv_address).toBeNull();
    }
    for (const id of ['server-nat-pasv-address', 'server-nat-helper-and-pasv-address']) {
      expect(load(id).server.vsftpd.pasv_address).toBe('203.0.113.1');
    }
  });

  it('port 3069: the fix moves the CT rule to port 3069; the module keeps ports=21', () => {
    const broken = load('port-3069-helper-wrong-port');
    const fixed = load('port-3069-helper-fixed');
    expect(broken.server.vsftpd.listen_port).toBe(3069);
    expect(broken.clients[0]!.connectPort).toBe(3069);
    expect(broken.routers.find((r) => r.id === 'server-edge')!.ftpHelper.ports).toEqual([21]);
    const edge = fixed.routers.find((r) => r.id === 'server-edge')!;
    expect(edge.ftpHelper.ports).toEqual([21]);
    expect(edge.firewall!.text).toMatch(/--dport 3069 -j CT --helper ftp/);
    expect(broken.routers.find((r) => r.id === 'server-edge')!.firewall!.text).toMatch(/--dport 21 -j CT --helper ftp/);
  });

  it('FTPS scenarios turn TLS on at both ends', () => {
    for (const id of ['ftps-helper-blind', 'ftps-passive-range-opened']) {
      const s = load(id);
      expect(s.clients[0]!.tls).toBe(true);
      expect(s.server.vsftpd.ssl_enable).toBe(true);
    }
  });
});

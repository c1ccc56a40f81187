import { describe, expect, it } from 'vitest';
import { errorCounts, tabOfPath } from './tabs';

describe('error → tab', () => {
  it('routes loader paths to the editor that fixes them', () => {
    expect(tabOfPath('routers[0].iptables')).toBe('firewall');
    expect(tabOfPath('hosts[2].ftpHelper.ports[0]')).toBe('firewall');
    expect(tabOfPath('server.vsftpd')).toBe('server');
    expect(tabOfPath('client.profile')).toBe('client');
    expect(tabOfPath('clients[1].script[0]')).toBe('client');
    expect(tabOfPath('script[2]')).toBe('client');
    expect(tabOfPath('hosts[0].ip')).toBeNull();
    expect(tabOfPath('')).toBeNull();
  });

  it('counts per tab', () => {
    expect(errorCounts([{ path: 'server.vsftpd' }, { path: 'hosts[1].iptables' }, { path: 'routers[0].iptables' }, { path: 'name' }])).toEqual({
      firewall: 2,
      nat: 0,
      server: 1,
      client: 0,
    });
  });
});

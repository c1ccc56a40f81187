/**
 * The "start from a blank network" scenario: client — client router — internet — server
 * router — server, no firewall rules; the client's router masquerades its LAN as every
 * home router does, the server has a public address. Learners add rules from here.
 */
import type { ScenarioFile } from '../../core/index';

export const BLANK_SCENARIO: ScenarioFile = {
  name: 'Blank network',
  teaches: 'A starting point: five devices, no firewall rules; add your own and re-run.',
  seed: 1,
  segments: [
    { id: 'client-lan', label: 'Client LAN' },
    { id: 'client-wan', label: 'Client ISP link', latencyMs: 10 },
    { id: 'server-wan', label: 'Server ISP link', latencyMs: 10 },
    { id: 'server-lan', label: 'Server LAN' },
  ],
  hosts: [
    { id: 'client', label: 'Client', role: 'client', ip: '192.168.1.100/24', gateway: '192.168.1.1', segment: 'client-lan' },
    { id: 'server', label: 'FTP server', role: 'server', ip: '192.0.2.10/24', gateway: '192.0.2.1', segment: 'server-lan' },
  ],
  routers: [
    {
      id: 'client-router',
      label: 'Client router',
      role: 'client-edge',
      interfaces: [
        { name: 'eth0', ip: '192.168.1.1/24', segment: 'client-lan' },
        { name: 'eth1', ip: '198.51.100.1/24', segment: 'client-wan' },
      ],
      routes: [{ to: '0.0.0.0/0', via: '198.51.100.254' }],
      iptables: [
        '*nat',
        ':PREROUTING ACCEPT [0:0]',
        ':INPUT ACCEPT [0:0]',
        ':OUTPUT ACCEPT [0:0]',
        ':POSTROUTING ACCEPT [0:0]',
        '-A POSTROUTING -s 192.168.1.0/24 -o eth1 -j MASQUERADE',
        'COMMIT',
      ],
    },
    {
      id: 'internet',
      label: 'Internet',
      role: 'internet',
      interfaces: [
        { name: 'eth0', ip: '198.51.100.254/24', segment: 'client-wan' },
        { name: 'eth1', ip: '203.0.113.254/24', segment: 'server-wan' },
      ],
      routes: [{ to: '192.0.2.0/24', via: '203.0.113.1' }],
    },
    {
      id: 'server-router',
      label: 'Server router',
      role: 'server-edge',
      interfaces: [
        { name: 'eth0', ip: '192.0.2.1/24', segment: 'server-lan' },
        { name: 'eth1', ip: '203.0.113.1/24', segment: 'server-wan' },
      ],
      routes: [{ to: '0.0.0.0/0', via: '203.0.113.254' }],
    },
  ],
  server: { host: 'server', vsftpd: ['listen=YES', 'anonymous_enable=YES', 'pasv_min_port=50000', 'pasv_max_port=50100'] },
  client: { host: 'client', profile: 'classic', mode: 'passive' },
  script: ['login', 'ls', 'get readme.txt', 'quit'],
};

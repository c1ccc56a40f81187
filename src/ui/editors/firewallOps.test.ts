import { describe, expect, it } from 'vitest';
import type { ScenarioFile } from '../../core/index';
import { devicesOf } from './fileOps';
import {
  acceptsRelated,
  relatedHintNeeded,
  helperCoversPort,
  addPortForward,
  addRelatedRule,
  checkForward,
  controlPort,
  helperChain,
  helperOn,
  masqueradeOn,
  portForwards,
  removeLine,
  relatedChain,
  setHelper,
  setMasquerade,
} from './firewallOps';

const file: ScenarioFile = {
  name: 'n',
  teaches: 't',
  hosts: [
    { id: 'pc', ip: '192.168.1.100/24', gateway: '192.168.1.1' },
    { id: 'srv', ip: '10.0.0.10/24', gateway: '10.0.0.1' },
  ],
  routers: [
    {
      id: 'edge',
      interfaces: [
        { name: 'eth0', ip: '10.0.0.1/24' },
        { name: 'eth1', ip: '198.51.100.1/24' },
      ],
    },
  ],
  server: { host: 'srv', vsftpd: 'listen_port=2121\n' },
  client: { host: 'pc', profile: 'curl' },
};
const [pc, srv, edge] = devicesOf(file);

describe('FTP helper toggle', () => {
  it('picks raw OUTPUT on the client host and raw PREROUTING elsewhere', () => {
    expect(helperChain(file, pc!)).toBe('OUTPUT');
    expect(helperChain(file, srv!)).toBe('PREROUTING');
    expect(helperChain(file, edge!)).toBe('PREROUTING');
  });

  it("uses the server's listen_port, or the port the client dials", () => {
    expect(controlPort(file)).toBe(2121);
    expect(controlPort({ ...file, client: { ...file.client!, connectPort: 21 } })).toBe(21);
    expect(controlPort({ ...file, server: { host: 'srv' } })).toBe(21);
  });

  it('adds one assignment and removes every one', () => {
    const on = setHelper('', true, 'PREROUTING', 21);
    expect(on).toContain('-A PREROUTING -p tcp --dport 21 -j CT --helper ftp');
    expect(helperOn(on, 'PREROUTING')).toBe(true);
    expect(helperOn(on, 'OUTPUT')).toBe(false);
    expect(setHelper(on, true, 'PREROUTING', 21)).toBe(on); // idempotent
    const both = setHelper(on, true, 'OUTPUT', 21).replace('COMMIT', '-A PREROUTING -p tcp -m tcp --dport 21 -j CT --helper ftp\nCOMMIT');
    const off = setHelper(both, false, 'PREROUTING', 21);
    expect(helperOn(off, 'PREROUTING') || helperOn(off, 'OUTPUT')).toBe(false);
    expect(off).not.toContain('CT');
  });
});

describe('helper port coverage', () => {
  it('sees whether an assignment covers the control port', () => {
    const on21 = setHelper('', true, 'PREROUTING', 21);
    expect(helperCoversPort(on21, 'PREROUTING', 21)).toBe(true);
    expect(helperCoversPort(on21, 'PREROUTING', 3069)).toBe(false);
    expect(helperCoversPort('*raw\n-A PREROUTING -p tcp -j CT --helper ftp\nCOMMIT\n', 'PREROUTING', 3069)).toBe(true);
    expect(helperCoversPort('*raw\n-A PREROUTING -p tcp --dport 3000:3100 -j CT --helper ftp\nCOMMIT\n', 'PREROUTING', 3069)).toBe(true);
    expect(helperCoversPort(on21, 'OUTPUT', 21)).toBe(false);
  });
});

describe('accept RELATED hint', () => {
  it('recognises -m state and -m conntrack spellings in the right chain', () => {
    expect(acceptsRelated('*filter\n-A INPUT -m state --state ESTABLISHED,RELATED -j ACCEPT\nCOMMIT\n', 'INPUT')).toBe(true);
    expect(acceptsRelated('*filter\n-A FORWARD -m conntrack --ctstate RELATED -j ACCEPT\nCOMMIT\n', 'FORWARD')).toBe(true);
    expect(acceptsRelated('*filter\n-A FORWARD -m conntrack --ctstate RELATED -j ACCEPT\nCOMMIT\n', 'INPUT')).toBe(false);
    expect(acceptsRelated('*filter\n-A INPUT -m state --state ESTABLISHED -j ACCEPT\nCOMMIT\n', 'INPUT')).toBe(false);
    expect(acceptsRelated('*filter\n-A INPUT -m state --state RELATED -j DROP\nCOMMIT\n', 'INPUT')).toBe(false);
  });

  it('hints only where something can be refused', () => {
    expect(relatedHintNeeded('', 'INPUT')).toBe(false);
    expect(relatedHintNeeded('*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp --dport 21 -j ACCEPT\nCOMMIT\n', 'INPUT')).toBe(false);
    expect(relatedHintNeeded('*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -j REJECT\nCOMMIT\n', 'INPUT')).toBe(true);
    expect(relatedHintNeeded('*filter\n:FORWARD DROP [0:0]\nCOMMIT\n', 'FORWARD')).toBe(true);
    expect(relatedHintNeeded('*filter\n:FORWARD DROP [0:0]\n-A FORWARD -m state --state RELATED,ESTABLISHED -j ACCEPT\nCOMMIT\n', 'FORWARD')).toBe(false);
  });

  it('adds the rule first in INPUT (host) or FORWARD (router)', () => {
    expect(relatedChain(srv!)).toBe('INPUT');
    expect(relatedChain(edge!)).toBe('FORWARD');
    const t = addRelatedRule('*filter\n:INPUT DROP [0:0]\n-A INPUT -p tcp --dport 21 -j ACCEPT\nCOMMIT\n', 'INPUT');
    expect(t.split('\n')[2]).toBe('-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT');
    expect(acceptsRelated(t, 'INPUT')).toBe(true);
  });
});

describe('NAT form', () => {
  it('turns MASQUERADE on and off per outgoing interface', () => {
    const on = setMasquerade('', 'eth1', true);
    expect(on).toContain('-A POSTROUTING -o eth1 -j MASQUERADE');
    expect(masqueradeOn(on, 'eth1')).toBe(true);
    expect(masqueradeOn(on, 'eth0')).toBe(false);
    expect(masqueradeOn(setMasquerade(on, 'eth1', false), 'eth1')).toBe(false);
  });

  it('writes, lists and removes port forwards', () => {
    let t = addPortForward('', { inIface: 'eth1', dport: '21', to: '10.0.0.10' });
    t = addPortForward(t, { inIface: 'eth1', dport: '3001:3300', to: '10.0.0.10' });
    expect(t).toContain('-A PREROUTING -i eth1 -p tcp --dport 3001:3300 -j DNAT --to-destination 10.0.0.10\n');
    const fw = portForwards(t);
    expect(fw.map((f) => [f.inIface, f.proto, f.dport, f.to])).toEqual([
      ['eth1', 'tcp', '21', '10.0.0.10'],
      ['eth1', 'tcp', '3001:3300', '10.0.0.10'],
    ]);
    expect(portForwards(removeLine(t, fw[0]!.index)).map((f) => f.dport)).toEqual(['3001:3300']);
  });

  it('explains a bad forward form', () => {
    const ok = { inIface: 'eth1', dport: '21', to: '10.0.0.10' };
    expect(checkForward(ok)).toBeNull();
    expect(checkForward({ ...ok, to: '10.0.0.10:2121' })).toBeNull();
    expect(checkForward({ ...ok, dport: '3300:3001' })).toMatch(/first port/);
    expect(checkForward({ ...ok, dport: '70000' })).toMatch(/1–65535/);
    expect(checkForward({ ...ok, to: '10.0.0' })).toMatch(/IPv4/);
    expect(checkForward({ ...ok, to: '10.0.0.10:0' })).toMatch(/destination port/);
  });
});

// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { flushSync, mount, unmount } from 'svelte';
import type { ScenarioFile } from '../../core/index';
import Editors from './Editors.svelte';

const serverRules = [
  '*filter',
  ':INPUT ACCEPT [0:0]',
  '-A INPUT -m state --state ESTABLISHED,RELATED -j ACCEPT',
  '-A INPUT -m state --state NEW -m tcp -p tcp --dport 21 -j ACCEPT',
  '-A INPUT -j REJECT --reject-with icmp-host-prohibited',
  'COMMIT',
];
const file: ScenarioFile = {
  name: 'passive blocked',
  teaches: 't',
  hosts: [
    { id: 'client', ip: '192.168.1.100/24', gateway: '192.168.1.1' },
    { id: 'server', label: 'FTP server', ip: '203.0.113.10/24', gateway: '203.0.113.1', iptables: serverRules },
  ],
  routers: [
    {
      id: 'edge',
      label: 'Server router',
      interfaces: [
        { name: 'eth0', ip: '203.0.113.1/24' },
        { name: 'eth1', ip: '192.0.2.2/24' },
      ],
    },
  ],
  server: { host: 'server', vsftpd: 'pasv_min_port=50000\npasv_max_port=50100\n' },
  client: { host: 'client', profile: 'curl', mode: 'passive' },
};

let app: Record<string, unknown> | undefined;
afterEach(() => {
  if (app) unmount(app);
  app = undefined;
  document.body.innerHTML = '';
});

function render(f: ScenarioFile) {
  const changes: ScenarioFile[] = [];
  app = mount(Editors, { target: document.body, props: { file: f, errors: [], onchange: (n: ScenarioFile) => changes.push(n) } });
  flushSync();
  return changes;
}
const labelled = <T extends HTMLElement>(name: string) => {
  const el = document.querySelector(`[aria-label="${name}"]`) ?? [...document.querySelectorAll('label')].find((l) => l.textContent?.trim().startsWith(name))?.control;
  if (!el) throw new Error(`no control named ${name}`);
  return el as T;
};
const button = (name: string) => {
  const b = [...document.querySelectorAll('button')].find((x) => (x.getAttribute('aria-label') ?? x.textContent?.trim()) === name);
  if (!b) throw new Error(`no button ${name}`);
  return b;
};
const fire = (el: HTMLElement, type: string) => {
  el.dispatchEvent(new Event(type, { bubbles: true }));
  flushSync();
};
const type = (el: HTMLInputElement | HTMLTextAreaElement, v: string) => {
  el.value = v;
  fire(el, 'input');
};
const iptablesOf = (f: ScenarioFile, host = 1) => f.hosts[host]!.iptables as string;

describe('firewall editor', () => {
  it('opens on the device that has rules and shows them as a table', () => {
    render(file);
    expect(labelled<HTMLSelectElement>('Device').selectedOptions[0]!.textContent).toBe('FTP server (host)');
    expect(document.querySelectorAll('[data-chain="filter INPUT"] li.rule')).toHaveLength(3);
    expect(labelled<HTMLInputElement>('Destination port of rule 2 in filter INPUT').value).toBe('21');
  });

  it('adds a rule opening the passive range, at the top of INPUT', () => {
    const changes = render(file);
    button('Add rule at top of filter INPUT').click();
    flushSync();
    expect(iptablesOf(changes[0]!).split('\n')[2]).toBe('-A INPUT -p tcp -j ACCEPT');
    unmount(app!);
    const next = render(changes[0]!);
    type(labelled('Destination port of rule 1 in filter INPUT'), '50000:50100');
    expect(iptablesOf(next[0]!).split('\n')[2]).toBe('-A INPUT -p tcp -m tcp --dport 50000:50100 -j ACCEPT');
  });

  it('refuses a bad field in the row, with the reason, and applies nothing', () => {
    const changes = render(file);
    type(labelled('Source of rule 3 in filter INPUT'), '10.0.0');
    expect(changes).toHaveLength(0);
    expect(document.body.textContent).toContain('Rule 3 not applied: source "10.0.0" is not an address');
  });

  it('a row the core reader refuses (CT outside raw) is explained in the row and not applied', () => {
    const changes = render(file);
    const target = labelled<HTMLSelectElement>('Target of rule 2 in filter INPUT');
    target.value = 'CT';
    fire(target, 'change');
    expect(changes).toHaveLength(0);
    expect(document.body.textContent).toContain('Rule 2 not applied: CT target: only valid in the raw table');
  });

  it("changing the target drops the old target's options", () => {
    const withCt = { ...file, hosts: [file.hosts[0]!, { ...file.hosts[1]!, iptables: '*raw\n-A PREROUTING -p tcp --dport 21 -j CT --helper ftp\nCOMMIT\n' }] };
    const changes = render(withCt);
    const target = labelled<HTMLSelectElement>('Target of rule 1 in raw PREROUTING');
    target.value = 'ACCEPT';
    fire(target, 'change');
    expect(iptablesOf(changes[0]!)).toBe('*raw\n-A PREROUTING -p tcp -m tcp --dport 21 -j ACCEPT\nCOMMIT\n');
  });

  it('moves, deletes, and sets the policy', () => {
    const changes = render(file);
    button('Move rule 3 in filter INPUT up').click();
    expect(iptablesOf(changes[0]!).split('\n').slice(3, 5)).toEqual([serverRules[4], serverRules[3]]);
    button('Delete rule 1 in filter INPUT').click();
    expect(iptablesOf(changes[1]!)).not.toContain('ESTABLISHED,RELATED');
    const policy = labelled<HTMLSelectElement>('Policy of filter INPUT');
    policy.value = 'DROP';
    fire(policy, 'change');
    expect(iptablesOf(changes[2]!)).toContain(':INPUT DROP [0:0]');
  });

  it('text edits: an error shows its line and is not applied; a fix is applied', () => {
    const changes = render(file);
    const text = labelled<HTMLTextAreaElement>('iptables-save text of FTP server');
    const bad = [...serverRules.slice(0, 5), '-A INPUT -p tcp --dport 99999 -j ACCEPT', 'COMMIT'];
    type(text, `${bad.join('\n')}\n`);
    expect(changes).toHaveLength(0);
    expect(text.getAttribute('aria-invalid')).toBe('true');
    expect(document.body.textContent).toContain('Line 6, column 25: invalid port/service "99999" specified');
    expect(document.querySelector('[data-chain]')).toBeNull();
    type(text, `${serverRules.join('\n')}\n`);
    expect(changes).toHaveLength(1);
  });

  it('the FTP helper toggle writes the raw PREROUTING rule and removes it again', () => {
    const changes = render(file);
    const toggle = labelled<HTMLInputElement>('FTP helper for FTP server');
    expect(toggle.checked).toBe(false);
    toggle.checked = true;
    fire(toggle, 'change');
    expect(iptablesOf(changes[0]!)).toContain('*raw\n:PREROUTING ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A PREROUTING -p tcp --dport 21 -j CT --helper ftp\nCOMMIT\n');
    unmount(app!);
    const next = render(changes[0]!);
    const again = labelled<HTMLInputElement>('FTP helper for FTP server');
    expect(again.checked).toBe(true);
    again.checked = false;
    fire(again, 'change');
    expect(iptablesOf(next[0]!)).not.toContain('CT --helper');
  });

  it('hints when nothing accepts RELATED, and adds the rule', () => {
    const noRelated = {
      ...file,
      hosts: [
        file.hosts[0]!,
        {
          ...file.hosts[1]!,
          iptables: '*raw\n-A PREROUTING -p tcp --dport 21 -j CT --helper ftp\nCOMMIT\n*filter\n:INPUT DROP [0:0]\n-A INPUT -p tcp --dport 21 -j ACCEPT\nCOMMIT\n',
        },
      ],
    };
    const changes = render(noRelated);
    expect(document.body.textContent).toContain('no rule in filter INPUT accepts RELATED');
    button('Accept RELATED,ESTABLISHED first in INPUT').click();
    expect(iptablesOf(changes[0]!)).toContain(':INPUT DROP [0:0]\n-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n-A INPUT -p tcp --dport 21 -j ACCEPT');
  });

  it('hints when the helper is attached to another port than the control port, and re-attaches it', () => {
    const on2121 = {
      ...file,
      server: { host: 'server', vsftpd: 'listen_port=2121\n' },
      hosts: [file.hosts[0]!, { ...file.hosts[1]!, iptables: '*raw\n-A PREROUTING -p tcp --dport 21 -j CT --helper ftp\nCOMMIT\n' }],
    };
    const changes = render(on2121);
    expect(document.body.textContent).toContain('the control connection uses port 2121');
    button('Attach the helper to port 2121 instead').click();
    expect(iptablesOf(changes[0]!)).toBe('*raw\n-A PREROUTING -p tcp --dport 2121 -j CT --helper ftp\nCOMMIT\n');
  });

  it('helper ports: a bad list is explained, a good one is saved', () => {
    const changes = render(file);
    const ports = labelled<HTMLInputElement>('Control ports the helper parses');
    type(ports, '21, abc');
    expect(document.body.textContent).toContain('Error: "abc" is not a port 1–65535');
    type(ports, '21, 2121');
    expect(changes.at(-1)!.hosts[1]!.ftpHelper).toEqual({ ports: [21, 2121] });
  });
});

describe('NAT editor', () => {
  function openNat() {
    [...document.querySelectorAll<HTMLButtonElement>('[role=tab]')].find((t) => t.textContent === 'NAT')!.click();
    flushSync();
  }

  it('masquerade toggle per interface', () => {
    const changes = render(file);
    openNat();
    const m = labelled<HTMLInputElement>('Masquerade connections leaving eth1');
    m.checked = true;
    fire(m, 'change');
    expect(changes[0]!.routers![0]!.iptables).toContain('-A POSTROUTING -o eth1 -j MASQUERADE');
  });

  it('adds a port forward from the form, refusing a bad one with the reason', () => {
    const changes = render(file);
    openNat();
    type(labelled('TCP port or range'), '3001:3300');
    type(labelled('Forward to'), '10.0.0');
    button('Add port forward')
      .closest('form')!
      .dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    flushSync();
    expect(changes).toHaveLength(0);
    expect(document.body.textContent).toContain('Error: Destination must be an IPv4 address');
    type(labelled('Forward to'), '10.0.0.10');
    button('Add port forward')
      .closest('form')!
      .dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    flushSync();
    expect(changes[0]!.routers![0]!.iptables).toContain('-A PREROUTING -i eth1 -p tcp --dport 3001:3300 -j DNAT --to-destination 10.0.0.10');
  });
});

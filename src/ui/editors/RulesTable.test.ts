// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { flushSync, mount, unmount } from 'svelte';
import type { ScenarioFile } from '../../core/index';
import DeviceFirewall from './DeviceFirewall.svelte';
import { devicesOf } from './fileOps';

// The raw table first (as on a router that already drops martians there): the helper's rule
// goes into it, above every filter rule in the text.
const FW = `*raw
:PREROUTING ACCEPT [0:0]
-A PREROUTING -d 10.0.0.0/8 -j DROP
COMMIT
*filter
:INPUT DROP [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -m state --state ESTABLISHED,RELATED -j ACCEPT
-A INPUT -p tcp --dport 21 -j ACCEPT
-A INPUT -p tcp --dport 20 -j REJECT
COMMIT
`;

const file: ScenarioFile = {
  name: 'rules table',
  teaches: 'rows keep their identity',
  hosts: [
    { id: 'client', ip: '192.168.1.100/24', gateway: '192.168.1.1' },
    { id: 'srv', ip: '192.168.1.10/24', iptables: FW },
  ],
  server: { host: 'srv', vsftpd: 'listen_port=21\n' },
  client: { host: 'client', profile: 'curl' },
  script: ['login', 'ls'],
};

let app: Record<string, unknown> | undefined;
afterEach(() => {
  if (app) unmount(app);
  app = undefined;
  document.body.innerHTML = '';
});

describe('the rules table', () => {
  it('keeps its rows (the same DOM elements) when the FTP helper toggle adds and removes lines above them', () => {
    const device = devicesOf(file).find((d) => d.id === 'srv')!;
    const changes: ScenarioFile[] = [];
    app = mount(DeviceFirewall, { target: document.body, props: { file, device, onchange: (n: ScenarioFile) => changes.push(n) } });
    flushSync();
    const rows = () => [...document.querySelectorAll<HTMLElement>('section.chain[data-chain="filter INPUT"] li.rule')];
    const before = rows();
    expect(before.map((r) => r.querySelector('code')?.textContent)).toEqual([
      '-A INPUT -m state --state ESTABLISHED,RELATED -j ACCEPT',
      '-A INPUT -p tcp --dport 21 -j ACCEPT',
      '-A INPUT -p tcp --dport 20 -j REJECT',
    ]);
    const toggle = document.querySelector<HTMLInputElement>('fieldset.helper input[type="checkbox"]')!;
    toggle.click();
    flushSync();
    // The helper's rule is in the text now (above the filter table's rules)…
    const text = String(changes.at(-1)?.hosts?.find((h) => h.id === 'srv')?.iptables);
    expect(text.indexOf('-j CT --helper ftp')).toBeGreaterThan(0);
    expect(text.indexOf('-j CT --helper ftp')).toBeLessThan(text.indexOf('*filter'));
    expect(document.querySelectorAll('section.chain[data-chain="raw PREROUTING"] li.rule')).toHaveLength(2);
    // …and the filter rows are the same elements, not made again.
    const after = rows();
    expect(after).toHaveLength(3);
    after.forEach((r, i) => expect(r).toBe(before[i]));
    toggle.click();
    flushSync();
    expect(document.querySelectorAll('section.chain[data-chain="raw PREROUTING"] li.rule')).toHaveLength(1);
    rows().forEach((r, i) => expect(r).toBe(before[i]));
  });
});

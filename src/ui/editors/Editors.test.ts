// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { flushSync, mount, unmount } from 'svelte';
import type { ScenarioFile } from '../../core/index';
import Editors from './Editors.svelte';

const file: ScenarioFile = {
  name: 'Passive range wider than the firewall allows',
  teaches: 'the passive range must match the firewall',
  hosts: [
    { id: 'client', ip: '192.168.1.100/24', gateway: '192.168.1.1' },
    { id: 'srv', ip: '203.0.113.10/24', iptables: '*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n' },
  ],
  server: { host: 'srv', vsftpd: '# range\nlisten_port=21\npasv_min_port=3001\npasv_max_port=3300\n' },
  client: { host: 'client', profile: 'curl' },
  script: ['login', 'ls'],
};

let app: Record<string, unknown> | undefined;
afterEach(() => {
  if (app) unmount(app);
  app = undefined;
  document.body.innerHTML = '';
});

function render(f: ScenarioFile, errors: { path: string; message: string; line?: number }[] = []) {
  const changes: ScenarioFile[] = [];
  app = mount(Editors, { target: document.body, props: { file: f, errors, onchange: (n: ScenarioFile) => changes.push(n) } });
  flushSync();
  return changes;
}

function byLabel<T extends HTMLElement>(text: string | RegExp): T {
  for (const label of document.querySelectorAll('label')) {
    if (typeof text === 'string' ? label.textContent?.trim() === text : text.test(label.textContent ?? '')) {
      const el = document.getElementById(label.htmlFor);
      if (el) return el as T;
    }
  }
  throw new Error(`no control labelled ${text}`);
}

function tab(name: string) {
  const t = [...document.querySelectorAll('[role=tab]')].find((b) => b.textContent?.includes(name)) as HTMLButtonElement;
  t.click();
  flushSync();
}

function type(el: HTMLInputElement | HTMLTextAreaElement, value: string) {
  el.value = value;
  el.dispatchEvent(new Event('input', { bubbles: true }));
  flushSync();
}

describe('Editors', () => {
  it('shows the loader errors as text with path and line', () => {
    render(file, [{ path: 'routers[0].iptables', line: 3, message: 'unknown target FOO' }]);
    expect(document.body.textContent).toContain('Error (routers[0].iptables, line 3): unknown target FOO');
  });

  it('a vsftpd field edit emits a new file with the line rewritten, leaving the input untouched', () => {
    const changes = render(file);
    tab('Server');
    type(byLabel(/pasv_max_port/), '3100');
    expect(changes).toHaveLength(1);
    expect(changes[0]!.server.vsftpd).toBe('# range\nlisten_port=21\npasv_min_port=3001\npasv_max_port=3100\n');
    expect(file.server.vsftpd).toContain('3300');
    expect(changes[0]!.hosts).toBe(file.hosts);
  });

  it('bad vsftpd text is reported with its line and not applied', () => {
    const changes = render(file);
    tab('Server');
    const text = byLabel<HTMLTextAreaElement>('vsftpd.conf text');
    type(text, 'listen_port=21\npasv_min_port=abc\n');
    expect(changes).toHaveLength(0);
    expect(text.getAttribute('aria-invalid')).toBe('true');
    expect(document.body.textContent).toMatch(/Line 2: pasv_min_port must be a whole number/);
    type(text, 'listen_port=21\npasv_min_port=3001\n');
    expect(changes).toHaveLength(1);
    expect(changes[0]!.server.vsftpd).toBe('listen_port=21\npasv_min_port=3001\n');
  });

  it('a non-number in a port field is refused next to the field', () => {
    const changes = render(file);
    tab('Server');
    type(byLabel(/pasv_min_port/), '30x');
    expect(changes).toHaveLength(0);
    expect(document.body.textContent).toMatch(/Error: pasv_min_port must be a whole number/);
  });

  it('client profile, mode and script edits', () => {
    const changes = render(file);
    tab('Client');
    const profile = byLabel<HTMLSelectElement>('Client program');
    expect([...profile.options].map((o) => o.textContent)).toContain('curl 7.88');
    profile.value = 'classic';
    profile.dispatchEvent(new Event('change', { bubbles: true }));
    const mode = byLabel<HTMLSelectElement>('Data connection mode');
    mode.value = 'pasv';
    mode.dispatchEvent(new Event('change', { bubbles: true }));
    expect(changes.map((c) => [c.client?.profile, c.client?.mode])).toEqual([
      ['classic', undefined],
      ['curl', 'pasv'],
    ]);
    const script = byLabel<HTMLTextAreaElement>(/script/);
    type(script, 'login\nfetch readme.txt');
    expect(changes).toHaveLength(2);
    expect(document.body.textContent).toMatch(/Line 2: unknown script command "fetch"/);
    type(script, 'login\nget readme.txt\n');
    expect(changes[2]!.script).toEqual(['login', 'get readme.txt']);
  });

  it('tabs are keyboard operable', () => {
    render(file);
    const tabs = [...document.querySelectorAll<HTMLButtonElement>('[role=tab]')];
    tabs[0]!.focus();
    tabs[0]!.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowLeft', bubbles: true }));
    flushSync();
    expect(document.activeElement?.textContent).toBe('Client');
    expect(document.activeElement?.getAttribute('aria-selected')).toBe('true');
    expect(document.querySelector('[role=tabpanel]')?.textContent).toContain('Data connection mode');
  });
});

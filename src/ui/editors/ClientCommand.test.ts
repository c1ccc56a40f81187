// @vitest-environment jsdom
/** A client given as a command line: the editor shows it, read-only and as text (never as HTML). */
import { afterEach, expect, it } from 'vitest';
import { flushSync, mount, unmount } from 'svelte';
import type { ScenarioFile } from '../../core/index';
import ClientEditor from './ClientEditor.svelte';

let app: Record<string, unknown> | undefined;
afterEach(() => {
  if (app) unmount(app);
  app = undefined;
  document.body.innerHTML = '';
});

const file = (command?: string): ScenarioFile => ({
  name: 'n',
  teaches: 't',
  hosts: [
    { id: 'client', ip: '192.168.1.100/24', gateway: '192.168.1.1' },
    { id: 'srv', ip: '203.0.113.10/24' },
  ],
  server: { host: 'srv' },
  client: command === undefined ? { host: 'client', profile: 'curl' } : { host: 'client', command },
});

it('shows the command line as written, as text', () => {
  app = mount(ClientEditor, { target: document.body, props: { file: file(`curl -v --max-time 20 'ftp://203.0.113.10/<b>x</b>'`), onchange: () => {} } });
  flushSync();
  const code = document.querySelector('[data-target="editor:client-command"]')!;
  expect(code.textContent).toBe(`curl -v --max-time 20 'ftp://203.0.113.10/<b>x</b>'`);
  expect(code.querySelector('b')).toBeNull();
  // No profile written: the select shows the program the command line runs.
  expect((document.querySelector('[data-target="editor:client-profile"]') as HTMLSelectElement).value).toBe('curl');
});

it('an lftp command line shows lftp as the program', () => {
  app = mount(ClientEditor, { target: document.body, props: { file: file(`lftp -e 'get readme.txt' 203.0.113.10`), onchange: () => {} } });
  flushSync();
  expect((document.querySelector('[data-target="editor:client-profile"]') as HTMLSelectElement).value).toBe('lftp');
});

it('says nothing of a command line when the client has none', () => {
  app = mount(ClientEditor, { target: document.body, props: { file: file(), onchange: () => {} } });
  flushSync();
  expect(document.querySelector('[data-target="editor:client-command"]')).toBeNull();
});

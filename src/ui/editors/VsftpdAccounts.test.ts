// @vitest-environment jsdom
/**
 * The server tab's account form (vsftpd): a bad entry shows a message naming the field and
 * keeps what was typed, applying nothing; a good one goes out as a new scenario file.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { flushSync, mount, unmount } from 'svelte';
import type { ScenarioFile } from '../../core/index';
import { BUILTIN_SCENARIOS } from '../../scenarios/index';
import ServerEditor from './ServerEditor.svelte';
import { textOf } from './fileOps';

const base = structuredClone(BUILTIN_SCENARIOS.find((b) => b.id === 'vsftpd-chroot-upload-folder')!.json) as ScenarioFile;

let app: Record<string, unknown> | undefined;
afterEach(() => {
  if (app) unmount(app);
  app = undefined;
  document.body.innerHTML = '';
});

function render(file: ScenarioFile) {
  const changes: ScenarioFile[] = [];
  app = mount(ServerEditor, { target: document.body, props: { file, onchange: (n: ScenarioFile) => changes.push(n) } });
  flushSync();
  return changes;
}

function byLabel<T extends HTMLElement>(text: RegExp): T {
  for (const label of document.querySelectorAll('label')) {
    if (text.test(label.textContent?.replace(/\s+/g, ' ') ?? '')) {
      const el = document.getElementById(label.htmlFor);
      if (el) return el as T;
    }
  }
  throw new Error(`no control labelled ${text}`);
}

function type(el: HTMLInputElement | HTMLTextAreaElement, value: string) {
  el.value = value;
  el.dispatchEvent(new Event('input', { bubbles: true }));
  flushSync();
}

describe('vsftpd accounts form', () => {
  it('has a labelled control for every account field, each term explained', () => {
    render(base);
    const text = document.body.textContent ?? '';
    expect(text).toMatch(/A user list is a file of user names/);
    expect(text).toMatch(/chroot \("change root"\) locks a user into one folder/);
    expect(text).toMatch(/deny list: they may NOT log in/);
    expect(text).toMatch(/allow list: ONLY they may log in/);
    for (const l of [
      /^Name of user 1$/,
      /^Password of user 1$/,
      /^Home folder of user 1$/,
      /^Names on the user list/,
      /^Names on the chroot list/,
      /^Owner of \/home\/alice\/upload$/,
      /^Mode of \/home\/alice\/upload$/,
    ])
      expect(byLabel(l)).toBeTruthy();
  });

  it('a bad home folder: the message names the field, the text typed stays, nothing is applied', () => {
    const changes = render(base);
    const home = byLabel<HTMLInputElement>(/^Home folder of user 1$/);
    type(home, 'home/alice');
    expect(changes).toHaveLength(0);
    const msg = document.getElementById(home.getAttribute('aria-describedby')!)!;
    expect(msg.textContent).toMatch(/^Error: User 1 \(alice\), home directory: "home\/alice" does not start with "\/"/);
    expect(home.getAttribute('aria-invalid')).toBe('true');
    expect(home.value).toBe('home/alice');
    type(home, '/home/alice');
    expect(changes.at(-1)!.server.users).toEqual([{ name: 'alice', password: 'wonderland', home: '/home/alice' }]);
  });

  it('the allow-list choice and the list are written to the scenario', () => {
    const changes = render(base);
    (document.querySelector('input[type=radio]:not(:checked)') as HTMLInputElement).click();
    flushSync();
    expect(textOf(changes.at(-1)!.server.vsftpd)).toContain('userlist_deny=NO');
    type(byLabel<HTMLTextAreaElement>(/^Names on the user list/), 'alice\nbob smith');
    expect(document.body.textContent).toContain('User list, line 2: "bob smith" has a space');
    expect(changes).toHaveLength(1);
  });

  it('the mode of a folder in words, and its edit', () => {
    const changes = render(base);
    expect(document.body.textContent).toContain('r-xr-xr-x: owner may read, enter; group read, enter; others read, enter');
    const owner = byLabel<HTMLSelectElement>(/^Owner of \/home\/alice\/upload$/);
    expect([...owner.options].map((o) => o.value)).toEqual(['', 'root', 'ftp', 'alice']);
    type(byLabel<HTMLInputElement>(/^Mode of \/home\/alice\/upload$/), '775');
    expect(changes.at(-1)!.server.files!['/home/alice/upload']).toEqual({ dir: true, owner: 'alice', mode: '775' });
  });
});

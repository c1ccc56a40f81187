// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { flushSync, mount, unmount } from 'svelte';
import ShareControls from './ShareControls.svelte';
import { History } from './history.svelte';
import { decodeShare } from './share';

let app: Record<string, unknown> | undefined;
afterEach(() => {
  if (app) unmount(app);
  app = undefined;
  document.body.innerHTML = '';
});
const button = (name: string) => [...document.querySelectorAll('button')].find((b) => b.textContent === name)!;
const tick = () => new Promise((r) => setTimeout(r, 0));

describe('ShareControls', () => {
  it('undo/redo buttons follow the history and restore values', () => {
    const h = new History({ v: 1 });
    const restored: unknown[] = [];
    app = mount(ShareControls, { target: document.body, props: { file: { v: 1 }, step: 0, history: h, onrestore: (v: unknown) => restored.push(v), onimport: () => {} } });
    flushSync();
    expect(button('Undo').disabled).toBe(true);
    h.push({ v: 2 });
    flushSync();
    expect(button('Undo').disabled).toBe(false);
    button('Undo').click();
    flushSync();
    expect(restored).toEqual([{ v: 1 }]);
    expect(button('Undo').disabled).toBe(true);
    expect(button('Redo').disabled).toBe(false);
  });

  it('share link carries the scenario and step, in the field and the address bar', async () => {
    const file = { name: 'x', hosts: [] };
    app = mount(ShareControls, { target: document.body, props: { file, step: 7, onimport: () => {} } });
    button('Share link').click();
    await tick();
    flushSync();
    const field = [...document.querySelectorAll('label')].find((l) => l.textContent?.startsWith('Share link'))!.control as HTMLInputElement;
    const hash = field.value.slice(field.value.indexOf('#'));
    expect(decodeShare(hash)).toEqual({ ok: true, file, step: 7 });
    expect(location.hash).toBe(hash);
    expect(document.body.textContent).toMatch(/Share link copied|Copy the share link/);
  });

  it('import hands over the file text and name', async () => {
    const got: [string, string][] = [];
    app = mount(ShareControls, { target: document.body, props: { file: {}, step: 0, onimport: (t: string, n: string) => got.push([t, n]) } });
    const input = document.querySelector('input[type=file]') as HTMLInputElement;
    Object.defineProperty(input, 'files', { value: [new File(['{"name":"a"}'], 'a.json')] });
    input.dispatchEvent(new Event('change', { bubbles: true }));
    await tick();
    await tick();
    expect(got).toEqual([['{"name":"a"}', 'a.json']]);
  });
});

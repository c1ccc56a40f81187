/** Lazy: loads on first use, once; a failed load leaves a message to show instead of a blank. */
import { describe, expect, it } from 'vitest';
import { Lazy } from './lazy.svelte';

describe('Lazy', () => {
  it('starts loading on the first get, loads once, and holds the default export', async () => {
    let calls = 0;
    const part = new Lazy(async () => {
      calls++;
      return { default: 'the editors' };
    });
    expect(calls).toBe(0);
    expect(part.get()).toBeNull();
    expect(part.get()).toBeNull();
    await part.preload();
    expect(part.get()).toBe('the editors');
    expect(calls).toBe(1);
    expect(part.error).toBeNull();
  });

  it('a load that fails gives a message naming why and what to do', async () => {
    const part = new Lazy<string>(() => Promise.reject(new Error('Failed to fetch dynamically imported module')));
    expect(part.get()).toBeNull();
    await part.preload();
    expect(part.current).toBeNull();
    expect(part.error).toBe('This part of the page could not be loaded (Failed to fetch dynamically imported module). Reload the page to try again.');
  });
});

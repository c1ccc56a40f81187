import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WORKING_KEY, clearWorking, loadWorking, saveWorking } from './persist';

class FakeStorage {
  map = new Map<string, string>();
  get length() { return this.map.size; }
  key(i: number) { return [...this.map.keys()][i] ?? null; }
  getItem(k: string) { return this.map.get(k) ?? null; }
  setItem(k: string, v: string) { this.map.set(k, String(v)); }
  removeItem(k: string) { this.map.delete(k); }
  clear() { this.map.clear(); }
}

describe('working scenario in localStorage', () => {
  let fake: FakeStorage;
  beforeEach(() => {
    fake = new FakeStorage();
    vi.stubGlobal('localStorage', fake);
  });
  afterEach(() => vi.unstubAllGlobals());

  it('saves and loads the same value under a versioned key', () => {
    const file = { name: 'x', hosts: [{ id: 'a', ip: '10.0.0.1' }] };
    saveWorking(file);
    expect(WORKING_KEY).toMatch(/v1$/);
    expect(fake.getItem(WORKING_KEY)).not.toBeNull();
    expect(loadWorking()).toEqual(file);
    clearWorking();
    expect(loadWorking()).toBeNull();
  });

  it('returns null for nothing stored, corrupted JSON or another version', () => {
    expect(loadWorking()).toBeNull();
    fake.setItem(WORKING_KEY, '{"v":1,"file":{"na');
    expect(loadWorking()).toBeNull();
    fake.setItem(WORKING_KEY, '{"v":2,"file":{}}');
    expect(loadWorking()).toBeNull();
    fake.setItem(WORKING_KEY, '42');
    expect(loadWorking()).toBeNull();
  });

  it('never throws when storage itself throws or is missing', () => {
    fake.setItem = () => { throw new Error('QuotaExceededError'); };
    fake.getItem = () => { throw new Error('SecurityError'); };
    expect(() => saveWorking({ a: 1 })).not.toThrow();
    expect(loadWorking()).toBeNull();
    vi.stubGlobal('localStorage', undefined);
    expect(() => saveWorking({ a: 1 })).not.toThrow();
    expect(loadWorking()).toBeNull();
  });
});

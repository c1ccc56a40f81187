import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SET_ASIDE_KEY, WORKING_KEY, clearWorking, forgetSetAside, loadWorking, readSetAside, saveWorking, takeWorking } from './persist';

class FakeStorage {
  map = new Map<string, string>();
  get length() {
    return this.map.size;
  }
  key(i: number) {
    return [...this.map.keys()][i] ?? null;
  }
  getItem(k: string) {
    return this.map.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.map.set(k, String(v));
  }
  removeItem(k: string) {
    this.map.delete(k);
  }
  clear() {
    this.map.clear();
  }
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

  it('an autosave that cannot be opened is never dropped: it is set aside with one sentence saying why', () => {
    const cases: [string, RegExp][] = [
      ['{"v":1,"file":{"na', /not readable data/],
      ['junk text', /not readable data/],
      ['{"v":2,"file":{}}', /another format \(version 2\)/],
      ['{"v":1,"file":null}', /holds no scenario/],
      ['42', /not in the format/],
    ];
    for (const [raw, reason] of cases) {
      fake.clear();
      fake.setItem(WORKING_KEY, raw);
      const w = takeWorking();
      expect(w.kind, raw).toBe('unreadable');
      if (w.kind !== 'unreadable') continue;
      expect(w.reason).toMatch(reason);
      expect(w.reason.split('. ').length, 'one sentence').toBe(1);
      // Moved aside, byte for byte, so the next autosave cannot overwrite it.
      expect(readSetAside()).toEqual([{ raw, reason: w.reason }]);
      expect(fake.getItem(WORKING_KEY)).toBeNull();
      saveWorking({ name: 'new work' });
      expect(readSetAside().map((s) => s.raw)).toEqual([raw]);
    }
    forgetSetAside();
    expect(fake.getItem(SET_ASIDE_KEY)).toBeNull();
  });

  it('when storage cannot take the copy aside, the autosave is left where it was', () => {
    fake.setItem(WORKING_KEY, 'junk');
    const set = fake.setItem.bind(fake);
    fake.setItem = (k: string, v: string) =>
      k === SET_ASIDE_KEY
        ? (() => {
            throw new Error('QuotaExceededError');
          })()
        : set(k, v);
    expect(takeWorking().kind).toBe('unreadable');
    expect(fake.getItem(WORKING_KEY)).toBe('junk');
  });

  it('never throws when storage itself throws or is missing', () => {
    fake.setItem = () => {
      throw new Error('QuotaExceededError');
    };
    fake.getItem = () => {
      throw new Error('SecurityError');
    };
    expect(() => saveWorking({ a: 1 })).not.toThrow();
    expect(loadWorking()).toBeNull();
    vi.stubGlobal('localStorage', undefined);
    expect(() => saveWorking({ a: 1 })).not.toThrow();
    expect(loadWorking()).toBeNull();
  });
});

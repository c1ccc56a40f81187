import { describe, expect, it } from 'vitest';
import { BUILTIN_SCENARIOS } from '../../scenarios/index';
import { loadScenario, runScenario, type ScenarioFile } from '../../core/index';
import { addFolder, removeFolder, setNumber, setPassiveIp, setRight, setServerKind, setUserLimit } from './fzForm';

const builtin = (id: string) => structuredClone(BUILTIN_SCENARIOS.find((s) => s.id === id)!.json) as ScenarioFile;
const verdictOf = (f: ScenarioFile) => {
  const r = loadScenario(f);
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('\n'));
  return runScenario(r.scenario).verdict.ok;
};

describe('FileZilla Server form edits', () => {
  it('clearing Write on upload/ makes the seed 003 upload fail; checking it again fixes it', () => {
    const f = builtin('filezilla-seed-003-port-3069');
    expect(verdictOf(f)).toBe(true);
    const off = setRight(f, 0, 1, 'fileWrite', false);
    expect(off.server.filezilla!.users![0]!.folders![1]!.rights).not.toContain('fileWrite');
    expect(f.server.filezilla!.users![0]!.folders![1]!.rights).toContain('fileWrite');
    expect(verdictOf(off)).toBe(false);
    expect(verdictOf(setRight(off, 0, 1, 'fileWrite', true))).toBe(true);
  });

  it('shares upload/ with the default rights, then Write fixes the refused upload', () => {
    const f = builtin('filezilla-upload-needs-write');
    const r = addFolder(f, 0, 'share\\upload/');
    if (!r.ok) throw new Error(r.message);
    expect(r.file.server.filezilla!.users![0]!.folders![1]).toEqual({ path: '/share/upload', rights: ['fileRead', 'dirList', 'dirSubdirs'] });
    expect(verdictOf(r.file)).toBe(false);
    expect(verdictOf(setRight(r.file, 0, 1, 'fileWrite', true))).toBe(true);
    expect(addFolder(r.file, 0, '/SHARE/upload')).toEqual({ ok: false, message: '/SHARE/upload is already shared with this user' });
    expect(removeFolder(r.file, 0, 1).server.filezilla!.users![0]!.folders).toHaveLength(1);
  });

  it('the Passive IP fixes the NAT scenario; a bad address is refused with a message', () => {
    const f = builtin('filezilla-nat-no-passive-ip');
    expect(setPassiveIp(f, '203.0.113.300')).toEqual({ ok: false, message: 'Passive IP must be an IPv4 address such as 203.0.113.10, not "203.0.113.300"' });
    const r = setPassiveIp(f, ' 203.0.113.1 ');
    if (!r.ok) throw new Error(r.message);
    expect(r.file.server.filezilla!.passive!.ip).toBe('203.0.113.1');
    expect(verdictOf(r.file)).toBe(true);
  });

  it('numbers: a custom range gets both ends, an empty port clears it, words are refused', () => {
    const f = setServerKind(builtin('seed-passive-session'), 'filezilla');
    expect(f.server.kind).toBe('filezilla');
    const r = setNumber(f, 'minPort', '5000');
    if (!r.ok) throw new Error(r.message);
    expect(r.file.server.filezilla!.passive).toEqual({ minPort: 5000, maxPort: 5000 });
    const cleared = setNumber(r.file, 'maxPort', '');
    expect(cleared.ok && cleared.file.server.filezilla!.passive).toEqual({});
    expect(setNumber(f, 'timeoutS', 'ten')).toEqual({ ok: false, message: 'Connections time-out must be a whole number, not "ten"' });
    expect(setUserLimit(builtin('filezilla-class-per-ip-limit'), 0, 'maxPerIp', '-1').ok).toBe(false);
    expect(setServerKind(f, 'vsftpd').server.kind).toBeUndefined();
  });
});

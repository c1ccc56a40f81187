/**
 * vsftpd's accounts through the form's edits: each bad entry is refused with a message naming
 * the field, each good one changes only its part of the scenario, and the learner loops of the
 * account built-ins (upload refused, chroot refused, user list) are fixed without JSON.
 */
import { describe, expect, it } from 'vitest';
import { loadScenario, runScenario, type ScenarioFile } from '../../core/index';
import { BUILTIN_SCENARIOS } from '../../scenarios/index';
import { challenge, check } from '../../teach/testkit';
import { textOf } from './fileOps';
import { addUser, modeWords, removeUser, setFileMode, setFileOwner, setNameList, setUserConfig, setUserField, setVsftpdKey, type AccountEdit } from './accountsForm';

function builtin(id: string): ScenarioFile {
  const s = BUILTIN_SCENARIOS.find((b) => b.id === id);
  if (!s) throw new Error(`no built-in scenario ${id}`);
  return structuredClone(s.json) as ScenarioFile;
}
const ok = (r: AccountEdit): ScenarioFile => {
  if (!r.ok) throw new Error(r.message);
  return r.file;
};
function run(file: ScenarioFile) {
  const l = loadScenario(file);
  if (!l.ok) throw new Error(l.errors.map((e) => `${e.path} ${e.message}`).join('\n'));
  return runScenario(l.scenario);
}
/** What the client printed for each failed transfer, and the verdict's explanation. */
const transcript = (file: ScenarioFile) =>
  run(file)
    .verdict.transfers.flatMap((t) => (t.failure ? [...t.failure.clientSees, t.failure.explanation] : []))
    .join('\n');

describe('account fields: messages that name the field', () => {
  const file = builtin('vsftpd-chroot-upload-folder');
  it('a user name', () => {
    expect(setUserField(file, 0, 'name', '  ')).toEqual({ ok: false, message: expect.stringMatching(/^User 1 \(alice\), name: empty/) });
    expect(setUserField(file, 0, 'name', 'al ice')).toEqual({ ok: false, message: expect.stringMatching(/^User 1 \(alice\), name: "al ice" has a space/) });
    const two = ok(setUserField(addUser(file), 1, 'name', 'bob'));
    expect(setUserField(two, 1, 'name', 'alice')).toEqual({ ok: false, message: 'User 2 (bob), name: "alice" is already user 1' });
  });
  it('a rename keeps the files: they belong to the user (its id), not to the name', () => {
    const r = ok(setUserField(file, 0, 'name', 'alicia'));
    expect(Object.values(r.server.files!).map((f) => f.owner)).toEqual(['alicia', 'alicia', 'alicia']);
    expect(r.server.userList).toEqual(file.server.userList);
    expect(run(r).verdict.transfers.length).toBeGreaterThan(0);
  });
  it('a home folder', () => {
    expect(setUserField(file, 0, 'home', 'home/alice')).toEqual({
      ok: false,
      message: expect.stringMatching(/^User 1 \(alice\), home directory: "home\/alice" does not start with "\/"/),
    });
    expect(ok(setUserField(file, 0, 'home', '/home/alice/upload')).server.users).toEqual([{ name: 'alice', password: 'wonderland', home: '/home/alice/upload' }]);
    expect(ok(setUserField(ok(setUserField(file, 0, 'home', '/srv')), 0, 'home', '')).server.users).toEqual([{ name: 'alice', password: 'wonderland' }]);
  });
  it('a list line', () => {
    expect(setNameList(file, 'userList', 'root\nbob smith\n')).toEqual({
      ok: false,
      message: 'User list, line 2: "bob smith" has a space, ":" or "/" — write one user name a line',
    });
    expect(ok(setNameList(file, 'chrootList', 'alice\n\n bob \n')).server.chrootList).toEqual(['alice', 'bob']);
    expect(ok(setNameList(file, 'userList', '\n')).server.userList).toBeUndefined();
  });
  it('a per-user setting, read over vsftpd.conf', () => {
    expect(setUserConfig(file, 'alice', 'write_enable=NO\nwrite_enabel=YES')).toEqual({ ok: false, message: expect.stringMatching(/^Settings for alice, line 2: .*write_enabel/) });
    expect(ok(setUserConfig(file, 'alice', 'write_enable=NO')).server.userConfig).toEqual({ alice: 'write_enable=NO\n' });
    expect(ok(setUserConfig(ok(setUserConfig(file, 'alice', 'write_enable=NO')), 'alice', '')).server.userConfig).toBeUndefined();
  });
  it('a mode', () => {
    expect(setFileMode(file, '/home/alice', '79')).toEqual({ ok: false, message: expect.stringMatching(/^Mode of \/home\/alice: "79" is not three digits from 0 to 7/) });
    expect(ok(setFileMode(file, '/home/alice', '0750')).server.files!['/home/alice']).toEqual({ dir: true, owner: 'alice', mode: '0750' });
    expect(modeWords('755', true)).toBe('rwxr-xr-x: owner may read, create and delete in it, enter; group read, enter; others read, enter');
    expect(modeWords('640', false)).toBe('rw-r-----: owner may read, write; group read; others nothing');
  });
  it('removing the last user removes the field', () => {
    expect(removeUser(file, 0).server.users).toBeUndefined();
  });
});

describe('the account built-ins, fixed through the form', () => {
  it('vsftpd-chroot-writable-root: allow_writeable_chroot, or a read-only home, ends the 500 OOPS', () => {
    const file = builtin('vsftpd-chroot-writable-root');
    expect(run(file).verdict.ok).toBe(false);
    const allowed = setVsftpdKey(file, 'allow_writeable_chroot', true);
    expect(textOf(allowed.server.vsftpd)).toContain('allow_writeable_chroot=YES');
    expect(textOf(allowed.server.vsftpd)).toContain('# vsftpd 3.0.3'); // comments kept
    expect(run(allowed).verdict.ok).toBe(true);
    const readOnly = ok(setFileMode(setFileOwner(file, '/home/alice', 'alice'), '/home/alice', '555'));
    expect(transcript(readOnly)).not.toContain('500 OOPS');
  });

  it('the user list: with an allow list, a name missing from it gets 530 Permission denied before the password', () => {
    const file = builtin('vsftpd-chroot-upload-folder');
    expect(run(file).verdict.ok).toBe(true);
    const allowList = setVsftpdKey(file, 'userlist_deny', false);
    expect(textOf(allowList.server.vsftpd)).toContain('userlist_deny=NO');
    expect(transcript(allowList)).toContain('530 Permission denied.');
    const listed = ok(setNameList(allowList, 'userList', 'alice'));
    expect(run(listed).verdict.ok).toBe(true);
  });

  it('per-user settings: write_enable=NO for alice alone refuses her upload', () => {
    const file = builtin('vsftpd-chroot-upload-folder');
    const on = setVsftpdKey(file, 'user_config_dir', '/etc/vsftpd/user_conf');
    const denied = ok(setUserConfig(on, 'alice', 'write_enable=NO'));
    const t = transcript(denied);
    expect(t).toMatch(/550 Permission denied\./);
    // Turned off again, the settings are not read.
    expect(run(setVsftpdKey(denied, 'user_config_dir', null)).verdict.ok).toBe(true);
  });

  it('"The photos that will not upload": giving upload/ to maria in the form solves the challenge', async () => {
    const ch = challenge('upload-553');
    const broken = structuredClone(ch.scenarioFile) as ScenarioFile;
    expect((await check(ch, broken)).solved).toBe(false);
    const fixed = setFileOwner(broken, '/home/maria/upload', 'maria');
    expect((await check(ch, fixed)).solved).toBe(true);
  });
});

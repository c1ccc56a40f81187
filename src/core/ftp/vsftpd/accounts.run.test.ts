/**
 * vsftpd's account model run through the whole simulator: userlist_enable/userlist_deny,
 * chroot_local_user with chroot_list_enable and allow_writeable_chroot, home directories and
 * user_config_dir — each case a scenario, checked by the exact command and reply lines.
 */
import { describe, expect, it } from 'vitest';
import { formatScenarioError, loadScenario, runScenario } from '../../index';

interface Opts {
  conf?: string[];
  user?: string;
  password?: string;
  script?: string[];
  files?: Record<string, unknown>;
  server?: Record<string, unknown>;
  users?: { name: string; password: string; home?: string }[];
}

/** Runs a two-host scenario: client 10.0.0.2 (classic ftp, passive), vsftpd on 10.0.0.10. */
function run(o: Opts) {
  const json = {
    name: 'accounts',
    teaches: 'accounts',
    hosts: [
      { id: 'client', ip: '10.0.0.2/24', role: 'client' },
      { id: 'server', ip: '10.0.0.10/24', role: 'server' },
    ],
    server: {
      host: 'server',
      vsftpd: ['listen=YES', 'anonymous_enable=NO', 'local_enable=YES', 'write_enable=YES', 'pasv_min_port=50000', 'pasv_max_port=50100', ...(o.conf ?? [])],
      files: o.files ?? { '/home/alice': { dir: true }, '/home/alice/notes.txt': { size: 10 }, '/home/bob': { dir: true } },
      users: o.users ?? [
        { name: 'alice', password: 'a-pass' },
        { name: 'bob', password: 'b-pass' },
      ],
      ...o.server,
    },
    client: { host: 'client', profile: 'classic', mode: 'passive', user: o.user ?? 'alice', password: o.password ?? 'a-pass' },
    script: o.script ?? ['login', 'pwd', 'quit'],
  };
  const r = loadScenario(json, 'accounts.json');
  if (!r.ok) throw new Error(r.errors.map(formatScenarioError).join('\n'));
  const res = runScenario(r.scenario);
  /** The control conversation as the server saw it: "> COMMAND" and "reply" lines. */
  const lines = res.trace.events.flatMap((e) => (e.kind === 'ftp' && e.host === 'server' ? [e.dir === 'command' ? `> ${e.text}` : e.text] : []));
  return { res, lines, warnings: r.warnings };
}

/** The line right after `command` in the conversation. */
const answerTo = (lines: string[], command: string) => lines[lines.indexOf(`> ${command}`) + 1];

describe('userlist_enable / userlist_deny', () => {
  it('refuses a listed user right after USER with 530 Permission denied. (userlist_deny=YES, the default)', () => {
    const { lines, res } = run({ conf: ['userlist_enable=YES'], server: { userList: ['root', 'bob'] }, user: 'bob', password: 'b-pass' });
    expect(answerTo(lines, 'USER bob')).toBe('530 Permission denied.');
    expect(lines).not.toContain('> PASS b-pass');
    expect(res.verdict.ok).toBe(false);
    expect(res.verdict.transfers[0]!.failure!.fix).toMatch(/Take the user out of server\.userList/);
  });

  it('lets an unlisted user on to the password', () => {
    const { lines } = run({ conf: ['userlist_enable=YES'], server: { userList: ['root', 'bob'] } });
    expect(answerTo(lines, 'USER alice')).toBe('331 Please specify the password.');
    expect(answerTo(lines, 'PASS a-pass')).toBe('230 Login successful.');
  });

  it('with userlist_deny=NO only the listed users get to the password', () => {
    const refused = run({ conf: ['userlist_enable=YES', 'userlist_deny=NO'], server: { userList: ['bob'] } });
    expect(answerTo(refused.lines, 'USER alice')).toBe('530 Permission denied.');
    const let_in = run({ conf: ['userlist_enable=YES', 'userlist_deny=NO'], server: { userList: ['bob'] }, user: 'bob', password: 'b-pass' });
    expect(answerTo(let_in.lines, 'USER bob')).toBe('331 Please specify the password.');
  });

  it('ignores the list without userlist_enable (and the loader says so)', () => {
    const { lines, warnings } = run({ server: { userList: ['alice'] } });
    expect(answerTo(lines, 'USER alice')).toBe('331 Please specify the password.');
    expect(warnings.map((w) => `${w.path}: ${w.message}`)).toContain('server.userList: userlist_enable=NO: vsftpd does not read the user list');
  });
});

describe('home directories and chroot_local_user', () => {
  it('starts a local user in /home/<name>: 257 "/home/alice" is the current directory', () => {
    const { lines } = run({});
    expect(answerTo(lines, 'PWD')).toBe('257 "/home/alice" is the current directory');
  });

  it('refuses a chroot() into the writable home: 500 OOPS: vsftpd: refusing to run with writable root inside chroot()', () => {
    const { lines, res } = run({ conf: ['chroot_local_user=YES'] });
    expect(answerTo(lines, 'PASS a-pass')).toBe('500 OOPS: vsftpd: refusing to run with writable root inside chroot()');
    expect(lines).not.toContain('> PWD');
    expect(res.verdict.ok).toBe(false);
  });

  it('allow_writeable_chroot=YES lets the user in, and "/" is the home: 257 "/"', () => {
    const { lines } = run({ conf: ['chroot_local_user=YES', 'allow_writeable_chroot=YES'], script: ['login', 'pwd', 'get notes.txt', 'quit'] });
    expect(answerTo(lines, 'PASS a-pass')).toBe('230 Login successful.');
    expect(answerTo(lines, 'PWD')).toBe('257 "/" is the current directory');
    expect(answerTo(lines, 'RETR notes.txt')).toBe('150 Opening BINARY mode data connection for notes.txt (10 bytes).');
  });

  it('a home the user cannot write (chmod a-w) needs no allow_writeable_chroot; cd .. stays inside', () => {
    const { lines } = run({
      conf: ['chroot_local_user=YES'],
      files: { '/home/alice': { dir: true, owner: 'alice', mode: '555' }, '/home/alice/notes.txt': { size: 10 } },
      script: ['login', 'cd ..', 'pwd', 'get notes.txt', 'put report.txt 10', 'quit'],
    });
    expect(answerTo(lines, 'PASS a-pass')).toBe('230 Login successful.');
    expect(answerTo(lines, 'CWD ..')).toBe('250 Directory successfully changed.');
    expect(answerTo(lines, 'PWD')).toBe('257 "/" is the current directory');
    expect(lines).toContain('150 Opening BINARY mode data connection for notes.txt (10 bytes).');
    expect(answerTo(lines, 'STOR report.txt')).toBe('553 Could not create file.');
  });

  it('chroot_list_enable: the listed users are the exception to chroot_local_user', () => {
    const conf = ['chroot_list_enable=YES', 'allow_writeable_chroot=YES'];
    const listed = run({ conf, server: { chrootList: ['alice'] } });
    expect(answerTo(listed.lines, 'PWD')).toBe('257 "/" is the current directory');
    const unlisted = run({ conf, server: { chrootList: ['alice'] }, user: 'bob', password: 'b-pass' });
    expect(answerTo(unlisted.lines, 'PWD')).toBe('257 "/home/bob" is the current directory');
    // With chroot_local_user=YES the list names those left out of the chroot.
    const flipped = run({ conf: [...conf, 'chroot_local_user=YES'], server: { chrootList: ['alice'] } });
    expect(answerTo(flipped.lines, 'PWD')).toBe('257 "/home/alice" is the current directory');
  });

  it('a home that does not exist: 500 OOPS: cannot change directory:/home/carol', () => {
    const { lines, warnings } = run({ users: [{ name: 'carol', password: 'c', home: '/home/carol' }], user: 'carol', password: 'c' });
    expect(answerTo(lines, 'PASS c')).toBe('500 OOPS: cannot change directory:/home/carol');
    expect(warnings.map((w) => `${w.path}: ${w.message}`)).toContain(
      "server.users[0].home: /home/carol is not a directory in server.files: vsftpd will answer carol's login with 500 OOPS: cannot change directory:/home/carol",
    );
    // A home implied by a file inside it is a directory of the tree.
    const implied = run({ files: { '/srv/data/x.txt': { size: 1 } }, users: [{ name: 'carol', password: 'c', home: '/srv/data' }], user: 'carol', password: 'c' });
    expect(implied.warnings).toEqual([]);
    expect(answerTo(implied.lines, 'PWD')).toBe('257 "/srv/data" is the current directory');
  });
});

describe('user_config_dir', () => {
  const server = { userConfig: { alice: ['write_enable=NO'], bob: ['local_root=/srv/shared'] } };
  // bob's local_root is his to write in (a directory nobody was given is root's 0755, as on the kernel).
  const files = { '/home/alice': { dir: true }, '/home/bob': { dir: true }, '/srv/shared': { dir: true, owner: 'bob', mode: '755' } };

  it("applies a user's own file over vsftpd.conf: alice may not write, bob may", () => {
    const alice = run({ conf: ['user_config_dir=/etc/vsftpd/user_conf'], server, files, script: ['login', 'put report.txt 10', 'quit'] });
    expect(answerTo(alice.lines, 'STOR report.txt')).toBe('550 Permission denied.');
    const bob = run({ conf: ['user_config_dir=/etc/vsftpd/user_conf'], server, files, user: 'bob', password: 'b-pass', script: ['login', 'pwd', 'put report.txt 10', 'quit'] });
    expect(answerTo(bob.lines, 'PWD')).toBe('257 "/srv/shared" is the current directory');
    expect(answerTo(bob.lines, 'STOR report.txt')).toBe('150 Ok to send data.');
  });

  it('reads no per-user file without user_config_dir (and the loader says so)', () => {
    const { lines, warnings } = run({ server, files, script: ['login', 'put report.txt 10', 'quit'] });
    expect(answerTo(lines, 'STOR report.txt')).toBe('150 Ok to send data.');
    expect(warnings.some((w) => w.path === 'server.userConfig' && /user_config_dir is not set/.test(w.message))).toBe(true);
  });

  it('names the line of a bad per-user setting', () => {
    const r = loadScenario(
      {
        name: 'x',
        teaches: 'x',
        hosts: [
          { id: 'client', ip: '10.0.0.2/24' },
          { id: 'server', ip: '10.0.0.10/24' },
        ],
        server: { host: 'server', vsftpd: 'user_config_dir=/etc/u\n', userConfig: { alice: ['write_enable=YES', 'write_enabel=NO'] }, users: [{ name: 'alice', password: 'a' }] },
        client: { host: 'client', profile: 'classic' },
      },
      'x.json',
    );
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map(formatScenarioError).join('\n')).toMatch(/userConfig\["alice"\].*line 2.*write_enabel/s);
  });
});

describe('files and directories nobody was given (as the kernel check builds them)', () => {
  const anon = ['anonymous_enable=YES', 'anon_upload_enable=YES', 'anon_mkdir_write_enable=YES'];
  it('are root’s, 0755 and 0644: an anonymous upload or mkdir into "/" is refused', () => {
    const { lines } = run({ conf: anon, user: 'anonymous', password: 'guest@', files: { '/readme.txt': { size: 10 } }, script: ['login', 'put up.txt 10', 'mkdir new', 'quit'] });
    expect(answerTo(lines, 'STOR up.txt')).toBe('553 Could not create file.');
    expect(answerTo(lines, 'MKD new')).toBe('550 Create directory operation failed.');
  });
  it('a directory given to ftp takes them', () => {
    const files = { '/incoming': { dir: true, owner: 'ftp', mode: '755' } };
    const { lines } = run({ conf: anon, user: 'anonymous', password: 'guest@', files, script: ['login', 'cd incoming', 'put up.txt 10', 'mkdir new', 'quit'] });
    expect(answerTo(lines, 'STOR up.txt')).toBe('150 Ok to send data.');
    expect(answerTo(lines, 'MKD new')).toBe('257 "/incoming/new" created');
  });
  it("a local user's tree outside the home is root's: write_enable alone does not open it", () => {
    const { lines } = run({ files: { '/home/alice': { dir: true }, '/srv': { dir: true } }, script: ['login', 'cd /srv', 'put up.txt 10', 'quit'] });
    expect(answerTo(lines, 'STOR up.txt')).toBe('553 Could not create file.');
  });
});

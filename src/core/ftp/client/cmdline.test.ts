/** Command lines read into a client's fields; unknown options named with their column. */
import { describe, expect, it } from 'vitest';
import { LFTP_RETRY_DEFAULTS, parseClientCommand, shellWords } from './cmdline';

const ok = (line: string, hint?: Parameters<typeof parseClientCommand>[1]) => {
  const r = parseClientCommand(line, hint);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.fields;
};
const problems = (line: string) => {
  const r = parseClientCommand(line);
  return r.ok ? [] : r.problems.map((p) => `${p.column}: ${p.message}`);
};

describe('shell words', () => {
  it('splits on blanks and keeps quoted text whole, with each word’s column', () => {
    const r = shellWords(`lftp -e 'set ftp:passive-mode off; get readme.txt' "a b"\\ c`);
    expect('words' in r && r.words.map((w) => [w.text, w.column])).toEqual([
      ['lftp', 1],
      ['-e', 6],
      ['set ftp:passive-mode off; get readme.txt', 9],
      ['a b c', 52],
    ]);
    expect(shellWords(`lftp -e 'get x`)).toEqual({ message: 'unterminated single quote', column: 9 });
  });
});

describe('curl', () => {
  it('active mode with -P -, the URL’s directory and file become the script', () => {
    const f = ok('curl -v --ftp-port - ftp://203.0.113.10/pub/readme.txt');
    expect(f).toMatchObject({ profile: 'curl', mode: 'active', connectTo: '203.0.113.10', script: ['login', 'get pub/readme.txt', 'quit'] });
    expect(f.connectPort).toBeUndefined();
  });

  it('URLs in different directories: each step keeps its path (curl changes directory per URL)', () => {
    // Each -T goes with the URL in the same place (the first -T with the first URL).
    const f = ok('curl -T a.txt ftp://203.0.113.10/up/ ftp://203.0.113.10/pub/readme.txt ftp://203.0.113.10/notes.txt ftp://203.0.113.10/pub/');
    expect(f.script).toEqual(['login', 'put up/a.txt', 'get pub/readme.txt', 'get notes.txt', 'ls pub/', 'quit']);
  });

  it('each mode option', () => {
    expect(ok('curl ftp://h.example/x').mode).toBeUndefined();
    expect(ok('curl --ftp-pasv ftp://192.0.2.1/x').mode).toBe('passive');
    expect(ok('curl --disable-epsv ftp://192.0.2.1/x').mode).toBe('pasv');
    expect(ok('curl -P - --disable-eprt ftp://192.0.2.1/x').mode).toBe('port');
    expect(ok('curl -P 198.51.100.7 ftp://192.0.2.1/x').mode).toBe('active');
    expect(ok('curl ftp://192.0.2.1/readme.txt').script).toEqual(['login', 'get readme.txt', 'quit']);
  });

  it('the 227 address, time limits, user and port, clustered short flags', () => {
    const f = ok('curl -sS --no-ftp-skip-pasv-ip --max-time 7 --connect-timeout 2.5 -u bob:secret ftp://192.0.2.1:2121/');
    expect(f).toMatchObject({ pasvAddress: 'trust', maxTimeS: 7, connectTimeoutS: 2.5, user: 'bob', password: 'secret', connectPort: 2121, script: ['login', 'ls', 'quit'] });
    expect(ok('curl --ftp-skip-pasv-ip ftp://192.0.2.1/a').pasvAddress).toBe('ignore');
    expect(ok('curl -m 3 -o out.txt ftp://alice:pw@192.0.2.1/a').maxTimeS).toBe(3);
    expect(ok('curl -T up.bin ftp://192.0.2.1/incoming/').script).toEqual(['login', 'put incoming/up.bin', 'quit']);
  });

  it('--ftp-create-dirs (its --no- form undoes it)', () => {
    const f = ok('curl -T report.txt --ftp-create-dirs ftp://192.0.2.1/new/dir/report.txt');
    expect(f).toMatchObject({ createDirs: true, script: ['login', 'put new/dir/report.txt', 'quit'] });
    expect(ok('curl ftp://192.0.2.1/a').createDirs).toBeUndefined();
    expect(ok('curl --ftp-create-dirs --no-ftp-create-dirs ftp://192.0.2.1/a').createDirs).toBeUndefined();
  });

  it('refuses what it does not know, naming the option and its column', () => {
    expect(problems('curl --ftp-create-dirs-now ftp://192.0.2.1/a')).toEqual([expect.stringMatching(/^6: unknown curl option "--ftp-create-dirs-now"/)]);
    expect(problems('curl -sZ ftp://192.0.2.1/a')).toEqual([expect.stringMatching(/^8: unknown curl option "-Z"/)]);
    expect(problems('curl --max-time soon ftp://192.0.2.1/a')).toEqual([expect.stringMatching(/^17: curl --max-time takes a number of seconds/)]);
    expect(problems('curl --max-time')).toContainEqual(expect.stringMatching(/^6: curl option "--max-time" needs a value/));
    expect(problems('curl -v')).toEqual([expect.stringMatching(/curl needs a URL/)]);
    expect(problems('curl http://192.0.2.1/a')).toEqual([expect.stringMatching(/^6: "http:\/\/192\.0\.2\.1\/a" is not an FTP URL/)]);
    expect(problems('curl ftp://192.0.2.1/a ftp://192.0.2.2/b')).toEqual([expect.stringMatching(/^24: every URL must name the same server/)]);
    expect(problems('wget ftp://192.0.2.1/a')).toEqual([expect.stringMatching(/^1: unknown program "wget"/)]);
  });
});

describe('ftp (tnftp, netkit, inetutils)', () => {
  it('ftp is Debian’s tnftp unless the scenario’s profile names another ftp', () => {
    expect(ok('ftp -p 203.0.113.10')).toMatchObject({ profile: 'tnftp', mode: 'passive', connectTo: '203.0.113.10' });
    expect(ok('ftp -p 203.0.113.10', 'inetutils').profile).toBe('inetutils');
    expect(ok('ftp 203.0.113.10 2121', 'classic')).toMatchObject({ profile: 'classic', connectPort: 2121 });
    expect(ok('ftp -A -n -v 203.0.113.10').mode).toBe('active');
    expect(ok('netkit-ftp -d 203.0.113.10').profile).toBe('classic');
    expect(ok('inetutils-ftp -pv 203.0.113.10')).toMatchObject({ profile: 'inetutils', mode: 'passive' });
    expect(ok('ftp 203.0.113.10').script).toBeUndefined();
  });

  it('errors', () => {
    expect(problems('ftp -x 203.0.113.10')).toEqual([expect.stringMatching(/^6: unknown ftp option "-x"/)]);
    expect(problems('netkit-ftp -A 203.0.113.10')).toEqual([expect.stringMatching(/netkit ftp has no -A/)]);
    expect(problems('ftp -p')).toEqual([expect.stringMatching(/ftp needs the server/)]);
    expect(problems('ftp 203.0.113.10 99999')).toEqual([expect.stringMatching(/^18: "99999" is not a port/)]);
  });

  it('tnftp -q: a stalled transfer’s time-out in seconds, separate or attached; only tnftp has it', () => {
    expect(ok('tnftp -q 15 203.0.113.10')).toMatchObject({ stallTimeoutS: 15, connectTo: '203.0.113.10' });
    expect(ok('ftp -pq15 203.0.113.10')).toMatchObject({ stallTimeoutS: 15, mode: 'passive' });
    expect(problems('ftp -q x 203.0.113.10')).toEqual([expect.stringMatching(/^8: tnftp -q needs a whole number of seconds/)]);
    expect(problems('inetutils-ftp -q 15 203.0.113.10')).toEqual([expect.stringMatching(/only tnftp has -q/)]);
  });
});

describe('lftp', () => {
  it('-e settings and commands; lftp’s defaults for what is not set', () => {
    const f = ok(`lftp -e 'set ftp:passive-mode off; get readme.txt' 203.0.113.10`);
    expect(f).toMatchObject({
      profile: 'lftp',
      mode: 'active',
      connectTo: '203.0.113.10',
      script: ['login', 'get readme.txt', 'quit'],
      lftpRetries: { ...LFTP_RETRY_DEFAULTS, anonymous: true },
    });
    const g = ok(
      `lftp -u bob,pw -p 2121 -e 'set net:max-retries 3; set net:reconnect-interval-base 5; set net:reconnect-interval-multiplier 2; set net:reconnect-interval-max 8; set net:timeout 1m; set ftp:ignore-pasv-address yes; ls; quit' ftp://203.0.113.10`,
    );
    expect(g).toMatchObject({ user: 'bob', password: 'pw', connectPort: 2121, connectTimeoutS: 60, pasvAddress: 'ignore', script: ['login', 'ls', 'quit'] });
    expect(g.lftpRetries).toEqual({ maxRetries: 3, baseS: 5, multiplier: 2, maxS: 8 });
    expect(ok(`lftp -e 'set ftp:fix-pasv-address no' 203.0.113.10`).pasvAddress).toBe('trust');
    // No user named: lftp's own anonymous login (no AUTH TLS); a user named (-u, or in the URL): not.
    expect(ok('lftp 203.0.113.10').lftpRetries).toEqual({ ...LFTP_RETRY_DEFAULTS, anonymous: true });
    expect(ok('lftp ftp://anonymous:x@203.0.113.10').lftpRetries).toEqual(LFTP_RETRY_DEFAULTS);
  });

  it('an unknown setting, value or command is named with its column', () => {
    expect(problems(`lftp -e 'set ftp:passive-mode off; set ftp:prefer-epsv yes' 203.0.113.10`)).toEqual([expect.stringMatching(/^36: unknown lftp setting "ftp:prefer-epsv"/)]);
    expect(problems(`lftp -e 'set ftp:passive-mode maybe' 203.0.113.10`)).toEqual([expect.stringMatching(/^10: lftp: ftp:passive-mode takes on\/off/)]);
    expect(problems(`lftp -e 'mirror pub' 203.0.113.10`)).toEqual([expect.stringMatching(/^10: lftp command "mirror" is not modelled/)]);
    expect(problems('lftp --norc 203.0.113.10')).toEqual([expect.stringMatching(/^6: unknown lftp option "--norc"/)]);
  });
});

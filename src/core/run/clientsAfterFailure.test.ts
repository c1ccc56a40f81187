/**
 * What curl, tnftp and inetutils ftp send and print when the session goes wrong under them, as
 * captured on a real kernel (tests/kernel, Linux 6.18, vsftpd 3.0.3, curl 7.88.1, tnftp 20230507,
 * inetutils ftp 2.4): after vsftpd's login OOPS, and while a middlebox resets the data
 * connection towards the server only.
 */
import { describe, expect, it } from 'vitest';
import { BUILTIN_SCENARIOS } from '../../scenarios/index';
import { formatScenarioError, loadScenario } from '../scenario/load';
import { runScenario, type RunResult } from '../runScenario';
import type { TraceEvent } from '../sim/trace';

function run(id: string, edit: (j: any) => void): RunResult {
  const j = structuredClone(BUILTIN_SCENARIOS.find((s) => s.id === id)!.json) as any;
  edit(j);
  const r = loadScenario(j, `${id}.json`);
  if (!r.ok) throw new Error(r.errors.map(formatScenarioError).join('\n'));
  return runScenario(r.scenario);
}
type Ftp = Extract<TraceEvent, { kind: 'ftp' }>;
type Console = Extract<TraceEvent, { kind: 'console' }>;
/** The command lines the client sent, in order (the server's record of them left out). */
const commands = (r: RunResult, host: string): string[] => r.trace.events.filter((e): e is Ftp => e.kind === 'ftp' && e.dir === 'command' && e.host === host).map((e) => e.text);
const said = (r: RunResult): string[] => r.trace.events.filter((e): e is Console => e.kind === 'console').map((e) => e.text);

describe('after vsftpd’s 500 OOPS at login (vsftpd-chroot-writable-root)', () => {
  const oops = (profile: string, script?: string[]) =>
    run('vsftpd-chroot-writable-root', (j) => {
      j.client.profile = profile;
      if (script) j.script = script;
    });

  it('curl sends no QUIT: the URL fails with exit 67 and the connection is closed', () => {
    const r = oops('curl');
    expect(commands(r, 'laptop')).toEqual(['USER alice', 'PASS wonderland']);
    expect(said(r)).toContain('curl: (67) Access denied: 500');
    // curl has no pwd: the one URL is the only step it reports.
    expect(r.verdict.transfers.map((t) => [t.command, t.ok])).toEqual([['get notes.txt', false]]);
  });

  it('curl with two URLs logs in again for the second, and is refused again', () => {
    const r = oops('curl', ['login', 'get notes.txt', 'get notes.txt', 'quit']);
    expect(commands(r, 'laptop')).toEqual(['USER alice', 'PASS wonderland', 'USER alice', 'PASS wonderland']);
    expect(said(r).filter((l) => l.startsWith('curl: (67)'))).toHaveLength(2);
  });

  it('tnftp says "Login failed." and sends its next command into the closed connection, then sees the end', () => {
    const r = oops('tnftp');
    expect(commands(r, 'laptop')).toEqual(['USER alice', 'PASS wonderland', 'PWD']);
    const out = said(r);
    const at = out.indexOf('500 OOPS: vsftpd: refusing to run with writable root inside chroot()');
    expect(out.slice(at + 1, at + 6)).toEqual([
      'Login failed.',
      'ftp> pwd',
      '---> PWD',
      '421 Service not available, remote server has closed connection.',
      'Unable to determine remote directory',
    ]);
  });

  it('inetutils (the classic client’s stand-in) asks SYST, as before', () => {
    expect(commands(oops('inetutils'), 'laptop')).toEqual(['USER alice', 'PASS wonderland', 'SYST']);
  });
});

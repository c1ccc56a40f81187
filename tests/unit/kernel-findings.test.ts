/**
 * What the kernel check (tests/kernel, real vsftpd and clients in namespaces) found the clients
 * doing, asserted on the simulator with the same scenario files: each test failed before the
 * model was changed to match the capture.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadScenario, runScenario, type ScenarioFile } from '../../src/core/index';

function session(path: string, profile?: string) {
  const file = JSON.parse(readFileSync(path, 'utf8')) as ScenarioFile;
  if (profile) {
    if (file.client) file.client = { ...file.client, profile: profile as never };
    if (file.clients) file.clients = file.clients.map((c) => ({ ...c, profile: profile as never }));
  }
  const loaded = loadScenario(JSON.stringify(file), path);
  if (!loaded.ok) throw new Error(loaded.errors.map((e) => e.message).join('; '));
  const { trace, verdict } = runScenario(loaded.scenario);
  // The control lines as each client logged them (what it sent, also into a closed connection):
  // "host> COMMAND", "host< reply".
  type FtpEv = { kind: 'ftp'; host: string; dir: 'command' | 'reply'; text: string };
  const lines = trace.events
    .filter((e): e is FtpEv & typeof e => e.kind === 'ftp' && (e as FtpEv).host !== file.server.host)
    .map((e) => `${e.host}${e.dir === 'command' ? '>' : '<'} ${e.text}`);
  const commands = (host?: string) => lines.filter((l) => (host === undefined ? /^[^ ]*> /.test(l) : l.startsWith(`${host}> `))).map((l) => l.slice(l.indexOf('> ') + 2));
  return { lines, commands, verdict };
}

describe('kernel findings, clients (tests/kernel/scenarios and the vsftpd built-ins)', () => {
  it('BSD ftp asks TYPE A before a listing once a file transfer made the type I', () => {
    const s = session('tests/kernel/scenarios/vsftpd-tree-commands.json');
    const cmds = s.commands();
    expect(cmds.slice(cmds.indexOf('RETR secret.txt') + 1)).toEqual(['TYPE A', 'PASV', 'LIST', 'QUIT']);
  });

  it('netkit/inetutils send SYST after their failed login at connect; lftp sends only the last of several logins', () => {
    const classic = session('src/scenarios/vsftpd-login-fails.json').commands();
    expect(classic.slice(0, 4)).toEqual(['USER slacker', 'PASS 123456', 'SYST', 'USER slacker']);
    const lftp = session('src/scenarios/vsftpd-login-fails.json', 'lftp').commands();
    expect(lftp.filter((c) => c.startsWith('PASS'))).toEqual(['PASS TmpPass']);
  });

  it('a client turned away with 421 at the greeting sends no QUIT (lftp only its FEAT)', () => {
    const s = session('tests/kernel/scenarios/vsftpd-max-clients.json');
    expect(s.lines.filter((l) => l.startsWith('testbox3'))).toEqual(['testbox3< 421 There are too many connected users, please try later.']);
    const lftp = session('tests/kernel/scenarios/vsftpd-max-clients.json', 'lftp');
    expect(lftp.commands('testbox3')).toEqual(['FEAT']);
  });

  it('after an idle time-out BSD ftp sends its next data command into the closed connection', () => {
    const s = session('src/scenarios/vsftpd-idle-timeout.json');
    const cmds = s.commands();
    expect(cmds.slice(-2)).toEqual(['LIST', 'PASV']);
    expect(s.verdict.transfers[1]).toMatchObject({ ok: false });
  });

  it('lftp names a refused download in its own words', () => {
    const s = session('tests/kernel/scenarios/vsftpd-local-commands.json', 'lftp');
    const song = s.verdict.transfers.find((t) => t.command === 'get song.mp3');
    expect(song?.failure?.clientSees).toContain('get: Access failed: 550 Permission denied. (song.mp3)');
  });
});

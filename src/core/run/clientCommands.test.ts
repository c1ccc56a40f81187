/**
 * Clients given as command lines, run: curl --max-time ends a transfer with exit 28 at the
 * right simulated time; lftp retries a failed command on a new connection net:max-retries
 * times, waiting for its reconnect timer; the loader refuses a command line that contradicts
 * the fields written beside it.
 */
import { describe, expect, it } from 'vitest';
import { BUILTIN_SCENARIOS } from '../../scenarios/index';
import { decodePacket } from '../codec/packet';
import { formatScenarioError, loadScenario } from '../scenario/load';
import { runScenario, type RunResult } from '../runScenario';
import type { TraceEvent } from '../sim/trace';

function json(id: string, edit?: (j: any) => void): any {
  const j = structuredClone(BUILTIN_SCENARIOS.find((s) => s.id === id)!.json) as any;
  edit?.(j);
  return j;
}
function run(id: string, edit?: (j: any) => void): RunResult {
  const r = loadScenario(json(id, edit), `${id}.json`);
  if (!r.ok) throw new Error(r.errors.map(formatScenarioError).join('\n'));
  return runScenario(r.scenario);
}
const errors = (id: string, edit: (j: any) => void): string[] => {
  const r = loadScenario(json(id, edit));
  return r.ok ? [] : r.errors.map(formatScenarioError);
};
type Console = Extract<TraceEvent, { kind: 'console' }>;
const said = (r: RunResult): Console[] => r.trace.events.filter((e): e is Console => e.kind === 'console');
/** When the client sent each SYN opening a control connection (µs). */
const controlSyns = (r: RunResult): number[] =>
  r.trace.events
    .filter((e): e is Extract<TraceEvent, { kind: 'send' }> => e.kind === 'send' && e.device === 'client' && e.conn === 'client/control')
    .filter((e) => {
      const p = decodePacket(e.bytes);
      return p.ok && !!p.value.tcp?.flags.syn && !p.value.tcp.flags.ack;
    })
    .map((e) => e.t);

describe('curl --max-time', () => {
  it('ends the transfer with exit 28 exactly --max-time after it began (the 227 address trusted, its SYNs lost)', () => {
    const r = run('server-nat-curl-trusts-227');
    const line = said(r).find((e) => e.text.startsWith('curl: (28)'))!;
    expect(line.text).toBe('curl: (28) Operation timed out after 20000 milliseconds with 0 bytes received');
    const start = controlSyns(r)[0]!;
    expect(line.t - start).toBe(20_000_000);
    expect(r.verdict.ok).toBe(false);
    expect(r.verdict.transfers[0]).toMatchObject({ ok: false, failure: { kind: 'client-timeout' } });
    // The client's SYNs to the private address are what the time went on.
    expect(r.verdict.transfers[0]!.failure!.explanation).toMatch(/10\.0\.0\.10/);
  });

  it('without --no-ftp-skip-pasv-ip curl ignores the 227 address and the same server works', () => {
    const r = run('server-nat-curl-trusts-227', (j) => (j.client.command = 'curl -v --disable-epsv --max-time 20 ftp://203.0.113.1/readme.txt'));
    expect(r.verdict.ok).toBe(true);
  });

  it('a longer limit: the kernel’s SYN time-out comes first and curl says so instead', () => {
    const r = run('server-nat-curl-trusts-227', (j) => (j.client.command = 'curl --disable-epsv --no-ftp-skip-pasv-ip --max-time 400 ftp://203.0.113.1/readme.txt'));
    expect(said(r).map((e) => e.text)).toContainEqual(expect.stringMatching(/^curl: \(28\) Failed to connect to 203\.0\.113\.1 port 21 after \d+ ms/));
  });

  it('a transfer under way: "with X out of Y bytes received"', () => {
    // A 100 MB file over 10 ms links does not finish in 2 s.
    const r = run('server-nat-curl-trusts-227', (j) => {
      j.client.command = 'curl --max-time 2 ftp://203.0.113.1/big.bin';
      j.server.files = { '/big.bin': { size: 100_000_000 } };
    });
    const line = said(r).find((e) => e.text.startsWith('curl: (28)'))!.text;
    expect(line).toMatch(/^curl: \(28\) Operation timed out after 2000 milliseconds with \d+ out of 100000000 bytes received$/);
    expect(Number(/with (\d+) out/.exec(line)![1])).toBeGreaterThan(0);
  });
});

describe('lftp retries a command it cannot complete', () => {
  it('three tries (net:max-retries 3), each on a new connection after the reconnect timer, then the fatal line', () => {
    const r = run('lftp-retries-passive-reject');
    const lines = said(r).map((e) => e.text);
    expect(lines.filter((l) => l === '**** Data socket error (No route to host) - reconnecting')).toHaveLength(3);
    expect(lines).toContain('get: readme.txt: Fatal error: max-retries exceeded (No route to host)');
    // Connections at t0, t0 + 5 s (base), t0 + 5 + 7.5 s (×1.5).
    const [a, b, c, more] = controlSyns(r);
    expect(more).toBeUndefined();
    expect([b! - a!, c! - b!]).toEqual([5_000_000, 7_500_000]);
    // Logged in again each time; SIZE and MDTM only on the first try, TYPE and PASV every time.
    const sent = r.trace.events.filter((e) => e.kind === 'ftp' && e.dir === 'command' && e.host === 'client').map((e) => (e as { text: string }).text.split(' ')[0]);
    expect(sent.filter((v) => v === 'USER')).toHaveLength(3);
    // No user on the command line: lftp's own anonymous login asks no AUTH TLS (ftp:ssl-allow-anonymous off; captured).
    expect(sent.filter((v) => v === 'AUTH')).toHaveLength(0);
    expect(sent.filter((v) => v === 'PASV')).toHaveLength(3);
    expect(sent.filter((v) => v === 'SIZE')).toHaveLength(1);
    // The RETR and ABOR lftp -d logs after each data socket error never reach the wire (captured).
    expect(sent.filter((v) => v === 'RETR' || v === 'ABOR')).toHaveLength(0);
    expect(lines.filter((l) => l === '---> RETR readme.txt')).toHaveLength(3);
    expect(r.verdict.transfers).toHaveLength(1);
    expect(r.verdict.transfers[0]).toMatchObject({ ok: false, failure: { kind: 'icmp-prohibited' } });
  });

  it('net:max-retries 1: one try only', () => {
    const r = run('lftp-retries-passive-reject', (j) => (j.client.command = j.client.command.replace('max-retries 3', 'max-retries 1')));
    expect(controlSyns(r)).toHaveLength(1);
    expect(said(r).map((e) => e.text)).toContain('get: readme.txt: Fatal error: max-retries exceeded (No route to host)');
  });

  it('a refused PORT switches passive mode on, and the retry on a new connection succeeds', () => {
    const r = run(
      'client-nat-active-no-helper',
      (j) => (j.client = { host: 'client', command: `lftp -e 'set ftp:passive-mode off; set net:max-retries 2; get readme.txt' 203.0.113.10` }),
    );
    const lines = said(r).map((e) => e.text);
    expect(lines).toContain('---- Switching passive mode on');
    expect(controlSyns(r)).toHaveLength(2);
    expect(r.verdict.ok).toBe(true);
  });
});

describe('command line and fields side by side', () => {
  const id = 'server-nat-curl-trusts-227';
  it('fields that say the same are fine; a contradiction names the field and the option', () => {
    expect(errors(id, (j) => ((j.client.profile = 'curl'), (j.client.pasvAddress = 'trust'), (j.client.mode = 'pasv')))).toEqual([]);
    expect(errors(id, (j) => (j.client.mode = 'active'))).toEqual([expect.stringMatching(/^client\.mode: "mode" is "active" but the command line says "pasv" \(--disable-epsv\)/)]);
    expect(errors(id, (j) => (j.client.pasvAddress = 'ignore'))).toEqual([expect.stringMatching(/^client\.pasvAddress: .*"trust" \(--ftp-skip-pasv-ip/)]);
    expect(errors(id, (j) => (j.client.profile = 'lftp'))).toEqual([
      expect.stringMatching(/^client\.profile: the command line runs curl \(profile "curl"\), but "profile" is "lftp"/),
    ]);
    expect(errors(id, (j) => (j.client.connectTo = '203.0.113.2'))).toEqual([expect.stringMatching(/^client\.connectTo: /)]);
    expect(errors(id, (j) => (j.client.script = ['login', 'ls']))).toEqual([expect.stringMatching(/^client\.script: the command line already says what to transfer/)]);
  });

  it('an unknown option is an error at client.command with its column', () => {
    expect(errors(id, (j) => (j.client.command = 'curl --ftp-method nocwd ftp://203.0.113.1/readme.txt'))).toEqual([
      expect.stringMatching(/^client\.command: line 1:6: unknown curl option "--ftp-method"/),
    ]);
  });

  it('neither profile nor command: missing field', () => {
    expect(errors(id, (j) => delete j.client.command)).toEqual([expect.stringMatching(/^client\.profile: missing field "profile"/)]);
  });

  it('a plain ftp command is the profile’s ftp, and its -p is passive mode without tnftp’s fallback', () => {
    const r = loadScenario(json('server-nat-classic-no-pasv-address', (j) => (j.client = { host: 'client', profile: 'inetutils', command: 'ftp -p 203.0.113.1' })));
    expect(r.ok && r.scenario.clients[0]).toMatchObject({ profile: 'inetutils', mode: 'passive', command: 'ftp -p 203.0.113.1' });
    const t = loadScenario(json('server-nat-classic-no-pasv-address', (j) => (j.client = { host: 'client', command: 'ftp -p 203.0.113.1' })));
    expect(t.ok && t.scenario.clients[0]).toMatchObject({ profile: 'tnftp', mode: 'passive' });
  });
});

describe('lftp with its own defaults', () => {
  it('warns that a failing run retries 1000 times, and does', () => {
    const j = json('lftp-retries-passive-reject', (x) => (x.client.command = 'lftp -e "get readme.txt" 203.0.113.10'));
    const r = loadScenario(j);
    expect(r.ok && r.warnings.map(formatScenarioError)).toEqual([expect.stringMatching(/^client\.command: lftp retries a failed command up to 1000 times/)]);
  });
});

describe('the anonymous password of a command line without -u (captured by the kernel check)', () => {
  const pass = (r: RunResult) =>
    r.trace.events
      .filter((e) => e.kind === 'ftp' && e.dir === 'command' && e.host === 'client')
      .map((e) => (e as { text: string }).text)
      .find((t) => t.startsWith('PASS '));
  it("is the program's own: curl ftp@example.com, lftp lftp@", () => {
    expect(pass(run('server-nat-curl-trusts-227'))).toBe('PASS ftp@example.com');
    expect(pass(run('lftp-retries-passive-reject'))).toBe('PASS lftp@');
  });
  it('a password given (-u, or the field) is the one sent; a structured client keeps guest@', () => {
    expect(pass(run('server-nat-curl-trusts-227', (j) => (j.client.command += ' -u anonymous:me@example.org')))).toBe('PASS me@example.org');
    expect(pass(run('server-nat-curl-trusts-227', (j) => (j.client.password = 'x@y')))).toBe('PASS x@y');
    expect(pass(run('server-nat-curl-trusts-227', (j) => (j.client = { host: 'client', profile: 'curl', mode: 'pasv', connectTo: '203.0.113.1' })))).toBe('PASS guest@');
  });
});

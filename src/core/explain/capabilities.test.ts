/**
 * A fix never suggests an option the scenario's client does not have: every built-in run
 * again with its clients turned into Windows ftp.exe (no passive mode), and no fix of a
 * failed transfer may tell the learner to switch to passive mode — it names another client
 * with passive mode instead.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { loadScenario, parseClientCommand, runScenario, type ClientSpec, type ScenarioFile } from '../index';
import { clientCapabilities, noPassiveReason, passiveSuggestion } from './capabilities';

const ids = readdirSync('src/scenarios')
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.replace(/\.json$/, ''));

function read(id: string): ScenarioFile {
  return JSON.parse(readFileSync(`src/scenarios/${id}.json`, 'utf8')) as ScenarioFile;
}

/** Every client turned into `profile`; a PASV-only/EPSV-only mode (an error for ftp.exe) becomes plain "passive". */
function withProfile(f: ScenarioFile, profile: ClientSpec['profile']): ScenarioFile {
  // A client given as a command line names its own program: the command line goes, the server it dials stays.
  const turn = ({ command, ...c }: ClientSpec): ClientSpec => {
    const cmd = command === undefined ? null : parseClientCommand(command);
    const dial = cmd?.ok ? { connectTo: cmd.fields.connectTo, ...(cmd.fields.connectPort !== undefined ? { connectPort: cmd.fields.connectPort } : {}) } : {};
    return { ...dial, ...c, profile, ...(c.mode === 'pasv' || c.mode === 'epsv' ? { mode: 'passive' as const } : {}) };
  };
  return { ...f, ...(f.client ? { client: turn(f.client) } : {}), ...(f.clients ? { clients: f.clients.map(turn) } : {}) };
}

function fixes(f: ScenarioFile): string[] {
  const l = loadScenario(f);
  if (!l.ok) throw new Error(JSON.stringify(l.errors));
  return runScenario(l.scenario).verdict.transfers.flatMap((t) => (t.failure ? [t.failure.fix] : []));
}

/** The one way a fix may mention passive mode for a client without it. */
const ALTERNATIVE = /use a client with passive mode, such as curl \(Windows ftp\.exe has no passive mode\)/g;

describe('fixes follow the client program', () => {
  it('the capabilities come from the profile table', () => {
    expect(clientCapabilities('windows')).toEqual({ label: 'Windows ftp.exe', passive: false });
    expect(clientCapabilities('curl').passive).toBe(true);
    expect(noPassiveReason(clientCapabilities('windows'))).toMatch(/^Windows ftp\.exe has no passive mode: it always sends PORT/);
    expect(noPassiveReason(clientCapabilities('classic'))).toBeNull();
    expect(passiveSuggestion(clientCapabilities('classic'))).toBe('switch the client to passive mode');
  });

  it('no built-in scenario, run with Windows ftp.exe, has a fix suggesting passive mode', () => {
    let alternatives = 0;
    let failures = 0;
    for (const id of ids) {
      for (const fix of fixes(withProfile(read(id), 'windows'))) {
        failures++;
        alternatives += fix.match(ALTERNATIVE)?.length ?? 0;
        const rest = fix.replace(ALTERNATIVE, '');
        expect(rest, `${id}: ${fix}`).not.toMatch(/passive|\bPASV\b|\bEPSV\b/i);
      }
    }
    // Active mode blocked by a firewall or NAT: those fixes offer another client instead.
    expect(failures).toBeGreaterThan(5);
    expect(alternatives).toBeGreaterThan(0);
  });

  it('the same scenario with the classic ftp client still suggests passive mode', () => {
    const classic = fixes(read('active-client-firewall-blocked'));
    expect(classic.some((f) => /switch the client to passive mode/.test(f))).toBe(true);
    const windows = fixes(withProfile(read('active-client-firewall-blocked'), 'windows'));
    expect(windows.length).toBeGreaterThan(0);
    for (const f of windows) {
      expect(f).not.toMatch(/switch the client to passive mode/);
      expect(f).toMatch(ALTERNATIVE);
    }
  });
});

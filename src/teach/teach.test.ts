import { describe, expect, it } from 'vitest';
import { BUILTIN_SCENARIOS } from '../scenarios/index';
import type { ScenarioFile } from '../core/index';
import { GLOSSARY, applyEdit, hasTerm, parseCodeSpans, parseMarkup, portArithmetic, replyCodeTerm, runFile, runProbe, termsIn } from './index';

describe('markup', () => {
  it('parses emphasis, code and glossary links into tokens; nothing else is markup', () => {
    expect(parseMarkup('A *real* `PORT 1,2` and [[pasv]] or [[227|the reply]].')).toEqual([
      { kind: 'text', text: 'A ' },
      { kind: 'em', text: 'real' },
      { kind: 'text', text: ' ' },
      { kind: 'code', text: 'PORT 1,2' },
      { kind: 'text', text: ' and ' },
      { kind: 'term', term: 'pasv', text: 'pasv' },
      { kind: 'text', text: ' or ' },
      { kind: 'term', term: '227', text: 'the reply' },
      { kind: 'text', text: '.' },
    ]);
  });
  it('leaves HTML, arithmetic stars and unmatched markers as text', () => {
    expect(parseMarkup('<b>x</b> 2 * 3 = 6, `open')).toEqual([{ kind: 'text', text: '<b>x</b> 2 * 3 = 6, `open' }]);
    expect(parseMarkup('[[Bad Term]]')).toEqual([{ kind: 'text', text: '[[Bad Term]]' }]);
    expect(parseMarkup('`*not em*`')).toEqual([{ kind: 'code', text: '*not em*' }]);
  });
  it("code spans of the verdict's fix: backticks become code, an odd one stays", () => {
    expect(parseCodeSpans('Attach (`-j CT --helper ftp`) now')).toEqual([
      { kind: 'text', text: 'Attach (' },
      { kind: 'code', text: '-j CT --helper ftp' },
      { kind: 'text', text: ') now' },
    ]);
    expect(parseCodeSpans('a `b')).toEqual([
      { kind: 'text', text: 'a ' },
      { kind: 'text', text: '`b' },
    ]);
  });
});

describe('PORT/EPRT/227/229 arithmetic', () => {
  it('spells out the sum', () => {
    expect(portArithmetic('227 Entering Passive Mode (192,168,150,90,195,149)')?.text).toBe('port = 195×256+149 = 50069, address 192.168.150.90');
    expect(portArithmetic('PORT 192,168,1,100,50,60')).toMatchObject({ kind: 'PORT', port: 12860, p1: 50, p2: 60, address: '192.168.1.100' });
    expect(portArithmetic('227 Entering Passive Mode (192,168,1,1,100,200).')?.port).toBe(25800);
    expect(portArithmetic('229 Entering Extended Passive Mode (|||50044|).')).toMatchObject({ kind: '229', port: 50044, address: null });
    expect(portArithmetic('EPRT |1|132.235.1.2|6275|')).toMatchObject({ kind: 'EPRT', port: 6275, address: '132.235.1.2' });
  });
  it('refuses other lines and impossible numbers', () => {
    for (const l of ['200 PORT command successful.', 'PORT 1,2,3', 'PORT 1,2,3,4,256,1', '229 (|||70000|)', 'EPRT 1|2|3', '']) expect(portArithmetic(l)).toBeNull();
  });
  it('agrees with the port the simulated client dials, on every built-in that uses 227 or PORT', () => {
    let checked = 0;
    for (const b of BUILTIN_SCENARIOS) {
      const r = runFile(b.json as ScenarioFile);
      if (!r.ok) continue;
      const first = r.ctx.run.trace.connections.find((c) => c.role === 'data');
      const line = r.ctx.run.trace.events.find((e) => e.kind === 'ftp' && /^(227|229|PORT|EPRT)\b/.test(e.text) && r.ctx.scenario.clients.some((c) => c.host === e.host));
      if (!first || !line || line.kind !== 'ftp') continue;
      expect(first.dialled.endsWith(`:${portArithmetic(line.text)!.port}`), `${b.id}: ${line.text} vs ${first.dialled}`).toBe(true);
      checked++;
    }
    expect(checked).toBeGreaterThan(10);
  });
});

describe('glossary', () => {
  it('has every term issue 14 lists and the reply codes', () => {
    for (const t of [
      'active-mode',
      'passive-mode',
      'port',
      'eprt',
      'pasv',
      'epsv',
      '227',
      '229',
      'conntrack',
      'helper',
      'related',
      'established',
      'new',
      'masquerade',
      'snat',
      'dnat',
      'nat',
      'drop',
      'reject',
      'seed',
      'port_promiscuous',
      'pasv_address',
      'passive-range',
      'ftps',
      'control-connection',
      'data-connection',
      'ephemeral-port',
      'syn',
      'rst',
      'icmp',
      '150',
      '200',
      '220',
      '226',
      '230',
      '331',
      '425',
      '500',
      '530',
      '550',
    ])
      expect(hasTerm(t), t).toBe(true);
  });
  it('links only to terms it has, and ids are link-safe', () => {
    for (const e of GLOSSARY) {
      expect(e.id).toMatch(/^[a-z0-9][a-z0-9_-]*$/);
      for (const t of [...termsIn(e.text), ...(e.see ?? [])]) expect(hasTerm(t), `${e.id} → ${t}`).toBe(true);
    }
  });
  it('finds the term of a reply line', () => {
    expect(replyCodeTerm('425 Failed to establish connection.')).toBe('425');
    expect(replyCodeTerm('999 what')).toBeNull();
  });
});

describe('lesson edits', () => {
  const file = (id: string) => BUILTIN_SCENARIOS.find((b) => b.id === id)!.json as ScenarioFile;
  it('attaching the helper on the server turns the passive DROP into success', () => {
    const e = applyEdit(file('passive-server-firewall-drop'), { helper: { device: 'server', on: true } });
    expect(e.ok).toBe(true);
    if (!e.ok) return;
    const host = e.file.hosts.find((h) => h.id === 'server')!;
    expect(host.iptables).toContain('-A PREROUTING -p tcp -m tcp --dport 21 -j CT --helper ftp');
    const r = runFile(e.file);
    expect(r.ok && runProbe(r.ctx, { name: 'ct-state', device: 'server' })).toEqual({ ok: true, value: 'RELATED' });
  });
  it('sets and removes vsftpd keys, and says what it cannot do', () => {
    const e = applyEdit(file('server-nat-pasv-address'), { vsftpd: { pasv_address: null, pasv_max_port: 50010 } });
    expect(e.ok && e.file.server.vsftpd).toEqual(expect.arrayContaining(['pasv_max_port=50010']));
    expect(e.ok && (e.file.server.vsftpd as string[]).some((l) => l.startsWith('pasv_address'))).toBe(false);
    expect(applyEdit(file('seed-passive-session'), { rules: [{ device: 'server', remove: '-A INPUT -j DROP' }] })).toEqual({
      ok: false,
      message: 'rules[0]: device "server" has no line "-A INPUT -j DROP"',
    });
    expect(applyEdit(file('seed-passive-session'), { helper: { device: 'nope', on: true } })).toMatchObject({ ok: false });
  });
  it('does not change the file it was given', () => {
    const f = file('seed-active-session');
    const before = JSON.stringify(f);
    applyEdit(f, { clientMode: 'passive', vsftpd: { a_key: 1 } });
    expect(JSON.stringify(f)).toBe(before);
  });
});

describe("captions and glossary links in the app's own text", () => {
  it('says what the current step does, with the arithmetic', async () => {
    const { stepCaption } = await import('./index');
    const r = runFile(BUILTIN_SCENARIOS.find((b) => b.id === 'seed-passive-session')!.json as ScenarioFile);
    if (!r.ok) throw new Error(r.message);
    const captions = r.ctx.run.trace.events.map((_, i) => stepCaption(r.ctx.run.trace, i));
    expect(captions).toContain('The server answers PASV: it will wait for a connection on port 50069 (195×256+149) at 192.168.150.90. (server → testbox1)');
    expect(captions).toContain('testbox1 opens the data connection: a SYN to 192.168.150.90:50069. (testbox1 → server)');
  });
  it('links the first appearance of glossary words, never inside code', async () => {
    const { verdictTokens } = await import('./index');
    const t = verdictTokens('Attach the FTP helper (`-j CT --helper ftp`) so the SYN arrives RELATED; the SYN is NEW otherwise.');
    expect(t.filter((x) => x.kind === 'term').map((x) => x.text)).toEqual(['FTP helper', 'SYN', 'RELATED', 'NEW']);
    expect(t).toContainEqual({ kind: 'code', text: '-j CT --helper ftp' });
    expect(verdictTokens('RENEW and NEWS')).toEqual([{ kind: 'text', text: 'RENEW and NEWS' }]);
  });
});

describe('term links in words', () => {
  it('a bare [[term]] shows the word as it is written in prose', async () => {
    const { markup } = await import('./index');
    expect(
      markup('[[pasv]], [[active-mode]], [[pasv_address]], [[227|the reply]]')
        .filter((t) => t.kind === 'term')
        .map((t) => t.text),
    ).toEqual(['PASV', 'active mode', 'pasv_address', 'the reply']);
  });
});

/**
 * The learner's loop, end to end below the DOM: the text the editors write is loaded and run
 * by the core, and the verdict flips. Proves the toggles and forms write what the simulator
 * (and a real kernel) needs, without the UI deciding anything itself.
 */
import { describe, expect, it } from 'vitest';
import { loadScenario, runScenario, type ScenarioFile } from '../../core/index';
import { BUILTIN_SCENARIOS } from '../../scenarios/index';
import { devicesOf, setDeviceIptables, setServerVsftpd, textOf, deviceSpec } from './fileOps';
import { addPortForward, controlPort, helperChain, helperCoversPort, portForwards, removeLine, setHelper } from './firewallOps';
import { addRule } from './iptablesText';
import { argsOf, emptyRule } from './ruleFields';
import { applyVsftpdField } from './vsftpdForm';

function builtin(id: string): ScenarioFile {
  const s = BUILTIN_SCENARIOS.find((b) => b.id === id);
  if (!s) throw new Error(`no built-in scenario ${id}`);
  return structuredClone(s.json) as ScenarioFile;
}

function verdictOf(file: ScenarioFile): boolean {
  const loaded = loadScenario(file);
  if (!loaded.ok) throw new Error(loaded.errors.map((e) => `${e.path} ${e.line ?? ''} ${e.message}`).join('\n'));
  return runScenario(loaded.scenario).verdict.ok;
}

function device(file: ScenarioFile, id: string) {
  const d = devicesOf(file).find((x) => x.id === id);
  if (!d) throw new Error(`no device ${id}`);
  return d;
}

function toggleHelper(file: ScenarioFile, id: string): ScenarioFile {
  const d = device(file, id);
  const text = setHelper(textOf(deviceSpec(file, d)?.iptables), true, helperChain(file, d), controlPort(file));
  return setDeviceIptables(file, d, text);
}

describe("learner loop through the editors' edits", () => {
  it('passive blocked by the server firewall: opening the passive range in a new first rule fixes it', () => {
    const file = builtin('passive-server-firewall-reject');
    expect(verdictOf(file)).toBe(false);
    const server = device(file, 'server');
    const rule = argsOf({ ...emptyRule(), proto: 'tcp', dport: '50000:50100' });
    const fixed = setDeviceIptables(file, server, addRule(textOf(deviceSpec(file, server)?.iptables), 'filter', 'INPUT', rule, 'first'));
    expect(verdictOf(fixed)).toBe(true);
  });

  it('passive blocked by the server firewall: the helper toggle fixes it', () => {
    const file = builtin('passive-server-firewall-reject');
    expect(verdictOf(toggleHelper(file, 'server'))).toBe(true);
  });

  it('passive range wider than the firewall: narrowing pasv_max_port in the form fixes it', () => {
    const file = builtin('seed-incident-pasv-range');
    expect(verdictOf(file)).toBe(false);
    const edit = applyVsftpdField(textOf(file.server.vsftpd), 'pasv_max_port', '3100');
    expect(edit.ok).toBe(true);
    expect(verdictOf(setServerVsftpd(file, edit.ok ? edit.text : ''))).toBe(true);
  });

  it('active mode behind NAT: the helper toggle on the client router fixes it', () => {
    const file = builtin('client-nat-active-no-helper');
    expect(verdictOf(file)).toBe(false);
    const edge = devicesOf(file).find((d) => d.kind === 'router' && file.routers?.[d.index]?.role === 'client-edge');
    expect(edge).toBeDefined();
    expect(verdictOf(toggleHelper(file, edge!.id))).toBe(true);
  });

  it('server behind DNAT, classic client: setting pasv_address in the form fixes it', () => {
    const file = builtin('server-nat-classic-no-pasv-address');
    expect(verdictOf(file)).toBe(false);
    const edit = applyVsftpdField(textOf(file.server.vsftpd), 'pasv_address', '203.0.113.1');
    expect(verdictOf(setServerVsftpd(file, edit.ok ? edit.text : ''))).toBe(true);
  });

  it('server behind DNAT: removing the passive-range forward breaks it, adding it in the NAT form mends it', () => {
    const file = builtin('server-nat-pasv-address');
    expect(verdictOf(file)).toBe(true);
    const edge = device(file, 'server-edge');
    const text = textOf(deviceSpec(file, edge)?.iptables);
    const range = portForwards(text).find((f) => f.dport === '50000:50100');
    expect(range).toBeDefined();
    const broken = setDeviceIptables(file, edge, removeLine(text, range!.index));
    expect(verdictOf(broken)).toBe(false);
    const mended = addPortForward(textOf(deviceSpec(broken, edge)?.iptables), { inIface: 'eth1', dport: '50000:50100', to: '10.0.0.10' });
    expect(verdictOf(setDeviceIptables(broken, edge, mended))).toBe(true);
  });

  it('FTP on port 3069: re-attaching the helper to the real control port fixes it', () => {
    const file = builtin('port-3069-helper-wrong-port');
    expect(verdictOf(file)).toBe(false);
    const d = devicesOf(file).find((x) => /PREROUTING.*CT --helper ftp/.test(textOf(deviceSpec(file, x)?.iptables)));
    expect(d).toBeDefined();
    const port = controlPort(file);
    expect(port).toBe(3069);
    const text = textOf(deviceSpec(file, d!)?.iptables);
    expect(helperCoversPort(text, helperChain(file, d!), port)).toBe(false);
    const reattached = setDeviceIptables(file, d!, setHelper(text, true, helperChain(file, d!), port));
    // An explicit CT --helper ftp assignment finds the helper by name; the core does not also
    // need 3069 in ports= (the built-in "fixed" scenario sets both).
    expect(verdictOf(reattached)).toBe(true);
  });
});

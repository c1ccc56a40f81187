/**
 * Issue 16, one name per device: at the server firewall's policy drop (seed-incident-pasv-range) the inspector's titles, the
 * step line and the canvas callout say "Server firewall", as the canvas does, not the id.
 */
import { describe, expect, it } from 'vitest';
import { loadScenario, runScenario } from '../../core/index';
import { BUILTIN_SCENARIOS } from '../../scenarios/index';
import { buildNodes, currentMarks } from '../canvas/graph';
import { layoutTopology } from '../canvas/layout';
import { stepPackets } from './context';
import { keyLine } from './keyline';
import { stepLabel } from './label';
import { ladderRows } from './ladder';

const json = BUILTIN_SCENARIOS.find((s) => s.id === 'seed-incident-pasv-range')!.json;
const loaded = loadScenario(json, 'seed-incident-pasv-range.json');
if (!loaded.ok) throw new Error('does not load');
const { scenario } = loaded;
const { trace } = runScenario(scenario);
const names = new Map([...scenario.hosts, ...scenario.routers].map((d) => [d.id, d.label]));
const nm = (id: string) => names.get(id) ?? id;
const drop = trace.events.findIndex((e) => e.kind === 'drop' && e.device === 'server-edge');
/** `server-edge` as a whole word (not inside a longer id). */
const bareId = /(?<![\w-])server-edge(?![\w-])/;

describe('display names at the server firewall drop', () => {
  it('the scenario labels server-edge "Server firewall" and drops there', () => {
    expect(names.get('server-edge')).toBe('Server firewall');
    expect(drop).toBeGreaterThan(0);
  });
  it('the inspector titles and summary name the device, keeping its id apart', () => {
    const [p] = stepPackets(trace, drop, nm);
    expect(p!.title).toBe('Refused by Server firewall (as it arrived)');
    expect(p!.device).toBe('server-edge');
    const send = trace.events.findIndex((e) => e.kind === 'send' && e.device === 'server-edge');
    expect(stepPackets(trace, send, nm)[0]!.title).toMatch(/^Sent by Server firewall \(\w+\) to /);
    expect(stepPackets(trace, send, nm)[0]!.title).not.toMatch(bareId);
    const label = stepLabel(trace.events[drop]!, nm);
    expect(label).toMatch(/^✗ DROP at Server firewall: Dropped by the FORWARD chain's policy/);
    expect(label).not.toMatch(bareId);
  });
  it("the step line's detail names the device", () => {
    const line = keyLine(trace, drop, names);
    expect(line.who).toBe('Server firewall');
    expect(line.detail).toMatch(/^Dropped by the FORWARD chain's policy\. No answer is sent/);
    expect(line.detail).not.toMatch(bareId);
  });
  it('the ladder row names the device by its display name, its title after the name', () => {
    const [row] = ladderRows(trace, [drop], undefined, nm);
    expect(row!.text).toBe("DROP (silent): Dropped by Server firewall, the FORWARD chain's policy");
    expect(row!.title).toBe("✗ DROP at Server firewall: Dropped by the FORWARD chain's policy");
    // Without names (the CLI's ids), the same sentence with the id.
    expect(ladderRows(trace, [drop])[0]!.text).toBe("DROP (silent): Dropped by server-edge, the FORWARD chain's policy");
  });
  it("the canvas callout's reason names the device", () => {
    const layout = layoutTopology(scenario);
    const node = buildNodes(layout.devices, currentMarks(trace, drop, layout.links).states).find((n) => n.id === 'server-edge')!;
    expect(node.data.drop?.reason).toMatch(/^Dropped by the FORWARD chain's policy/);
    expect(node.data.drop?.reason).not.toMatch(bareId);
  });
});

import { describe, expect, it } from 'vitest';
import { exportScenarioJson, readFileText, scenarioFileName } from './files';

describe('scenario files', () => {
  it('exports indented JSON that reads back to the same value', () => {
    const file = { name: 'n', hosts: [{ id: 'a', ip: '10.0.0.1/24' }], script: ['ls'] };
    const text = exportScenarioJson(file);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).toContain('\n  "hosts": [');
    expect(JSON.parse(text)).toEqual(file);
  });

  it('names the download after the scenario', () => {
    expect(scenarioFileName('Passive blocked by the server firewall!')).toBe('passive-blocked-by-the-server-firewall.json');
    expect(scenarioFileName('***')).toBe('scenario.json');
    expect(scenarioFileName(undefined)).toBe('scenario.json');
  });

  it('reads a File as text', async () => {
    const f = new File(['{"name":"é"}'], 'x.json', { type: 'application/json' });
    expect(await readFileText(f)).toBe('{"name":"é"}');
  });
});

import { describe, expect, it } from 'vitest';
import type { ScenarioFile } from '../../core/index';
import { BUILTIN_SCENARIOS } from '../../scenarios/index';
import { editorFor } from './deviceEditor';

const file = (id: string) => BUILTIN_SCENARIOS.find((b) => b.id === id)!.json as ScenarioFile;

describe('a click on a device opens its editor', () => {
  it('server → server editor, client host → client editor, router → its firewall', () => {
    const f = file('seed-incident-pasv-range');
    expect(editorFor(f, 'server', 1)).toEqual({ editor: 'server', device: 'server', client: null, seq: 1 });
    expect(editorFor(f, 'client', 2)).toEqual({ editor: 'client', device: 'client', client: 0, seq: 2 });
    expect(editorFor(f, 'server-edge', 3)).toEqual({ editor: 'firewall', device: 'server-edge', client: null, seq: 3 });
    expect(editorFor(f, 'nope', 4)).toBeNull();
  });
  it('with several clients, the one on the host clicked', () => {
    const f = file('seed-incident-pasv-range');
    const two: ScenarioFile = {
      ...f,
      client: undefined,
      hosts: [...f.hosts, { id: 'laptop2', role: 'client', ip: '192.168.1.101/24', gateway: '192.168.1.1', segment: 'client-lan' }],
      clients: [f.client!, { host: 'laptop2', profile: 'curl' }],
    };
    expect(editorFor(two, 'laptop2', 1)?.client).toBe(1);
  });
});

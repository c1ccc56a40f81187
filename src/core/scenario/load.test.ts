import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { formatIpv4 } from '../codec/addr';
import { formatScenarioError, loadScenario } from './load';
import type { ScenarioError } from './types';

/** A small valid scenario: client LAN — router — server LAN. */
function base(): Record<string, any> {
  return {
    name: 'Two LANs and a router',
    teaches: 'routing basics',
    hosts: [
      { id: 'client', ip: '192.168.1.100/24', gateway: '192.168.1.1' },
      { id: 'srv', ip: '203.0.113.10/24', gateway: '203.0.113.1' },
    ],
    routers: [
      {
        id: 'edge',
        interfaces: [
          { name: 'eth0', ip: '192.168.1.1/24' },
          { name: 'eth1', ip: '203.0.113.1/24' },
        ],
        iptables: ['*filter', ':INPUT ACCEPT [0:0]', ':FORWARD DROP [0:0]', ':OUTPUT ACCEPT [0:0]', '-A FORWARD -m state --state RELATED,ESTABLISHED -j ACCEPT', 'COMMIT'],
      },
    ],
    server: { host: 'srv', vsftpd: 'pasv_min_port=3001\npasv_max_port=3300\n' },
    client: { host: 'client', profile: 'curl' },
  };
}

function errorsOf(input: unknown, file?: string): ScenarioError[] {
  const r = loadScenario(input, file);
  if (r.ok) throw new Error('expected the scenario to be refused');
  return r.errors;
}

describe('loadScenario: a valid file', () => {
  it('normalizes addresses, segments, defaults and the client', () => {
    const r = loadScenario(JSON.stringify(base()), 'two-lans.json');
    if (!r.ok) throw new Error(r.errors.map(formatScenarioError).join('\n'));
    const s = r.scenario;
    expect(s.seed).toBe(1);
    expect(s.tcp.synSchedule).toBe('linux');
    const client = s.hosts.find((h) => h.id === 'client')!;
    expect(formatIpv4(client.interfaces[0]!.ip)).toBe('192.168.1.100');
    expect(client.interfaces[0]!.prefix).toBe(24);
    expect(client.interfaces[0]!.segment).toBe('192.168.1.0/24');
    expect(client.role).toBe('client');
    expect(formatIpv4(client.gateway!)).toBe('192.168.1.1');
    expect(s.segments.map((g) => [g.id, g.latencyMs, g.members.length])).toEqual([
      ['192.168.1.0/24', 0.5, 2],
      ['203.0.113.0/24', 0.5, 2],
    ]);
    expect(s.routers[0]!.ftpHelper).toEqual({ ports: [21], loose: false });
    expect(s.routers[0]!.firewall?.text.split('\n')[0]).toBe('*filter');
    expect(s.server.vsftpd.pasv_max_port).toBe(3300);
    expect(s.server.files).toEqual([{ path: '/readme.txt', dir: false, size: 1024, text: null, owner: null, mode: null }]);
    expect(s.clients).toHaveLength(1);
    const c = s.clients[0]!;
    expect([c.id, c.mode, c.dataPort, c.user, c.password, c.tls, c.controlPort, c.connectTimeoutS]).toEqual([
      'client',
      'auto',
      'ephemeral',
      'anonymous',
      'guest@',
      false,
      null,
      null,
    ]);
    expect(formatIpv4(c.connectTo)).toBe('203.0.113.10');
    expect(c.connectPort).toBe(21);
    expect(c.script).toEqual(['login', 'ls', 'get readme.txt', 'quit']);
  });

  it('accepts an already-parsed value, and several clients each with a resolved script', () => {
    const f = base();
    delete f.client;
    f.hosts.push({ id: 'c2', ip: '192.168.1.101/24', gateway: '192.168.1.1' });
    f.clients = [
      { host: 'client', profile: 'classic', mode: 'active', dataPort: 'control+1', controlPort: 3761 },
      { host: 'c2', profile: 'filezilla', script: ['login', 'quit'] },
    ];
    f.script = ['login', 'ls', 'quit'];
    const r = loadScenario(f);
    if (!r.ok) throw new Error(r.errors.map(formatScenarioError).join('\n'));
    expect(r.scenario.clients.map((c) => [c.id, c.script.length, c.controlPort])).toEqual([
      ['client', 3, 3761],
      ['c2', 2, null],
    ]);
  });

  it('the client dials connectTo and the server listen_port', () => {
    const f = base();
    f.server.vsftpd = 'listen_port=3069\n';
    f.client.connectTo = '203.0.113.1';
    const r = loadScenario(f);
    if (!r.ok) throw new Error(r.errors.map(formatScenarioError).join('\n'));
    expect(formatIpv4(r.scenario.clients[0]!.connectTo)).toBe('203.0.113.1');
    expect(r.scenario.clients[0]!.connectPort).toBe(3069);
  });
});

describe('loadScenario: bad files name the field and the line', () => {
  type Want = Partial<Omit<ScenarioError, 'message'>> & { message: RegExp };
  const cases: [string, () => unknown, Want][] = [
    ['JSON syntax error with line and column', () => '{\n  "name": "x",\n  "hosts": [1, 2,]\n}', { path: '', line: 3, column: 18, message: /trailing comma/ }],
    ['JSON with a comment', () => '{\n  // hi\n}', { line: 2, column: 3, message: /comments are not allowed/ }],
    [
      'missing field',
      () => {
        const f = base();
        delete f.hosts[1].ip;
        return f;
      },
      { path: 'hosts[1].ip', message: /missing field "ip"/ },
    ],
    [
      'unknown profile',
      () => {
        const f = base();
        f.client.profile = 'putty';
        return f;
      },
      { path: 'client.profile', message: /unknown client profile "putty" \(use curl, classic/ },
    ],
    [
      'unknown field with a suggestion',
      () => {
        const f = base();
        f.routers[0].iptable = f.routers[0].iptables;
        return f;
      },
      { path: 'routers[0].iptable', message: /unknown field "iptable" \(did you mean "iptables"\?\)/ },
    ],
    [
      'bad ip',
      () => {
        const f = base();
        f.hosts[0].ip = '192.168.1.300/24';
        return f;
      },
      { path: 'hosts[0].ip', message: /"192.168.1.300" is not an IPv4 address/ },
    ],
    [
      'network address as host address',
      () => {
        const f = base();
        f.hosts[0].ip = '192.168.1.0/24';
        return f;
      },
      { path: 'hosts[0].ip', message: /network address/ },
    ],
    [
      'bad iptables line',
      () => {
        const f = base();
        f.routers[0].iptables.splice(4, 0, 'this is not iptables');
        return f;
      },
      { path: 'routers[0].iptables', line: 5, message: /\S/ },
    ],
    [
      'bad vsftpd value',
      () => {
        const f = base();
        f.server.vsftpd = 'listen_port=21\nport_enable=perhaps\n';
        return f;
      },
      { path: 'server.vsftpd', line: 2, message: /bad boolean value "perhaps"/ },
    ],
    [
      'pasv_min_port above pasv_max_port',
      () => {
        const f = base();
        f.server.vsftpd = 'pasv_min_port=3300\npasv_max_port=3001\n';
        return f;
      },
      { path: 'server.vsftpd', line: 2, message: /above pasv_max_port/ },
    ],
    [
      'unknown host reference',
      () => {
        const f = base();
        f.server.host = 'nas';
        return f;
      },
      { path: 'server.host', message: /no host "nas" \(hosts: client, srv\)/ },
    ],
    [
      'a router where a host is needed',
      () => {
        const f = base();
        f.client.host = 'edge';
        return f;
      },
      { path: 'client.host', message: /is a router/ },
    ],
    [
      'gateway off the host network',
      () => {
        const f = base();
        f.hosts[0].gateway = '10.0.0.1';
        return f;
      },
      { path: 'hosts[0].gateway', message: /not on the host's network 192.168.1.0\/24/ },
    ],
    [
      'gateway nobody owns',
      () => {
        const f = base();
        f.hosts[0].gateway = '192.168.1.254';
        return f;
      },
      { path: 'hosts[0].gateway', message: /no router on segment "192.168.1.0\/24" has the gateway address 192.168.1.254/ },
    ],
    [
      'no route',
      () => {
        const f = base();
        delete f.hosts[1].gateway;
        return f;
      },
      { path: 'client.connectTo', message: /no route back from the server "srv".*no route to 192.168.1.100/ },
    ],
    [
      'no route forward',
      () => {
        const f = base();
        f.client.connectTo = '198.51.100.7';
        return f;
      },
      { path: 'client.connectTo', message: /no route from "client" to 198.51.100.7: router "edge" has no route/ },
    ],
    [
      'duplicate id',
      () => {
        const f = base();
        f.routers[0].id = 'srv';
        return f;
      },
      { path: 'routers[0].id', message: /duplicate id "srv" \(already used by hosts\[1\]\)/ },
    ],
    [
      'client and clients',
      () => {
        const f = base();
        f.clients = [f.client];
        return f;
      },
      { path: 'clients', message: /either "client" or "clients"/ },
    ],
    [
      'neither client nor clients',
      () => {
        const f = base();
        delete f.client;
        return f;
      },
      { path: 'client', message: /missing field "client"/ },
    ],
    [
      'segment without members',
      () => {
        const f = base();
        f.segments = [{ id: 'dmz', latencyMs: 1 }];
        return f;
      },
      { path: 'segments[0]', message: /segment "dmz" has no host or router interface/ },
    ],
    [
      'bad script line',
      () => {
        const f = base();
        f.script = ['login', 'mget *.txt'];
        return f;
      },
      { path: 'script[1]', message: /unknown script command "mget"/ },
    ],
    [
      'port out of range',
      () => {
        const f = base();
        f.client.controlPort = 70000;
        return f;
      },
      { path: 'client.controlPort', message: /too large.*65535/ },
    ],
    [
      'route next hop not connected',
      () => {
        const f = base();
        f.routers[0].routes = [{ to: '0.0.0.0/0', via: '10.9.9.9' }];
        return f;
      },
      { path: 'routers[0].routes[0].via', message: /not on any directly connected network/ },
    ],
    ['not an object', () => '[1, 2]', { path: '', message: /one JSON object/ }],
    [
      'windows cannot do PASV',
      () => {
        const f = base();
        f.client.profile = 'windows';
        f.client.mode = 'pasv';
        return f;
      },
      { path: 'client.mode', message: /Windows ftp.exe has no passive mode/ },
    ],
  ];

  it.each(cases)('%s', (_name, make, want) => {
    const errors = errorsOf(make(), 'bad.json');
    const { message, ...fields } = want;
    const hit = errors.find((e) => Object.entries(fields).every(([k, v]) => (e as unknown as Record<string, unknown>)[k] === v) && message.test(e.message));
    if (!hit) throw new Error(`no error like ${JSON.stringify(fields)} ${message}; got:\n${errors.map(formatScenarioError).join('\n')}`);
    expect(hit.file).toBe('bad.json');
  });

  it('reports every error at once', () => {
    const f = base();
    f.hosts[0].ip = 'nope';
    f.server.vsftpd = 'bogus=1\nlisten_port=0\n';
    f.client.user = 'slacker';
    const errors = errorsOf(f);
    expect(errors.map((e) => [e.path, e.line])).toEqual([
      ['hosts[0].ip', undefined],
      ['server.vsftpd', 1],
      ['server.vsftpd', 2],
    ]);
  });

  it('reports every schema problem at once', () => {
    const f = base();
    f.client.profile = 'putty';
    f.hosts[0].ip = 7;
    f.seed = -1;
    expect(
      errorsOf(f)
        .map((e) => e.path)
        .sort(),
    ).toEqual(['client.profile', 'hosts[0].ip', 'seed']);
  });

  it('formats an error for a terminal', () => {
    expect(formatScenarioError({ file: 'a.json', path: 'server.vsftpd', line: 2, message: 'bad' })).toBe('a.json: server.vsftpd: line 2: bad');
  });
});

describe('loadScenario: warnings', () => {
  it('a rule naming an interface the device lacks', () => {
    const f = base();
    f.routers[0].iptables.splice(5, 0, '-A FORWARD -i eth2 -j ACCEPT', '-A FORWARD -o eth+ -j ACCEPT');
    const r = loadScenario(f);
    if (!r.ok) throw new Error(r.errors.map(formatScenarioError).join('\n'));
    expect(r.warnings).toEqual([{ path: 'routers[0].iptables', line: 6, message: expect.stringMatching(/interface "eth2" does not exist here \(eth0, eth1\)/) }]);
  });

  it('a login the server will refuse', () => {
    const f = base();
    f.client.user = 'slacker';
    const r = loadScenario(f);
    expect(r.ok && r.warnings.map((w) => w.path)).toEqual(['client.user']);
  });
});

describe('the example in docs/scenario-format.md', () => {
  it('loads, with the segments it describes', () => {
    const doc = readFileSync(new URL('../../../docs/scenario-format.md', import.meta.url), 'utf8');
    const json = /```json\n([\s\S]*?)```/.exec(doc)![1]!;
    const r = loadScenario(json, 'example.json');
    if (!r.ok) throw new Error(r.errors.map(formatScenarioError).join('\n'));
    expect(r.warnings).toEqual([]);
    expect(r.scenario.segments.map((g) => [g.id, g.label, g.latencyMs, g.members.length])).toEqual([
      ['203.0.113.0/24', 'Server LAN', 2, 2],
      ['192.168.1.0/24', '192.168.1.0/24', 0.5, 2],
    ]);
  });
});

describe('loadScenario never throws', () => {
  it('on random text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const r = loadScenario(text);
        expect(r.ok).toBe(false);
        if (!r.ok) expect(r.errors.length).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });

  it('on random JSON values and their text', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(loadScenario(v).ok).toBe(false);
        expect(loadScenario(JSON.stringify(v)).ok).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('on a valid file with one field replaced by anything', () => {
    const paths: (string | number)[][] = [
      ['name'],
      ['seed'],
      ['hosts'],
      ['hosts', 0],
      ['hosts', 0, 'ip'],
      ['hosts', 1, 'gateway'],
      ['routers', 0, 'interfaces'],
      ['routers', 0, 'interfaces', 1, 'ip'],
      ['routers', 0, 'iptables'],
      ['routers', 0, 'routes'],
      ['server', 'vsftpd'],
      ['server', 'files'],
      ['client'],
      ['client', 'connectTo'],
      ['client', 'script'],
      ['segments'],
      ['tcp'],
    ];
    fc.assert(
      fc.property(fc.constantFrom(...paths), fc.oneof(fc.jsonValue(), fc.string()), (path, value) => {
        const f = base();
        let cur: any = f;
        for (const k of path.slice(0, -1)) cur = cur[k];
        cur[path[path.length - 1]!] = value;
        const r = loadScenario(f);
        expect(typeof r.ok).toBe('boolean');
        const t = loadScenario(JSON.stringify(f));
        expect(t.ok).toBe(r.ok);
      }),
      { numRuns: 500 },
    );
  });

  it('on truncated text of a valid file', () => {
    const text = JSON.stringify(base(), null, 2);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: text.length - 1 }), (n) => {
        const r = loadScenario(text.slice(0, n));
        expect(r.ok).toBe(false);
        if (!r.ok) expect(r.errors[0]!.line).toBeGreaterThan(0);
      }),
      { numRuns: 200 },
    );
  });
});

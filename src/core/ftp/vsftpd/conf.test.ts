import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bannerText, defaultVsftpdConf, effectivePasvRange, parseVsftpdConf, serializeVsftpdConf, type VsftpdConf } from './conf';
import { MODELLED_DEFAULTS, MODELLED_KEYS, vsftpdKeyKind } from './keys';

function ok(text: string) {
  const r = parseVsftpdConf(text);
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.errors)}`);
  return r;
}
function errs(text: string) {
  const r = parseVsftpdConf(text);
  if (r.ok) throw new Error('expected errors');
  return r.errors;
}

describe('parseVsftpdConf: defaults', () => {
  it('an empty file gives vsftpd 3.0.x compiled-in defaults', () => {
    const { conf, warnings } = ok('');
    expect(warnings).toEqual([]);
    expect(conf.listen_port).toBe(21);
    expect(conf.connect_from_port_20).toBe(false); // built-in NO; distributions' files say YES
    expect(conf.anonymous_enable).toBe(true);
    expect(conf.port_promiscuous).toBe(false);
    expect(conf.pasv_promiscuous).toBe(false);
    expect(conf.pasv_address).toBeNull();
    expect(conf.accept_timeout).toBe(60);
    expect(conf.connect_timeout).toBe(60);
    expect(bannerText(conf)).toBe('(vsFTPd 3.0.3)');
    expect(effectivePasvRange(conf)).toEqual({ min: 5001, max: 65535 });
  });

  it('every modelled key is a real vsftpd key of the right kind', () => {
    for (const key of MODELLED_KEYS) {
      const v = MODELLED_DEFAULTS[key];
      const kind = typeof v === 'boolean' ? 'bool' : typeof v === 'number' ? 'uint' : 'str';
      expect([key, vsftpdKeyKind(key)]).toEqual([key, kind]);
    }
  });
});

describe('parseVsftpdConf: values', () => {
  it.each([
    ['YES', true],
    ['yes', true],
    ['True', true],
    ['1', true],
    ['NO', false],
    ['no', false],
    ['FALSE', false],
    ['0', false],
  ])('boolean %s → %s', (text, value) => {
    expect(ok(`connect_from_port_20=${text}\n`).conf.connect_from_port_20).toBe(value);
  });

  it('reads the seed incident range and the effective range', () => {
    const { conf } = ok('pasv_min_port=3001\npasv_max_port=3300\n');
    expect(effectivePasvRange(conf)).toEqual({ min: 3001, max: 3300 });
  });

  it('reads a Debian-style file with comments and unmodelled keys', () => {
    const text =
      '# Example config\nlisten=NO\nlisten_ipv6=YES\nanonymous_enable=NO\nlocal_enable=YES\nxferlog_enable=YES\nconnect_from_port_20=YES\npam_service_name=vsftpd\nssl_enable=NO\n';
    const { conf } = ok(text);
    expect(conf.anonymous_enable).toBe(false);
    expect(conf.local_enable).toBe(true);
    expect(conf.connect_from_port_20).toBe(true);
    expect(conf.other).toEqual({ listen: 'NO', listen_ipv6: 'YES', xferlog_enable: 'YES', pam_service_name: 'vsftpd' });
  });

  it('a banner keeps its text; an empty string value unsets it', () => {
    expect(bannerText(ok('ftpd_banner=testbox2.slacksite.com FTP server ready.\n').conf)).toBe('testbox2.slacksite.com FTP server ready.');
    expect(ok('pasv_address=203.0.113.1\npasv_address=\n').conf.pasv_address).toBeNull();
  });

  it('a leading 0 is octal, with a warning for ports', () => {
    const r = ok('pasv_min_port=03001\n');
    expect(r.conf.pasv_min_port).toBe(0o3001);
    expect(r.warnings[0]?.message).toMatch(/octal/);
    expect(ok('local_umask=022\n').warnings).toEqual([]);
  });

  it('the later of two lines wins, with a warning', () => {
    const r = ok('listen_port=21\nlisten_port=2121\n');
    expect(r.conf.listen_port).toBe(2121);
    expect(r.warnings).toEqual([{ line: 2, message: expect.stringMatching(/line 1/) }]);
  });
});

describe('parseVsftpdConf: errors carry the line', () => {
  it.each([
    ['unknown key', 'listen_port=21\npasv_minport=3001\n', 2, /unrecognised variable "pasv_minport".*pasv_min_port/],
    ['bad boolean', 'port_enable=maybe\n', 1, /bad boolean value "maybe"/],
    ['not a number', '\nlisten_port=twenty-one\n', 2, /whole number/],
    ['port out of range', 'listen_port=70000\n', 1, /out of range/],
    ['spaces around =', 'listen_port = 21\n', 1, /no spaces around "="/],
    ['indented comment', '  # hello\n', 1, /comment must start in column 1/],
    ['missing value', 'pasv_enable=\n', 1, /missing value/],
    ['bad pasv_address', 'pasv_address=203.0.113\n', 1, /IPv4 address/],
    ['pasv_min_port above pasv_max_port', 'pasv_min_port=3300\npasv_max_port=3001\n', 2, /above pasv_max_port.*3300–65535/],
    ['max below the default min', 'pasv_max_port=3000\n', 1, /built-in default/],
  ])('%s', (_name, text, line, message) => {
    const e = errs(text);
    expect(e).toHaveLength(1);
    expect(e[0]!.line).toBe(line);
    expect(e[0]!.message).toMatch(message);
  });

  it('reports every bad line, and keeps the good ones in partial', () => {
    const r = parseVsftpdConf('bogus=1\nlisten_port=3069\nport_enable=perhaps\n');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.line)).toEqual([1, 3]);
    expect(r.partial.listen_port).toBe(3069);
  });
});

describe('serializeVsftpdConf', () => {
  it('writes only non-default keys without an original', () => {
    const conf = { ...defaultVsftpdConf(), pasv_min_port: 3001, pasv_max_port: 3300, connect_from_port_20: true };
    expect(serializeVsftpdConf(conf)).toBe(
      'pasv_max_port=3300\npasv_min_port=3001\nconnect_from_port_20=YES\n'
        .split('\n')
        .filter(Boolean)
        .sort(byKeyOrder)
        .map((l) => `${l}\n`)
        .join(''),
    );
  });

  it('keeps comments and order, rewrites a changed line, appends a new key, drops an unset string', () => {
    const original = '# passive range agreed with the network team\npasv_min_port=3001\npasv_max_port=3100\npasv_address=203.0.113.1\nxferlog_enable=yes\n';
    const conf = ok(original).conf;
    const next: VsftpdConf = { ...conf, pasv_max_port: 3300, pasv_address: null, port_promiscuous: true };
    expect(serializeVsftpdConf(next, original)).toBe(
      '# passive range agreed with the network team\npasv_min_port=3001\npasv_max_port=3300\nxferlog_enable=yes\nport_promiscuous=YES\n',
    );
  });

  it('an unchanged configuration gives the original text back, byte for byte', () => {
    const original = 'listen=YES\r\n#x\r\nconnect_from_port_20=True\r\nftpd_banner=Hello  there\r\n';
    expect(serializeVsftpdConf(ok(original).conf, original)).toBe(original);
  });

  const confArb: fc.Arbitrary<VsftpdConf> = fc
    .record({
      listen_port: fc.integer({ min: 1, max: 65535 }),
      pasv_min_port: fc.integer({ min: 1025, max: 40000 }),
      span: fc.integer({ min: 0, max: 20000 }),
      pasv_address: fc.option(fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((o) => o.join('.'))),
      ftpd_banner: fc.option(
        fc
          .string({ minLength: 1, maxLength: 30 })
          .map((s) => s.replace(/[\r\n]/g, 'x').trim())
          .filter((s) => s !== ''),
      ),
      bools: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
      xferlog: fc.option(fc.constantFrom('YES', 'NO')),
    })
    .map((r): VsftpdConf => ({
      ...defaultVsftpdConf(),
      listen_port: r.listen_port,
      pasv_min_port: r.pasv_min_port,
      pasv_max_port: r.pasv_min_port + r.span,
      pasv_address: r.pasv_address,
      ftpd_banner: r.ftpd_banner,
      connect_from_port_20: r.bools[0]!,
      port_promiscuous: r.bools[1]!,
      pasv_promiscuous: r.bools[2]!,
      anonymous_enable: r.bools[3]!,
      ssl_enable: r.bools[4]!,
      pasv_enable: r.bools[5]!,
      other: r.xferlog ? { xferlog_enable: r.xferlog } : {},
    }));

  it('parse(serialize(conf)) = conf', () => {
    fc.assert(
      fc.property(confArb, (conf) => {
        expect(ok(serializeVsftpdConf(conf)).conf).toEqual(conf);
      }),
    );
  });

  it('editing through the original text gives the edited conf back', () => {
    fc.assert(
      fc.property(confArb, confArb, (a, b) => {
        const original = `# start\n${serializeVsftpdConf(a)}# end\n`;
        const text = serializeVsftpdConf(b, original);
        expect(ok(text).conf).toEqual(b);
        expect(text.startsWith('# start\n')).toBe(true);
      }),
    );
  });
});

function byKeyOrder(a: string, b: string): number {
  const ia = MODELLED_KEYS.indexOf(a.split('=')[0] as never);
  const ib = MODELLED_KEYS.indexOf(b.split('=')[0] as never);
  return ia - ib;
}

describe('parseVsftpdConf never throws', () => {
  it('on any text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        const r = parseVsftpdConf(text);
        expect(typeof r.ok).toBe('boolean');
      }),
      { numRuns: 500 },
    );
  });
});

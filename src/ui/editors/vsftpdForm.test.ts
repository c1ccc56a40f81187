import { describe, expect, it } from 'vitest';
import { parseVsftpdConf } from '../../core/index';
import { applyVsftpdField, fieldValue, formConf } from './vsftpdForm';

const base = '# passive range opened on the firewall\nlisten_port=21\npasv_min_port=3001\npasv_max_port=3300\n';

describe('vsftpd form fields', () => {
  it('rewrites the key in place and keeps comments', () => {
    const r = applyVsftpdField(base, 'pasv_max_port', '3100');
    expect(r).toEqual({ ok: true, text: '# passive range opened on the firewall\nlisten_port=21\npasv_min_port=3001\npasv_max_port=3100\n' });
  });

  it('appends a key that was not written, and removes an emptied address', () => {
    const withAddr = applyVsftpdField(base, 'pasv_address', '203.0.113.10');
    expect(withAddr.ok && withAddr.text.endsWith('pasv_address=203.0.113.10\n')).toBe(true);
    const cleared = withAddr.ok ? applyVsftpdField(withAddr.text, 'pasv_address', '') : withAddr;
    expect(cleared).toEqual({ ok: true, text: base });
  });

  it('writes booleans as YES/NO', () => {
    const r = applyVsftpdField(base, 'connect_from_port_20', true);
    expect(r.ok && r.text).toContain('connect_from_port_20=YES');
    expect(r.ok && formConf(r.text).connect_from_port_20).toBe(true);
  });

  it('refuses a non-number without touching the text', () => {
    expect(applyVsftpdField(base, 'pasv_min_port', '30a')).toEqual({ ok: false, message: expect.stringMatching(/whole number/) });
  });

  it('leaves range checks to the parser, which names the line', () => {
    const r = applyVsftpdField(base, 'pasv_max_port', '2000');
    expect(r.ok).toBe(true);
    const p = parseVsftpdConf(r.ok ? r.text : '');
    expect(p.ok).toBe(false);
    if (!p.ok) expect(p.errors[0]).toMatchObject({ line: 4, message: expect.stringMatching(/above pasv_max_port/) });
  });

  it('shows the values the text sets', () => {
    const conf = formConf(base);
    expect(fieldValue(conf, 'pasv_min_port')).toBe('3001');
    expect(fieldValue(conf, 'pasv_address')).toBe('');
    expect(fieldValue(conf, 'pasv_enable')).toBe(true);
  });
});

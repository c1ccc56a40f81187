/**
 * The vsftpd settings shown as form fields, and how a field edit becomes vsftpd.conf text.
 * The text stays the source of truth: a field edit rewrites that key's line (comments and
 * order kept by serializeVsftpdConf) and the result is parsed again like typed text.
 */
import { parseVsftpdConf, serializeVsftpdConf, type VsftpdConf } from '../../core/index';

export type FieldKind = 'port' | 'bool' | 'address';

/** The settings that decide whether data connections get through (docs/FIDELITY-NOTES.md, "Reference: servers"). */
export const VSFTPD_FIELDS = [
  { key: 'listen_port', kind: 'port', label: 'Control port (listen_port)' },
  { key: 'pasv_enable', kind: 'bool', label: 'Allow passive mode (pasv_enable)' },
  { key: 'pasv_min_port', kind: 'port', label: 'Lowest passive port (pasv_min_port)' },
  { key: 'pasv_max_port', kind: 'port', label: 'Highest passive port (pasv_max_port)' },
  { key: 'pasv_address', kind: 'address', label: 'Address in the 227 reply (pasv_address)' },
  { key: 'port_enable', kind: 'bool', label: 'Allow active mode (port_enable)' },
  { key: 'port_promiscuous', kind: 'bool', label: 'Accept PORT to other hosts (port_promiscuous)' },
  { key: 'pasv_promiscuous', kind: 'bool', label: 'Accept data from other hosts (pasv_promiscuous)' },
  { key: 'connect_from_port_20', kind: 'bool', label: 'Active data from port 20 (connect_from_port_20)' },
] as const satisfies readonly { key: keyof VsftpdConf; kind: FieldKind; label: string }[];

export type VsftpdFieldKey = (typeof VSFTPD_FIELDS)[number]['key'];

/** The conf the form shows: the parsed one, or what could be read of a text with errors. */
export function formConf(text: string): VsftpdConf {
  const p = parseVsftpdConf(text);
  return p.ok ? p.conf : p.partial;
}

/** A field's value as the input shows it. */
export function fieldValue(conf: VsftpdConf, key: VsftpdFieldKey): string | boolean {
  const v = conf[key];
  if (typeof v === 'boolean') return v;
  return v === null ? '' : String(v);
}

export type FieldEdit = { ok: true; text: string } | { ok: false; message: string };

/**
 * The text after setting one field. Only the raw input's shape is checked here (a number,
 * not empty); ranges and cross-key rules are the parser's, reported with their line.
 */
export function applyVsftpdField(text: string, key: VsftpdFieldKey, raw: string | boolean): FieldEdit {
  const conf: VsftpdConf = { ...formConf(text), other: { ...formConf(text).other } };
  const kind = VSFTPD_FIELDS.find((f) => f.key === key)!.kind;
  if (kind === 'bool') {
    (conf as unknown as Record<string, unknown>)[key] = raw === true;
  } else if (kind === 'port') {
    const s = String(raw).trim();
    if (!/^\d{1,5}$/.test(s)) return { ok: false, message: `${key} must be a whole number from 0 to 65535` };
    (conf as unknown as Record<string, unknown>)[key] = Number(s);
  } else {
    const s = String(raw).trim();
    (conf as unknown as Record<string, unknown>)[key] = s === '' ? null : s;
  }
  return { ok: true, text: serializeVsftpdConf(conf, text) };
}

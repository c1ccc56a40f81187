/**
 * vsftpd.conf(5) reader and writer. Syntax as vsftpd 3.0.x reads it (parseconf.c):
 * one `option=value` per line, no spaces around `=`, `#` comments only in column 1,
 * booleans YES/TRUE/1 or NO/FALSE/0 in any case, unsigned numbers (a leading 0 means
 * octal), an empty string value unsets a string option. vsftpd refuses to start on an
 * unknown option or a bad value; so do we, but we report every bad line, not the first.
 */
import { parseIpv4 } from '../../codec/addr';
import { MODELLED_DEFAULTS, MODELLED_KEYS, isModelledKey, vsftpdKeyKind, type ModelledKey, type VsftpdKind } from './keys';

export { MODELLED_DEFAULTS as VSFTPD_DEFAULTS } from './keys';

export type VsftpdModelled = { -readonly [K in ModelledKey]: (typeof MODELLED_DEFAULTS)[K] };

/** The settings the simulator acts on, plus every other (valid, unmodelled) key as written. */
export interface VsftpdConf extends VsftpdModelled {
  /** Keys vsftpd accepts that the simulation ignores (xferlog_enable, pam_service_name…), raw values. */
  other: Record<string, string>;
}

/** A problem on a 1-based line of the text. */
export interface Diag {
  line: number;
  message: string;
}

export type VsftpdParse = { ok: true; conf: VsftpdConf; warnings: Diag[] } | { ok: false; errors: Diag[]; partial: VsftpdConf };

export function defaultVsftpdConf(): VsftpdConf {
  return { ...MODELLED_DEFAULTS, other: {} };
}

/** What vsftpd says after "220 " when ftpd_banner is unset. */
export const VSFTPD_DEFAULT_BANNER = '(vsFTPd 3.0.3)';

export function bannerText(conf: VsftpdConf): string {
  return conf.ftpd_banner ?? VSFTPD_DEFAULT_BANNER;
}

/**
 * The port range vsftpd really draws passive ports from (postlogin.c): the minimum is
 * used only above 1024, the maximum only when ≥ the minimum and below 65535.
 */
export function effectivePasvRange(conf: Pick<VsftpdConf, 'pasv_min_port' | 'pasv_max_port'>): { min: number; max: number } {
  let min = 1024;
  let max = 65535;
  if (conf.pasv_min_port > min && conf.pasv_min_port <= max) min = conf.pasv_min_port;
  if (conf.pasv_max_port >= min && conf.pasv_max_port < max) max = conf.pasv_max_port;
  return { min, max };
}

/** Value limits beyond "unsigned 32-bit", per key. */
const UINT_LIMITS: Partial<Record<string, { min: number; max: number; what: string }>> = {
  listen_port: { min: 1, max: 65535, what: 'a port 1–65535' },
  ftp_data_port: { min: 1, max: 65535, what: 'a port 1–65535' },
  pasv_min_port: { min: 0, max: 65535, what: 'a port 0–65535 (0 = no lower bound)' },
  pasv_max_port: { min: 0, max: 65535, what: 'a port 0–65535 (0 = no upper bound)' },
};
const UINT_MAX = 0xffffffff;
/** Keys where a leading 0 (octal) is the normal way to write the value. */
const OCTAL_KEYS = new Set(['local_umask', 'anon_umask', 'file_open_mode', 'chown_upload_mode']);

interface LineSetting {
  index: number;
  key: string;
  raw: string;
}

/** Splits a line as vsftpd does; null for comments and blank lines. */
function splitSetting(line: string): { key: string; raw: string } | null {
  if (line === '' || line.startsWith('#') || line.trim() === '') return null;
  const body = line.replace(/^\s+/, '');
  const eq = body.indexOf('=');
  return eq < 0 ? { key: body, raw: '' } : { key: body.slice(0, eq), raw: body.slice(eq + 1) };
}

function splitLines(text: string): string[] {
  return text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

type ValueResult = { ok: true; value: boolean | number | string | null; warning?: string } | { ok: false; message: string };

function parseValue(key: string, kind: VsftpdKind, raw: string): ValueResult {
  if (kind === 'str') {
    if (raw !== raw.trim()) return { ok: false, message: `no spaces around "=": the value of ${key} starts or ends with a space` };
    return { ok: true, value: raw === '' ? null : raw };
  }
  if (raw === '') return { ok: false, message: `missing value for ${key} (vsftpd: "missing value in config file")` };
  if (raw !== raw.trim()) return { ok: false, message: `no spaces around "=": the value of ${key} is "${raw}"` };
  if (kind === 'bool') {
    const up = raw.toUpperCase();
    if (up === 'YES' || up === 'TRUE' || up === '1') return { ok: true, value: true };
    if (up === 'NO' || up === 'FALSE' || up === '0') return { ok: true, value: false };
    return { ok: false, message: `bad boolean value "${raw}" for ${key} (use YES or NO)` };
  }
  let n: number;
  let warning: string | undefined;
  if (/^0[0-7]*$/.test(raw)) {
    n = parseInt(raw, 8);
    if (raw.length > 1 && !OCTAL_KEYS.has(key)) warning = `${key}=${raw}: vsftpd reads a leading 0 as octal, so this is ${n}`;
  } else if (/^[1-9]\d*$/.test(raw)) {
    n = Number(raw);
  } else if (/^0\d+$/.test(raw)) {
    return { ok: false, message: `${key}=${raw}: a leading 0 means octal to vsftpd, and "${raw}" is not octal` };
  } else {
    return { ok: false, message: `${key} must be a whole number, not "${raw}"` };
  }
  const limit = UINT_LIMITS[key];
  if (limit && (n < limit.min || n > limit.max)) return { ok: false, message: `${key}=${raw} is out of range: expected ${limit.what}` };
  if (n > UINT_MAX) return { ok: false, message: `${key}=${raw} is too large` };
  return { ok: true, value: n, warning };
}

/** Keys a typo most likely meant (edit distance ≤ 2), for "did you mean". */
function nearestKey(key: string): string | undefined {
  let best: string | undefined;
  let bestD = 3;
  for (const k of [...MODELLED_KEYS, 'xferlog_enable', 'listen', 'listen_ipv6', 'pam_service_name']) {
    const d = editDistance(key.toLowerCase(), k, bestD);
    if (d < bestD) [best, bestD] = [k, d];
  }
  return best;
}

function editDistance(a: string, b: string, cap: number): number {
  if (Math.abs(a.length - b.length) >= cap) return cap;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

/**
 * Reads vsftpd.conf text. With `base`, the text's settings are laid over `base` (as vsftpd
 * reads a user_config_dir file over the main configuration); otherwise over the defaults.
 */
export function parseVsftpdConf(text: string, base?: VsftpdConf): VsftpdParse {
  const conf = base ? { ...base, other: { ...base.other } } : defaultVsftpdConf();
  const errors: Diag[] = [];
  const warnings: Diag[] = [];
  const lastLine = new Map<string, number>();
  const lines = splitLines(String(text));
  if (String(text).includes('\r\n')) warnings.push({ line: 1, message: 'Windows (CRLF) line endings: real vsftpd would read each \\r as part of the value' });

  lines.forEach((line, i) => {
    const lineNo = i + 1;
    const s = splitSetting(line);
    if (!s) return;
    if (s.key.startsWith('#')) {
      errors.push({ line: lineNo, message: `a comment must start in column 1: vsftpd reads this line as the option "${s.key}"` });
      return;
    }
    if (s.key !== s.key.trimEnd()) {
      errors.push({ line: lineNo, message: `no spaces around "=": write ${s.key.trim()}=${s.raw.trim()}` });
      return;
    }
    const kind = vsftpdKeyKind(s.key);
    if (!kind) {
      const near = nearestKey(s.key);
      const hint = near ? ` (did you mean ${near}?)` : '';
      const noEq = !line.includes('=') ? ' — a line needs the form option=value' : '';
      errors.push({ line: lineNo, message: `unrecognised variable "${s.key}"${hint}: vsftpd refuses to start${noEq}` });
      return;
    }
    const v = parseValue(s.key, kind, s.raw);
    if (!v.ok) {
      errors.push({ line: lineNo, message: v.message });
      return;
    }
    if (v.warning) warnings.push({ line: lineNo, message: v.warning });
    const prev = lastLine.get(s.key);
    if (prev !== undefined) warnings.push({ line: lineNo, message: `${s.key} is also set on line ${prev}; this later line wins` });
    lastLine.set(s.key, lineNo);
    if (isModelledKey(s.key)) (conf as unknown as Record<string, unknown>)[s.key] = v.value;
    else if (v.value === null) delete conf.other[s.key];
    else conf.other[s.key] = s.raw;
  });

  crossChecks(conf, lastLine, errors, warnings);
  if (errors.length > 0) return { ok: false, errors, partial: conf };
  return { ok: true, conf, warnings };
}

/** Checks that involve several keys, reported on the line that set the later one. */
function crossChecks(conf: VsftpdConf, lastLine: Map<string, number>, errors: Diag[], warnings: Diag[]): void {
  const at = (...keys: string[]) => Math.max(1, ...keys.map((k) => lastLine.get(k) ?? 0));
  if (conf.pasv_max_port !== 0 && conf.pasv_min_port > conf.pasv_max_port && lastLine.has('pasv_max_port')) {
    errors.push({
      line: at('pasv_min_port', 'pasv_max_port'),
      message:
        `pasv_min_port (${conf.pasv_min_port}${lastLine.has('pasv_min_port') ? '' : ", vsftpd's built-in default"}) is above pasv_max_port (${conf.pasv_max_port}); ` +
        `vsftpd would silently ignore pasv_max_port and use ports ${conf.pasv_min_port}–65535`,
    });
  }
  if (lastLine.has('pasv_min_port') && conf.pasv_min_port > 0 && conf.pasv_min_port <= 1024) {
    warnings.push({ line: at('pasv_min_port'), message: `pasv_min_port=${conf.pasv_min_port} is ignored: vsftpd never picks a passive port below 1024` });
  }
  for (const key of ['pasv_address', 'listen_address'] as const) {
    const value = conf[key];
    if (value === null) continue;
    if (key === 'pasv_address' && conf.pasv_addr_resolve) {
      errors.push({
        line: at(key, 'pasv_addr_resolve'),
        message: 'pasv_addr_resolve=YES needs DNS, which the simulator does not have: write pasv_address as an IPv4 address and remove pasv_addr_resolve',
      });
    } else if (parseIpv4(value) === null) {
      errors.push({ line: at(key), message: `${key} must be an IPv4 address like 203.0.113.1, not "${value}"` });
    }
  }
}

function formatValue(key: string, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') return value ? 'YES' : 'NO';
  if (typeof value === 'number') return String(value);
  return String(value).replace(/[\r\n]+/g, ' ');
}

/**
 * Writes a configuration back as vsftpd.conf text. With `original`, its comments, order and
 * untouched lines are kept: a changed option rewrites its last line, an unset string option
 * loses its lines, a new option is appended. Without it, only non-default options are written.
 */
export function serializeVsftpdConf(conf: VsftpdConf, original?: string): string {
  const wanted = new Map<string, string | null>();
  for (const key of MODELLED_KEYS) wanted.set(key, formatValue(key, conf[key]));
  for (const [key, raw] of Object.entries(conf.other)) {
    if (vsftpdKeyKind(key) && !isModelledKey(key)) wanted.set(key, formatValue(key, raw));
  }

  if (original === undefined) {
    const out: string[] = [];
    for (const [key, value] of wanted) {
      const def = isModelledKey(key) ? formatValue(key, MODELLED_DEFAULTS[key]) : null;
      if (value !== null && value !== def) out.push(`${key}=${value}`);
    }
    return out.map((l) => `${l}\n`).join('');
  }

  const parsed = parseVsftpdConf(original);
  const before = parsed.ok ? parsed.conf : parsed.partial;
  const lines = splitLines(original);
  const eol = original.includes('\r\n') ? '\r\n' : '\n';
  const endsWithNewline = original.endsWith('\n');
  if (endsWithNewline) lines.pop();
  const occurrences = new Map<string, LineSetting[]>();
  lines.forEach((line, index) => {
    const s = splitSetting(line);
    if (s) occurrences.set(s.key, [...(occurrences.get(s.key) ?? []), { index, key: s.key, raw: s.raw }]);
  });
  // Keys the caller dropped from `other` are unset: their lines go.
  for (const key of Object.keys(before.other)) if (!wanted.has(key)) wanted.set(key, null);

  const drop = new Set<number>();
  const replace = new Map<number, string>();
  const append: string[] = [];
  for (const [key, value] of wanted) {
    const old = isModelledKey(key) ? formatValue(key, before[key]) : formatValue(key, before.other[key]);
    if (value === old) continue;
    const occ = occurrences.get(key) ?? [];
    const last = occ[occ.length - 1];
    if (value === null) {
      for (const o of occ) drop.add(o.index);
      continue;
    }
    if (!last) {
      append.push(`${key}=${value}`);
      continue;
    }
    replace.set(last.index, `${key}=${value}`);
    // Earlier lines of the same key that did not parse would still be errors: drop them.
    for (const o of occ.slice(0, -1)) if (!parseValue(key, vsftpdKeyKind(key) ?? 'str', o.raw).ok) drop.add(o.index);
  }
  const out: string[] = [];
  lines.forEach((line, i) => {
    if (drop.has(i)) return;
    out.push(replace.get(i) ?? line);
  });
  out.push(...append);
  const text = out.join(eol);
  return endsWithNewline || (append.length > 0 && text !== '') ? `${text}${eol}` : text;
}

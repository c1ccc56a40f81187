/**
 * One name per device: the texts a learner reads name a device by its display name (the
 * scenario's label, "Server firewall"), as the canvas does; ids (`server-edge`) are for files,
 * the command line and JSON. The simulator's own drop reasons are written with ids
 * ("Dropped by server-edge, …"); these helpers rename them, or — where the device is already
 * named just before the reason — say the reason without the device, so it is named once.
 */
import type { Culprit } from './verdict';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * `text` with every whole occurrence of device `id` replaced by `name`: not inside a longer
 * id (`server` is not renamed in `server-edge` or `ftp-server`).
 */
export function nameDevice(text: string, id: string, name: string): string {
  if (!id || id === name) return text;
  return text.replace(new RegExp(`(?<![\\w.-])${escape(id)}(?![\\w-])`, 'g'), () => name);
}

/**
 * "Server firewall (server-edge)": for the command line, where the id is what a file says.
 * A label that already starts with its id ("testbox2 (FileZilla Server)") is shown as it is.
 */
export function nameWithId(id: string, name: string | undefined): string {
  if (!name || name === id) return id;
  return new RegExp(`^${escape(id)}(?![\\w-])`).test(name) ? name : `${name} (${id})`;
}

/**
 * The simulator's reasons that name their device (core/run/network.ts), and the same reason
 * for a line that already names the device before it. Whole ids only.
 */
function reasonForms(id: string): [RegExp, (m: RegExpExecArray) => string][] {
  const d = escape(id);
  const end = '(?![\\w-])';
  return [
    // "Dropped by server-edge, the FORWARD chain's policy" → "dropped by the FORWARD chain's policy"
    [new RegExp(`^(Dropped|Rejected) by ${d}, `), (m) => `${m[1]!.toLowerCase()} by `],
    // "nothing listens on server-edge at that port, …" → "nothing listens at that port, …"
    [new RegExp(`^nothing listens on ${d}${end} `), () => 'nothing listens '],
    // "server-edge has no route to 10.0.0.10" → "no route to 10.0.0.10"
    [new RegExp(`^${d}${end} has no route to `), () => 'no route to '],
    // "client is not 10.0.0.10 and does not forward" → "not 10.0.0.10, and it does not forward"
    [new RegExp(`^${d}${end} is not (\\S+) and does not forward`), (m) => `not ${m[1]}, and it does not forward`],
    // "TTL expired at server-edge (a routing loop?)" → "TTL expired (a routing loop?)"
    [new RegExp(`^TTL expired at ${d}${end} `), () => 'TTL expired '],
  ];
}

/**
 * A refusal's reason for a line that already names the device before it: "Dropped by
 * server-edge, the FORWARD chain's policy" → "dropped by the FORWARD chain's policy", so the
 * verdict's "Where" says "Server firewall — dropped by …" once, not twice. The same for the
 * other reasons that name their device (nothing listening there, no route, TTL). Other text
 * unchanged.
 */
export function reasonAfterName(text: string, id: string): string {
  if (!id) return text;
  for (const [re, out] of reasonForms(id)) {
    const m = re.exec(text);
    if (m) return out(m) + text.slice(m[0].length);
  }
  return text;
}

/** The same, capitalised: for a line that shows the device in a heading or label of its own. */
export function reasonBesideName(text: string, id: string): string {
  const r = reasonAfterName(text, id);
  return r === text ? text : r.charAt(0).toUpperCase() + r.slice(1);
}

/**
 * What a "where" line says after the device's name, without naming the device again: the
 * rule, the chain's policy, or the setting. `kind` is "reason" for a setting that is one of
 * the simulator's reasons (nothing listens there, no route), which is not a setting anyone can
 * change as such.
 */
export function culpritDetail(c: Culprit): { kind: 'rule' | 'policy' | 'setting' | 'reason'; text: string } | null {
  if (c.rule) return { kind: 'rule', text: `${c.rule.table}/${c.rule.chain} rule ${c.rule.index}: ${c.rule.text}` };
  if (c.policy) return { kind: 'policy', text: reasonAfterName(c.policy, c.device) };
  if (c.setting) {
    const r = reasonAfterName(c.setting, c.device);
    return { kind: r === c.setting ? 'setting' : 'reason', text: r };
  }
  return null;
}

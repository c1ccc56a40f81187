/**
 * One name per device: the texts a learner reads name a device by its display name (the
 * scenario's label, "Server firewall"), as the canvas does; ids (`server-edge`) are for files,
 * the command line and JSON. A dropped packet's sentences are built from the drop's fields with
 * the name the caller passes (sim/refusal.ts), never by renaming or cutting another text.
 */
import { refusalAfterName } from '../sim/refusal';
import type { Culprit } from './verdict';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * "Server firewall (server-edge)": for the command line, where the id is what a file says.
 * A label that already starts with its id ("testbox2 (FileZilla Server)") is shown as it is.
 */
export function nameWithId(id: string, name: string | undefined): string {
  if (!name || name === id) return id;
  return new RegExp(`^${escape(id)}(?![\\w-])`).test(name) ? name : `${name} (${id})`;
}

/**
 * What a "where" line says after the device's name, without naming the device again: the
 * rule, or the dropped packet's reason built from the drop's fields ("dropped by the FORWARD
 * chain's policy", "no route to 10.0.0.10"), or the setting. `kind` is "policy" for a chain's
 * policy or the FTP helper, "reason" for the simulator's other reasons (nothing listens there,
 * no route), which are not a setting anyone can change as such.
 */
export function culpritDetail(c: Culprit): { kind: 'rule' | 'policy' | 'setting' | 'reason'; text: string } | null {
  if (c.rule) return { kind: 'rule', text: `${c.rule.table}/${c.rule.chain} rule ${c.rule.index}: ${c.rule.text}` };
  if (c.drop) return { kind: c.drop.how === 'drop' || c.drop.how === 'helper' ? 'policy' : 'reason', text: refusalAfterName({ ...c.drop, rule: null }) };
  if (c.setting) return { kind: 'setting', text: c.setting };
  return null;
}

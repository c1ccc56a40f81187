/**
 * Test stand-in for iptablesCheck while the core iptables reader is not in the tree: it
 * knows the line shapes of iptables-save and refuses anything else with its line number.
 */
import type { IptablesCheck } from './iptablesCheck';

const LINE = /^(\s*|#.*|\*\w+|:\S+ \S+( \[\d+:\d+\])?|-A \S+( .*)?|COMMIT)$/;

export function checkIptables(text: string): IptablesCheck {
  const errors = text.split('\n').flatMap((l, i) => (LINE.test(l) ? [] : [{ line: i + 1, message: `cannot read "${l}"` }]));
  return errors.length ? { ok: false, errors } : { ok: true, warnings: [] };
}

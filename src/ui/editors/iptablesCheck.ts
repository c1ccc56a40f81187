/**
 * The one place the editors ask the core whether iptables-save text is valid: the same
 * reader the loader uses, so the editor never accepts what the simulator would refuse.
 */
import { parseIptablesSave } from '../../core/index';

export interface IptablesDiag {
  line?: number;
  column?: number;
  message: string;
}

export type IptablesCheck = { ok: true; warnings: IptablesDiag[] } | { ok: false; errors: IptablesDiag[] };

export function checkIptables(text: string): IptablesCheck {
  try {
    const r = parseIptablesSave(text);
    return r.ok ? { ok: true, warnings: r.warnings } : { ok: false, errors: r.errors };
  } catch (e) {
    return { ok: false, errors: [{ message: `the iptables reader failed: ${e instanceof Error ? e.message : String(e)}` }] };
  }
}

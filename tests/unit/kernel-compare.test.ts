/**
 * The kernel comparison's one tolerance for lftp turned away at the greeting: whether its queued
 * FEAT reaches the wire after vsftpd's 421 is a race (seen both ways on the kernel), so that FEAT
 * is left out on both sides; any other difference still shows.
 */
import { describe, expect, it } from 'vitest';
import { compareWorlds } from '../kernel/compare';
import type { WorldResult } from '../kernel/kernelSide';

const TOO_MANY = '421 There are too many connected users, please try later.';

function world(lines: string[]): WorldResult {
  return {
    transfers: [],
    obs: { texts: {}, lines: { lan: lines }, commands: lines.filter((l) => /^c\d+> /.test(l)).map((l) => l.slice(l.indexOf('> ') + 2)), data: [] },
    notes: [],
  };
}

const base = ['c1< 220 (vsFTPd 3.0.3)', 'c1> FEAT', 'c1< 211 End', `c2< ${TOO_MANY}`];

describe('kernel comparison: lftp turned away at the greeting', () => {
  it('a FEAT right after its own connection’s 421 greeting agrees with none, in lines and commands', () => {
    const k = world([...base, 'c2> FEAT', 'c1> QUIT', 'c1< 221 Goodbye.']);
    const s = world([...base, 'c1> QUIT', 'c1< 221 Goodbye.']);
    const rows = compareWorlds('max-clients', k, s);
    expect(rows.filter((r) => r.status !== 'agree')).toEqual([]);
    expect(rows.find((r) => r.check === 'client commands')?.kernel).toBe('FEAT, QUIT');
  });

  it('a FEAT elsewhere, or another command after the 421, still disagrees', () => {
    const k = world([...base, 'c2> USER anonymous', 'c1> QUIT']);
    const s = world([...base, 'c1> QUIT']);
    expect(compareWorlds('x', k, s).filter((r) => r.status === 'disagree').map((r) => r.check)).toEqual(['lines @lan', 'client commands']);
    const k2 = world(['c1< 220 (vsFTPd 3.0.3)', 'c1> FEAT', 'c1< 211 End']);
    const s2 = world(['c1< 220 (vsFTPd 3.0.3)']);
    expect(compareWorlds('x', k2, s2).filter((r) => r.status === 'disagree').map((r) => r.check)).toEqual(['lines @lan', 'client commands']);
  });
});

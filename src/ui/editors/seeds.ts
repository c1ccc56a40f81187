/**
 * The seed: every random choice of a run (ephemeral ports, the passive port vsftpd picks,
 * sequence numbers) comes from it. "Re-roll" picks another one; "Run with 20 seeds" runs the
 * scenario at seeds 1–20 and says how many fail and which data ports were blocked — the seed
 * incident (vsftpd's 3001–3300 vs the firewall's 3001–3100) failing only sometimes.
 * Pure: no DOM; the component runs the batch.
 */
import { refusalNamed, type ScenarioFile } from '../../core/index';
import type { DataConnFact, RunOutcome } from '../state/runner';

/** The seeds a summary runs: always the same twenty, so two runs of it (and a test) agree. */
export const SUMMARY_SEEDS: readonly number[] = Array.from({ length: 20 }, (_, i) => i + 1);

/** The seed the file runs with (the loader's default is 1). */
export const seedOf = (file: ScenarioFile): number => (typeof file.seed === 'number' ? file.seed : 1);

/**
 * The next seed of a re-roll: a step of a small linear congruential generator, so a re-roll
 * is repeatable (the same seed always re-rolls to the same next one) and numbers stay short.
 */
export function nextSeed(seed: number): number {
  return ((seed * 7919 + 104_729) % 99_991) + 1;
}

/** A seed a user typed: a whole number from 0 to 4294967295 (what a link's `seed=` accepts), or the reason. */
export function parseSeed(text: string): { ok: true; seed: number } | { ok: false; message: string } {
  const t = text.trim();
  if (!/^\d{1,10}$/.test(t) || Number(t) > 0xffffffff) return { ok: false, message: `The seed must be a whole number from 0 to 4294967295, not "${t.slice(0, 20)}".` };
  return { ok: true, seed: Number(t) };
}

export interface SeedResult {
  seed: number;
  outcome: RunOutcome;
}

export interface SeedSummary {
  /** One sentence: "Fails for 13 of 20 seeds — passive ports 3113–3290 were blocked; 3004–3097 got through." */
  headline: string;
  /** Further lines: the counts' arithmetic, the ports, what stopped them, the range the server picks from. */
  details: string[];
  failed: number[];
  worked: number[];
  /** Seeds that did not run to the end (invalid, error, cancelled, stopped early). */
  notRun: number[];
  blockedPorts: number[];
  openPorts: number[];
  /** Per seed, for the list: whether it worked and its data ports. */
  rows: { seed: number; ok: boolean | null; ports: DataConnFact[]; note: string }[];
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const uniqSorted = (xs: number[]) => [...new Set(xs)].sort((a, b) => a - b);
/** "3004", or "3004–3097" for several. */
const span = (ports: number[]) => (ports.length === 0 ? '' : ports.length === 1 ? String(ports[0]) : `${ports[0]}–${ports[ports.length - 1]}`);
/** Up to 12 ports written out, then "…". */
const list = (ports: number[]) => (ports.length <= 12 ? ports.join(', ') : `${ports.slice(0, 12).join(', ')}, … (${ports.length} in all)`);

/** The passive range the server picks from, when the file says (vsftpd's pasv_min_port/pasv_max_port, FileZilla's range). */
function passiveRange(file: ScenarioFile): { from: number; to: number; where: string } | null {
  const server = file.server as { vsftpd?: string | string[]; filezilla?: { passive?: { range?: { min: number; max: number } } } } | undefined;
  const fzRange = server?.filezilla?.passive?.range;
  if (fzRange) return { from: fzRange.min, to: fzRange.max, where: "FileZilla Server's passive port range" };
  const conf = server?.vsftpd;
  const text = Array.isArray(conf) ? conf.join('\n') : (conf ?? '');
  const min = /^\s*pasv_min_port\s*=\s*(\d+)\s*$/m.exec(text)?.[1];
  const max = /^\s*pasv_max_port\s*=\s*(\d+)\s*$/m.exec(text)?.[1];
  if (min === undefined || max === undefined || Number(min) === 0 || Number(max) < Number(min)) return null;
  return { from: Number(min), to: Number(max), where: 'vsftpd picks each passive port at random from pasv_min_port–pasv_max_port' };
}

/** The summary of a batch of seeds; `names` turns a device id into the name the canvas shows. */
export function summariseSeeds(file: ScenarioFile, results: SeedResult[], names: ReadonlyMap<string, string> = new Map()): SeedSummary {
  const failed: number[] = [];
  const worked: number[] = [];
  const notRun: number[] = [];
  const rows: SeedSummary['rows'] = [];
  const blocked: number[] = [];
  const open: number[] = [];
  let passive = 0;
  let active = 0;
  /** What stopped a failed seed's transfer: "Server firewall — rule `-A FORWARD … -j DROP`", counted. */
  const causes = new Map<string, number>();
  for (const { seed, outcome: o } of results) {
    if (o.kind !== 'verdict' && o.kind !== 'done') {
      notRun.push(seed);
      rows.push({ seed, ok: null, ports: [], note: o.kind === 'invalid' ? 'the scenario has errors' : o.kind === 'cancelled' ? 'not run (stopped)' : o.message });
      continue;
    }
    const verdict = o.kind === 'verdict' ? o.verdict : o.run.verdict;
    if (o.stoppedEarly) {
      notRun.push(seed);
      rows.push({ seed, ok: null, ports: [], note: 'stopped early (too long for the page)' });
      continue;
    }
    const ports = o.kind === 'verdict' ? (o.dataConns ?? []) : [];
    for (const p of ports) {
      (p.blocked ? blocked : open).push(p.port);
      if (p.passive) passive++;
      else active++;
    }
    (verdict.ok ? worked : failed).push(seed);
    const failure = verdict.transfers.find((t) => t.failure)?.failure;
    if (failure?.culprit) {
      const c = failure.culprit;
      const who = names.get(c.device) ?? c.device;
      // "Dropped by Server firewall, the FORWARD chain's policy": a dropped packet's sentence, the device by its display name.
      const cause = c.rule
        ? `Stopped by ${who}, rule \`${c.rule.text}\``
        : c.drop
          ? refusalNamed({ ...c.drop, rule: null }, who)
          : c.setting
            ? `Stopped by ${who}, setting ${c.setting}`
            : `Stopped by ${who}`;
      causes.set(cause, (causes.get(cause) ?? 0) + 1);
    }
    rows.push({ seed, ok: verdict.ok, ports, note: verdict.ok ? 'works' : (failure?.kind ?? 'fails') });
  }
  const blockedPorts = uniqSorted(blocked);
  const openPorts = uniqSorted(open);
  const ran = failed.length + worked.length;
  const kind = passive > 0 && active === 0 ? 'passive ports' : active > 0 && passive === 0 ? 'active data ports' : 'data ports';

  let headline: string;
  if (ran === 0) headline = notRun.length ? `No seed ran to the end (${plural(notRun.length, 'seed')} not run).` : 'No seed ran.';
  else if (failed.length === 0) headline = `Works for all ${plural(ran, 'seed')}${openPorts.length ? ` — ${kind} ${span(openPorts)} all got through` : ''}.`;
  else if (worked.length === 0) headline = `Fails for all ${plural(ran, 'seed')}${blockedPorts.length ? ` — ${kind} ${span(blockedPorts)} were blocked` : ''}.`;
  else
    headline =
      `Fails for ${failed.length} of ${plural(ran, 'seed')}` +
      (blockedPorts.length ? ` — ${kind} ${span(blockedPorts)} were blocked${openPorts.length ? `; ${span(openPorts)} got through` : ''}` : '') +
      '.';

  const details: string[] = [];
  if (ran > 0)
    details.push(
      `${plural(failed.length, 'seed')} failed, ${worked.length} worked: ${failed.length} + ${worked.length} = ${ran}` +
        (failed.length > 0 && worked.length > 0 ? `; ${failed.length} ÷ ${ran} = ${Math.round((failed.length / ran) * 100)} % of the runs fail.` : '.'),
    );
  if (notRun.length) details.push(`Not run to the end: seed${notRun.length === 1 ? '' : 's'} ${notRun.join(', ')}.`);
  if (blockedPorts.length) details.push(`Blocked ${kind}: ${list(blockedPorts)}.`);
  if (openPorts.length) details.push(`${kind.charAt(0).toUpperCase()}${kind.slice(1)} that got through: ${list(openPorts)}.`);
  if (blockedPorts.length && openPorts.length) {
    const lo = openPorts[openPorts.length - 1]!;
    const hi = blockedPorts[0]!;
    if (lo < hi) details.push(`Every port that got through is below every blocked one: the firewall's limit lies between ${lo} and ${hi}.`);
    else if (blockedPorts[blockedPorts.length - 1]! < openPorts[0]!)
      details.push(`Every blocked port is below every port that got through: the firewall's limit lies between ${blockedPorts[blockedPorts.length - 1]} and ${openPorts[0]}.`);
  }
  const range = kind === 'passive ports' ? passiveRange(file) : null;
  if (range) details.push(`${range.where}: ${range.from}–${range.to}, ${range.to} − ${range.from} + 1 = ${range.to - range.from + 1} ports.`);
  for (const [cause, n] of [...causes].sort((a, b) => b[1] - a[1])) details.push(`${cause} (${n} of ${plural(failed.length, 'failed seed')}).`);
  return { headline, details, failed, worked, notRun, blockedPorts, openPorts, rows };
}

/** Plain-text and JSON renderings of a run for the command line. */
import { culpritDetail, describePacket, nameWithId, parseScriptLine, type RunResult, type Trace, type TransferResult, type Verdict } from '../core/index';

const secs = (us: number): string => (us / 1e6).toFixed(6).padStart(12);

/** The clients' screens, `ftp -d` style; prefixed by client id when there are several. */
export function formatTranscript(trace: Trace): string {
  const lines = trace.events.filter((e) => e.kind === 'console');
  const clients = new Set(lines.map((e) => (e.kind === 'console' ? e.client : '')));
  return lines.map((e) => (e.kind === 'console' ? (clients.size > 1 ? `[${e.client}] ${e.text}` : e.text) : '')).join('\n');
}

/** One line per hop: time, device, direction, and the decoded packet. */
export function formatPacketLog(trace: Trace): string {
  const out: string[] = ['Packets (per hop):'];
  for (const e of trace.events) {
    if (e.kind === 'send') out.push(`${secs(e.t)}  ${e.device}/${e.iface} → ${e.to}  ${describePacket(e.bytes)}`);
    else if (e.kind === 'drop') out.push(`${secs(e.t)}  ${e.device}  ✗ ${e.how.toUpperCase()}  ${e.reason}`);
    else if (e.kind === 'nat') out.push(`${secs(e.t)}  ${e.device}  ⇄ ${e.what}: ${e.note}`);
  }
  return out.join('\n');
}

/** A reported script line that moves data over a data connection (ls, get, put, append), not cd, pwd, mkdir… */
export function isDataTransfer(t: Pick<TransferResult, 'command'>): boolean {
  const p = parseScriptLine(t.command);
  return p.ok && ['ls', 'get', 'put', 'append'].includes(p.step.kind);
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * The one-line summary: data transfers counted apart from the other commands (cd, pwd, mkdir,
 * delete, rename), so "1 of 2 transfers" never counts a pwd. A stopped run keeps the
 * verdict's own words.
 */
export function summaryLine(v: Verdict): string {
  if (v.budgetExhausted || v.transfers.length === 0 || /stopped/.test(v.summary)) return v.summary;
  const parts: string[] = [];
  const count = (list: TransferResult[], word: string, allWord: string) => {
    if (list.length === 0) return;
    const failed = list.filter((t) => !t.ok);
    parts.push(
      failed.length === 0
        ? `${list.length === 1 ? `The ${word}` : `All ${plural(list.length, word)}`} succeeded.`
        : `${failed.length} of ${plural(list.length, allWord)} failed: ${failed[0]!.command} — ${failed[0]!.failure?.kind}.`,
    );
  };
  const transfers = v.transfers.filter(isDataTransfer);
  const others = v.transfers.filter((t) => !isDataTransfer(t));
  if (transfers.length === 0) parts.push('No data transfer in the script.');
  count(transfers, 'transfer', 'transfer');
  count(others, transfers.length > 0 ? 'other command' : 'command', transfers.length > 0 ? 'other command' : 'command');
  return parts.join(' ');
}

/** The verdict as text; `names` (device id → display name) shows a culprit as "Server firewall (server-edge)". */
export function formatVerdict(v: Verdict, names: ReadonlyMap<string, string> = new Map()): string {
  const out: string[] = [`Verdict: ${v.ok ? 'SUCCESS' : 'FAILURE'} — ${summaryLine(v)}`];
  for (const t of v.transfers) {
    out.push(`  ${t.ok ? '✓' : '✗'} [${t.client}] ${t.command}${t.ok ? ` (${t.bytes} bytes)` : ''}`);
    if (t.failure) {
      const f = t.failure;
      out.push(`      kind: ${f.kind}`);
      if (f.culprit) {
        const c = f.culprit;
        out.push(
          // The device once, by name with its id; the detail after it does not name it again.
          `      where: ${nameWithId(c.device, names.get(c.device))}${culpritDetail(c) ? `, ${culpritDetail(c)!.text}` : ''}`,
        );
      }
      out.push(`      why: ${f.explanation}`);
      for (const l of f.clientSees) out.push(`      client shows: ${l}`);
      out.push(`      fix: ${f.fix}`);
    }
  }
  return out.join('\n');
}

/** The --json document. Shape documented in the README; keep it stable. */
export function verdictJson(scenario: { name: string; seed: number }, r: RunResult) {
  const transcript: Record<string, string[]> = {};
  for (const e of r.trace.events) if (e.kind === 'console') (transcript[e.client] ??= []).push(e.text);
  return {
    scenario: scenario.name,
    seed: scenario.seed,
    ok: r.verdict.ok,
    summary: summaryLine(r.verdict),
    endTimeUs: r.verdict.endTime,
    budgetExhausted: r.verdict.budgetExhausted,
    // Data transfers only (ls, get, put, append); `commands` has every reported script line.
    transfers: r.verdict.transfers.filter(isDataTransfer),
    commands: r.verdict.transfers,
    transcript,
    events: r.trace.events.length,
  };
}

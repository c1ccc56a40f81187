/** Plain-text and JSON renderings of a run for the command line. */
import { describePacket, nameWithId, type Trace, type Verdict, type RunResult } from '../core/index';

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

/** The verdict as text; `names` (device id → display name) shows a culprit as "Server firewall (server-edge)". */
export function formatVerdict(v: Verdict, names: ReadonlyMap<string, string> = new Map()): string {
  const out: string[] = [`Verdict: ${v.ok ? 'SUCCESS' : 'FAILURE'} — ${v.summary}`];
  for (const t of v.transfers) {
    out.push(`  ${t.ok ? '✓' : '✗'} [${t.client}] ${t.command}${t.ok ? ` (${t.bytes} bytes)` : ''}`);
    if (t.failure) {
      const f = t.failure;
      out.push(`      kind: ${f.kind}`);
      if (f.culprit) {
        const c = f.culprit;
        out.push(
          `      where: ${nameWithId(c.device, names.get(c.device))}${c.rule ? `, ${c.rule.table}/${c.rule.chain} rule ${c.rule.index}: ${c.rule.text}` : c.policy ? `, ${c.policy}` : c.setting ? `, ${c.setting}` : ''}`,
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
    summary: r.verdict.summary,
    endTimeUs: r.verdict.endTime,
    budgetExhausted: r.verdict.budgetExhausted,
    transfers: r.verdict.transfers,
    transcript,
    events: r.trace.events.length,
  };
}

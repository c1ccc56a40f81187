/**
 * Kernel vs simulator, check by check: transfer outcome, failure kind, what the client said
 * about a failure, the announcements on every segment, the commands the client sent, and the
 * data connections' opener and target.
 */
import type { WorldResult } from './kernelSide';

export type Status = 'agree' | 'disagree' | 'not-comparable' | 'error';

export interface Row {
  scenario: string;
  check: string;
  status: Status;
  kernel: string;
  sim: string;
  note?: string;
}

/**
 * Failure kinds agree when equal, or when the kernel saw both a network cause and a reply code
 * ("timeout+425": the server's SYN went unanswered and it said 425) and the simulator named
 * either one. `illegal-port` is vsftpd's 500 to PORT/EPRT.
 */
export function kindsAgree(kernel: string, sim: string): boolean {
  if (kernel === sim) return true;
  const [cause, code] = kernel.split('+');
  if (code !== undefined && (sim === cause || sim === `ftp-${code}`)) return true;
  if ((kernel === 'illegal-port' && sim === 'ftp-500') || (sim === 'illegal-port' && kernel === 'ftp-500')) return true;
  // A step the client never got to send (the session was already closed) agrees with the
  // simulator naming the reply that ended the session.
  if (kernel === 'closed' && /^ftp-\d{3}$/.test(sim)) return true;
  return false;
}

/**
 * The client's own last error line for a failed transfer (curl's `curl: (N) …`, tnftp's
 * `ftp: …`, `Passive mode refused.`), not a server reply; with times as `after N ms` (links
 * have latency in the simulator, none between namespaces) and tnftp's program name as the
 * `ftp` a user types (the harness runs /usr/bin/tnftp).
 */
export function clientSays(lines: readonly string[]): string | undefined {
  const own = lines.filter((l) => /^(curl: \(\d+\)|(\/usr\/bin\/)?(tn|inetutils-)?ftp: |Passive mode |(ls|get|put): )/.test(l));
  const last = own[own.length - 1];
  return last === undefined ? undefined : maskTimes(last.replace(/^(\/usr\/bin\/)?(tnftp|inetutils-ftp): /, 'ftp: '));
}

/**
 * A client's count of the time it waited (`after 5001 ms`, `after 15002 milliseconds`) as `after
 * N ms`: wall time on the kernel (a millisecond more or less from run to run), link latency in
 * the simulator.
 */
export function maskTimes(text: string): string {
  return text.replace(/ after \d+ (ms|milliseconds)\b/g, ' after N $1');
}

/**
 * Two lists of lines, compared exactly: '' when equal, else where they part ("line 7: kernel
 * `…` | sim `…`", with the line before for context) and both lengths.
 */
export function firstDifference(k: readonly string[], s: readonly string[]): string {
  const n = Math.max(k.length, s.length);
  for (let i = 0; i < n; i++) {
    if (k[i] === s[i]) continue;
    const before = i > 0 ? ` after \`${k[i - 1]}\`` : '';
    return `line ${i + 1}${before}: kernel \`${k[i] ?? '(end)'}\` | sim \`${s[i] ?? '(end)'}\` (${k.length} vs ${s.length} lines)`;
  }
  return '';
}

/**
 * A server style other than vsftpd's is run on the kernel by vsftpd: its reply texts cannot
 * compare, so replies keep their code (and an announcement its text, which is the same).
 */
export function replyCodesOnly(lines: readonly string[]): string[] {
  return lines.map((l) => {
    const m = l.match(/^(c\d+<) (\d{3})([ -])(.*)$/);
    if (!m || m[2] === '227' || m[2] === '229') return l;
    return `${m[1]} ${m[2]}${m[3]}…`;
  });
}

/**
 * Two commands lftp has queued when vsftpd answers and closes at once, which reach the wire when
 * lftp writes before it reads the reply and the end of the connection, and not when it reads
 * first; each seen both ways on the kernel in runs of the same world, so a race, not a
 * difference, and left out on both sides (lines, and the same command in the command list):
 * - its FEAT right after a `421` or `500` in place of the greeting (vsftpd's `421 There are too
 *   many connected users…`, its `500 OOPS: vsftpd: both local and anonymous access disabled!`):
 *   ftpclass.cc queues FEAT in CONNECTED_STATE, held in sync mode until the greeting is answered;
 * - its PWD right after a `500 OOPS: …` to PASS (a login refused, the session process gone):
 *   PWD is queued behind PASS and flushed once PASS is answered, before LoginCheck's error.
 */
export function withoutRacingCommands(obs: WorldResult['obs']): WorldResult['obs'] {
  const dropped = new Map<string, number[]>();
  const lines: Record<string, string[]> = {};
  for (const [seg, ls] of Object.entries(obs.lines)) {
    const out: string[] = [];
    const sent: number[] = [];
    let n = 0;
    for (const [i, l] of ls.entries()) {
      const m = l.match(/^(c\d+)> (FEAT|PWD)$/);
      const conn = m?.[1];
      const before = i > 0 ? ls[i - 1]! : '';
      const greeting = conn !== undefined && ls.findIndex((x) => x.startsWith(`${conn}<`) || x.startsWith(`${conn}>`)) === i - 1;
      const racing =
        conn !== undefined &&
        (m![2] === 'FEAT' ? greeting && /^c\d+< [45]\d\d /.test(before) : before.startsWith(`${conn}< 500 OOPS: `) && (ls[i - 2] ?? '').startsWith(`${conn}> PASS `));
      if (racing) sent.push(n);
      else out.push(l);
      if (/^c\d+> /.test(l)) n++;
    }
    lines[seg] = out;
    dropped.set(seg, sent);
  }
  // The command list is the client's segment's commands in the same order: drop the same ones.
  const seg = Object.keys(obs.lines).find((g) => obs.lines[g]!.filter((l) => /^c\d+> /.test(l)).length === obs.commands.length && dropped.get(g)!.length > 0);
  const skip = new Set(seg ? dropped.get(seg) : []);
  return { ...obs, lines, commands: obs.commands.filter((_, i) => !skip.has(i)) };
}

/**
 * The server's `221` to a QUIT that the client answered itself with an error reply it had left
 * unread (tnftp after its -q time-out reads the 426 as QUIT's answer and exits): whether the 221
 * is on the wire before the client's close is a race between the client's exit and the server's
 * answer. Both seen on the kernel in runs of the same world (vsftpd-426-reset-mid-transfer · tnftp:
 * 221 then the client's RST 8.5 ms after QUIT; the client's FIN before the 221), so the lines
 * compare without such a 221 when that is their only difference.
 */
export function withoutRacing221(ls: readonly string[]): string[] {
  return ls.filter((l, i) => {
    const c = l.match(/^(c\d+)< 221 /)?.[1];
    if (c === undefined) return true;
    const mine = ls.slice(0, i).filter((x) => x.startsWith(`${c}<`) || x.startsWith(`${c}>`));
    return !(mine[mine.length - 1] === `${c}> QUIT` && /^c\d+< [45]\d\d /.test(mine[mine.length - 2] ?? ''));
  });
}

/** What tnftp prints when a write into a closed control connection raises SIGPIPE. */
export const SIGPIPE_RACE = 'ftp: lostpeer due to signal 13';

export function compareWorlds(scenario: string, k: WorldResult, s: WorldResult, opts: { replyCodesOnly?: boolean } = {}): Row[] {
  k = { ...k, obs: withoutRacingCommands(k.obs) };
  s = { ...s, obs: withoutRacingCommands(s.obs) };
  const rows: Row[] = [];
  const n = Math.max(k.transfers.length, s.transfers.length);
  for (let i = 0; i < n; i++) {
    const kt = k.transfers[i];
    const st = s.transfers[i];
    const name = kt?.command ?? st?.command ?? `#${i}`;
    const ko = kt ? (kt.ok ? 'ok' : 'failed') : '(no transfer)';
    const so = st ? (st.ok ? 'ok' : 'failed') : '(no transfer)';
    rows.push({ scenario, check: `outcome ${name}`, status: ko === so ? 'agree' : 'disagree', kernel: ko, sim: so });
    if (kt && st && !kt.ok && !st.ok && kt.says === SIGPIPE_RACE) {
      // tnftp writes its next command into a control connection the server has closed: when the
      // server's RST is back first, the write raises SIGPIPE ("lostpeer due to signal 13"),
      // otherwise tnftp reads the close and says "421 Service not available". Both seen on the
      // kernel (vsftpd-chroot-writable-root · tnftp); the model shows the second.
      const note = 'a race on the kernel: tnftp wrote into the closed connection after the RST came back (SIGPIPE); the model reads the close first';
      rows.push({ scenario, check: `kind ${name}`, status: 'not-comparable', kernel: kt.kind, sim: st.kind, note });
      rows.push({ scenario, check: `client says ${name}`, status: 'not-comparable', kernel: kt.says, sim: st.says ?? '—', note });
    } else if (kt && st && !kt.ok && !st.ok) {
      rows.push({
        scenario,
        check: `kind ${name}`,
        status: kindsAgree(kt.kind, st.kind) ? 'agree' : 'disagree',
        kernel: kt.detail ? `${kt.kind} (${maskTimes(kt.detail)})` : kt.kind,
        sim: st.detail ? `${st.kind} (${maskTimes(st.detail)})` : st.kind,
      });
      if (kt.says !== undefined || st.says !== undefined) {
        const ks = kt.says ?? '—';
        const ss = st.says ?? '—';
        rows.push({ scenario, check: `client says ${name}`, status: ks === ss ? 'agree' : 'disagree', kernel: ks, sim: ss });
      }
    }
  }
  const segs = new Set([...Object.keys(k.obs.texts), ...Object.keys(s.obs.texts)]);
  for (const seg of segs) {
    const kt = (k.obs.texts[seg] ?? []).join(', ') || '—';
    const st = (s.obs.texts[seg] ?? []).join(', ') || '—';
    rows.push({ scenario, check: `text @${seg}`, status: kt === st ? 'agree' : 'disagree', kernel: kt, sim: st });
  }
  const lineSegs = new Set([...Object.keys(k.obs.lines), ...Object.keys(s.obs.lines)]);
  for (const seg of lineSegs) {
    let kl = k.obs.lines[seg] ?? [];
    let sl = s.obs.lines[seg] ?? [];
    if (opts.replyCodesOnly) {
      kl = replyCodesOnly(kl);
      sl = replyCodesOnly(sl);
    }
    // After `234` (AUTH TLS accepted) the control connection is encrypted: real TLS records
    // on the kernel, the simulator's stand-in records; only the lines before it compare.
    const tls = (ls: string[]) => {
      const i = ls.findIndex((l) => /< 234 /.test(l));
      return i < 0 ? ls : ls.slice(0, i + 1);
    };
    kl = tls(kl);
    sl = tls(sl);
    let diff = firstDifference(kl, sl);
    let race = false;
    if (diff !== '' && firstDifference(withoutRacing221(kl), withoutRacing221(sl)) === '') {
      race = true;
      diff = '';
    }
    const row: Row =
      diff === ''
        ? { scenario, check: `lines @${seg}`, status: 'agree', kernel: `${kl.length} lines`, sim: `${sl.length} lines` }
        : { scenario, check: `lines @${seg}`, status: 'disagree', kernel: diff, sim: '' };
    if (opts.replyCodesOnly) row.note = 'server style is not vsftpd: reply texts compared by code';
    if (race)
      row.note =
        "the server's 221 to a QUIT the client answered with an error it had left unread: before or after the client's close, a race (seen both ways on the kernel); compared without it";
    rows.push(row);
  }
  const kc = k.obs.commands.join(', ') || '—';
  const sc = s.obs.commands.join(', ') || '—';
  rows.push({ scenario, check: 'client commands', status: kc === sc ? 'agree' : 'disagree', kernel: kc, sim: sc });
  const kd = k.obs.data.join(', ') || '—';
  const sd = s.obs.data.join(', ') || '—';
  rows.push({ scenario, check: 'data opener → target', status: kd === sd ? 'agree' : 'disagree', kernel: kd, sim: sd });
  const reconnects = reconnectRow(scenario, k.obs.reconnects ?? [], s.obs.reconnects ?? []);
  if (reconnects) rows.push(reconnects);
  return rows;
}

/**
 * How long each client waited before its next control connection, from its close of the
 * previous one to the new SYN (lftp's reconnect timer, a client connecting again at once): the
 * same clients in the same order, each wait within half a second and a tenth of the longer
 * wait (the kernel's clients take tens of milliseconds to get going, the simulator's none).
 * A connection opened before the previous one closed agrees with another such, whatever the
 * overlap. No row when neither world connects twice.
 */
export function reconnectRow(scenario: string, k: { client: string; gapS: number }[], s: { client: string; gapS: number }[]): Row | null {
  if (k.length === 0 && s.length === 0) return null;
  const show = (xs: { client: string; gapS: number }[]) =>
    xs.map((x) => (x.gapS < 0 ? `${x.client} before closing the last` : `${x.client} +${x.gapS.toFixed(2)} s`)).join(', ') || '—';
  const close = (a: number, b: number) => (a < 0 && b < 0) || (a >= 0 && b >= 0 && Math.abs(a - b) <= 0.5 + 0.1 * Math.max(a, b));
  const same = k.length === s.length && k.every((x, i) => x.client === s[i]!.client && close(x.gapS, s[i]!.gapS));
  return { scenario, check: 'reconnect after close', status: same ? 'agree' : 'disagree', kernel: show(k), sim: show(s) };
}

/** The agreement table as plain text, one row per check; both values shown on disagreement. */
export function formatTable(rows: Row[]): string {
  const mark: Record<Status, string> = { agree: 'agree', disagree: 'DISAGREE', 'not-comparable': 'n/c', error: 'ERROR' };
  const w1 = Math.min(40, Math.max(8, ...rows.map((r) => r.scenario.length)));
  const w2 = Math.min(34, Math.max(5, ...rows.map((r) => r.check.length)));
  const lines = [`${'scenario'.padEnd(w1)}  ${'check'.padEnd(w2)}  result    details`];
  lines.push('-'.repeat(w1 + w2 + 30));
  for (const r of rows) {
    let det = '';
    if (r.status === 'agree') det = r.kernel;
    else if (r.status === 'disagree') det = r.sim === '' ? r.kernel : `kernel: ${r.kernel} | sim: ${r.sim}`;
    else det = r.note ? `${r.kernel}  [${r.note}]` : r.kernel;
    if (r.note && r.status !== 'not-comparable' && r.status !== 'error') det += `  [${r.note}]`;
    lines.push(`${r.scenario.slice(0, w1).padEnd(w1)}  ${r.check.slice(0, w2).padEnd(w2)}  ${mark[r.status].padEnd(8)}  ${det}`);
  }
  return lines.join('\n');
}

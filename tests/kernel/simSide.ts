/**
 * The same scenario through the simulator, read into the same comparable shape as the kernel
 * run: packets per segment rebuilt from the trace's 'send' events (the simulator's real bytes),
 * transfers from its verdict. Loaded lazily so the kernel half runs while the simulator is
 * still incomplete; any failure to load or run is reported, never hidden.
 */
import { KERNEL_SYN_RETRIES } from './netns';
import type { Pkt } from './pcap';
import { parseIpv4 } from './pcap';
import { observe } from './observe';
import { clientSays } from './compare';
import { CURL_MAX_TIME_S, HARNESS_KILL_S, leadingWait, TNFTP_QUIT_S } from './realClients';
import { confValue, type KScenario } from './scenarioFile';
import type { TransferView, WorldResult } from './kernelSide';

export type SimOutcome = { ok: true; result: WorldResult } | { ok: false; error: string; phase: 'import' | 'run' };

interface FailureLike {
  kind: string;
  clientSees: string[];
  explanation: string;
  killedAfterS?: number;
}

export function simKind(ok: boolean, f: FailureLike | undefined): { kind: string; detail: string } {
  if (ok || !f) return { kind: 'ok', detail: '' };
  const code = f.clientSees.join('\n').match(/(?:^|\n|\s)([45]\d\d)[ -]/)?.[1];
  const detail = f.clientSees.join(' / ');
  if (f.killedAfterS !== undefined) {
    const last = [...f.clientSees].reverse().find((l) => /^[45]\d\d[ -]/.test(l)) ?? f.clientSees.filter((l) => /^[1-5]\d\d[ -]/.test(l)).slice(-1)[0];
    return { kind: 'killed', detail: `killed by the harness at ${f.killedAfterS} s${last ? `; last: ${last}` : ''}` };
  }
  if (f.kind === 'syn-timeout' || f.kind === 'client-timeout') return { kind: 'timeout', detail };
  if (f.kind === 'ftp-error') return { kind: code ? `ftp-${code}` : 'ftp-error', detail };
  // The session ended under the step (the server's 421, or an earlier failure closed it).
  if (f.kind === 'stalled') return { kind: 'closed', detail };
  return { kind: f.kind, detail };
}

export async function runOnSimulator(s: KScenario, fileText: string, literalPorts: Set<number>, controlPort: number): Promise<SimOutcome> {
  let core: typeof import('../../src/core/index');
  try {
    core = await import('../../src/core/index');
  } catch (e) {
    return { ok: false, phase: 'import', error: `simulator not loadable yet: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}` };
  }
  try {
    const loaded = core.loadScenario(fileText, `${s.id}.json`);
    if (!loaded.ok) return { ok: false, phase: 'run', error: `loadScenario: ${loaded.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}` };
    // The real curl runs with --max-time and tnftp with -q (realClients): the simulator's get the same limits.
    // The namespaces' short SYN time-out (netns.ts), so a dropped SYN gives up as early in both worlds.
    loaded.scenario.tcp.synRetries = KERNEL_SYN_RETRIES;
    for (const c of loaded.scenario.clients) {
      if (c.profile === 'curl' && c.maxTimeS === null) c.maxTimeS = CURL_MAX_TIME_S;
      if (c.profile === 'tnftp' && c.stallTimeoutS === null) c.stallTimeoutS = TNFTP_QUIT_S;
      // timeout(1) around the real client, started after the script's leading wait (runClient).
      c.killAfterS = HARNESS_KILL_S + leadingWait(c.script);
    }
    const { trace, verdict } = core.runScenario(loaded.scenario);
    const segOf = new Map<string, string>();
    for (const d of s.devices) for (const i of d.ifaces) segOf.set(`${d.id}/${i.name}`, i.segment);
    const packets = new Map<string, Pkt[]>();
    for (const seg of s.segments.keys()) packets.set(seg, []);
    for (const e of trace.events) {
      if (e.kind !== 'send') continue;
      const seg = segOf.get(`${e.device}/${e.iface}`);
      const p = parseIpv4(e.bytes, e.t / 1e6);
      if (seg !== undefined && p) packets.get(seg)!.push(p);
    }
    // Several clients: each one's steps in its script's order, clients in the scenario's order.
    const many = s.clients.length > 1;
    const order = (id: string) => s.clients.findIndex((c) => c.id === id);
    const byClient = many ? [...verdict.transfers].sort((a, b) => order(a.client) - order(b.client)) : verdict.transfers;
    const transfers: TransferView[] = byClient.map((t) => {
      const k = simKind(t.ok, t.failure);
      return { command: many ? `${t.client}: ${t.command}` : t.command, ok: t.ok, kind: k.kind, detail: k.detail, says: t.failure ? clientSays(t.failure.clientSees) : undefined };
    });
    const notes = verdict.budgetExhausted ? ['simulator hit its event budget'] : [];
    return { ok: true, result: { transfers, obs: observe(s, packets, literalPorts, controlPort, Number(confValue(s.server.conf, 'listen_port') ?? '21')), notes } };
  } catch (e) {
    return { ok: false, phase: 'run', error: `simulator threw: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}` };
  }
}

/**
 * One simulation run: builds the network and the actors from a SimInput and runs the
 * scheduler until every client is done (or the event budget is spent). It returns the trace
 * and what each client reported; explaining them is explain/'s business, after the run.
 */
import { createActor } from 'xstate';
import { formatIpv4, type Ipv4 } from '../codec/addr';
import { decodePacket } from '../codec/packet';
import { Netfilter } from '../net/netfilter';
import type { Ruleset } from '../net/iptables/parse';
import type { VsftpdConf } from '../ftp/vsftpd/conf';
import { HostStack, type SynSchedule } from '../tcp/hostStack';
import { closeAtKill, ftpClientMachine, type FtpClientInput } from '../ftp/client/machine';
import type { TransferReport } from '../ftp/client/transfer';
import { PROFILES, type PasvAddressPolicy, type ProfileId } from '../ftp/client/profiles';
import { describeStep } from '../ftp/client/script';
import { startFtpServer } from '../ftp/vsftpd/server';
import { startFzServer } from '../ftp/filezilla/server';
import type { FileSpec } from '../ftp/server/files';
import type { FzSettings } from '../ftp/filezilla/settings';
import type { StaticRoute } from '../net/routing';
import { Network, type IfaceSpec } from './network';
import { Prng } from '../sim/prng';
import { Scheduler, seconds, type SimTime } from '../sim/scheduler';
import { TraceRecorder, type Trace } from '../sim/trace';

export interface SimDevice {
  id: string;
  kind: 'host' | 'router';
  ifaces: IfaceSpec[];
  routes: StaticRoute[];
  /** Parsed iptables-save text, or null for a device with no firewall. */
  ruleset: Ruleset | null;
  helper: { ports: number[]; loose: boolean };
}

/** A client as the engine starts it: the machine's input, minus what the engine supplies. */
export interface SimClient extends Omit<FtpClientInput, 'env' | 'profile' | 'server'> {
  id: string;
  host: string;
  profile: ProfileId;
  /** The address the client dials (the machine's `server`). */
  connectTo: Ipv4;
  /** Overrides the profile's treatment of the 227 address (curl --no-ftp-skip-pasv-ip …). */
  pasvAddress?: PasvAddressPolicy;
  /** The program is killed this long after it starts, as timeout(1) around it would (the kernel check's bound). */
  killAfterMs?: number;
}

export interface SimInput {
  seed: number;
  synSchedule: SynSchedule;
  /** tcp_syn_retries, when not the schedule's own. */
  synRetries?: number;
  devices: SimDevice[];
  latencyUs: Record<string, number>;
  /** `filezilla` set: FileZilla Server 0.9.60 with these settings runs instead of vsftpd. */
  server: {
    host: string;
    conf: VsftpdConf;
    files: Record<string, FileSpec>;
    style: 'vsftpd' | 'proftpd';
    filezilla?: FzSettings | null;
    users?: readonly { name: string; password: string; home?: string }[];
    /** vsftpd's user list, chroot list and user_config_dir files. */
    accounts?: { userList: readonly string[]; chrootList: readonly string[]; userConfig: Readonly<Record<string, string>> };
  };
  clients: SimClient[];
  /** Maximum events before the run stops and says so. */
  budget: number;
  /**
   * Asked after every event with the count so far (one event can be a 100 MB RETR); true stops
   * the run as its budget would.
   * The caller's business (a browser's time limit, a progress bar): the core reads no clock.
   */
  interrupt?: (events: number) => boolean;
}

/** One transfer as its client reported it, with where it started and what the client printed. */
export interface ClientReport {
  report: TransferReport;
  /** Trace index of the console line where the user typed the transfer's command. */
  startStep: number;
  /** The client's console lines from that step on. */
  printed: string[];
}

/** What a run leaves besides its trace: the clients' reports and how the run ended. */
export interface RunReports {
  transfers: ClientReport[];
  /** Simulated time when the last client finished. */
  endTime: SimTime;
  /** The run stopped at its event budget before every client was done. */
  budgetExhausted: boolean;
  budget: number;
  /** The caller's interrupt stopped it (budgetExhausted is then true too), after this many events. */
  interruptedAfter?: number;
}

export interface Simulation {
  trace: Trace;
  reports: RunReports;
}

/** Simulated time after the last client finished, to let FINs and ACKs settle. */
const SETTLE_US = seconds(1);

export function runEngine(input: SimInput): Simulation {
  const scheduler = new Scheduler();
  const trace = new TraceRecorder(() => scheduler.now);
  const prng = new Prng(input.seed);
  const ordered = orderDevices(input);
  const devices = ordered.map((d) => ({
    id: d.id,
    kind: d.kind,
    ifaces: d.ifaces,
    routes: d.routes,
    netfilter: d.ruleset
      ? new Netfilter({ device: d.id, ruleset: d.ruleset, interfaces: d.ifaces.map((i) => ({ name: i.name, ip: i.ip, prefix: i.prefix })), helper: d.helper })
      : null,
  }));
  const net = new Network(devices, (seg) => input.latencyUs[seg] ?? 500, scheduler, trace);

  const stacks = new Map<string, HostStack>();
  for (const d of devices) {
    if (d.kind !== 'host') continue;
    const stack = new HostStack({
      id: d.id,
      ip: d.ifaces[0]!.ip,
      scheduler,
      prng: prng.fork(`tcp:${d.id}`),
      trace,
      synSchedule: input.synSchedule,
      ...(input.synRetries !== undefined ? { synRetries: input.synRetries } : {}),
      transmit: (bytes, meta) => net.transmitFromHost(d.id, bytes, meta.conn),
    });
    stacks.set(d.id, stack);
    net.attach(d.id, stack);
  }

  // Connection registry: who opened which connection, for the UI's arrows.
  const dataCounters = new Map<string, number>();
  const nextDataConn = (client: string): string => {
    const n = (dataCounters.get(client) ?? 0) + 1;
    dataCounters.set(client, n);
    return `${client}/data${n}`;
  };

  const serverStack = stacks.get(input.server.host);
  // Connections the server accepts carry the label of the client's SYN; the data
  // connections it opens (active mode) belong to the client of that control connection.
  const connLabel = (kind: 'control' | 'data', _ip: number, _port: number, controlConn?: string): string => {
    const incoming = net.currentConn;
    if (kind === 'control') return incoming ?? 'unknown/control';
    // A passive data connection is labelled by the client's SYN that opened it.
    if (incoming?.includes('/data')) return incoming;
    return nextDataConn((controlConn ?? incoming ?? 'unknown/').split('/')[0]!);
  };
  if (serverStack && input.server.filezilla) {
    startFzServer({
      stack: serverStack,
      hostId: input.server.host,
      settings: input.server.filezilla,
      files: input.server.files,
      prng: prng.fork('server'),
      scheduler,
      trace,
      connLabel,
    });
  } else if (serverStack) {
    startFtpServer({
      stack: serverStack,
      hostId: input.server.host,
      conf: input.server.conf,
      files: input.server.files,
      style: input.server.style,
      users: input.server.users,
      ...input.server.accounts,
      prng: prng.fork('server'),
      scheduler,
      trace,
      connLabel,
    });
  }

  const reports: ClientReport[] = [];
  const starts = new Map<string, number>();
  /** Clients killed by their killAfterMs, with the seconds. */
  const killed = new Map<string, number>();
  let running = 0;
  const actors: { c: SimClient; actor: { getSnapshot(): { status: string; value: unknown } } }[] = [];
  for (const c of input.clients) {
    const stack = stacks.get(c.host);
    if (!stack) continue;
    running++;
    const base = PROFILES[c.profile];
    const profile = c.pasvAddress === undefined ? base : { ...base, pasvAddress: c.pasvAddress };
    // This client's console lines with their steps: a report reads its own lines instead of
    // scanning the whole trace (that scan made 1,000 concurrent clients quadratic).
    const consoleLines: { step: number; text: string }[] = [];
    const actor = createActor(ftpClientMachine, {
      clock: scheduler.clock,
      input: {
        env: {
          clientId: c.id,
          stack,
          controlConn: `${c.id}/control`,
          print: (text) => {
            const step = trace.emit({ kind: 'console', client: c.id, text });
            consoleLines.push({ step, text });
            // A transfer starts where the user typed its command.
            if (text.startsWith('ftp> ')) starts.set(c.id, step);
          },
          ftp: (dir, text, conn) => trace.emit({ kind: 'ftp', host: c.host, client: c.id, conn, dir, text }),
          nextDataConn: () => nextDataConn(c.id),
          incomingConn: () => net.currentConn,
          report: (r) => {
            const startStep = starts.get(c.id) ?? 0;
            const printed = consoleLines.filter((l) => l.step >= startStep).map((l) => l.text);
            reports.push({ report: r, startStep, printed });
            trace.emit({ kind: 'transfer', client: c.id, command: r.command, ok: r.ok, bytes: r.bytes, note: r.ok ? 'complete' : (r.symptom?.kind ?? 'failed') });
          },
          now: () => scheduler.now,
          timer: (delayUs, fn) => {
            const id = scheduler.after(delayUs, fn);
            return () => scheduler.cancel(id);
          },
        },
        profile,
        mode: c.mode,
        dataPort: c.dataPort,
        server: c.connectTo,
        serverPort: c.serverPort,
        controlPort: c.controlPort,
        user: c.user,
        password: c.password,
        script: c.script,
        tls: c.tls,
        // curl --max-time bounds the control connection's connect too (Curl_timeleft takes the smaller).
        connectTimeoutMs: minOf(c.connectTimeoutMs ?? profile.connectTimeoutMs, c.maxTimeMs ?? null),
        ...(c.maxTimeMs != null ? { maxTimeMs: c.maxTimeMs } : {}),
        ...(c.stallTimeoutMs != null ? { stallTimeoutMs: c.stallTimeoutMs } : {}),
        ...(c.lftpRetries ? { lftpRetries: c.lftpRetries } : {}),
        ...(c.createDirs ? { createDirs: true } : {}),
      },
    });
    let last = '';
    let lastValue: unknown;
    actor.subscribe((snap) => {
      // XState hands the same value object back when an event changed no state (most data
      // events): only a new object can serialise differently, so only that one is stringified.
      if (snap.value !== lastValue) {
        lastValue = snap.value;
        const value = JSON.stringify(snap.value);
        if (value !== last) {
          trace.emit({ kind: 'state', actor: c.id, machine: 'ftpClient', from: last, to: value });
          last = value;
        }
      }
      if (snap.status === 'done') running--;
    });
    actor.start();
    actors.push({ c, actor });
    if (c.killAfterMs != null) {
      const afterS = c.killAfterMs / 1000;
      scheduler.after(c.killAfterMs * 1000, () => {
        const snap = actor.getSnapshot();
        if (snap.status !== 'active') return;
        trace.emit({
          kind: 'timer',
          actor: c.id,
          name: 'killed',
          note: `the program was killed ${afterS} s after it started (timeout ${afterS} around it): its sockets closed as at any exit`,
        });
        actor.stop();
        running--;
        killed.set(c.id, afterS);
        closeAtKill(snap.context);
      });
    }
  }

  let budgetExhausted = false;
  let interruptedAfter: number | undefined;
  if (running > 0) {
    const interrupt = input.interrupt;
    const stop = interrupt
      ? () => {
          if (running <= 0) return true;
          if (!interrupt(scheduler.executed)) return false;
          interruptedAfter = scheduler.executed;
          return true;
        }
      : () => running <= 0;
    const why = scheduler.run({ budget: input.budget, stop });
    if (why === 'budget') {
      budgetExhausted = true;
      trace.emit({ kind: 'budget', note: `stopped after ${scheduler.executed} events (budget ${input.budget})` });
    } else if (interruptedAfter !== undefined) {
      budgetExhausted = true;
      trace.emit({ kind: 'budget', note: `stopped after ${interruptedAfter} events (interrupted)` });
    }
  }
  const finishedAt = scheduler.now;
  if (!budgetExhausted) scheduler.run({ until: scheduler.now + SETTLE_US, budget: Math.max(0, input.budget - scheduler.executed) });

  // A client still waiting when the run ended: its unreported transfers failed.
  for (const { c, actor } of actors) {
    const snap = actor.getSnapshot();
    if (snap.status === 'done') continue;
    const done = reports.filter((x) => x.report.client === c.id).length;
    const pending = c.script.filter((s) => s.kind === 'ls' || s.kind === 'get' || s.kind === 'put').slice(done);
    for (const step of pending) {
      const r: TransferReport = {
        client: c.id,
        command: describeStep(step),
        ok: false,
        bytes: 0,
        symptom: {
          kind: 'unfinished',
          state: JSON.stringify(snap.value),
          budget: budgetExhausted && !killed.has(c.id),
          ...(killed.has(c.id) ? { killedAfterS: killed.get(c.id)! } : {}),
        },
      };
      reports.push({ report: r, startStep: starts.get(c.id) ?? 0, printed: [] });
    }
  }

  const finalTrace: Trace = { events: trace.events, connections: trace.connections, devices: ordered.map((d) => d.id) };
  registerConnections(finalTrace, input);
  const runReports: RunReports = { transfers: reports, endTime: finishedAt, budgetExhausted, budget: input.budget };
  if (interruptedAfter !== undefined) runReports.interruptedAfter = interruptedAfter;
  return { trace: finalTrace, reports: runReports };
}

const minOf = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.min(a, b));

/** Client hosts first, then routers from the client side, then the server. */
function orderDevices(input: SimInput): SimDevice[] {
  const clientHosts = new Set(input.clients.map((c) => c.host));
  const rank = (d: SimDevice) => (clientHosts.has(d.id) ? 0 : d.id === input.server.host ? 3 : d.kind === 'router' ? 1 : 2);
  return input.devices
    .map((d, i) => ({ d, i }))
    .sort((a, b) => rank(a.d) - rank(b.d) || a.i - b.i)
    .map((x) => x.d);
}

/**
 * One ConnectionInfo per conn label, from the first packet sent with it. The acceptor is the
 * host that received the connection's first packet (behind DNAT: the server, not the router
 * whose address was dialled).
 */
function registerConnections(trace: Trace, input: SimInput): void {
  const hosts = new Set(input.devices.filter((d) => d.kind === 'host').map((d) => d.id));
  const owner = new Map<number, string>();
  for (const d of input.devices) for (const i of d.ifaces) owner.set(i.ip, d.id);
  const acceptor = new Map<string, string>();
  trace.events.forEach((e) => {
    if (e.kind === 'recv' && e.conn && hosts.has(e.device) && !acceptor.has(e.conn)) acceptor.set(e.conn, e.device);
  });
  const seen = new Set<string>();
  trace.events.forEach((e, step) => {
    if (e.kind !== 'send' || !e.conn || seen.has(e.conn)) return;
    const p = decodePacket(e.bytes, { verifyChecksums: false });
    // The opener is whoever sent the connection's first SYN.
    if (!p.ok || !p.value.tcp || !p.value.tcp.flags.syn || p.value.tcp.flags.ack) return;
    seen.add(e.conn);
    const [client = '', role = ''] = e.conn.split('/');
    const dst = p.value.ip.header.dst;
    const got = acceptor.get(e.conn);
    trace.connections.push({
      id: e.conn,
      role: role === 'control' ? 'control' : 'data',
      opener: e.device,
      acceptor: got && got !== e.device ? got : (owner.get(dst) ?? 'unknown'),
      dialled: `${formatIpv4(dst)}:${p.value.tcp.dstPort}`,
      client,
      firstStep: step,
    });
  });
}

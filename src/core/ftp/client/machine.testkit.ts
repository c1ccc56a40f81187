/**
 * A bench for the client machine: one client host and a vsftpd server on one wire (tcp's test
 * bench: no routers, no firewall). `run` plays a script and returns what the client sent,
 * printed and reported.
 */
import { createActor } from 'xstate';
import { Prng } from '../../sim/prng';
import { seconds } from '../../sim/scheduler';
import { makeTestNet, SERVER_IP } from '../../tcp/testNet.testkit';
import { defaultVsftpdConf, type VsftpdConf } from '../vsftpd/conf';
import { startFtpServer } from '../vsftpd/server';
import type { FileSpec } from '../server/files';
import { ftpClientMachine } from './machine';
import { PROFILES, type ModeChoice, type ProfileId } from './profiles';
import { parseScriptLine, type ScriptStep } from './script';
import type { TransferReport } from './transfer';

export const FILE_SIZE = 3000;

export interface Session {
  /** The command lines the client sent, PASS as sent. */
  commands: string[];
  /** Just the verbs. */
  verbs: string[];
  printed: string[];
  reports: TransferReport[];
  done: boolean;
}

export interface RunOptions {
  mode?: ModeChoice;
  conf?: Partial<VsftpdConf>;
  /** More files and directories on the server (beside /readme.txt and /pub). */
  files?: Record<string, FileSpec>;
  user?: string;
  password?: string;
  /** curl --max-time (ms). */
  maxTimeMs?: number;
  /** curl --ftp-create-dirs. */
  createDirs?: boolean;
  /** Something done to the network before the run (a middlebox). */
  setup?: (net: ReturnType<typeof makeTestNet>) => void;
  /** How long the run may take (s). */
  untilS?: number;
}

export function run(profile: ProfileId, script: string[], opts: RunOptions = {}): Session {
  const net = makeTestNet({ delayUs: 500 });
  const { scheduler, trace } = net;
  const prng = new Prng(1);
  let dataN = 0;
  startFtpServer({
    stack: net.server,
    hostId: 'srv',
    conf: { ...defaultVsftpdConf(), ...opts.conf },
    files: { '/readme.txt': { size: FILE_SIZE }, '/pub': { dir: true }, ...opts.files },
    style: 'vsftpd',
    prng: prng.fork('server'),
    scheduler,
    trace,
    connLabel: (kind) => (kind === 'control' ? 'c/control' : `c/data${++dataN}`),
  });
  const s: Session = { commands: [], verbs: [], printed: [], reports: [], done: false };
  const p = PROFILES[profile];
  const actor = createActor(ftpClientMachine, {
    clock: scheduler.clock,
    input: {
      env: {
        clientId: 'c',
        stack: net.client,
        controlConn: 'c/control',
        print: (t) => s.printed.push(t),
        ftp: (dir, text) => {
          if (dir !== 'command') return;
          s.commands.push(text);
          s.verbs.push(text.split(' ')[0]!);
        },
        nextDataConn: () => `c/data${++dataN}`,
        incomingConn: () => undefined,
        report: (r) => s.reports.push(r),
        now: () => scheduler.now,
        timer: (delayUs, fn) => {
          const id = scheduler.after(delayUs, fn);
          return () => scheduler.cancel(id);
        },
      },
      profile: p,
      mode: opts.mode ?? 'auto',
      dataPort: 'ephemeral',
      server: SERVER_IP,
      serverPort: 21,
      user: opts.user ?? 'anonymous',
      password: opts.password ?? 'guest@',
      script: script.map((l) => {
        const r = parseScriptLine(l);
        if (!r.ok) throw new Error(r.message);
        return r.step;
      }) as ScriptStep[],
      tls: false,
      connectTimeoutMs: p.connectTimeoutMs,
      ...(opts.maxTimeMs !== undefined ? { maxTimeMs: opts.maxTimeMs } : {}),
      ...(opts.createDirs ? { createDirs: true } : {}),
    },
  });
  actor.subscribe((snap) => {
    if (snap.status === 'done') s.done = true;
  });
  actor.start();
  scheduler.run({ until: seconds(opts.untilS ?? 600), stop: () => s.done });
  return s;
}

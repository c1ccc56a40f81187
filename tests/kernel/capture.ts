/** tcpdump on every segment's capture point, started before and stopped (by PID) after a run. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { parsePcap, type Pkt } from './pcap';
import type { CapturePoint } from './netns';
import { stopProc } from './vsftpd';

export interface Capture {
  point: CapturePoint;
  file: string;
  proc: ChildProcess;
  err: string;
}

export async function startCaptures(points: CapturePoint[], dir: string): Promise<Capture[]> {
  const caps: Capture[] = points.map((point, k) => {
    const file = `${dir}/seg${k}.pcap`;
    const proc = spawn('ip', ['netns', 'exec', point.ns, 'tcpdump', '-i', point.iface, '-w', file, '-U', '--immediate-mode', '-n', '-s', '0', '-Z', 'root', 'ip'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const cap: Capture = { point, file, proc, err: '' };
    proc.stderr?.on('data', (d: Buffer) => (cap.err += d.toString()));
    return cap;
  });
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline && !caps.every((c) => /listening on/.test(c.err))) {
    if (caps.some((c) => c.proc.exitCode !== null)) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const bad = caps.find((c) => !/listening on/.test(c.err));
  if (bad) {
    for (const c of caps) stopProc(c.proc);
    throw new Error(`tcpdump on ${bad.point.segment} did not start: ${bad.err.trim()}`);
  }
  return caps;
}

export async function stopCaptures(caps: Capture[]): Promise<Map<string, Pkt[]>> {
  await new Promise((r) => setTimeout(r, 300)); // let -U flush the last packets
  await Promise.all(
    caps.map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.proc.exitCode !== null || c.proc.signalCode !== null) return resolve();
          const t = setTimeout(() => {
            stopProc(c.proc, 'SIGKILL');
            resolve();
          }, 3000);
          c.proc.on('exit', () => {
            clearTimeout(t);
            resolve();
          });
          stopProc(c.proc, 'SIGINT');
        }),
    ),
  );
  const out = new Map<string, Pkt[]>();
  for (const c of caps) out.set(c.point.segment, existsSync(c.file) ? parsePcap(new Uint8Array(readFileSync(c.file))) : []);
  return out;
}

/// <reference lib="webworker" />
/** One simulation at a time, off the page's main thread (see runner.ts for the protocol). */
import { packRun } from './traceWire';
import type { WorkerReply, WorkerRequest } from './runner';
import { verdictReply, work } from './work';

const post = (m: WorkerReply, transfer: Transferable[] = []) => (self as unknown as DedicatedWorkerGlobalScope).postMessage(m, transfer);

self.onmessage = (e: MessageEvent<WorkerRequest>) => {
  const req = e.data;
  try {
    const r = work(
      req,
      () => performance.now(),
      (events) => post({ id: req.id, kind: 'progress', events }),
    );
    if ('invalid' in r) return post({ id: req.id, kind: 'invalid', errors: r.invalid });
    if (req.want === 'verdict') return post({ id: req.id, ...verdictReply(r) });
    const packed = packRun(r.run);
    post({ id: req.id, kind: 'done', packed, stoppedEarly: r.stoppedEarly, wallMs: r.wallMs }, [packed.bytes]);
  } catch (err) {
    post({ id: req.id, kind: 'error', message: `The simulator failed on this scenario: ${err instanceof Error ? err.message : String(err)}` });
  }
};

/**
 * A worker thread of the kernel check: runs the worlds run.ts sends it, one at a time, and
 * posts each one's outcome back. Each world in a thread of its own event loop: the synchronous
 * work of one (building namespaces with spawnSync, the simulator's run) never delays the clock
 * another reads when it stamps its client's output lines (those stamps bound its transfers).
 */
import { parentPort } from 'node:worker_threads';
import { runWorld, type WorldJob } from './world';

parentPort!.on('message', (job: WorldJob) => {
  void runWorld(job).then((r) => parentPort!.postMessage(r));
});

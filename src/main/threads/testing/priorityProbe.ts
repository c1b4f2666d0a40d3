// A worker module for threadPriority.test.ts: lowers its own priority, then reports it and a thread it started.
import { parentPort, Worker } from 'node:worker_threads';
import { lowerThisThreadPriority } from '../threadPriority';

const lowered = lowerThisThreadPriority();
// A thread started afterwards (as onnxruntime starts its compute threads) reports its own nice value.
const child = new Worker("const { parentPort } = require('node:worker_threads'); const fs = require('node:fs'); const os = require('node:os'); const tid = Number(fs.readlinkSync('/proc/thread-self').split('/').pop()); parentPort.postMessage(os.getPriority(tid));", { eval: true });
child.once('message', (childNice: number) => {
  parentPort?.postMessage({ lowered, childNice });
  void child.terminate();
});

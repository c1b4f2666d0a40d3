import { parentPort } from 'node:worker_threads';
import { refineCutout } from '/work/main/src/main/pipeline/refineCutout.ts';
parentPort!.postMessage({ ready: typeof refineCutout });

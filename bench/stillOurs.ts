// Child process of `npm run bench -- still`: the warm end-to-end still through the pipeline (decode → matte → refine in
// the kernel worker → encode → write, as `matte-studio cutout` runs it) against the bare model run on the same picture
// in the same process, plus the host thread's event-loop delay while the pipeline ran and this process's peak RSS.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { runBatch } from '../src/main/pipeline/batch/runBatch';
import { createEngine } from '../src/main/engine';
import { defaultStillSettings } from '../src/shared/settings';
import { bareInferenceTimer, cpuMsSince } from './bareInference';
import { median } from './benchUtils';
import { distinctCopies } from './distinctCopies';

const [imagePath, , runsText = '3', modelId] = process.argv.slice(2);
const runs = Number(runsText);
const engine = createEngine({ session: { threads: Number(process.env.BENCH_THREADS ?? 2) } });
const settings = defaultStillSettings();
if (modelId) settings.modelId = modelId;
// Each timed run gets a picture the workers have not seen (a corner block differs), so no remembered edge band is reused.
const copies = await distinctCopies(imagePath!, runs + 2, mkdtempSync(join(tmpdir(), 'bench-still-in-')));
const cutout = async () => {
  const outDir = mkdtempSync(join(tmpdir(), 'bench-still-out-'));
  const input = copies.shift()!;
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  const outcome = await runBatch(engine, { inputs: [input], outDir, formats: ['png'], settings });
  return { ms: performance.now() - start, cpuMs: cpuMsSince(cpuBefore), item: outcome.items[0]!, outDir };
};
await cutout(); // warm: session start, worker start
const bare = await bareInferenceTimer(engine, imagePath!, modelId);
await bare.time(); // warm
// Each still is paired with the bare runs just before and just after it (their mean): this VM has slow phases
// (everything about 1.5× slower, changing within seconds), so a ratio of two medians taken minutes apart would mostly
// measure the phase, and a bare run on one side only would catch the other worker's clean-up after a still.
const delay = monitorEventLoopDelay({ resolution: 10 });
const totals: number[] = [];
const stillCpuTimes: number[] = [];
const bareTimes = [await bare.time()];
const pairedRatios: number[] = [];
// Fresh memory written per still (minor page faults, all threads): on the 2-core VM each MB costs about 3 ms.
let faults = 0;
let last: Awaited<ReturnType<typeof cutout>> | undefined;
delay.enable();
for (let run = 0; run < runs; run++) {
  const faultsBefore = process.resourceUsage().minorPageFault;
  totals.push((last = await cutout()).ms);
  stillCpuTimes.push(last.cpuMs);
  faults += process.resourceUsage().minorPageFault - faultsBefore;
  bareTimes.push(await bare.time());
  pairedRatios.push(totals.at(-1)! / ((bareTimes.at(-2)! + bareTimes.at(-1)!) / 2));
}
delay.disable();
const faultedMBPerStill = (faults * 4096) / 2 ** 20 / runs;
const mask = await runBatch(engine, { inputs: [copies.shift()!], outDir: mkdtempSync(join(tmpdir(), 'bench-still-mask-')), formats: ['matte'], settings });
await engine.dispose();
const report = {
  tier: last!.item.tier,
  ep: last!.item.ep,
  model: last!.item.model,
  totalMs: median(totals),
  bareInferenceMs: median(bareTimes),
  pairedRatio: median(pairedRatios),
  stillCpuMs: median(stillCpuTimes),
  bareCpuMs: median(bare.cpuTimes.slice(1)), // the warm-up run left out
  eventLoopP99Ms: delay.percentile(99) / 1e6,
  // The longest stall too: a long stall is one sample among many short ones, so p99 alone can hide it.
  eventLoopMaxMs: delay.max / 1e6,
  maskPath: mask.items[0]!.outputs[0]!.path,
  maxRssMB: process.resourceUsage().maxRSS / 1024,
  faultedMBPerStill,
};
process.stdout.write(`${JSON.stringify(report)}\n`);

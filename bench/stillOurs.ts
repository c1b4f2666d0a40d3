// Child process of `npm run bench -- still`: times Matte Studio's still pipeline per stage on one image,
// after one warm-up run (session start), and reports the median of the timed runs and this process's peak RSS.
import { writeFile } from 'node:fs/promises';
import { createEngine } from '../src/main/engine';
import { cutoutFile } from '../src/main/pipeline/cutoutStill';
import { defaultStillSettings } from '../src/shared/settings';
import { median } from './benchUtils';

const [imagePath, outputPath, runsText = '3', modelId = 'isnet-fp16'] = process.argv.slice(2);
const engine = createEngine({ session: { threads: Number(process.env.BENCH_THREADS ?? 2) } });
const settings = defaultStillSettings();
settings.modelId = modelId;
const tiers = await engine.models.pickTiers(modelId);
const stageRuns: Record<string, number[]> = {};
const totals: number[] = [];
let tier = 0;
let ep = '';
for (let run = 0; run <= Number(runsText); run++) {
  const start = performance.now();
  const result = await cutoutFile(imagePath!, outputPath!, settings, tiers, engine.sessions);
  const total = performance.now() - start;
  tier = result.tier;
  ep = result.ep;
  if (run === 0) continue;
  totals.push(total - (result.timings.sessionOpen ?? 0));
  for (const [stage, ms] of Object.entries(result.timings)) (stageRuns[stage] ??= []).push(ms);
}
const maskSettings = defaultStillSettings();
maskSettings.modelId = modelId;
maskSettings.output.maskOnly = true;
await cutoutFile(imagePath!, `${outputPath}.mask.png`, maskSettings, tiers, engine.sessions);
await engine.dispose();
const stages = Object.fromEntries(Object.entries(stageRuns).map(([stage, values]) => [stage, median(values)]));
const report = { tier, ep, model: modelId, totalMs: median(totals), stages, maxRssMB: process.resourceUsage().maxRSS / 1024 };
await writeFile(`${outputPath}.json`, JSON.stringify(report));
process.stdout.write(`${JSON.stringify(report)}\n`);

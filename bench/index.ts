// `npm run bench -- <still|quality|video>`: benchmarks print tables; nothing here is asserted by tests.
import { runStillBench } from './still';
import { runMemoryBench } from './memory';
import { runQualityBench } from './quality';
import { runCartoonBench } from './cartoon';
import { runSpillBench } from './spill';
import { runVideoBench } from './video';
import { runBatchBench } from './batch';
import { runStudioBench } from './studio';
import { runInferenceBench } from './inference';
import { runGpuBench } from './gpu';

const benches: Record<string, () => Promise<void>> = { still: runStillBench, quality: runQualityBench, cartoon: () => runCartoonBench(), spill: () => runSpillBench(), video: runVideoBench, batch: runBatchBench, studio: runStudioBench, inference: runInferenceBench, gpu: runGpuBench, memory: runMemoryBench };
const names = process.argv.slice(2).filter((name) => name !== '--');
const selected = names.length > 0 ? names : Object.keys(benches);
for (const name of selected) {
  const bench = benches[name];
  if (!bench) {
    process.stderr.write(`Unknown benchmark "${name}". Choose from: ${Object.keys(benches).join(', ')}\n`);
    process.exit(2);
  }
  await bench();
}

// `npm run bench -- <name…>`: benchmarks print tables; nothing here is asserted by tests.
// Each benchmark's module is imported only when it runs: the host-thread figures (event-loop delay, RSS) then measure
// the studio's own modules, not every benchmark's tooling (the studio benchmark's browser driver alone adds ~33 MB of
// heap that every major GC on the host would have to mark).
import { endWithLauncher, relaunch, relaunchEnvironment } from '../bin/hugePages.mjs';
import { usePrivateTempFolder } from '../src/main/testing/privateTempFolder';

// The benchmarks run as the CLI's heavy commands do: on Linux, restarted once with glibc's huge-page tunable
// (`bin/hugePages.mjs`). Peers and bare-model rows run in the same environment, so every ratio stays like for like.
const withHugePages = relaunchEnvironment('batch', process.env);
if (withHugePages) process.exit(await relaunch(withHugePages));
endWithLauncher(process.env);

const benches: Record<string, () => Promise<void>> = {
  still: async () => (await import('./still')).runStillBench(),
  quality: async () => (await import('./quality')).runQualityBench(),
  cartoon: async () => (await import('./cartoon')).runCartoonBench(),
  spill: async () => (await import('./spill')).runSpillBench(),
  video: async () => (await import('./video')).runVideoBench(),
  batch: async () => (await import('./batch')).runBatchBench(),
  studio: async () => (await import('./studio')).runStudioBench(),
  inference: async () => (await import('./inference')).runInferenceBench(),
  gpu: async () => (await import('./gpu')).runGpuBench(),
  memory: async () => (await import('./memory')).runMemoryBench(),
};
const names = process.argv.slice(2).filter((name) => name !== '--');
const selected = names.length > 0 ? names : Object.keys(benches);
const unknown = selected.filter((name) => !benches[name]);
if (unknown.length > 0) {
  process.stderr.write(`Unknown benchmark "${unknown[0]}". Choose from: ${Object.keys(benches).join(', ')}\n`);
  process.exit(2);
}
// The benchmarks' copies, outputs and caches (and their child processes') go in one folder removed at the end, or
// when the run is stopped by a signal.
const removeScratch = await usePrivateTempFolder('bench-run', { removeOnSignals: true });
try {
  for (const name of selected) await benches[name]!();
} finally {
  await removeScratch();
}

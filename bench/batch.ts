// `npm run bench -- batch`: batch throughput, the 7 fixture portraits into png + webp with the bundled model.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBatch } from '../src/main/batch/runBatch';
import { createEngine } from '../src/main/engine';
import { fixturesDir, median, printTable } from './benchUtils';

export async function runBatchBench(): Promise<void> {
  const outDir = mkdtempSync(join(tmpdir(), 'bench-batch-'));
  const engine = createEngine();
  try {
    const formats = ['png', 'webp'] as const;
    const outcome = await runBatch(engine, { inputs: [join(fixturesDir, 'portraits')], outDir, formats: [...formats], concurrency: Number(process.env.BENCH_CONCURRENCY ?? 1) });
    const times = outcome.items.map((item) => item.ms);
    const models = [...new Set(outcome.items.map((item) => `${item.model} (tier ${item.tier})`))].join(', ');
    printTable(`Batch export: ${outcome.items.length} portraits × ${formats.join(' + ')}, ${models}, concurrency ${outcome.request.concurrency}`, ['measure', 'value'], [
      ['items/min (wall, incl. session start)', (outcome.items.length * 60_000) / outcome.elapsedMs],
      ['ms/item (wall / items)', outcome.elapsedMs / outcome.items.length],
      ['ms/item median', median(times)],
      ['ms/item first (session start)', times[0] ?? NaN],
      ['outputs written', outcome.written],
      ['failed', outcome.failed],
    ]);
  } finally {
    await engine.dispose();
    rmSync(outDir, { recursive: true, force: true });
  }
}

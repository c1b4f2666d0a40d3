// `npm run bench -- memory`: peak RSS of one still through the whole pipeline (model, refinement, encode, write) at
// 2 MP and 24 MP, each in its own process; with BENCH_PEER=1 also @imgly/background-removal-node on the same files.
// Target (issue 9): ≤ 2 GB at 24 MP. Stills above 8 MP are refined in strips (src/main/pipeline/refineInStrips.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { ensurePeerInstalled, fixturesDir, printTable, projectRoot, runJson } from './benchUtils';

interface Peak {
  code?: number;
  wallMs?: number;
  medianMs?: number;
  maxRssMB: number;
}

export async function runMemoryBench(): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), 'bench-memory-'));
  try {
    const portrait = join(fixturesDir, 'portraits', 'st_people_0_longhair.png');
    const sizes: Array<[string, number, number]> = [['2 MP (1920×1080)', 1920, 1080], ['24 MP (6000×4000)', 6000, 4000]];
    const rows: Array<Array<string | number>> = [];
    const withPeer = process.env.BENCH_PEER === '1';
    const peerDir = withPeer ? ensurePeerInstalled() : undefined;
    for (const [label, width, height] of sizes) {
      const path = join(folder, `still-${width}x${height}.png`);
      await sharp(portrait).resize(width, height, { fit: 'fill' }).png({ compressionLevel: 1 }).toFile(path);
      const ours = runJson<Peak>(process.execPath, ['--import', 'tsx', join(projectRoot, 'bench', 'memoryOurs.ts'), path]);
      const peer = peerDir ? runJson<Peak>(process.execPath, [join(projectRoot, 'bench', 'peer', 'runPeer.cjs'), path, '1'], { cwd: peerDir, env: { ...process.env, NODE_PATH: join(peerDir, 'node_modules') } }) : undefined;
      rows.push([
        label,
        ours.maxRssMB,
        (ours.wallMs ?? 0) / 1000,
        peer ? peer.maxRssMB : 'BENCH_PEER=1',
        peer ? (peer.medianMs ?? 0) / 1000 : '',
        peer ? ours.maxRssMB / peer.maxRssMB : '',
      ]);
    }
    printTable('Peak RSS of one still, whole pipeline, own process (target ≤ 2048 MB at 24 MP)', ['still', 'ours MB', 'ours s', 'peer MB', 'peer s', 'ours/peer RSS'], rows);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

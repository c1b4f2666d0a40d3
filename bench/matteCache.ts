// Model mattes for the quality benches, cached on disk by picture content (.cache/bench-mattes, git-ignored), so
// tuning the refinement chain does not rerun the model. Delete the folder after changing the model or computeMatte.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AlphaMatte, Image8 } from '../src/core/imageTypes';
import type { Engine } from '../src/main/engine';
import { computeMatte, type MatteCandidates } from '../src/main/pipeline/computeMatte';
import { projectRoot } from './benchUtils';

const cacheDir = join(projectRoot, '.cache', 'bench-mattes');

/** The tier's low-resolution matte for `image`, from the cache or the model. */
export async function cachedLowResMatte(engine: Engine, image: Image8, candidates: MatteCandidates, label: string): Promise<AlphaMatte> {
  const key = createHash('sha1').update(label).update(`${image.width}x${image.height}x${image.channels}`).update(image.data).digest('hex');
  const path = join(cacheDir, `${key}.json`);
  if (existsSync(path)) {
    const stored = JSON.parse(readFileSync(path, 'utf8')) as { width: number; height: number; data: string };
    return { width: stored.width, height: stored.height, channels: 1, data: new Float32Array(new Uint8Array(Buffer.from(stored.data, 'base64')).buffer) };
  }
  // Score each model on its own: the tier fallback's quality check would swap a close crop (fur filling > 97% of the
  // frame) for the classical tier, which is right for portraits but would hide the model's real accuracy here.
  const tiered = await computeMatte(image, candidates, engine.sessions, {}, undefined, { skipQualityCheck: candidates.best !== undefined });
  mkdirSync(cacheDir, { recursive: true });
  const bytes = Buffer.from(tiered.matte.data.buffer, tiered.matte.data.byteOffset, tiered.matte.data.byteLength);
  writeFileSync(path, JSON.stringify({ width: tiered.matte.width, height: tiered.matte.height, data: bytes.toString('base64') }));
  return tiered.matte;
}

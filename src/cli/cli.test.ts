import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, hasBundledModels, hasFixtures, missingFixturesReason, missingModelsReason } from '../main/testing/fixtures';
import { runCli } from './index';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { output: { out: (line: string) => out.push(line), err: (line: string) => err.push(line) }, out, err };
}

describe('CLI usage errors', () => {
  it('exits 2 with a plain message for a missing --out, a bad number or an unknown command', async () => {
    for (const [argv, message] of [
      [['cutout', 'a.png'], /--out <dir>/],
      [['cutout', 'a.png', '--out', 'x', '--radius', 'wide'], /--radius needs a number, not "wide"/],
      [['cutout', 'a.png', '--out', 'x', '--spill', '3'], /--spill needs a number from 0 to 1\./],
      [['cutout', 'a.png', '--out', 'x', '--spill', '0x1'], /--spill needs a number, not "0x1"/],
      [['cutout', 'a.png', '--out', 'x', '--cartoon', 'maybe'], /--cartoon must be one of auto, on, off/],
      [['cutout', 'a.png', '--out', 'x', '--mask-only', '--premultiplied'], /Choose one of --premultiplied \(colour\) and --mask-only/],
      [['video', 'a.mp4', '--out', 'x', '--format', 'gif'], /--format must be one of/],
      [['sharpen'], /Unknown command "sharpen"/],
    ] as const) {
      const { output, err } = capture();
      expect(await runCli([...argv], output)).toBe(2);
      expect(err.join('\n')).toMatch(message);
    }
  });
});

describe.skipIf(!hasFixtures || !hasBundledModels)('matte-studio cutout --json', () => {
  if (!hasFixtures || !hasBundledModels) console.warn(hasFixtures ? missingModelsReason : missingFixturesReason);
  it('prints one JSON object per input, continues past a bad file, and exits 1 when any failed', async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'cli-out-'));
    const { output, out } = capture();
    const code = await runCli(['cutout', fixture('portraits/st_people_0_longhair.png'), fixture('MANIFEST.tsv'), '--out', outDir, '--json', '--radius', '30'], output);
    expect(code).toBe(1);
    const lines = out.map((line) => JSON.parse(line));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ ok: true, tier: 1, model: expect.stringMatching(/^isnet-fp(16|32)$/), ep: 'cpu', output: join(outDir, 'st_people_0_longhair.png') });
    expect(lines[0].ms).toBeGreaterThan(0);
    expect(lines[1]).toMatchObject({ ok: false, output: null, error: { code: 'UNSUPPORTED_FORMAT' } });
    expect(await readdir(outDir)).toEqual(['st_people_0_longhair.png']);
  });
});

describe.skipIf(!hasFixtures || !hasBundledModels)('matte-studio video --json', () => {
  it('exports a real clip with the model and reports frames, fps, audio, alpha and flicker', async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'cli-video-'));
    const { output, out } = capture();
    const code = await runCli(['video', fixture('clips/lp_d19_plainwall.mp4'), '--out', outDir, '--format', 'prores', '--frames', '4', '--json'], output);
    expect(code).toBe(0);
    const line = JSON.parse(out[0]!);
    expect(line).toMatchObject({ ok: true, frames: 4, fps: '30/1', audio: true, alphaVerified: true, tier: 1, model: expect.stringMatching(/^isnet-fp(16|32)$/), output: join(outDir, 'lp_d19_plainwall.mov') });
    expect(line.flicker).toBeGreaterThanOrEqual(0);
    expect(line.flicker).toBeLessThan(0.05);
  });
});

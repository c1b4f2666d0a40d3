import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createEngine, type Engine } from '../engine';
import { startStudioHost, type StudioHost } from './startStudioHost';

describe('startStudioHost', () => {
  let engine: Engine | undefined;
  let host: StudioHost | undefined;
  let settingsFolder: string | undefined;
  afterEach(async () => {
    await host?.close();
    await engine?.dispose();
    if (settingsFolder) await rm(settingsFolder, { recursive: true, force: true });
  });

  it('starts the kernel worker before any job, so the first preview does not wait for it', async () => {
    engine = createEngine();
    expect(engine.kernels.mode).toBe('idle');
    settingsFolder = await mkdtemp(join(tmpdir(), 'matte-studio-host-test-'));
    host = await startStudioHost({ port: 0, engine, staticDir: '/nonexistent-renderer', settingsFolder });
    await vi.waitFor(() => expect(engine!.kernels.mode).toBe('worker'), { timeout: 30_000, interval: 50 });
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appRoot, appVersion, readEnvironment } from './environment';

describe('the environment, read in one place', () => {
  it('finds the app root by its package.json, not by counting folders', () => {
    const manifest = JSON.parse(readFileSync(join(appRoot(), 'package.json'), 'utf8'));
    expect(manifest.name).toBe('matte-studio');
    expect(appVersion()).toBe(manifest.version);
  });

  it('defaults every folder under ~/.matte-studio and the bundled models under the app root', () => {
    const environment = readEnvironment({});
    expect(environment).toMatchObject({
      modelsDir: join(homedir(), '.matte-studio', 'models'),
      cacheDir: join(homedir(), '.matte-studio', 'cache'),
      settingsDir: join(homedir(), '.matte-studio'),
      bundledModelsDir: join(appRoot(), 'resources', 'models'),
      modelMirror: undefined,
      executionProvider: undefined,
      isLowMemory: false,
      isDebug: false,
      isAutoBuildOff: false,
    });
  });

  it('takes each variable when set, and treats an empty one as unset', () => {
    const environment = readEnvironment({ MATTE_STUDIO_MODELS_DIR: '/m', MATTE_STUDIO_CACHE_DIR: '', MATTE_STUDIO_EP: 'cpu', MATTE_STUDIO_LOW_MEMORY: '1', MATTE_STUDIO_DEBUG: 'yes', MATTE_STUDIO_MODEL_MIRROR: 'http://mirror.lan/models' });
    expect(environment).toMatchObject({ modelsDir: '/m', cacheDir: join(homedir(), '.matte-studio', 'cache'), executionProvider: 'cpu', isLowMemory: true, isDebug: true, modelMirror: 'http://mirror.lan/models' });
  });

  it('is read nowhere else in the app: no process.env and no project-root lookups by counting folders', () => {
    // Test helpers (testing/ folders and *.test.ts) run from the sources only; resolveFfmpeg takes its environment as an
    // option, because FFMPEG_PATH and PATH belong to ffmpeg's own lookup order.
    const allowed = new Set(['main/environment.ts', 'main/media/resolveFfmpeg.ts']);
    const sourceRoot = join(appRoot(), 'src');
    const offenders: string[] = [];
    for (const layer of ['main', 'cli']) {
      for (const entry of readdirSync(join(sourceRoot, layer), { recursive: true, encoding: 'utf8' })) {
        const path = `${layer}/${entry}`;
        if (!/\.tsx?$/.test(path) || /\.test\.tsx?$/.test(path) || path.split('/').includes('testing') || allowed.has(path)) continue;
        const text = readFileSync(join(sourceRoot, path), 'utf8');
        if (/process\.env\b/.test(text) || /'\.\.', '\.\.'/.test(text)) offenders.push(path);
      }
    }
    expect(offenders).toEqual([]);
  });
});

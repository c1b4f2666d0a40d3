import { readFileSync } from 'node:fs';
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
      executionProvider: undefined,
      isLowMemory: false,
      isDebug: false,
    });
  });

  it('takes each variable when set, and treats an empty one as unset', () => {
    const environment = readEnvironment({ MATTE_STUDIO_MODELS_DIR: '/m', MATTE_STUDIO_CACHE_DIR: '', MATTE_STUDIO_EP: 'cpu', MATTE_STUDIO_LOW_MEMORY: '1', MATTE_STUDIO_DEBUG: 'yes' });
    expect(environment).toMatchObject({ modelsDir: '/m', cacheDir: join(homedir(), '.matte-studio', 'cache'), executionProvider: 'cpu', isLowMemory: true, isDebug: true });
  });
});

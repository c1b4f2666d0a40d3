/**
 * The one place the engine reads its environment: variables a user or CI may set, and where the app's own files are.
 * Everything else takes these as options, so tests pass their own values instead of mutating `process.env`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The variables Matte Studio reads, all optional. */
export interface StudioEnvironment {
  /** `MATTE_STUDIO_MODELS_DIR`: the user model folder. @default ~/.matte-studio/models */
  modelsDir: string;
  /** `MATTE_STUDIO_BUNDLED_MODELS_DIR`: the bundled models. @default <app root>/resources/models */
  bundledModelsDir: string;
  /** `MATTE_STUDIO_CACHE_DIR`: the on-disk matte cache. @default ~/.matte-studio/cache */
  cacheDir: string;
  /** `MATTE_STUDIO_SETTINGS_DIR`: recent projects, settings, recovery copies. @default ~/.matte-studio */
  settingsDir: string;
  /**
   * `MATTE_STUDIO_MODEL_MIRROR`: a base address to download catalogue models from instead of their publishers, as
   * `<mirror>/<id>.onnx` (networks without internet access, tests). Published checksums still apply.
   */
  modelMirror: string | undefined;
  /** `MATTE_STUDIO_EP`: force an execution provider (e.g. `cpu`). */
  executionProvider: string | undefined;
  /** `MATTE_STUDIO_LOW_MEMORY=1`: no memory arena in inference sessions (less RAM, slower). */
  isLowMemory: boolean;
  /** `MATTE_STUDIO_DEBUG`: print technical details of errors. */
  isDebug: boolean;
  /** `MATTE_STUDIO_NO_AUTOBUILD=1`: `serve` does not build a missing renderer bundle, it only says how. */
  isAutoBuildOff: boolean;
}

/** Reads the environment (pass another record in tests). Empty values count as unset. */
export function readEnvironment(env: NodeJS.ProcessEnv = process.env): StudioEnvironment {
  const value = (name: string) => (env[name] ? env[name] : undefined);
  const home = join(homedir(), '.matte-studio');
  return {
    modelsDir: value('MATTE_STUDIO_MODELS_DIR') ?? join(home, 'models'),
    bundledModelsDir: value('MATTE_STUDIO_BUNDLED_MODELS_DIR') ?? join(appRoot(), 'resources', 'models'),
    cacheDir: value('MATTE_STUDIO_CACHE_DIR') ?? join(home, 'cache'),
    settingsDir: value('MATTE_STUDIO_SETTINGS_DIR') ?? home,
    modelMirror: value('MATTE_STUDIO_MODEL_MIRROR'),
    executionProvider: value('MATTE_STUDIO_EP'),
    isLowMemory: value('MATTE_STUDIO_LOW_MEMORY') === '1',
    isDebug: Boolean(value('MATTE_STUDIO_DEBUG')),
    isAutoBuildOff: value('MATTE_STUDIO_NO_AUTOBUILD') === '1',
  };
}

let cachedRoot: string | undefined;

/**
 * The app's root folder (where its package.json, `resources/` and `out/` are), found by walking up from this module:
 * the same answer from the TypeScript sources (`src/main/…`) and from the bundle (`out/main/index.js`), where a fixed
 * number of `..` would point elsewhere.
 */
export function appRoot(): string {
  if (cachedRoot) return cachedRoot;
  let folder = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(folder, 'package.json');
    if (existsSync(manifest) && readPackageName(manifest) === 'matte-studio') return (cachedRoot = folder);
    const parent = dirname(folder);
    if (parent === folder) return (cachedRoot = process.cwd());
    folder = parent;
  }
}

/** The app's version from its package.json ('0.0.0' when it cannot be read). */
export function appVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(appRoot(), 'package.json'), 'utf8')) as { version?: string }).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

function readPackageName(path: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(path, 'utf8')) as { name?: string }).name;
  } catch {
    return undefined;
  }
}

/** Starting a `worker_threads` module from the built `.js` or, under tsx (CLI, tests, web shell), from its `.ts` source. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/** Starts the worker module at `entry`; a `.ts` entry goes through tsx's loader. */
export function startModuleWorker(entry: URL): Worker {
  return entry.pathname.endsWith('.ts') ? startTypeScriptWorker(entry) : new Worker(entry);
}

/**
 * Starts a `.ts` worker through tsx. `execArgv: ['--import', 'tsx']` does not reach worker threads on Node 20 (the
 * worker fails with ERR_UNKNOWN_FILE_EXTENSION), so a two-line bootstrap registers tsx's loader and then imports it.
 */
function startTypeScriptWorker(entry: URL): Worker {
  const tsxApi = resolveEsmExport('tsx', './esm/api');
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((api) => { api.register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(bootstrap, { eval: true });
}

/** The file URL of a package's ESM export (what `import` would load; `require.resolve` gives the CommonJS one). */
function resolveEsmExport(packageName: string, subpath: string): string {
  const manifestPath = createRequire(import.meta.url).resolve(`${packageName}/package.json`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { exports?: Record<string, { import?: string | { default?: string } }> };
  const target = manifest.exports?.[subpath]?.import;
  const file = typeof target === 'string' ? target : target?.default;
  if (!file) throw new Error(`${packageName} has no ESM export ${subpath}`);
  return pathToFileURL(join(dirname(manifestPath), file)).href;
}

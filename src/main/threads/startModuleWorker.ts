/** Starting a `worker_threads` module from the built `.js` or, under tsx (CLI, tests, web shell), from its `.ts` source. */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * The worker module `name` beside the module at `moduleUrl`, with that module's own extension: `.ts` from sources
 * under tsx, `.js` in the build (electron-vite emits each worker entry next to index.js).
 */
export function workerBeside(moduleUrl: string, name: string): URL {
  return new URL(`./${name}${extname(fileURLToPath(moduleUrl))}`, moduleUrl);
}

/**
 * Starts the worker at `entry` and waits for its first message, `{ kind: 'ready' }` (sent once its imports loaded).
 * Resolves the worker, with only its own listeners attached, or the reason it could not start, in plain words that
 * name it as `label`: the entry is missing, it threw while loading, it exited, it sent something else first, or it
 * took longer than `timeoutMs`.
 */
export function startReadyWorker(entry: URL, label: string, timeoutMs: number): Promise<{ worker: Worker } | { reason: string }> {
  if (entry.protocol === 'file:' && !existsSync(fileURLToPath(entry))) return Promise.resolve({ reason: `the ${label} ${fileURLToPath(entry)} does not exist` });
  let worker: Worker;
  try {
    worker = startModuleWorker(entry);
  } catch (error) {
    return Promise.resolve({ reason: `the ${label} could not start: ${String(error)}` });
  }
  return new Promise((resolve) => {
    const timer = setTimeout(() => fail(`the ${label} did not start within ${timeoutMs} ms`), timeoutMs);
    // Only these listeners go: removeAllListeners would also drop the ones Worker uses to deliver messages.
    const detach = () => {
      clearTimeout(timer);
      worker.off('error', onError).off('exit', onExit).off('message', onMessage);
    };
    const fail = (reason: string) => {
      detach();
      void worker.terminate();
      resolve({ reason });
    };
    const onError = (error: Error) => fail(`the ${label} failed to load: ${error.message}`);
    const onExit = (code: number) => fail(`the ${label} exited while loading (code ${code})`);
    const onMessage = (message: { kind?: unknown }) => {
      if (message?.kind !== 'ready') return fail(`the ${label} sent an unexpected first message`);
      detach();
      resolve({ worker });
    };
    worker.on('error', onError).on('exit', onExit).on('message', onMessage);
  });
}

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
export function resolveEsmExport(packageName: string, subpath: string): string {
  const manifestPath = createRequire(import.meta.url).resolve(`${packageName}/package.json`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { exports?: Record<string, string | { import?: string | { default?: string } }> };
  const exported = manifest.exports?.[subpath];
  const target = typeof exported === 'string' ? exported : exported?.import;
  const file = typeof target === 'string' ? target : target?.default;
  if (!file) throw new Error(`${packageName} has no ESM export ${subpath}`);
  return pathToFileURL(join(dirname(manifestPath), file)).href;
}

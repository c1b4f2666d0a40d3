import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Engine } from '../main/engine';
import { defaultRendererDir, startStudioHost } from '../main/host/startStudioHost';
import { UsageError, type CliOutput } from './cliOutput';
import { attachNegativeValues } from './pipelineArgs';
import { ensureRendererBundle } from './ensureRendererBundle';
import { readEnvironment } from '../main/environment';

export const serveUsage = `Usage: matte-studio serve [--port <n>] [--settings-dir <folder>] [<files, folders or .mattestudio projects>…]
  Runs the studio as a web app on 127.0.0.1 (open the printed address in a browser; it carries the access token).
  The given paths open in the studio when the page connects.
  --port <n>               port to listen on (default: a free one)
  --settings-dir <folder>  recent projects, settings and recovery copies (default: $MATTE_STUDIO_SETTINGS_DIR or ~/.matte-studio)`;

/** Parses `serve` arguments; paths are made absolute against the working directory. */
const serveOptions = { port: { type: 'string', short: 'p' }, 'settings-dir': { type: 'string' } } as const;

export function parseServeArgs(argv: string[], workingDirectory = process.cwd()): { port: number; settingsFolder?: string; paths: string[] } {
  const { values, positionals } = parseArgs({
    // `--port -1` reaches the range check below instead of node's "argument is ambiguous".
    args: attachNegativeValues(argv, serveOptions),
    allowPositionals: true,
    strict: true,
    options: serveOptions,
  });
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new UsageError(`--port needs a whole number from 0 to 65535, not "${values.port}".`);
  const settingsDir = values['settings-dir'];
  if (settingsDir === '') throw new UsageError('--settings-dir needs a folder.');
  const paths = positionals.map((path) => resolve(workingDirectory, path));
  return { port, ...(settingsDir === undefined ? {} : { settingsFolder: resolve(workingDirectory, settingsDir) }), paths };
}

/**
 * `matte-studio serve`: starts the web shell and runs until `signal` fires (`runCli` fires it on SIGINT and SIGTERM
 * alike) or, when run without a signal, the process gets SIGINT or SIGTERM; then closes cleanly. Returns the exit code.
 */
export async function runServeCommand(argv: string[], engine: Engine, output: CliOutput, signal?: AbortSignal): Promise<number> {
  const { port, settingsFolder, paths } = parseServeArgs(argv);
  await ensureRendererBundle({ output });
  const studio = await startStudioHost({
    port,
    engine,
    settingsFolder,
    startupPaths: paths,
    onError: (error) => {
      if (readEnvironment().isDebug) output.err(error instanceof Error ? error.stack ?? error.message : String(error));
    },
  }).catch((error: unknown) => {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new UsageError(`Port ${port} is in use by another program: choose another with --port, or leave it out for a free one.`);
    if (code === 'EACCES') throw new UsageError(`Port ${port} needs administrator rights: choose one above 1023, or leave --port out for a free one.`);
    throw error;
  });
  if (!studio.hasRenderer) output.err(`The studio's page is not built (${join(defaultRendererDir, 'index.html')} is missing): run \`npm run build\`. The API runs anyway.`);
  output.out(`Matte Studio is running at ${studio.url}`);
  await new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const stop = () => {
      for (const name of ['SIGINT', 'SIGTERM'] as const) process.off(name, stop);
      signal?.removeEventListener('abort', stop);
      resolve();
    };
    // With a signal, the caller owns the process signals (a second SIGTERM must still end the process the default way).
    if (signal) signal.addEventListener('abort', stop, { once: true });
    else for (const name of ['SIGINT', 'SIGTERM'] as const) process.once(name, stop);
  });
  output.out('Stopping Matte Studio…');
  await studio.close();
  return 0;
}

import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Engine } from '../main/engine';
import { defaultRendererDir, startStudioHost } from '../main/studio/startStudioHost';
import { UsageError, type CliOutput } from './cliOutput';

export const serveUsage = `Usage: matte-studio serve [--port <n>]
  Runs the studio as a web app on 127.0.0.1 (open the printed address in a browser; it carries the access token).
  --port <n>           port to listen on (default: a free one)`;

/** Parses `serve` arguments. */
export function parseServeArgs(argv: string[]): { port: number } {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, strict: true, options: { port: { type: 'string', short: 'p' } } });
  if (positionals.length > 0) throw new UsageError(`serve takes no files (got "${positionals[0]}"); open them in the studio.`);
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new UsageError(`--port needs a whole number from 0 to 65535, not "${values.port}".`);
  return { port };
}

/**
 * `matte-studio serve`: starts the web shell and runs until `signal` fires (Ctrl+C) or the process gets SIGTERM, then
 * closes cleanly. Returns the exit code.
 */
export async function runServeCommand(argv: string[], engine: Engine, output: CliOutput, signal?: AbortSignal): Promise<number> {
  const { port } = parseServeArgs(argv);
  const studio = await startStudioHost({
    port,
    engine,
    onError: (error) => {
      if (process.env.MATTE_STUDIO_DEBUG) output.err(error instanceof Error ? error.stack ?? error.message : String(error));
    },
  });
  if (!studio.hasRenderer) output.err(`The studio's page is not built (${join(defaultRendererDir, 'index.html')} is missing): run \`npm run build\`. The API runs anyway.`);
  output.out(`Matte Studio is running at ${studio.url}`);
  await new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const stop = () => {
      process.off('SIGTERM', stop);
      signal?.removeEventListener('abort', stop);
      resolve();
    };
    process.once('SIGTERM', stop);
    signal?.addEventListener('abort', stop, { once: true });
  });
  output.out('Stopping Matte Studio…');
  await studio.close();
  return 0;
}

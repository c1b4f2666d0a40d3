import { isStudioError, toErrorData } from '../shared/errors';
import { createEngine, type Engine } from '../main/engine';
import { batchUsage, runBatchCommand } from './batchCommand';
import { processOutput, UsageError, type CliOutput } from './cliOutput';
import { cutoutUsage, runCutoutCommand } from './cutoutCommand';
import { modelsUsage, runModelsCommand } from './modelsCommand';
import { runServeCommand, serveUsage } from './serveCommand';
import { runVideoCommand, videoUsage } from './videoCommand';
import { readEnvironment } from '../main/environment';

const usage = `Matte Studio — cut people out of stills and talking-head clips.

${cutoutUsage}

${videoUsage}

${batchUsage}

${modelsUsage}

${serveUsage}`;

/** Signals that cancel a command the way Ctrl+C does, with the exit code each gives (128 + signal number). */
export const cancellingSignals = { SIGINT: 130, SIGTERM: 143 } as const;

/**
 * The command-line front end: runs the engine in-process. Returns the exit code:
 * 0 success, 1 some input failed, 2 bad usage, 130 cancelled (Ctrl+C), 143 stopped by SIGTERM.
 * SIGINT and SIGTERM both cancel the running job (which removes its temporary outputs) and let it end cleanly;
 * a second signal of either kind gets Node's default behaviour (the process ends at once).
 */
export async function runCli(argv: string[], output: CliOutput = processOutput): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    output.out(usage);
    return command ? 0 : 2;
  }
  const controller = new AbortController();
  let stoppedBy: keyof typeof cancellingSignals | undefined;
  const listeners = (Object.keys(cancellingSignals) as Array<keyof typeof cancellingSignals>).map((signal) => {
    const listener = () => {
      stoppedBy ??= signal;
      controller.abort();
      // The first signal cancels; removing every listener leaves a second one to end the process the default way.
      for (const [name, handler] of listeners) process.off(name, handler);
    };
    process.once(signal, listener);
    return [signal, listener] as const;
  });
  const engine = createEngine();
  try {
    const code = await runCommand(command, rest, engine, output, controller.signal);
    // Commands report a cancel as 130; a SIGTERM says so with its own code.
    return code === cancellingSignals.SIGINT && stoppedBy ? cancellingSignals[stoppedBy] : code;
  } catch (error) {
    if (error instanceof UsageError || (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))) {
      output.err(`${error.message}\n\n${usage}`);
      return 2;
    }
    if (isStudioError(error, 'CANCELLED')) {
      output.err('Cancelled.');
      return cancellingSignals[stoppedBy ?? 'SIGINT'];
    }
    const data = toErrorData(error);
    output.err(`${data.message}${data.detail && readEnvironment().isDebug ? `\n${data.detail}` : ''}`);
    return 1;
  } finally {
    for (const [name, handler] of listeners) process.off(name, handler);
    await engine.dispose();
  }
}

function runCommand(command: string, rest: string[], engine: Engine, output: CliOutput, signal: AbortSignal): Promise<number> {
  switch (command) {
    case 'cutout':
      return runCutoutCommand(rest, engine, output, signal);
    case 'video':
      return runVideoCommand(rest, engine, output, signal);
    case 'batch':
      return runBatchCommand(rest, engine, output, signal);
    case 'models':
      return runModelsCommand(rest, engine, output, signal);
    case 'serve':
      return runServeCommand(rest, engine, output, signal);
    default:
      throw new UsageError(`Unknown command "${command}". Try \`matte-studio --help\`.`);
  }
}

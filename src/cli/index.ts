import { isStudioError, toErrorData } from '../shared/errors';
import { createEngine } from '../main/engine';
import { batchUsage, runBatchCommand } from './batchCommand';
import { processOutput, UsageError, type CliOutput } from './cliOutput';
import { cutoutUsage, runCutoutCommand } from './cutoutCommand';
import { modelsUsage, runModelsCommand } from './modelsCommand';
import { runServeCommand, serveUsage } from './serveCommand';
import { runVideoCommand, videoUsage } from './videoCommand';

const usage = `Matte Studio — cut people out of stills and talking-head clips.

${cutoutUsage}

${videoUsage}

${batchUsage}

${modelsUsage}

${serveUsage}`;

/**
 * The command-line front end: runs the engine in-process. Returns the exit code:
 * 0 success, 1 some input failed, 2 bad usage, 130 cancelled (Ctrl+C).
 */
export async function runCli(argv: string[], output: CliOutput = processOutput): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    output.out(usage);
    return command ? 0 : 2;
  }
  const controller = new AbortController();
  const onInterrupt = () => controller.abort();
  process.once('SIGINT', onInterrupt);
  const engine = createEngine();
  try {
    switch (command) {
      case 'cutout':
        return await runCutoutCommand(rest, engine, output, controller.signal);
      case 'video':
        return await runVideoCommand(rest, engine, output, controller.signal);
      case 'batch':
        return await runBatchCommand(rest, engine, output, controller.signal);
      case 'models':
        return await runModelsCommand(rest, engine, output, controller.signal);
      case 'serve':
        return await runServeCommand(rest, engine, output, controller.signal);
      default:
        throw new UsageError(`Unknown command "${command}". Try \`matte-studio --help\`.`);
    }
  } catch (error) {
    if (error instanceof UsageError || (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))) {
      output.err(`${error.message}\n\n${usage}`);
      return 2;
    }
    if (isStudioError(error, 'CANCELLED')) {
      output.err('Cancelled.');
      return 130;
    }
    const data = toErrorData(error);
    output.err(`${data.message}${data.detail && process.env.MATTE_STUDIO_DEBUG ? `\n${data.detail}` : ''}`);
    return 1;
  } finally {
    process.off('SIGINT', onInterrupt);
    await engine.dispose();
  }
}

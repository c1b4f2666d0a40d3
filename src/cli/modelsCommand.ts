import { parseArgs } from 'node:util';
import type { Engine } from '../main/engine';
import { downloadModel } from '../main/models/downloadModel';
import { formatBytes, formatModelList, formatModelTable } from '../main/models/formatModelList';
import { UsageError, type CliOutput } from './cliOutput';
import { ProgressBar } from './progressBar';

export const modelsUsage = `Usage: matte-studio models [--json]          list installed and known models
       matte-studio models install <id>       download a model into the user model folder`;

/** `matte-studio models` and `matte-studio models install <id>`. */
export async function runModelsCommand(argv: string[], engine: Engine, output: CliOutput, signal?: AbortSignal): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, strict: true, options: { json: { type: 'boolean' } } });
  const [action, id, ...extra] = positionals;
  if (action === undefined || action === 'list') {
    const rows = formatModelList(await engine.models.listModels());
    output.out(values.json ? JSON.stringify(rows, null, 2) : formatModelTable(rows));
    if (!values.json) output.out(`\nUser model folder: ${engine.models.userDir} (drop a .onnx here to add your own)`);
    return 0;
  }
  if (action !== 'install') throw new UsageError(`Unknown models action "${action}".`);
  if (!id || extra.length > 0) throw new UsageError('Name exactly one model to install, e.g. `matte-studio models install birefnet-general`.');
  const bar = new ProgressBar();
  const installed = await downloadModel(engine.models, id, { signal, onProgress: (progress) => bar.update(progress) });
  bar.clear();
  output.out(`Installed ${installed.spec.name} (${formatBytes(installed.bytes)}) → ${installed.path}`);
  return 0;
}

#!/usr/bin/env node
// Command-line entry: runs the TypeScript CLI through tsx so it works straight after `npm install`, with no build step.

// onnxruntime-node runs inferences, sharp its image work and Node its file access all on libuv's pool (4 threads by
// default): two slow model runs could starve a file lookup for seconds. Set before anything touches the pool, so
// only dynamic imports below.
process.env.UV_THREADPOOL_SIZE ??= '16';

// The heavy commands run with transparent huge pages on Linux, which takes one restart of this launcher (hugePages.mjs).
const { endWithLauncher, relaunch, relaunchEnvironment } = await import('./hugePages.mjs');
const relaunchWith = relaunchEnvironment(process.argv[2], process.env);
if (relaunchWith) {
  process.exitCode = await relaunch(relaunchWith);
} else {
  endWithLauncher(process.env);
  const { register } = await import('tsx/esm/api');
  register();
  const { runCli } = await import('../src/cli/index.ts');
  process.exitCode = await runCli(process.argv.slice(2));
}

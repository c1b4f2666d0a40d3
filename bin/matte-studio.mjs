#!/usr/bin/env node
// Command-line entry: runs the TypeScript CLI through tsx so it works straight after `npm install`, with no build step.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/cli/index.ts');
process.exitCode = await runCli(process.argv.slice(2));

// Child process of the memory bench: one still through the CLI's `cutout` (the whole pipeline, model included), then
// its own peak RSS on one JSON line. Run in its own process so the figure is the pipeline's alone.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../src/cli/index';

const [imagePath] = process.argv.slice(2);
const out = mkdtempSync(join(tmpdir(), 'bench-memory-out-'));
const start = performance.now();
const code = await runCli(['cutout', imagePath!, '--out', out, '--json']);
const wallMs = performance.now() - start;
rmSync(out, { recursive: true, force: true });
process.stdout.write(`\n${JSON.stringify({ code, wallMs, maxRssMB: process.resourceUsage().maxRSS / 1024 })}\n`);
process.exit(code);

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, copyFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const benchDir = dirname(fileURLToPath(import.meta.url));
export const projectRoot = resolve(benchDir, '..');
export const fixturesDir = process.env.MATTE_STUDIO_FIXTURES ?? resolve(projectRoot, '..', 'shared', 'fixtures');
/** Debian's interpreter: the only one here with python3-opencv. */
export const debianPython = '/usr/bin/python3';

/** Median of a list of numbers. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

/** Runs a command and parses the last line of its stdout as JSON; throws with its stderr on failure. */
export function runJson<T>(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: Buffer } = {}): T {
  const result = spawnSync(command, args, { cwd: options.cwd ?? projectRoot, env: options.env ?? process.env, input: options.input, maxBuffer: 1 << 30 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.stderr?.toString()}`);
  const lines = result.stdout.toString().trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!) as T;
}

/**
 * Installs the peer (@imgly/background-removal-node) into bench/.peer on first use. It needs the sharp override and
 * CUDA download skipped to install offline-from-everything-but-npm; it is never a dependency of the app.
 */
export function ensurePeerInstalled(): string {
  const peerDir = join(benchDir, '.peer');
  if (existsSync(join(peerDir, 'node_modules', '@imgly', 'background-removal-node'))) return peerDir;
  mkdirSync(peerDir, { recursive: true });
  copyFileSync(join(benchDir, 'peer', 'package.json'), join(peerDir, 'package.json'));
  process.stderr.write('installing the bench peer @imgly/background-removal-node into bench/.peer …\n');
  const result = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts'], {
    cwd: peerDir,
    stdio: 'inherit',
    env: { ...process.env, npm_config_onnxruntime_node_install_cuda: 'skip', ONNXRUNTIME_NODE_INSTALL: 'skip' },
  });
  if (result.status !== 0) throw new Error('could not install the bench peer');
  return peerDir;
}

/** Prints an aligned table. */
export function printTable(title: string, header: string[], rows: Array<Array<string | number>>): void {
  const cells = [header, ...rows.map((row) => row.map((cell) => (typeof cell === 'number' ? formatNumber(cell) : cell)))];
  const widths = header.map((_, column) => Math.max(...cells.map((row) => String(row[column] ?? '').length)));
  process.stdout.write(`\n${title}\n`);
  for (const [index, row] of cells.entries()) {
    process.stdout.write(`${row.map((cell, column) => String(cell ?? '').padEnd(widths[column]!)).join('  ')}\n`);
    if (index === 0) process.stdout.write(`${widths.map((width) => '-'.repeat(width)).join('  ')}\n`);
  }
}

function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return Math.abs(value) >= 100 ? value.toFixed(0) : Math.abs(value) >= 1 ? value.toFixed(2) : value.toPrecision(3);
}

#!/usr/bin/env node
// `npm start`: launches the Electron studio when Electron's binary is installed; where it cannot be obtained (as on
// offline build machines, where its lazy download fails) says so in one line and starts the web shell instead, so the
// README's run command works everywhere.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The Electron executable, without triggering electron's own download-on-require. */
function findElectronBinary() {
  try {
    const electronDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
    const pathFile = join(electronDir, 'path.txt');
    if (!existsSync(pathFile)) return undefined;
    const relative = readFileSync(pathFile, 'utf8').trim();
    const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(electronDir, 'dist');
    const binary = join(dist, relative);
    return existsSync(binary) ? binary : undefined;
  } catch {
    return undefined;
  }
}

function run(command, args) {
  const child = spawn(command, args, { cwd: projectRoot, stdio: 'inherit' });
  const forward = (signal) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

const electron = process.env.MATTE_STUDIO_FORCE_WEB === '1' ? undefined : findElectronBinary();
if (electron) {
  run(electron, [projectRoot, ...process.argv.slice(2)]);
} else {
  process.stdout.write('Electron is not available on this machine (its binary could not be downloaded); starting the web shell instead.\n');
  run(process.execPath, [join(projectRoot, 'bin', 'matte-studio.mjs'), 'serve', ...process.argv.slice(2)]);
}

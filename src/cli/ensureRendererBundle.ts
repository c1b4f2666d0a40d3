/**
 * `matte-studio serve` right after `npm install`: the studio's page (the renderer bundle in `out/renderer`) is built
 * by `npm run build`, which a fresh checkout has not run. Instead of serving a bare "404 Not Found", the first serve
 * builds it with electron-vite (a dev dependency, present after `npm install`), saying so; where electron-vite is not
 * installed (a production install) or the build fails, it prints one line that says what to run.
 *
 * Set `MATTE_STUDIO_NO_AUTOBUILD=1` to skip the build (the line is still printed).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { CliOutput } from './cliOutput';
import { appRoot, readEnvironment } from '../main/environment';

/** Options of {@link ensureRendererBundle}. */
export interface EnsureRendererBundleOptions {
  output: CliOutput;
  /** @default the project root */
  projectRoot?: string;
  /** The bundle folder. @default `<projectRoot>/out/renderer` */
  rendererDir?: string;
  /** Runs the build; resolves with its exit code. @default electron-vite's CLI in a child process */
  build?: (projectRoot: string) => Promise<number>;
  /** The electron-vite CLI script, or undefined when not installed. @default resolved from node_modules */
  findBuilder?: (projectRoot: string) => string | undefined;
  /** Variables to read `MATTE_STUDIO_NO_AUTOBUILD` from. @default the process environment (via readEnvironment) */
  env?: NodeJS.ProcessEnv;
}

/** What happened: the bundle was there, was built now, or is still missing (the line saying why was printed). */
export type RendererBundleState = 'present' | 'built' | 'missing';

/** electron-vite's CLI script when installed. */
export function findElectronVite(projectRoot: string): string | undefined {
  try {
    const packageJson = createRequire(join(projectRoot, 'package.json')).resolve('electron-vite/package.json');
    const manifest = JSON.parse(readFileSync(packageJson, 'utf8')) as { bin?: string | Record<string, string> };
    const bin = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin?.['electron-vite'];
    const script = bin ? join(dirname(packageJson), bin) : undefined;
    return script && existsSync(script) ? script : undefined;
  } catch {
    return undefined;
  }
}

function runElectronViteBuild(script: string, projectRoot: string): Promise<number> {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [script, 'build'], { cwd: projectRoot, stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', () => resolvePromise(1));
    child.on('exit', (code) => resolvePromise(code ?? 1));
  });
}

/** Makes sure the page exists before `serve` starts; never throws. */
export async function ensureRendererBundle(options: EnsureRendererBundleOptions): Promise<RendererBundleState> {
  const projectRoot = options.projectRoot ?? appRoot();
  const rendererDir = options.rendererDir ?? join(projectRoot, 'out', 'renderer');
  const index = join(rendererDir, 'index.html');
  if (existsSync(index)) return 'present';
  const { isAutoBuildOff } = readEnvironment(options.env);
  const missingLine = `The studio's page is not built (${index} is missing): run \`npm run build\` in ${projectRoot}, then start \`matte-studio serve\` again. The API runs anyway.`;
  const builder = (options.findBuilder ?? findElectronVite)(projectRoot);
  if (isAutoBuildOff || !builder) {
    options.output.err(missingLine);
    return 'missing';
  }
  options.output.err('Building the studio’s page for the first serve (electron-vite build, about a minute)…');
  let code: number;
  try {
    code = await (options.build ?? ((root) => runElectronViteBuild(builder, root)))(projectRoot);
  } catch {
    code = 1;
  }
  if (code === 0 && existsSync(index)) {
    options.output.err('Built the studio’s page.');
    return 'built';
  }
  options.output.err(`The build did not finish (exit code ${code}). ${missingLine}`);
  return 'missing';
}

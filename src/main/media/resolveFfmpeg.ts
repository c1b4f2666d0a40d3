/**
 * Finds working ffmpeg and ffprobe binaries.
 *
 * Order for each tool: the `FFMPEG_PATH` / `FFPROBE_PATH` environment variable, the optional npm package
 * (`ffmpeg-static` / `ffprobe-static`), the binary next to an already resolved ffmpeg (ffprobe only), then the
 * name on `PATH`. Each candidate must run `-version` before it is accepted, so a stale setting falls through to
 * the next option instead of failing later in the middle of an export. PATH hits are returned as absolute paths.
 */
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, dirname, isAbsolute, join, sep } from 'node:path';
import { StudioError } from '../../shared/errors';
import { launchProcess, type LaunchedProcess } from '../threads/processLauncher';

/** Resolved binaries and where each came from. */
export interface FfmpegPaths {
  ffmpeg: string;
  ffprobe: string;
  /** How ffmpeg was found. */
  ffmpegSource: FfmpegSource;
  /** How ffprobe was found. */
  ffprobeSource: FfmpegSource;
  /** First line of `ffmpeg -version`, e.g. `ffmpeg version 5.1.6-0+deb12u1`. */
  version: string;
}

/** Where a binary was found. */
export type FfmpegSource = 'env' | 'package' | 'sibling' | 'path';

/** Options for {@link resolveFfmpeg}; tests pass their own environment. */
export interface ResolveFfmpegOptions {
  /** Environment to read `FFMPEG_PATH`, `FFPROBE_PATH` and `PATH` from. @default process.env */
  env?: NodeJS.ProcessEnv;
  /** Skips the optional npm packages (tests use it to prove the fallback chain). @default false */
  skipPackages?: boolean;
}

interface Candidate {
  path: string;
  source: FfmpegSource;
}

const cache = new Map<string, Promise<FfmpegPaths>>();

/**
 * Resolves ffmpeg and ffprobe once per distinct environment and caches the answer.
 * @throws StudioError `FFMPEG_MISSING` naming the three ways to provide the binary.
 */
export function resolveFfmpeg(options: ResolveFfmpegOptions = {}): Promise<FfmpegPaths> {
  const env = options.env ?? process.env;
  const key = JSON.stringify([env.FFMPEG_PATH, env.FFPROBE_PATH, env.PATH, options.skipPackages === true]);
  let pending = cache.get(key);
  if (!pending) {
    pending = resolveUncached(env, options.skipPackages === true);
    // A failure is not cached: the user may install ffmpeg and retry without restarting the studio.
    pending.catch(() => cache.delete(key));
    cache.set(key, pending);
  }
  return pending;
}

/** Forgets cached answers (after the user changes the ffmpeg setting). */
export function clearFfmpegCache(): void {
  cache.clear();
}

/**
 * In a packaged Electron app, npm binaries live inside `app.asar`, which the OS cannot execute;
 * electron-builder unpacks them next to it as `app.asar.unpacked`.
 */
export function toUnpackedAsarPath(path: string): string {
  return path.replace(`${sep}app.asar${sep}`, `${sep}app.asar.unpacked${sep}`);
}

async function resolveUncached(env: NodeJS.ProcessEnv, skipPackages: boolean): Promise<FfmpegPaths> {
  const ffmpegCandidates: Candidate[] = [];
  if (env.FFMPEG_PATH) ffmpegCandidates.push({ path: env.FFMPEG_PATH, source: 'env' });
  const packaged = skipPackages ? undefined : await packageBinary('ffmpeg-static');
  if (packaged) ffmpegCandidates.push({ path: packaged, source: 'package' });
  const onPath = await findOnPath('ffmpeg', env);
  if (onPath) ffmpegCandidates.push({ path: onPath, source: 'path' });
  const ffmpeg = await firstWorking(ffmpegCandidates);
  if (!ffmpeg) {
    throw new StudioError(
      'FFMPEG_MISSING',
      'Matte Studio could not find ffmpeg. Set the FFMPEG_PATH environment variable to an ffmpeg binary, install the ffmpeg-static package, or put ffmpeg on your PATH.',
      `PATH=${env.PATH ?? ''}; tried: ${ffmpegCandidates.map((candidate) => `${candidate.source}=${candidate.path}`).join(', ')}`,
    );
  }

  const probeCandidates: Candidate[] = [];
  if (env.FFPROBE_PATH) probeCandidates.push({ path: env.FFPROBE_PATH, source: 'env' });
  const packagedProbe = skipPackages ? undefined : await packageBinary('ffprobe-static');
  if (packagedProbe) probeCandidates.push({ path: packagedProbe, source: 'package' });
  // Distributions and static builds ship both tools in one folder, so the sibling is the likeliest match in version.
  if (ffmpeg.candidate.source !== 'path') {
    probeCandidates.push({ path: join(dirname(ffmpeg.candidate.path), process.platform === 'win32' ? 'ffprobe.exe' : 'ffprobe'), source: 'sibling' });
  }
  const probeOnPath = await findOnPath('ffprobe', env);
  if (probeOnPath) probeCandidates.push({ path: probeOnPath, source: 'path' });
  const ffprobe = await firstWorking(probeCandidates);
  if (!ffprobe) {
    throw new StudioError(
      'FFMPEG_MISSING',
      'Matte Studio could not find ffprobe. Set the FFPROBE_PATH environment variable to an ffprobe binary, install the ffprobe-static package, or put ffprobe on your PATH.',
      `PATH=${env.PATH ?? ''}; tried: ${probeCandidates.map((candidate) => `${candidate.source}=${candidate.path}`).join(', ')}`,
    );
  }
  return {
    ffmpeg: ffmpeg.candidate.path,
    ffprobe: ffprobe.candidate.path,
    ffmpegSource: ffmpeg.candidate.source,
    ffprobeSource: ffprobe.candidate.source,
    version: ffmpeg.version,
  };
}

/** The path exported by an optional binary package, or undefined when it is not installed. */
async function packageBinary(name: 'ffmpeg-static' | 'ffprobe-static'): Promise<string | undefined> {
  try {
    // A variable specifier keeps bundlers and tsc from requiring the optional package at build time.
    const specifier: string = name;
    const module = (await import(specifier)) as { default?: unknown; path?: unknown };
    // ffmpeg-static exports the path string; ffprobe-static exports `{ path }`.
    const exported = module.default ?? module;
    const path = typeof exported === 'string' ? exported : (exported as { path?: unknown }).path;
    return typeof path === 'string' ? toUnpackedAsarPath(path) : undefined;
  } catch {
    return undefined;
  }
}

/** The absolute path of `name` on the environment's PATH, so logs and the sibling lookup see a real location. */
async function findOnPath(name: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const extensions = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD').split(';') : [''];
  for (const folder of (env.PATH ?? env.Path ?? '').split(delimiter)) {
    // Relative entries would resolve against the current folder, which lets a downloaded folder plant an "ffmpeg".
    if (!isAbsolute(folder)) continue;
    for (const extension of extensions) {
      const candidate = join(folder, name + extension);
      if (await access(candidate, constants.X_OK).then(() => true, () => false)) return candidate;
    }
  }
  return undefined;
}

async function firstWorking(candidates: Candidate[]): Promise<{ candidate: Candidate; version: string } | undefined> {
  for (const candidate of candidates) {
    const version = await runVersion(candidate.path);
    if (version !== undefined) return { candidate, version };
  }
  return undefined;
}

/** How long `-version` may take before a candidate counts as broken (a hung wrapper script, a network mount). */
const versionTimeoutMs = 10_000;

/**
 * Runs `<binary> -version`; undefined unless it exits 0 and looks like an FFmpeg tool. Started like every other
 * ffmpeg run (through the process launcher), so the first export of a session does not hold the host thread either.
 */
async function runVersion(binary: string): Promise<string | undefined> {
  let child: LaunchedProcess;
  try {
    child = await launchProcess(binary, ['-version'], { stdin: false, stdout: true });
  } catch {
    return undefined;
  }
  return new Promise((resolve) => {
    let stdout = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), versionTimeoutMs);
    child.stdout?.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr?.resume();
    child.once('error', () => {}); // missing or not executable: 'close' follows without an exit code of 0
    child.once('close', (code: number | null) => {
      clearTimeout(timer);
      const firstLine = stdout.split('\n')[0]?.trim() ?? '';
      resolve(code === 0 && /version/i.test(firstLine) ? firstLine : undefined);
    });
  });
}

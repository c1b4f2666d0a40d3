/**
 * Runs ffmpeg and ffprobe safely: argument arrays (never a shell), no interactive stdin, inputs limited to local
 * files and pipes, cancellation through an AbortSignal, and failures mapped to StudioError codes a user understands.
 */
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { StudioError, cancelledError } from '../../shared/errors';
import { parseProgress, type FfmpegProgress } from './parseProgress';
import { resolveFfmpeg } from './resolveFfmpeg';
import { launchProcess } from '../threads/processLauncher';

/** Options for {@link startFfmpeg}. */
export interface FfmpegRunOptions {
  /** Stops the process: SIGTERM, then SIGKILL after {@link killGraceMs}; the run rejects with `CANCELLED`. */
  signal?: AbortSignal;
  /** Completes the user-facing failure sentence "ffmpeg could not <task>." @default 'process the media' */
  task?: string;
  /** Opens stdin as a pipe for `-i pipe:0` input. @default false */
  stdin?: boolean;
  /** Opens stdout as a pipe for `pipe:1` output. @default false */
  stdout?: boolean;
  /** Receives parsed `-progress pipe:2` reports (adds `-progress pipe:2 -nostats`). */
  onProgress?: (progress: FfmpegProgress) => void;
  /** ffmpeg's `-loglevel`; errors are all we need for the failure detail. @default 'error' */
  logLevel?: string;
}

/** A running ffmpeg process. */
export interface FfmpegProcess {
  /** The process's stdout when {@link FfmpegRunOptions.stdout} was set. */
  readonly stdout: Readable | null;
  /**
   * Writes to stdin and resolves once the chunk is handed to the OS, so the caller may reuse the buffer and never
   * queues more than one chunk (backpressure). Rejects with the process's own error if ffmpeg has gone away.
   */
  write(chunk: Uint8Array): Promise<void>;
  /** Closes stdin and waits for a clean exit. */
  end(): Promise<void>;
  /** Settles when the process has exited and its output is drained: resolves on exit code 0. */
  readonly done: Promise<void>;
  /** Stops the process without a user cancel (e.g. a consumer stopped reading); `done` then rejects with `CANCELLED`. */
  kill(): void;
}

/** ffmpeg's error lines for an output it could not finish writing, which it reports but still exits 0 for. */
const outputWriteFailed = /^(Error writing trailer|Error closing file)\b|No space left on device/m;

/** How long ffmpeg may take to exit after SIGTERM before it is killed outright. */
export const killGraceMs = 2000;

const stderrTailChars = 4000;

/**
 * Demuxers ffmpeg may pick by probing a file's content (ffmpeg's `-format_whitelist` names; `mov` covers mp4/m4v/3gp,
 * `matroska` covers mkv/webm). Formats that refer to other files are left out on purpose: an HLS playlist, an ffconcat
 * list or an image-sequence pattern saved as `.mp4` would otherwise make ffmpeg read other local files into an export.
 */
export const allowedContainerFormats: readonly string[] = ['mov', 'mp4', 'matroska', 'webm', 'avi', 'm4v', 'mpegts'];

/**
 * Puts `-protocol_whitelist file,pipe` before every `-i`, and `-format_whitelist` ({@link allowedContainerFormats})
 * before every input whose demuxer is probed from its content (an input with its own `-f`, such as `-f rawvideo -i
 * pipe:0`, names its demuxer in our code and is left alone). Both are per-input options: without them a crafted file
 * could make ffmpeg open network URLs, playlists or concat lists.
 */
export function withProtocolWhitelist(args: readonly string[]): string[] {
  const result: string[] = [];
  let isFormatForced = false;
  for (const [index, arg] of args.entries()) {
    if (arg === '-f' && index + 1 < args.length) isFormatForced = true;
    if (arg === '-i') {
      result.push('-protocol_whitelist', 'file,pipe');
      if (!isFormatForced) result.push('-format_whitelist', allowedContainerFormats.join(','));
      isFormatForced = false;
    }
    result.push(arg);
  }
  return result;
}

/** What a refused demuxer is, in words a user knows. */
const refusedFormatNames: Record<string, string> = {
  hls: 'an HLS playlist',
  concat: 'an ffconcat list',
  image2: 'an image-sequence pattern',
  ffmetadata: 'an ffmpeg metadata file',
  tee: 'a tee list',
};

/**
 * The `UNSUPPORTED_FORMAT` error for a file whose container is not in {@link allowedContainerFormats}, or undefined
 * when `detail` (ffmpeg's stderr) does not report such a refusal.
 */
export function refusedFormatError(detail: string, file?: string): StudioError | undefined {
  const match = /\[([\w,]+) @ [^\]]*\] Format not on whitelist/.exec(detail) ?? (/Format not on whitelist/.test(detail) ? ['', ''] : null);
  if (!match) return undefined;
  return containerRefused(match[1]!, file, detail);
}

/** The `UNSUPPORTED_FORMAT` error for a refused container format named `format` (ffprobe's `format_name`). */
export function containerRefused(format: string, file: string | undefined, detail?: string): StudioError {
  const what = refusedFormatNames[format.split(',')[0]!] ?? (format ? `a ${format.split(',')[0]} file` : 'not a video container Matte Studio reads');
  const subject = file ? `The file ${file}` : 'The input';
  return new StudioError(
    'UNSUPPORTED_FORMAT',
    `${subject} is ${what}, not a video file. Matte Studio opens MP4, MOV, M4V, MKV, WebM and AVI clips and never follows references to other files.`,
    detail ?? `container format ${format}`,
  );
}

/** True when ffprobe's `format_name` (e.g. `mov,mp4,m4a,3gp,3g2,mj2`) names an allowed container. */
export function isAllowedContainer(formatName: string): boolean {
  return formatName.split(',').some((name) => allowedContainerFormats.includes(name));
}

/** Starts ffmpeg with `args` (everything after the global flags this module adds). */
export async function startFfmpeg(args: readonly string[], options: FfmpegRunOptions = {}): Promise<FfmpegProcess> {
  const { ffmpeg } = await resolveFfmpeg();
  const globalArgs = ['-nostdin', '-hide_banner', '-loglevel', options.logLevel ?? 'error'];
  if (options.onProgress) globalArgs.push('-progress', 'pipe:2', '-nostats');
  return startProcess(ffmpeg, [...globalArgs, ...withProtocolWhitelist(args)], options);
}

/** Runs ffmpeg to completion. */
export async function runFfmpeg(args: readonly string[], options: FfmpegRunOptions = {}): Promise<void> {
  const process = await startFfmpeg(args, { ...options, stdin: false, stdout: false });
  await process.done;
}

/** Runs ffprobe and returns its stdout (ffprobe output is small: JSON or a packet count). */
export async function runFfprobe(args: readonly string[], options: Pick<FfmpegRunOptions, 'signal' | 'task'> = {}): Promise<string> {
  const { ffprobe } = await resolveFfmpeg();
  const process = await startProcess(ffprobe, ['-hide_banner', '-loglevel', 'error', ...withProtocolWhitelist(args)], { ...options, stdout: true });
  const chunks: Buffer[] = [];
  process.stdout!.on('data', (chunk: Buffer) => chunks.push(chunk));
  await process.done;
  return Buffer.concat(chunks).toString('utf8');
}

/** Maps a failed run to a StudioError; exported so callers can classify errors from their own file writes too. */
export function classifyFailure(detail: string, task: string, cause?: unknown): StudioError {
  const refused = refusedFormatError(detail);
  if (refused) return refused;
  const code = (cause as { code?: unknown } | undefined)?.code;
  if (code === 'ENOSPC' || /No space left on device/i.test(detail)) {
    return new StudioError('DISK_FULL', 'The disk is full. Free some space or choose another folder, then try again.', detail, { cause });
  }
  return new StudioError('FFMPEG_FAILED', `ffmpeg could not ${task}.`, detail, { cause });
}

async function startProcess(binary: string, args: string[], options: FfmpegRunOptions): Promise<FfmpegProcess> {
  const task = options.task ?? 'process the media';
  const signal = options.signal;
  // Started off the host thread where the platform forks (see processLauncher), at a priority below the host's.
  const child = await launchProcess(binary, args, { stdin: options.stdin === true, stdout: options.stdout === true });
  let stopReason: 'user' | 'internal' | undefined;
  let spawnError: Error | undefined;
  let stderrTail = '';
  let progressBlock = '';
  let killTimer: NodeJS.Timeout | undefined;

  // EPIPE arrives here when ffmpeg exits while we write; the exit status explains why, so the event only needs a listener.
  child.stdin?.on('error', () => {});
  child.stdout?.on('error', () => {});
  child.on('error', (error) => (spawnError = error));
  child.stderr!.setEncoding('utf8');
  let partialLine = '';
  child.stderr!.on('data', (text: string) => {
    const lines = (partialLine + text).split(/\r?\n|\r/);
    partialLine = lines.pop() ?? '';
    for (const line of lines) handleStderrLine(line);
  });

  function handleStderrLine(line: string): void {
    if (options.onProgress && /^[a-z_0-9]+=/.test(line)) {
      progressBlock += `${line}\n`;
      if (line.startsWith('progress=')) {
        const progress = parseProgress(progressBlock);
        progressBlock = '';
        if (progress) options.onProgress(progress);
      }
      return;
    }
    if (line.trim() === '') return;
    stderrTail = `${stderrTail}${line}\n`.slice(-stderrTailChars);
  }

  const stop = (reason: 'user' | 'internal'): void => {
    if (stopReason) return;
    // Closing the pipes first unblocks an ffmpeg stuck reading or writing them. It also matters once ffmpeg has
    // exited: output nobody will read (a decoder stopped early) holds its stdout open, and 'close' waits for it.
    child.stdin?.destroy();
    child.stdout?.destroy();
    if (child.exitCode !== null || child.signalCode !== null) return;
    stopReason = reason;
    // SIGTERM lets it exit cleanly.
    child.kill('SIGTERM');
    killTimer = setTimeout(() => child.kill('SIGKILL'), killGraceMs);
    killTimer.unref();
  };
  const onAbort = (): void => stop('user');
  if (signal?.aborted) queueMicrotask(onAbort);
  else signal?.addEventListener('abort', onAbort, { once: true });

  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const done = closed.then(() => {
    clearTimeout(killTimer);
    signal?.removeEventListener('abort', onAbort);
    if (partialLine) handleStderrLine(partialLine);
    if (stopReason) throw cancelledError();
    if (spawnError) {
      const missing = (spawnError as NodeJS.ErrnoException).code === 'ENOENT';
      throw missing
        ? new StudioError('FFMPEG_MISSING', 'Matte Studio could not start ffmpeg: the binary has gone missing.', `${binary}: ${spawnError.message}`)
        : classifyFailure(`${binary}: ${spawnError.message}`, task, spawnError);
    }
    if (child.exitCode !== 0) {
      throw classifyFailure(`ffmpeg exited with ${child.exitCode ?? child.signalCode}: ${stderrTail.trim()}`, task);
    }
    // ffmpeg exits 0 when writing the trailer or closing the file fails (a disk filled up at the end of a WebM/MP4),
    // leaving a truncated file behind; its own error line is the only sign.
    if (outputWriteFailed.test(stderrTail)) throw classifyFailure(`ffmpeg exited with 0 after: ${stderrTail.trim()}`, task);
  });
  // Callers that only write and then call end() must not see an unhandled rejection before they await `done`.
  done.catch(() => {});

  return {
    stdout: child.stdout,
    done,
    kill: () => stop('internal'),
    async write(chunk: Uint8Array): Promise<void> {
      const stdin = child.stdin;
      if (!stdin) throw new TypeError('Expected stdin: true for write() but received stdin: false');
      if (stdin.destroyed || stdin.writableEnded) return failAfterExit();
      let accepted = true;
      const flushed = new Promise<Error | null | undefined>((resolve) => {
        accepted = stdin.write(chunk, resolve);
      });
      const outcome = await Promise.race([flushed, closed.then(() => 'closed' as const)]);
      if (outcome !== null && outcome !== undefined) return failAfterExit();
      // The write callback normally runs after 'drain'; wait anyway if the stream still asks for it.
      if (!accepted && stdin.writableNeedDrain) await Promise.race([once(stdin, 'drain'), closed]);
    },
    async end(): Promise<void> {
      child.stdin?.end();
      await done;
    },
  };

  /** Once ffmpeg has gone, its exit status is the real error; a clean exit means it stopped reading early. */
  async function failAfterExit(): Promise<never> {
    await done;
    throw new StudioError('FFMPEG_FAILED', `ffmpeg could not ${task}: it stopped reading frames early.`, stderrTail.trim());
  }
}

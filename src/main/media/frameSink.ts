/**
 * The part every frame writer shares: ffmpeg reads raw frames on stdin (`-f rawvideo pipe:0`), the caller awaits each
 * write (backpressure), and the output appears only when `finish()` succeeds. Any failure or cancel deletes it.
 */
import { assertImage, type Image8 } from '../../core/imageTypes';
import { StudioError, throwIfCancelled } from '../../shared/errors';
import { throttleProgress, type JobControl } from '../../shared/jobs';
import type { OutputTarget } from './outputTarget';
import { formatRational, type Rational } from './probeMedia';
import { startFfmpeg, type FfmpegProcess } from './runFfmpeg';

/** Receives frames and produces a file (or folder) when finished. */
export interface FrameSink {
  /** Frames accepted so far. */
  readonly framesWritten: number;
  /**
   * Sends one frame; resolves once ffmpeg has taken it, so the caller may reuse the buffer.
   * @throws RangeError when the frame does not match the sink's size and channels; StudioError when ffmpeg failed.
   */
  write(frame: Image8): Promise<void>;
  /** Closes the input, waits for ffmpeg, and moves the output into place. */
  finish(): Promise<void>;
  /** Stops without output (same as a cancel, but without an AbortSignal). */
  abort(): Promise<void>;
}

/** What {@link openRawFrameSink} needs. */
export interface RawFrameSinkOptions extends JobControl {
  width: number;
  height: number;
  /** 4 for RGBA frames, 1 for grey mattes. */
  channels: 1 | 4;
  fps: Rational;
  /** Expected frames, used only for progress fractions. */
  frameCount?: number;
  /** Progress stage name, e.g. `encode`. */
  stage: string;
  /** Completes "ffmpeg could not <task>." */
  task: string;
  /** Where the output goes. */
  target: OutputTarget;
  /** Everything after the raw-frame input: more inputs, maps, filters, codecs and the output path. */
  outputArgs: string[];
}

/** Starts ffmpeg reading raw frames from stdin. */
export async function openRawFrameSink(options: RawFrameSinkOptions): Promise<FrameSink> {
  const { width, height, channels, target, signal } = options;
  throwIfCancelled(signal);
  const inputArgs = [
    '-f', 'rawvideo',
    '-pix_fmt', channels === 4 ? 'rgba' : 'gray',
    '-video_size', `${width}x${height}`,
    '-framerate', formatRational(options.fps),
    '-i', 'pipe:0',
  ];
  let process: FfmpegProcess;
  try {
    process = await startFfmpeg(['-y', ...inputArgs, ...options.outputArgs], { signal, stdin: true, task: options.task });
  } catch (error) {
    await target.discard();
    throw error;
  }
  // Whatever ends ffmpeg badly (cancel, disk full, a crash) also removes the partial output, even between writes.
  const cleanedUp = process.done.then(
    () => undefined,
    async (error: unknown) => {
      await target.discard();
      throw error;
    },
  );
  cleanedUp.catch(() => {});
  const progress = throttleProgress(options.onProgress);
  const report = (fraction: number): void => progress({ stage: options.stage, fraction, item: target.path });
  let framesWritten = 0;
  let state: 'open' | 'finishing' | 'closed' = 'open';

  return {
    get framesWritten() {
      return framesWritten;
    },
    async write(frame: Image8): Promise<void> {
      assertImage(frame, 'frame', { channels, width, height });
      if (state !== 'open') throw new StudioError('INTERNAL', 'A frame arrived after the export was finished.', `state ${state}`);
      try {
        await process.write(frame.data);
      } catch (error) {
        await cleanedUp.catch(() => {});
        throw error;
      }
      framesWritten++;
      // Hold back the last percent for the muxer's trailer and the rename.
      if (options.frameCount) report(Math.min(0.99, framesWritten / options.frameCount));
    },
    async finish(): Promise<void> {
      if (state !== 'open') throw new StudioError('INTERNAL', 'The export was finished twice.', `state ${state}`);
      state = 'finishing';
      if (framesWritten === 0) {
        process.kill();
        await cleanedUp.catch(() => {});
        state = 'closed';
        throw new StudioError('INVALID_INPUT', 'There were no frames to export.');
      }
      try {
        await process.end();
        await cleanedUp;
        // A cancel that lands after ffmpeg exited cleanly still means the user does not want the file.
        throwIfCancelled(signal);
        await target.commit();
      } catch (error) {
        await target.discard();
        throw error;
      } finally {
        state = 'closed';
      }
      report(1);
    },
    async abort(): Promise<void> {
      state = 'closed';
      process.kill();
      await cleanedUp.catch(() => {});
      await target.discard();
    },
  };
}

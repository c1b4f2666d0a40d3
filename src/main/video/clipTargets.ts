import type { AlphaMatte, FloatImage, Image8 } from '../../core/imageTypes';
import { compositeOver } from '../../core/matting/compositeOver';
import { composeRgba } from '../../core/matting/premultiply';
import { isStudioError, StudioError, toErrorData } from '../../shared/errors';
import type { MediaInfo } from '../media/probeMedia';
import { hasAlpha, type ClipFormat } from './clipFormats';
import { openClipWriter, type ClipWriter } from './clipWriter';
import type { ClipBackground } from './loadBackground';

/** One export of a clip: a format and where it goes (a file, or a folder for `png`). */
export interface ClipExportTarget {
  format: ClipFormat;
  output: string;
}

/** How one target ended. */
export type ClipTargetResult =
  | { format: ClipFormat; output: string; ok: true; alphaVerified: boolean | null; audio: boolean }
  | { format: ClipFormat; output: string; ok: false; error: StudioError };

interface OpenTarget {
  target: ClipExportTarget;
  writer?: ClipWriter;
  error?: StudioError;
}

/**
 * The writers of one matting pass: every target gets the frames it needs (RGBA, grey matte, or a composite) from one
 * refined frame, so N formats cost one model pass. A target that fails (a full disk, an encoder error) is aborted —
 * leaving no partial file — and recorded, while the others go on; a cancel aborts them all.
 */
export class ClipTargets {
  private constructor(private readonly targets: OpenTarget[]) {}

  /** Opens a writer per target; one that cannot open is recorded as failed. */
  static async open(targets: ClipExportTarget[], info: MediaInfo, frameCount: number, background: ClipBackground, signal?: AbortSignal): Promise<ClipTargets> {
    const opened = await Promise.all(
      targets.map(async (target): Promise<OpenTarget> => {
        try {
          return { target, writer: await openClipWriter({ ...target, info, frameCount, background, signal }) };
        } catch (error) {
          if (isStudioError(error, 'CANCELLED')) throw error;
          return { target, error: asStudioError(error) };
        }
      }),
    );
    return new ClipTargets(opened);
  }

  /** True while at least one target can still be written. */
  get hasLiveTargets(): boolean {
    return this.targets.some((entry) => entry.writer && !entry.error);
  }

  /** Writes one refined frame to every live target, composing each layout once. */
  async write(foreground: FloatImage, alpha: AlphaMatte, background: ClipBackground): Promise<void> {
    let rgba: Image8 | undefined;
    let gray: Image8 | undefined;
    let composite: Image8 | undefined;
    for (const entry of this.targets) {
      if (!entry.writer || entry.error) continue;
      const { format } = entry.target;
      const frame =
        format === 'matte'
          ? (gray ??= toGrayMatte(alpha))
          : format === 'mp4' && background.kind === 'image'
            ? (composite ??= compositeOver(foreground, alpha, background.image))
            : (rgba ??= composeRgba(foreground, alpha, { premultiplied: false }));
      try {
        await entry.writer.write(frame);
      } catch (error) {
        if (isStudioError(error, 'CANCELLED')) throw error;
        entry.error = asStudioError(error);
        await entry.writer.abort();
      }
    }
  }

  /** Finishes and verifies every live target. */
  async finish(signal?: AbortSignal): Promise<ClipTargetResult[]> {
    for (const entry of this.targets) {
      if (!entry.writer || entry.error) continue;
      try {
        await entry.writer.finish();
        const verified = await entry.writer.verify(signal);
        entry.writer = Object.assign(entry.writer, { verified });
      } catch (error) {
        if (isStudioError(error, 'CANCELLED')) throw error;
        entry.error = asStudioError(error);
      }
    }
    return this.targets.map(({ target, writer, error }) =>
      error || !writer
        ? { ...target, ok: false as const, error: error ?? new StudioError('INTERNAL', 'The export did not start.') }
        : { ...target, output: writer.output, ok: true as const, alphaVerified: hasAlpha(target.format) ? true : null, audio: writer.hasAudio },
    );
  }

  /** Aborts every target (cancel or a failure of the whole pass): no partial files remain. */
  async abort(): Promise<void> {
    await Promise.all(this.targets.map((entry) => entry.writer?.abort().catch(() => {})));
  }
}

function asStudioError(error: unknown): StudioError {
  if (error instanceof StudioError) return error;
  const data = toErrorData(error);
  return new StudioError(data.code, data.message, data.detail);
}

function toGrayMatte(alpha: AlphaMatte): Image8 {
  const data = new Uint8Array(alpha.width * alpha.height);
  for (let index = 0; index < data.length; index++) data[index] = Math.round(Math.min(1, Math.max(0, alpha.data[index]!)) * 255);
  return { width: alpha.width, height: alpha.height, channels: 1, data };
}

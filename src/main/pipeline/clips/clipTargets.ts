import type { Image8 } from '../../../core/imageTypes';
import { formatSpec, type PixelLayout } from '../../../shared/outputFormats';
import { isStudioError, StudioError, toErrorData } from '../../../shared/errors';
import type { MediaInfo } from '../../media/probeMedia';
import { hasAlpha, type ClipFormat } from './clipFormats';
import { openClipWriter, type ClipWriter } from './clipWriter';
import type { ClipBackground } from './loadBackground';

/** One export of a clip: a format and where it goes (a file, or a folder for `png`). */
export interface ClipExportTarget {
  format: ClipFormat;
  output: string;
  /** False: a file that appears at `output` while the clip is made is kept, and this export fails (see `prepareOutputFile`). */
  mayReplace?: boolean;
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

  /**
   * The pixel layouts the live targets need, per the format table: `mp4` over a picture is composed in the kernel
   * worker, over a colour ffmpeg lays the straight cut-out on the colour itself.
   */
  layouts(background: ClipBackground): PixelLayout[] {
    return [...new Set(this.targets.filter((entry) => entry.writer && !entry.error).map((entry) => layoutFor(entry.target.format, background)))];
  }

  /** Writes one refined frame (its layers, composed once in the kernel worker) to every live target. */
  async write(layers: Partial<Record<PixelLayout, Image8>>, background: ClipBackground): Promise<void> {
    for (const entry of this.targets) {
      if (!entry.writer || entry.error) continue;
      const frame = layers[layoutFor(entry.target.format, background)];
      try {
        if (!frame) throw new StudioError('INTERNAL', 'A frame was refined without the pixels this format needs.');
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

function layoutFor(format: ClipFormat, background: ClipBackground): PixelLayout {
  const layout = formatSpec(format, 'clip')!.layout;
  return layout === 'composite' && background.kind !== 'image' ? 'straight' : layout;
}

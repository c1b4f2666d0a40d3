/**
 * The studio's Export: one item with one settings snapshot, through the same pipeline as every other export
 * (`batch/runBatch.ts`): the format table, the naming policy (`<name>.<ext>`, a matte `<name>_matte.<ext>`, a taken
 * name gets `-2`, `-3`…, an input is never replaced), the artist's hand edits per frame, and the mattes the studio
 * already computed (a clip matted in the background exports without running the model again). Cancelling leaves no
 * file behind. The output folder is checked against the studio's write scope first: in Electron a folder the user never
 * chose is refused with `OUTPUT_UNWRITABLE` and nothing is written.
 */
import { StudioError } from '../../shared/errors';
import type { ProgressListener } from '../../shared/jobs';
import { canonicalFormat, clipFormatIds, stillFormatIds } from '../../shared/outputFormats';
import type { RefinementSettings } from '../../shared/settings';
import { runBatch } from './batch/runBatch';
import type { Engine } from '../engine';
import type { WriteScope } from '../files/writeScope';
import type { FlaggedFrame } from './clips/matteClip';
import type { StudioItem } from '../handlers/itemRegistry';
import type { MaskEditStore } from '../handlers/maskEdits';
import type { MatteCache } from '../matteCache/matteCache';

/** One export request. */
export interface ExportRequest {
  item: StudioItem;
  /** A format of the table, or the studio's older words `matte-png` (a still's matte) and `png` (a clip's PNG sequence). */
  format: string;
  outputDir: string;
  settings: RefinementSettings;
  modelId?: string;
  /** Clips exported as `mp4`: `#rrggbb` or a picture path. */
  background?: string;
  /** Clips: export only the first frames (previews and tests). */
  maxFrames?: number;
  signal?: AbortSignal;
  onProgress?: ProgressListener;
}

/** What an export wrote. */
export interface ExportOutcome {
  output: string;
  /** True when the written file was read back with its alpha intact; null for formats without alpha. */
  alphaVerified: boolean | null;
  frames?: number;
  /** Clips: frames whose matte changed abruptly. */
  flaggedFrames?: FlaggedFrame[];
}

/** Runs exports; one instance per studio. Exports run one after another, so two never pick the same free name. */
export class Exporter {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly engine: Engine,
    private readonly mattes: MatteCache,
    private readonly maskEdits: MaskEditStore,
    /** Where exports may go (`files/writeScope.ts`); absent: anywhere (tests of the pipeline alone). */
    private readonly writeScope?: Pick<WriteScope, 'assertWritableAsync'>,
  ) {}

  /** Exports one item; rejects with `INVALID_INPUT` for a format that does not fit the item, or the export's error. */
  export(request: ExportRequest): Promise<ExportOutcome> {
    const run = this.queue.then(() => this.run(request));
    this.queue = run.catch(() => {});
    return run;
  }

  private async run(request: ExportRequest): Promise<ExportOutcome> {
    const { item } = request;
    const kind = item.info.kind === 'image' ? 'image' : 'clip';
    const format = canonicalFormat(request.format, kind);
    if (!format) throw wrongFormat(item, request.format, kind === 'image' ? stillFormatIds : clipFormatIds);
    const modelId = this.mattes.modelFor(item.info.id, request.modelId);
    const outcome = await runBatch(
      this.engine,
      {
        inputs: [item.info.path],
        outDir: request.outputDir,
        formats: [format],
        kinds: [kind],
        settings: { modelId, refinement: request.settings },
        background: request.background,
        maxFrames: request.maxFrames,
      },
      {
        signal: request.signal,
        onProgress: request.onProgress && ((progress) => request.onProgress!({ stage: progress.stage, fraction: progress.fraction, item: item.info.name })),
        sourceFor: () => ({
          maskEditFor: (frameIndex, width, height) => this.maskEdits.get(item.info.id, frameIndex, width, height),
          mattes: this.mattes.frameStore(item, modelId),
        }),
        writeScope: this.writeScope,
      },
    );
    const [result] = outcome.items;
    if (outcome.cancelled || !result) throw new StudioError('CANCELLED', 'The export was cancelled.');
    const failure = result.failed[0];
    if (failure) throw new StudioError(failure.error.code, failure.error.message, failure.error.detail);
    const written = result.outputs[0];
    if (!written) throw new StudioError('INTERNAL', `${item.info.name} was not exported: ${result.skipped.map((skip) => skip.reason).join(' ') || 'nothing was written'}.`);
    if (result.clip) return { output: written.path, alphaVerified: result.clip.alphaVerified, frames: result.clip.frames, flaggedFrames: result.clip.flaggedFrames };
    return { output: written.path, alphaVerified: result.alphaVerified ?? null };
  }
}

function wrongFormat(item: StudioItem, format: string, allowed: readonly string[]): StudioError {
  const what = item.info.kind === 'image' ? 'a picture' : 'a clip';
  return new StudioError('INVALID_INPUT', `${item.info.name} is ${what}: export it as ${allowed.join(', ')}, not ${format}.`);
}

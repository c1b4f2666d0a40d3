/**
 * Exports one item with one settings snapshot. Stills: PNG (straight or premultiplied), lossless WebP with alpha, or
 * the grey matte as PNG, written atomically and read back to verify the alpha. Clips: every clip format through
 * matteClip, with the artist's per-frame hand edits. Outputs are named `<name>.<ext>` in the output folder and never
 * overwrite anything: a taken name gets `-2`, `-3`… Cancelling leaves no file behind.
 */
import { lstat, mkdir } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import sharp from 'sharp';
import { StudioError, throwIfCancelled } from '../../shared/errors';
import type { ProgressListener } from '../../shared/jobs';
import type { RefinementSettings } from '../../shared/settings';
import type { Engine } from '../engine';
import { outputError, writeFileAtomically } from '../files/atomicWrite';
import { encodePng } from '../imageIo/encodePng';
import { clipFormats, clipOutputName, type ClipFormat } from '../video/clipFormats';
import { matteClip, type FlaggedFrame } from '../video/matteClip';
import type { StudioItem } from './itemRegistry';
import type { MaskEditStore } from './maskEdits';
import type { MatteCache } from './matteCache';
import type { RefineOutput } from './refineJob';
import type { RefinePool } from './refinePool';
import type { SourceFrames } from './sourceFrames';

/** Still export formats and how each is refined and named. */
const stillFormats = {
  png: { output: 'straight', suffix: '.png' },
  'png-premultiplied': { output: 'premultiplied', suffix: '.png' },
  webp: { output: 'straight', suffix: '.webp' },
  'matte-png': { output: 'matte', suffix: '_matte.png' },
} as const satisfies Record<string, { output: RefineOutput; suffix: string }>;
type StillFormat = keyof typeof stillFormats;

/** One export request. */
export interface ExportRequest {
  item: StudioItem;
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

/** Writes exports; one instance per studio, so concurrent exports never pick the same name. */
export class Exporter {
  private readonly reserved = new Set<string>();

  constructor(
    private readonly engine: Engine,
    private readonly sources: SourceFrames,
    private readonly mattes: MatteCache,
    private readonly pool: RefinePool,
    private readonly maskEdits: MaskEditStore,
  ) {}

  /** Exports one item; rejects with `INVALID_INPUT` for a format that does not fit the item. */
  async export(request: ExportRequest): Promise<ExportOutcome> {
    const { item, format } = request;
    // `png` names both a still format and the clip PNG sequence: the item's kind decides.
    const isStill = item.info.kind === 'image';
    if (isStill && !Object.hasOwn(stillFormats, format)) throw wrongFormat(item, format, Object.keys(stillFormats));
    if (!isStill && !(clipFormats as readonly string[]).includes(format)) throw wrongFormat(item, format, clipFormats);
    await mkdir(request.outputDir, { recursive: true }).catch((error: unknown) => {
      throw outputError(error, request.outputDir);
    });
    const stem = basename(item.info.path, extname(item.info.path)) || 'image';
    const namer = isStill ? (candidate: string) => `${candidate}${stillFormats[format as StillFormat].suffix}` : (candidate: string) => clipOutputName(candidate, format as ClipFormat);
    const output = await this.reserve(request.outputDir, stem, namer);
    try {
      return isStill ? await this.exportStill(request, format as StillFormat, output) : await this.exportClip(request, format as ClipFormat, output);
    } finally {
      this.reserved.delete(output);
    }
  }

  private async exportStill(request: ExportRequest, format: StillFormat, output: string): Promise<ExportOutcome> {
    const { item, signal } = request;
    const report: ProgressListener = request.onProgress ?? (() => {});
    report({ stage: 'decoding', fraction: 0, item: item.info.name });
    const image = await this.sources.get(item, 0, signal);
    report({ stage: 'matting', fraction: 0.15, item: item.info.name });
    const tiered = await this.mattes.get(item, 0, this.mattes.modelFor(item.info.id, request.modelId), { signal });
    throwIfCancelled(signal, 'The export');
    report({ stage: 'refining', fraction: 0.4, item: item.info.name });
    const maskEdit = this.maskEdits.get(item.info.id, 0, image.width, image.height);
    const refined = await this.pool.run({ image, matte: tiered.matte, settings: request.settings, output: stillFormats[format].output, maskEdit }, signal);
    report({ stage: 'encoding', fraction: 0.75, item: item.info.name });
    const pixels = { width: refined.width, height: refined.height, channels: refined.channels, data: refined.pixels };
    const bytes =
      format === 'webp'
        ? await sharp(Buffer.from(pixels.data.buffer, pixels.data.byteOffset, pixels.data.byteLength), { raw: { width: pixels.width, height: pixels.height, channels: 4 } })
            .webp({ lossless: true, exact: true, effort: 4 })
            .toBuffer()
        : await encodePng(pixels);
    throwIfCancelled(signal, 'The export');
    report({ stage: 'writing', fraction: 0.9, item: item.info.name });
    await writeFileAtomically(output, bytes);
    const alphaVerified = refined.channels === 4 ? await verifyStillAlpha(output, refined.pixels) : null;
    report({ stage: 'done', fraction: 1, item: item.info.name });
    return { output, alphaVerified };
  }

  private async exportClip(request: ExportRequest, format: ClipFormat, output: string): Promise<ExportOutcome> {
    const { item } = request;
    const { width, height } = item.info;
    const outcome = await matteClip(this.engine, {
      input: item.info.path,
      output,
      format,
      settings: { modelId: this.mattes.modelFor(item.info.id, request.modelId), refinement: request.settings, output: { premultiplied: false, maskOnly: false } },
      background: request.background,
      maxFrames: request.maxFrames,
      maskEditFor: (frameIndex) => this.maskEdits.get(item.info.id, frameIndex, width, height),
      signal: request.signal,
      onProgress: request.onProgress,
    });
    return { output: outcome.output, alphaVerified: outcome.alphaVerified, frames: outcome.frames, flaggedFrames: outcome.flaggedFrames };
  }

  /** The first free `<stem>…`, `<stem>-2…` name in `folder`, held until the export ends. */
  private async reserve(folder: string, stem: string, name: (stem: string) => string): Promise<string> {
    for (let counter = 1; ; counter++) {
      const candidate = join(folder, name(counter === 1 ? stem : `${stem}-${counter}`));
      if (this.reserved.has(candidate)) continue;
      const taken = await lstat(candidate).then(
        () => true,
        () => false,
      );
      if (taken) continue;
      this.reserved.add(candidate);
      return candidate;
    }
  }
}

/** Reads the written file back: it must have four channels and exactly the alpha that was written. */
async function verifyStillAlpha(path: string, rgba: Uint8Array): Promise<boolean> {
  const { data, info } = await sharp(path).raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== 4 || data.length !== rgba.length) return false;
  for (let index = 3; index < rgba.length; index += 4) if (data[index] !== rgba[index]) return false;
  return true;
}

function wrongFormat(item: StudioItem, format: string, allowed: readonly string[]): StudioError {
  const what = item.info.kind === 'image' ? 'a picture' : 'a clip';
  return new StudioError('INVALID_INPUT', `${item.info.name} is ${what}: export it as ${allowed.join(', ')}, not ${format}.`);
}

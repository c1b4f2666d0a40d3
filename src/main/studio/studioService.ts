/**
 * The engine side of the studio contract: one object that both shells serve (Electron over IPC, the web shell over
 * its loopback WebSocket) and whose media the shells' protocol handlers fetch through `mediaRouter.ts`. Free of
 * HTTP and Electron: it knows requests, events and bytes.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ContractHandlers, HandlerContext } from '../../shared/rpc/defineContract';
import type { StudioContract } from '../../shared/contract/studioContract';
import type { JobProgress } from '../../shared/jobs';
import type { Engine } from '../engine';
import type { FlaggedFrame } from '../video/matteClip';
import { createBatchHandlers } from './batchHandlers';
import { Exporter } from './exportItem';
import { FrameImages } from './frameImages';
import { ItemRegistry } from './itemRegistry';
import { listFolder } from './listFolder';
import { maskEditFromTiles, MaskEditStore } from './maskEdits';
import { MatteCache, provenanceOf } from './matteCache';
import { PreviewRenderer } from './previewRenderer';
import { createProjectService, defaultSettingsFolder, type ProjectServiceOptions } from './projectHandlers';
import { RefinePool, type RefinePoolOptions } from './refinePool';
import { checkFrameIndex, SourceFrames } from './sourceFrames';

/** Options of {@link createStudioService}. */
export interface StudioServiceOptions {
  engine: Engine;
  /** Which shell serves the studio (the title bar shows it; the renderer hides the web file browser in Electron). */
  shell: 'electron' | 'web';
  /** The app version; read from the project's package.json when absent (the packaged app passes `app.getVersion()`). */
  version?: string;
  /** The refinement worker (the Electron build passes its bundled entry as `workerEntry`). */
  refinePool?: RefinePoolOptions;
  /** Hears background failures (frame proxies, worker fallback), for the log. */
  onError?: (error: unknown) => void;
  /** Recent projects, app settings and recovery copies. @default `MATTE_STUDIO_SETTINGS_DIR`, else `~/.matte-studio` */
  settingsFolder?: string;
  /** Startup paths, autosave timing and shell hooks of the project handlers (see `projectHandlers.ts`). */
  projects?: Pick<ProjectServiceOptions, 'startupPaths' | 'autosave' | 'onProjectPath' | 'onRendererReady'>;
}

/** The studio's engine: contract handlers plus what the media router reads. */
export interface StudioService {
  readonly handlers: ContractHandlers<StudioContract>;
  readonly items: ItemRegistry;
  readonly previews: PreviewRenderer;
  readonly frames: FrameImages;
  readonly refinePool: RefinePool;
  /** Stops background work and the worker (the engine itself belongs to the caller). */
  dispose(): Promise<void>;
}

type Context = HandlerContext<StudioContract>;

/** Builds the studio service over an engine. */
export function createStudioService(options: StudioServiceOptions): StudioService {
  const { engine } = options;
  const lifetime = new AbortController();
  const sources = new SourceFrames(lifetime.signal);
  const mattes = new MatteCache(engine, sources);
  const refinePool = new RefinePool({ onFallback: (reason) => options.onError?.(new Error(`Refinement runs in-process: ${reason}`)), ...options.refinePool });
  const previews = new PreviewRenderer(sources, mattes, refinePool);
  const frames = new FrameImages(lifetime.signal, { onError: options.onError });
  const maskEdits = new MaskEditStore();
  const exporter = new Exporter(engine, sources, mattes, refinePool, maskEdits);
  const flaggedFrames = new Map<string, FlaggedFrame[]>();
  const items = new ItemRegistry((id) => {
    // The file changed on disk: every decoded picture, matte and preview base of it is stale.
    for (const cache of [sources, mattes, previews, frames]) cache.forget(id);
  });
  const batch = createBatchHandlers(engine, items);
  const projects = createProjectService({ items, maskEdits, settingsFolder: options.settingsFolder ?? defaultSettingsFolder(), ...options.projects, onError: options.onError });
  const version = options.version ?? readPackageVersion();

  /** Progress of one job as events: every stage change and the end pass, updates within a stage ≤ 10 per second. */
  const progressFor = (context: Context, jobId: string) => {
    let lastStage: string | undefined;
    let lastTime = -Infinity;
    return (progress: JobProgress) => {
      const now = Date.now();
      if (progress.stage === lastStage && progress.fraction < 1 && now - lastTime < 100) return;
      [lastStage, lastTime] = [progress.stage, now];
      context.emit('onJobProgress', { jobId, ...progress, fraction: Math.min(1, Math.max(0, progress.fraction)) });
    };
  };

  const handlers: ContractHandlers<StudioContract> = {
    async getAppInfo() {
      const { installed, available } = await engine.models.listModels();
      const models = [...installed.map((model) => ({ spec: model.spec, installed: true })), ...available.map((spec) => ({ spec, installed: false }))];
      return { version, shell: options.shell, models };
    },

    openPaths: (input, context) => items.open(input.paths, context.signal),

    listFolder: (input) => listFolder(input.path),

    async matteItem(input, context) {
      const item = items.get(input.itemId);
      checkFrameIndex(item, input.frameIndex);
      const report = progressFor(context, input.jobId);
      mattes.choose(item.info.id, input.modelId);
      const tiered = await mattes.get(item, input.frameIndex, input.modelId, {
        rerun: input.rerun,
        signal: context.signal,
        onStage: (stage) => report({ stage, fraction: stage === 'decoding' ? 0 : 0.2, item: item.info.name }),
      });
      report({ stage: 'done', fraction: 1, item: item.info.name });
      return provenanceOf(tiered);
    },

    renderPreview(input, context) {
      const item = items.get(input.itemId);
      checkFrameIndex(item, input.frameIndex);
      return previews.render({ item, frameIndex: input.frameIndex, settings: input.settings, maxSide: input.maxSide, modelId: input.modelId, signal: context.signal });
    },

    setMaskEdit(input) {
      const item = items.get(input.itemId);
      checkFrameIndex(item, input.frameIndex);
      maskEdits.set(item.info.id, input.frameIndex, input.edit ? maskEditFromTiles(input.edit) : null);
      return { ok: true as const };
    },

    getFlaggedFrames: (input) => flaggedFrames.get(items.get(input.itemId).info.id) ?? [],

    async exportItem(input, context) {
      const item = items.get(input.itemId);
      const outcome = await exporter.export({
        item,
        format: input.format,
        outputDir: resolve(input.outputDir),
        settings: input.settings,
        modelId: input.modelId,
        background: input.background,
        maxFrames: input.maxFrames,
        signal: context.signal,
        onProgress: progressFor(context, input.jobId),
      });
      if (outcome.flaggedFrames) flaggedFrames.set(item.info.id, outcome.flaggedFrames);
      return { output: outcome.output, alphaVerified: outcome.alphaVerified, ...(outcome.frames === undefined ? {} : { frames: outcome.frames }) };
    },

    ...batch.handlers,
    ...projects.handlers,
  };

  return {
    handlers,
    items,
    previews,
    frames,
    refinePool,
    async dispose() {
      // A clean exit ends the autosave session, so no recovery is offered next time.
      await projects.close();
      lifetime.abort();
      frames.dispose();
      await Promise.all([refinePool.dispose(), batch.dispose()]);
    },
  };
}

/** The version in the project's package.json (three folders up from `src/main/studio`), or `0.0.0`. */
function readPackageVersion(): string {
  try {
    const manifest = JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'package.json'), 'utf8')) as { version?: unknown };
    return typeof manifest.version === 'string' ? manifest.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

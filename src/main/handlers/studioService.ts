/**
 * The engine side of the studio contract: one object that both shells serve (Electron over IPC, the web shell over
 * its loopback WebSocket) and whose media the shells' protocol handlers fetch through `mediaRouter.ts`. Free of
 * HTTP and Electron: it knows requests, events and bytes.
 */
import { join, resolve } from 'node:path';
import type { ContractHandlers, HandlerContext } from '../../shared/rpc/defineContract';
import type { StudioContract } from '../../shared/contract/studioContract';
import type { JobProgress } from '../../shared/jobs';
import type { Engine } from '../engine';
import type { FlaggedFrame } from '../pipeline/clips/matteClip';
import { BackgroundMatting } from './backgroundMatting';
import { BackgroundPictures } from './backgroundPictures';
import { createBatchHandlers } from './batchHandlers';
import { defaultCacheFolder, DiskMatteCache, type DiskMatteCacheOptions } from '../matteCache/diskMatteCache';
import { Exporter } from '../pipeline/exportItem';
import { FrameImages } from './frameImages';
import { ItemRegistry, itemIdFor } from './itemRegistry';
import { listFolder } from './listFolder';
import { maskEditFromTiles, MaskEditStore } from './maskEdits';
import { createModelHandlers } from './modelHandlers';
import { MatteCache, provenanceOf } from '../matteCache/matteCache';
import { ScrubLayers } from './scrubLayers';
import { ScrubAlphaCache } from '../matteCache/scrubAlphaCache';
import { PreviewRenderer } from './previewRenderer';
import { createProjectService, defaultSettingsFolder, type ProjectServiceOptions } from './projectHandlers';
import type { KernelWorkers } from '../kernels/kernelWorkers';
import { checkFrameIndex, SourceFrames } from './sourceFrames';
import { appVersion } from '../environment';
import { defaultWriteScope, type WriteScope } from '../files/writeScope';
import { requireFullFolderPath } from '../files/fullPath';

/** Options of {@link createStudioService}. */
export interface StudioServiceOptions {
  engine: Engine;
  /** Which shell serves the studio (the title bar shows it; the renderer hides the web file browser in Electron). */
  shell: 'electron' | 'web';
  /** The app version; read from the project's package.json when absent (the packaged app passes `app.getVersion()`). */
  version?: string;
  /** Hears background failures (frame proxies, worker fallback), for the log. */
  onError?: (error: unknown) => void;
  /** Recent projects, app settings and recovery copies. @default `MATTE_STUDIO_SETTINGS_DIR`, else `~/.matte-studio` */
  settingsFolder?: string;
  /**
   * The on-disk matte cache: its folder (default `MATTE_STUDIO_CACHE_DIR`, else `~/.matte-studio/cache`) and size cap;
   * `false` keeps mattes in memory only.
   */
  matteCache?: Pick<DiskMatteCacheOptions, 'folder' | 'maxBytes'> | false;
  /** Matte opened clips in the background. @default true */
  backgroundMatting?: boolean;
  /** Startup paths, autosave timing and shell hooks of the project handlers (see `projectHandlers.ts`). */
  projects?: Pick<ProjectServiceOptions, 'startupPaths' | 'autosave' | 'onProjectPath' | 'onRendererReady'>;
  /**
   * Where the contract may write: project saves, Export and Batch Export check every output against it (strict in
   * Electron, where the shell registers what the user chose; recording only in the web shell). @default defaultWriteScope
   */
  writeScope?: WriteScope;
}

/** The studio's engine: contract handlers plus what the media router reads. */
export interface StudioService {
  readonly handlers: ContractHandlers<StudioContract>;
  readonly items: ItemRegistry;
  readonly previews: PreviewRenderer;
  readonly frames: FrameImages;
  /** Mattes of every frame (memory + disk); `frameStore(item, modelId)` is the export pipeline's view of it. */
  readonly mattes: MatteCache;
  /** The background passes over clips. */
  readonly background: BackgroundMatting;
  /** Proxy-size frames with their cached matte, for scrubbing and playback. */
  readonly scrub: ScrubLayers;
  /** The kept "On picture" pictures (the media route serves them back). */
  readonly backgroundPictures: BackgroundPictures;
  readonly refinePool: KernelWorkers;
  /** Stops background work and the worker (the engine itself belongs to the caller). */
  dispose(): Promise<void>;
}

type Context = HandlerContext<StudioContract>;

/** Builds the studio service over an engine. */
export function createStudioService(options: StudioServiceOptions): StudioService {
  const { engine } = options;
  const writeScope = options.writeScope ?? defaultWriteScope;
  const lifetime = new AbortController();
  const sources = new SourceFrames(lifetime.signal);
  // The user cache folder: mattes, their small copies for playback and background pictures each get a subfolder.
  const cacheFolder = (options.matteCache ? options.matteCache.folder : undefined) ?? defaultCacheFolder();
  const disk = options.matteCache === false ? undefined : new DiskMatteCache({ ...options.matteCache, folder: cacheFolder, onError: options.onError });
  const mattes = new MatteCache(engine, sources, { disk, onError: options.onError });
  // Each frame the background pass mattes is resized for scrubbing and playback at once (`scrub` is made below).
  const background = new BackgroundMatting(mattes, lifetime.signal, {
    onError: options.onError,
    playback: {
      prepare: (item, frameIndex, modelKey, tiered, quality) => void scrub.prepare(item, frameIndex, modelKey, tiered, quality),
      ensure: (item, frameIndex, modelKey, quality) => scrub.ensure(item, frameIndex, modelKey, quality),
    },
  });
  const isBackgroundMattingOn = options.backgroundMatting ?? true;
  // The engine's one kernel pool: previews, exports and batches share it (the Electron build gives it its entry).
  const refinePool = engine.kernels;
  const maskEdits = new MaskEditStore();
  // Previews re-solve alpha where the Refine Edge brush marked (the renderer composes add/subtract itself).
  const previews = new PreviewRenderer(sources, mattes, refinePool, undefined, undefined, (itemId, frameIndex, width, height) => maskEdits.refineEdgeMask(itemId, frameIndex, width, height));
  const frames = new FrameImages(lifetime.signal, { onError: options.onError });
  const scrubDisk = options.matteCache === false ? undefined : new ScrubAlphaCache({ folder: cacheFolder, onError: options.onError });
  const scrub = new ScrubLayers(frames, mattes, { disk: scrubDisk, onError: options.onError });
  const exporter = new Exporter(engine, mattes, maskEdits, writeScope);
  const backgroundPictures = new BackgroundPictures(join(cacheFolder, 'backgrounds'));
  const flaggedFrames = new Map<string, FlaggedFrame[]>();
  const items = new ItemRegistry((id) => {
    // The file changed on disk: every decoded picture, matte and preview base of it is stale.
    for (const cache of [sources, mattes, previews, frames, background, scrub]) cache.forget(id);
  });
  // Batch output includes the artist's hand edits and reuses mattes already computed for opened files.
  const batch = createBatchHandlers(engine, items, {
    sourceFor: (input, modelId) => {
      const item = items.find(itemIdFor(input));
      if (!item) return undefined;
      return { maskEditFor: (frameIndex, width, height) => maskEdits.get(item.info.id, frameIndex, width, height), mattes: mattes.frameStore(item, modelId) };
    },
    writeScope,
  });
  // An installed or removed model changes which model "the best installed" is: the next matte must look again.
  const models = createModelHandlers(engine, { onModelsChanged: () => mattes.forgetModelKeys() });
  const projects = createProjectService({ items, maskEdits, backgrounds: backgroundPictures, settingsFolder: options.settingsFolder ?? defaultSettingsFolder(), ...options.projects, onError: options.onError, writeScope });
  const version = options.version ?? appVersion();

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

    async openPaths(input, context) {
      const opened = await items.open(input.paths, context.signal);
      if (isBackgroundMattingOn) for (const info of opened.items) background.start(items.get(info.id), mattes.modelFor(info.id));
      return opened;
    },

    listFolder: (input, context) => listFolder(input.path, { signal: context.signal, writeScope }),

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
      background.noteMatted(item.info.id, input.frameIndex, mattes.modelFor(item.info.id));
      // A new model choice re-mattes the clip in the background with that model (cached frames are skipped); a pass
      // the user cancelled is not restarted by a frame they look at.
      if (isBackgroundMattingOn) background.follow(item, mattes.modelFor(item.info.id));
      return provenanceOf(tiered);
    },

    renderPreview(input, context) {
      const item = items.get(input.itemId);
      checkFrameIndex(item, input.frameIndex);
      // A user request: the background pass holds back while it runs.
      return mattes.activity.run(() => previews.render({ item, frameIndex: input.frameIndex, settings: input.settings, maxSide: input.maxSide, modelId: input.modelId, signal: context.signal }));
    },

    setMaskEdit(input) {
      const item = items.get(input.itemId);
      checkFrameIndex(item, input.frameIndex);
      maskEdits.set(item.info.id, input.frameIndex, input.edit ? maskEditFromTiles(input.edit) : null);
      return { ok: true as const };
    },

    storeBackgroundPicture: (input) => backgroundPictures.store(input.name, Buffer.from(input.base64, 'base64')),

    getFlaggedFrames: (input) => flaggedFrames.get(items.get(input.itemId).info.id) ?? [],

    async exportItem(input, context) {
      const item = items.get(input.itemId);
      await backgroundPictures.assertStillKept(input.background);
      const outcome = await mattes.activity.run(() => exporter.export({
        item,
        format: input.format,
        outputDir: resolve(requireFullFolderPath(input.outputDir)),
        settings: input.settings,
        modelId: input.modelId,
        background: input.background,
        maxFrames: input.maxFrames,
        signal: context.signal,
        onProgress: progressFor(context, input.jobId),
      }));
      if (outcome.flaggedFrames) flaggedFrames.set(item.info.id, outcome.flaggedFrames);
      return { output: outcome.output, alphaVerified: outcome.alphaVerified, ...(outcome.frames === undefined ? {} : { frames: outcome.frames }) };
    },

    async watchMatting(_input, context) {
      const unsubscribe = background.subscribe((coverage) => context.emit('onMattingProgress', coverage));
      try {
        for (const coverage of background.all()) context.emit('onMattingProgress', coverage);
        await new Promise<void>((resolve) => {
          const signal = AbortSignal.any([context.signal, lifetime.signal]);
          if (signal.aborted) resolve();
          else signal.addEventListener('abort', () => resolve(), { once: true });
        });
      } finally {
        unsubscribe();
      }
      return { ok: true as const };
    },

    getMattingCoverage: (input) => background.coverage(items.get(input.itemId).info.id) ?? null,

    cancelBackgroundMatting(input) {
      background.cancel(items.get(input.itemId).info.id);
      return { ok: true as const };
    },

    startBackgroundMatting(input) {
      const item = items.get(input.itemId);
      background.start(item, mattes.modelFor(item.info.id, input.modelId));
      return { ok: true as const };
    },

    ...batch.handlers,
    // A batch is the user's own work too: the background pass holds back until it ends.
    runBatch: async (input, context) => {
      await backgroundPictures.assertStillKept(input.background);
      return mattes.activity.run(async () => batch.handlers.runBatch(input, context));
    },
    ...models.handlers,
    ...projects.handlers,
  };

  return {
    handlers,
    items,
    previews,
    frames,
    mattes,
    background,
    scrub,
    backgroundPictures,
    refinePool,
    async dispose() {
      // A clean exit ends the autosave session, so no recovery is offered next time.
      await projects.close();
      lifetime.abort();
      models.dispose();
      background.dispose();
      frames.dispose();
      await mattes.flush();
      await batch.dispose();
    },
  };
}


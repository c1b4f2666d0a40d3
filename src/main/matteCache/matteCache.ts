/**
 * The model's low-resolution mattes, computed once per (source file, frame, model, model input size) and kept: in a
 * memory LRU and on disk (`diskMatteCache.ts`), so matting, every preview tick, the background pass over a clip and
 * exports all reuse them, across restarts too. Settings that only refine a matte (radius, spill, feather…) are not
 * part of the key: changing them never runs the model. A model run cannot be interrupted once started, so a caller
 * that cancels stops waiting while the run finishes into the cache for the next caller.
 */
import { stat } from 'node:fs/promises';
import type { Image8 } from '../../core/imageTypes';
import type { MatteProvenance } from '../../shared/contract/studioContract';
import { throwIfCancelled } from '../../shared/errors';
import type { Engine } from '../engine';
import { computeMatte, type TieredMatte } from '../pipeline/computeMatte';
import type { FrameMatteStore } from '../pipeline/frameMatteStore';
import { raceSignal, SharedWork } from '../handlers/abortable';
import { ByteLru } from './byteLru';
import type { DiskMatteCache } from './diskMatteCache';
import { fileStamp, type StudioItem } from '../handlers/itemRegistry';
import type { SourceFrames } from '../handlers/sourceFrames';
import { UserActivity } from '../handlers/userActivity';
import { draftInputSide, type InferenceQuality } from '../inference/inferenceQuality';
import { toRunnableModel } from '../inference/mattingSession';

/** Options of {@link MatteCache.get}. */
export interface GetMatteOptions {
  /** Drop a cached matte (memory and disk) and run the model again. */
  rerun?: boolean;
  signal?: AbortSignal;
  /** Hears `decoding` and `matting` as the work reaches them. */
  onStage?: (stage: 'decoding' | 'matting') => void;
  /** The frame's pixels when the caller already decoded them (the background pass streams the clip). */
  image?: Image8;
  /**
   * `user` (default): a request the user waits for; background work holds back while it runs. `background`: the
   * background pass itself.
   */
  priority?: 'user' | 'background';
  /** `draft`: the model's smaller review size (the background pass's first sweep); cached apart from `full`. @default full */
  quality?: InferenceQuality;
}

/** Options of {@link MatteCache}. */
export interface MatteCacheOptions {
  /** Bytes of mattes kept in memory (a 1024² matte is 4 MiB). @default 128 MiB */
  budgetBytes?: number;
  /** The disk half; absent: memory only. */
  disk?: DiskMatteCache;
  /** Shared with the background pass, which waits while user requests run. @default a private one */
  activity?: UserActivity;
  /** Hears disk write failures, for the log. */
  onError?: (error: unknown) => void;
}

/** What the renderer is told about a matte's origin. */
export function provenanceOf(tiered: TieredMatte): MatteProvenance {
  return { tier: tiered.tier, model: tiered.model, ep: tiered.ep, fallbackReasons: tiered.fallbackReasons, ...(tiered.providerNotes ? { providerNotes: tiered.providerNotes } : {}), quality: tiered.quality ?? 'full' };
}

/**
 * The cache key of one matte. Everything that changes the model's output is in it: the source file's identity (path,
 * size and modification time, so an edited file never serves stale mattes), the frame, the model (id and file size)
 * and the model input size (`inputSide`; absent: the model's own full input size).
 */
export function matteKeyOf(item: StudioItem, frameIndex: number, modelKey: string, inputSide?: number): string {
  return JSON.stringify(['matte/1', item.info.path, item.stamp, frameIndex, modelKey, inputSide ?? 'full']);
}

/** The `inputSide` part of a key for a quality: absent for full, the draft side for draft. */
export function inputSideOf(quality: InferenceQuality): number | undefined {
  return quality === 'draft' ? draftInputSide : undefined;
}

/** How long a resolved model key is reused before the model folder is read again. */
const modelKeyLifetimeMs = 5_000;

/** Cache of tiered mattes in memory and on disk. */
export class MatteCache {
  readonly activity: UserActivity;
  private readonly memory: ByteLru<string, TieredMatte>;
  /** Item id per memory key, so {@link forget} finds an item's entries. */
  private readonly itemOfKey = new Map<string, string>();
  private readonly work = new SharedWork<TieredMatte>();
  /** The model last asked for per item, which previews and exports use when they name none. */
  private readonly chosenModels = new Map<string, string>();
  private readonly modelKeys = new Map<string, { key: Promise<string>; atMs: number }>();
  private readonly pendingWrites = new Set<Promise<void>>();

  constructor(
    private readonly engine: Engine,
    private readonly sources: SourceFrames,
    private readonly options: MatteCacheOptions = {},
  ) {
    this.memory = new ByteLru(options.budgetBytes ?? 128 * 1024 * 1024, (key) => this.itemOfKey.delete(key));
    this.activity = options.activity ?? new UserActivity();
  }

  /** The model id to use for an item when a request names none: the last one matteItem was asked for. */
  modelFor(itemId: string, requested?: string): string | undefined {
    return requested ?? (this.chosenModels.get(itemId) || undefined);
  }

  /** Remembers the model the user chose for an item. */
  choose(itemId: string, modelId: string | undefined): void {
    this.chosenModels.set(itemId, modelId ?? '');
  }

  /**
   * The model part of a key: the model that would run first (`modelId`, else the best installed one) by id and file
   * size, so installing a better model or replacing a model file never serves the old model's mattes. A chosen model
   * that is not installed marks the key too: those mattes carry the reason another model made them.
   */
  modelKey(modelId: string | undefined): Promise<string> {
    const now = Date.now();
    const cached = this.modelKeys.get(modelId ?? '');
    if (cached && now - cached.atMs < modelKeyLifetimeMs) return cached.key;
    const key = this.engine.models.pickTiers(modelId).then(({ best, missingPreferred }) => `${best ? `${best.spec.id}@${best.bytes}` : 'classical'}${missingPreferred ? ` instead of ${modelId}` : ''}`);
    key.catch(() => this.modelKeys.delete(modelId ?? ''));
    this.modelKeys.set(modelId ?? '', { key, atMs: now });
    return key;
  }

  /**
   * Forgets every resolved model key, so the next matte picks its model from the folder again. Called when a model is
   * installed or removed: without it, "the best installed model" would stay the old one for up to
   * `modelKeyLifetimeMs`, and a removed model's key would still be served.
   */
  forgetModelKeys(): void {
    this.modelKeys.clear();
  }

  /** The matte of one frame with one model (the best installed one when `modelId` is absent). */
  async get(item: StudioItem, frameIndex: number, modelId: string | undefined, options: GetMatteOptions = {}): Promise<TieredMatte> {
    if (options.priority === 'background') return this.lookUpOrCompute(item, frameIndex, modelId, options);
    return this.activity.run(() => this.lookUpOrCompute(item, frameIndex, modelId, options));
  }

  /** A cached matte (memory, then disk); never runs the model. */
  async peek(item: StudioItem, frameIndex: number, modelKey: string, quality: InferenceQuality = 'full'): Promise<TieredMatte | undefined> {
    const key = matteKeyOf(item, frameIndex, modelKey, inputSideOf(quality));
    const inMemory = this.memory.get(key);
    if (inMemory) return inMemory;
    const onDisk = await this.options.disk?.get(key);
    if (onDisk) this.remember(item, key, onDisk);
    return onDisk;
  }

  /**
   * True when the model that would run first (as in {@link get}) runs faster at the draft size: its graph takes a
   * smaller input. False for a model with a fixed input size, the classical tier, or a model that fails to open.
   */
  async hasDraft(modelId: string | undefined): Promise<boolean> {
    try {
      const { best } = await this.engine.models.pickTiers(modelId);
      if (!best) return false;
      const session = await this.engine.sessions.get(toRunnableModel(best));
      const full = session.inputSize('full');
      const draft = session.inputSize('draft');
      return draft.width * draft.height < full.width * full.height;
    } catch {
      return false;
    }
  }

  /** True when the frame's matte is cached in memory or on disk. */
  async has(item: StudioItem, frameIndex: number, modelKey: string, quality: InferenceQuality = 'full'): Promise<boolean> {
    const key = matteKeyOf(item, frameIndex, modelKey, inputSideOf(quality));
    return this.memory.has(key) || ((await this.options.disk?.has(key)) ?? false);
  }

  /** Keeps a matte for a frame (in memory at once, on disk when the returned promise resolves). */
  store(item: StudioItem, frameIndex: number, modelKey: string, tiered: TieredMatte, quality: InferenceQuality = 'full'): Promise<void> {
    const key = matteKeyOf(item, frameIndex, modelKey, inputSideOf(quality));
    this.remember(item, key, tiered);
    return this.writeToDisk(key, tiered);
  }

  /**
   * The store the export pipeline reads mattes from and leaves its own in: this cache (memory + disk) for one item
   * and model (`modelId` absent: the best installed model, as in {@link get}). A file edited on disk since it was
   * opened gets no cached matte, and leaves none under its old stamp.
   */
  frameStore(item: StudioItem, modelId: string | undefined): FrameMatteStore {
    const modelKey = this.modelKey(modelId);
    // The file may have been edited since the studio opened it: its mattes then belong to the old picture, so the
    // export neither reads nor files any under the old stamp (checked once per export, on first use).
    let isUnchanged: Promise<boolean> | undefined;
    const unchanged = () => (isUnchanged ??= stat(item.info.path).then((info) => fileStamp(info) === item.stamp, () => false));
    return {
      get: async (frameIndex) => ((await unchanged()) ? this.peek(item, frameIndex, await modelKey) : undefined),
      set: async (frameIndex, tiered) => {
        if (!(await unchanged())) return;
        try {
          await this.store(item, frameIndex, await modelKey, tiered);
        } catch (error) {
          this.options.onError?.(error);
        }
      },
    };
  }

  /** Resolves once every disk write started so far has finished (tests, shutdown). */
  async flush(): Promise<void> {
    while (this.pendingWrites.size > 0) await Promise.all([...this.pendingWrites]);
  }

  /** Drops every matte of an item from memory (its file changed: the disk entries no longer match its key). */
  forget(itemId: string): void {
    this.memory.deleteWhere((key) => this.itemOfKey.get(key) === itemId);
  }

  private async lookUpOrCompute(item: StudioItem, frameIndex: number, modelId: string | undefined, options: GetMatteOptions): Promise<TieredMatte> {
    // An unknown model is an error the user must see, not a silent switch to another model.
    if (modelId) await this.engine.models.resolveModel(modelId);
    const modelKey = await this.modelKey(modelId);
    const quality = options.quality ?? 'full';
    const key = matteKeyOf(item, frameIndex, modelKey, inputSideOf(quality));
    if (options.rerun) {
      this.memory.delete(key);
      await this.options.disk?.delete(key);
    } else {
      const cached = await this.peek(item, frameIndex, modelKey, quality);
      if (cached) return cached;
    }
    let image = options.image;
    if (!image) {
      options.onStage?.('decoding');
      image = await this.sources.get(item, frameIndex, options.signal);
    }
    throwIfCancelled(options.signal, 'Matting');
    options.onStage?.('matting');
    const picture = image;
    const tiered = this.work.run(key, async () => {
      const candidates = await this.engine.models.pickTiers(modelId);
      const result = await computeMatte(picture, candidates, this.engine.sessions, {}, undefined, {
        kernels: this.engine.kernels,
        quality,
        // A draft is for review only: a frame failing the quality check at the small size would fall to a lighter
        // model at full size, slower than the draft it stands in for. The full sweep runs the check.
        skipQualityCheck: quality === 'draft',
      });
      this.remember(item, key, result);
      void this.writeToDisk(key, result);
      return result;
    });
    return raceSignal(tiered, options.signal, 'Matting');
  }

  private remember(item: StudioItem, key: string, tiered: TieredMatte): void {
    this.memory.set(key, tiered, tiered.matte.data.byteLength);
    // After the set: replacing an entry reports the old one as evicted, which would drop this mapping.
    if (this.memory.has(key)) this.itemOfKey.set(key, item.info.id);
  }

  private writeToDisk(key: string, tiered: TieredMatte): Promise<void> {
    const disk = this.options.disk;
    if (!disk) return Promise.resolve();
    const write = disk.set(key, tiered).finally(() => this.pendingWrites.delete(write));
    this.pendingWrites.add(write);
    return write;
  }
}

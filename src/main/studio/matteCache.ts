/**
 * The model's low-resolution mattes, one per (item, frame, model), computed once and shared: matting, every preview
 * tick and still exports reuse them. A model run cannot be interrupted once started, so a caller that cancels stops
 * waiting while the run finishes into the cache for the next caller.
 */
import type { MatteProvenance } from '../../shared/contract/studioContract';
import type { Engine } from '../engine';
import { computeMatte, type TieredMatte } from '../pipeline/computeMatte';
import { raceSignal, SharedWork } from './abortable';
import { ByteLru } from './byteLru';
import type { StudioItem } from './itemRegistry';
import type { SourceFrames } from './sourceFrames';

/** Options of {@link MatteCache.get}. */
export interface GetMatteOptions {
  /** Drop a cached matte and run the model again. */
  rerun?: boolean;
  signal?: AbortSignal;
  /** Hears `decoding` and `matting` as the work reaches them. */
  onStage?: (stage: 'decoding' | 'matting') => void;
}

/** What the renderer is told about a matte's origin. */
export function provenanceOf(tiered: TieredMatte): MatteProvenance {
  return { tier: tiered.tier, model: tiered.model, ep: tiered.ep, fallbackReasons: tiered.fallbackReasons };
}

/** Cache of tiered mattes, keyed `itemId:frameIndex:modelId` (`''` = the best installed model). */
export class MatteCache {
  private readonly cache: ByteLru<string, TieredMatte>;
  private readonly work = new SharedWork<TieredMatte>();
  /** The model last asked for per item, which previews and exports use when they name none. */
  private readonly chosenModels = new Map<string, string>();

  /** @param budgetBytes Bytes of mattes kept (a 1024² matte is 4 MiB). @default 128 MiB */
  constructor(
    private readonly engine: Engine,
    private readonly sources: SourceFrames,
    budgetBytes = 128 * 1024 * 1024,
  ) {
    this.cache = new ByteLru(budgetBytes);
  }

  /** The model id to use for an item when a request names none: the last one matteItem was asked for. */
  modelFor(itemId: string, requested?: string): string | undefined {
    return requested ?? (this.chosenModels.get(itemId) || undefined);
  }

  /** Remembers the model the user chose for an item. */
  choose(itemId: string, modelId: string | undefined): void {
    this.chosenModels.set(itemId, modelId ?? '');
  }

  /** The matte of one frame with one model (the best installed one when `modelId` is absent). */
  async get(item: StudioItem, frameIndex: number, modelId: string | undefined, options: GetMatteOptions = {}): Promise<TieredMatte> {
    // An unknown model is an error the user must see, not a silent switch to another model.
    if (modelId) await this.engine.models.resolveModel(modelId);
    const key = `${item.info.id}:${frameIndex}:${modelId ?? ''}`;
    if (options.rerun) this.cache.delete(key);
    const cached = this.cache.get(key);
    if (cached) return cached;
    options.onStage?.('decoding');
    const image = await this.sources.get(item, frameIndex, options.signal);
    options.onStage?.('matting');
    const tiered = this.work.run(key, async () => {
      const candidates = await this.engine.models.pickTiers(modelId);
      const result = await computeMatte(image, candidates, this.engine.sessions, {});
      this.cache.set(key, result, result.matte.data.byteLength);
      return result;
    });
    return raceSignal(tiered, options.signal, 'Matting');
  }

  /** Drops every matte of an item. */
  forget(itemId: string): void {
    this.cache.deleteWhere((key) => key.startsWith(`${itemId}:`));
  }
}

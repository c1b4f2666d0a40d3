import type { TieredMatte } from './computeMatte';

/**
 * Where the pipeline looks for a frame's low-resolution matte before running the model, and where it leaves the ones
 * it computes. The studio backs it with its matte cache (memory LRU + disk), so a clip matted in the background is
 * exported without inference, and refinement-only changes never re-run the model. The key the store uses must cover
 * everything that changes the model's output: source file identity, frame index, model id and model input size.
 */
export interface FrameMatteStore {
  /** The cached matte of a frame, or undefined. */
  get(frameIndex: number): Promise<TieredMatte | undefined>;
  /** Keeps a matte the pipeline computed. Failures are the store's own business (a full cache disk is not an export error). */
  set(frameIndex: number, tiered: TieredMatte): Promise<void>;
}

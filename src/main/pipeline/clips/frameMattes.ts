import type { Image8 } from '../../../core/imageTypes';
import type { Engine } from '../../engine';
import { computeMatte, type MatteCandidates, type TieredMatte } from '../computeMatte';
import type { FrameMatteStore } from '../frameMatteStore';
import { isSameFrame } from '../isSameFrame';
import type { StageTimings } from '../stageTimer';

/** A decoded frame and its matte. */
export interface MattedFrame {
  index: number;
  image: Image8;
  tiered: TieredMatte;
}

/**
 * The mattes of one clip pass, in frame order: from the cache when it has the frame, the previous model run's when the
 * frame repeats the picture the model last saw (a variable-frame-rate clip decoded at a constant rate repeats frames),
 * else from the model. The first model run goes through the whole tier chain and fixes the model for the rest of the
 * clip (uniform results); a later frame whose model run fails falls back for that frame alone.
 */
export class FrameMattes {
  /** The tier, model and provider of the first matte (what the export reports). */
  first: TieredMatte | undefined;
  /** Frames that needed no model run. */
  reused = 0;
  readonly timings: StageTimings = {};
  private lastRun: { image: Image8; tiered: TieredMatte } | undefined;

  constructor(
    private readonly engine: Engine,
    private candidates: MatteCandidates,
    private readonly store: FrameMatteStore | undefined,
    private readonly signal: AbortSignal | undefined,
  ) {}

  /** The matte of the next frame. */
  async matte(frame: { index: number; image: Image8 }): Promise<MattedFrame> {
    const image = { ...frame.image, data: frame.image.data.slice() }; // decoder buffers are reused views
    const cached = await this.store?.get(frame.index);
    if (cached) return this.reuse(frame.index, image, cached);
    if (this.lastRun && isSameFrame(image, this.lastRun.image)) {
      await this.store?.set(frame.index, this.lastRun.tiered);
      return this.reuse(frame.index, image, this.lastRun.tiered);
    }
    const tiered = await computeMatte(image, this.candidates, this.engine.sessions, this.timings, this.signal, { skipQualityCheck: this.first !== undefined, kernels: this.engine.kernels });
    if (!this.first) this.fix(tiered);
    this.lastRun = { image, tiered };
    await this.store?.set(frame.index, tiered);
    return { index: frame.index, image, tiered };
  }

  private reuse(index: number, image: Image8, tiered: TieredMatte): MattedFrame {
    this.reused++;
    this.first ??= tiered;
    return { index, image, tiered };
  }

  private fix(tiered: TieredMatte): void {
    this.first = tiered;
    this.candidates = tiered.tier === 3 ? {} : { best: tiered.tier === 1 ? this.candidates.best : this.candidates.lighter };
  }
}

import type { MaskEdit } from '../../../core/matting/maskEdit';
import type { BatchRequest } from '../../../shared/batchTypes';
import type { Engine } from '../../engine';
import type { MatteCandidates } from '../computeMatte';
import type { FrameMatteStore } from '../frameMatteStore';

/** What the studio knows of an input beyond its file: the artist's hand edits and the mattes already computed. */
export interface ItemSource {
  /** The hand edit of one frame (0 for a still) at the picture's size, or undefined when there is none. */
  maskEditFor?: (frameIndex: number, width: number, height: number) => MaskEdit | undefined;
  /** Cached mattes of the item for the batch's model (the studio's background pass fills it). */
  mattes?: FrameMatteStore;
}

/** What an item runner needs from its batch. */
export interface ItemContext {
  engine: Engine;
  request: BatchRequest;
  /** The models the batch runs with, picked once for uniform results. */
  candidates: MatteCandidates;
  signal?: AbortSignal;
  /** Reports the item's stage and how far the item is (0–1); the batch turns it into overall progress. */
  report: (stage: string, itemFraction: number) => void;
  /** Tells the batch how many frames a clip will export, so overall progress and the ETA weigh it by its length. */
  weigh?: (frames: number) => void;
  /** The studio's knowledge of this input, when the batch runs in the studio. */
  source?: ItemSource;
}

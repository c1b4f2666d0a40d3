import type { BatchRequest } from '../../shared/batchTypes';
import type { Engine } from '../engine';
import type { MatteCandidates } from '../pipeline/computeMatte';

/** What an item runner needs from its batch. */
export interface ItemContext {
  engine: Engine;
  request: BatchRequest;
  /** The models the batch runs with, picked once for uniform results. */
  candidates: MatteCandidates;
  signal?: AbortSignal;
  /** Reports the item's stage and how far the item is (0–1); the batch turns it into overall progress. */
  report: (stage: string, itemFraction: number) => void;
}

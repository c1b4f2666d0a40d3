/** Test fixtures for the document folder: a tiny store with one still (and optionally a clip) and its history. */
import { addItems, createDocumentStore, ensureMaskEdit, type DocumentStore } from './documentStore';
import { createDocumentHistory, type DocumentHistory, type DocumentHistoryOptions } from './history';

/** A store holding still `image` of the given size and clip `clip` (10 frames, 64×48), with a history over it. */
export function createTestDocument(width = 300, height = 200, options: DocumentHistoryOptions = {}): { store: DocumentStore; history: DocumentHistory } {
  const store = createDocumentStore();
  addItems(store, [
    { id: 'image', path: '/pictures/image.png', name: 'image.png', kind: 'image', width, height },
    { id: 'clip', path: '/clips/clip.mp4', name: 'clip.mp4', kind: 'clip', width: 64, height: 48, frameCount: 10, fps: 25 },
  ]);
  return { store, history: createDocumentHistory(store, options) };
}

/** Fills a frame's planes with deterministic pseudo-random bytes, so restores are checked against non-zero data. */
export function seedMaskEdit(store: DocumentStore, itemId: string, frameIndex: number, seed = 1): void {
  const edit = ensureMaskEdit(store, itemId, frameIndex);
  let state = seed >>> 0 || 1;
  const next = () => {
    // xorshift32: fast, reproducible, good enough to make every byte matter.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) & 255;
  };
  for (let index = 0; index < edit.add.length; index++) {
    edit.add[index] = next();
    edit.remove[index] = next();
  }
}

/** Copies of both planes of a frame. */
export function snapshotPlanes(store: DocumentStore, itemId: string, frameIndex: number): { add: Uint8Array; remove: Uint8Array } {
  const edit = ensureMaskEdit(store, itemId, frameIndex);
  return { add: edit.add.slice(), remove: edit.remove.slice() };
}

/**
 * Working arrays that kernels borrow from a per-thread arena instead of allocating afresh.
 *
 * Why: a 1080p refinement used to allocate about 200 MB of short-lived planes per picture (the band solver's stencil
 * fields and coefficients, the upsampler's grey planes, the trimap's distance fields, the colour estimate). Fresh
 * memory costs a page fault per 4 KiB the first time it is written; on the 2-core reference VM that is about 3 ms per
 * MB (a fresh 8 MB plane takes 22 ms to fill, a reused one 0.4 ms), a third of the refinement's time there. The arena
 * keeps its memory between pictures, so it is written without faulting.
 *
 * Borrowing is scoped and last-in first-out, like a stack: {@link withWorkingArrays} hands out arrays for the length of
 * a synchronous call and takes them all back when it returns or throws, so the arena only ever holds the most that was
 * borrowed at once (about 135 MB for a 1080p still), not the sum of every kernel's planes. Rules that keep it safe:
 * - never keep or return a borrowed array past its scope;
 * - a scope that spans awaits ({@link openWorkingScope}) is only for a thread that runs one such task at a time (the
 *   kernel worker): anything else would interleave its scopes with it;
 * - contents are whatever was there before (other kernels' bytes, even NaN patterns): fill what you read.
 * {@link releaseWorkingArrays} drops the arena (the kernel worker does when it falls idle).
 */

import type { FloatImage } from './imageTypes';

type WorkingArrayType = Float32ArrayConstructor | Float64ArrayConstructor | Int32ArrayConstructor | Uint8ArrayConstructor;

/** Hands out an array of `length` elements of `type` for the current scope; its contents are unspecified. */
export type BorrowArray = <T extends WorkingArrayType>(type: T, length: number) => InstanceType<T>;

/** Arena memory comes in chunks of at least this size, so most scopes fit in one or two. */
const CHUNK_BYTES = 32 << 20;
/** Every array starts on a cache line (and so on any element size's boundary). */
const ALIGN_BYTES = 64;

interface Chunk {
  buffer: ArrayBuffer;
  used: number;
}

/** Chunks in stack order: every chunk after `current` is empty. */
const chunks: Chunk[] = [];
let current = -1;
let openScopes = 0;

const borrow: BorrowArray = (type, length) => {
  if (openScopes === 0) throw new Error('Expected an open working-array scope for borrow but received none');
  const bytes = Math.ceil((length * type.BYTES_PER_ELEMENT) / ALIGN_BYTES) * ALIGN_BYTES;
  let chunk = chunks[current];
  if (chunk === undefined || chunk.buffer.byteLength - chunk.used < bytes) {
    // The next chunk is empty: use it if it is large enough, else replace it with one that is.
    const next = chunks[current + 1];
    if (next === undefined || next.buffer.byteLength < bytes) chunks.splice(current + 1, next === undefined ? 0 : 1, { buffer: new ArrayBuffer(Math.max(bytes, CHUNK_BYTES)), used: 0 });
    chunk = chunks[++current]!;
  }
  const array = new type(chunk.buffer, chunk.used, length) as InstanceType<WorkingArrayType>;
  chunk.used += bytes;
  return array as never;
};

/** A scope opened by {@link openWorkingScope}: its `borrow`, and `close` to give everything back. */
export interface WorkingScope {
  borrow: BorrowArray;
  /** Gives back every array borrowed since the scope opened; scopes must close in the reverse order of opening. */
  close(): void;
}

/** Opens a scope that may span awaits; see the rules above. Close it in a `finally`. */
export function openWorkingScope(): WorkingScope {
  const chunkAtOpen = current;
  const usedAtOpen = chunks[current]?.used ?? 0;
  const depth = ++openScopes;
  let isClosed = false;
  return {
    borrow,
    close() {
      if (isClosed) return;
      if (openScopes !== depth) throw new Error(`Expected working-array scopes to close innermost first but received scope ${depth} of ${openScopes}`);
      isClosed = true;
      openScopes--;
      for (let index = chunkAtOpen + 1; index < chunks.length; index++) chunks[index]!.used = 0;
      if (chunkAtOpen >= 0) chunks[chunkAtOpen]!.used = usedAtOpen;
      current = chunkAtOpen;
    },
  };
}

/** Runs the synchronous `work` with arrays borrowed for its duration; all are given back when it returns or throws. */
export function withWorkingArrays<R>(work: (borrow: BorrowArray) => R): R {
  const scope = openWorkingScope();
  try {
    return work(scope.borrow);
  } finally {
    scope.close();
  }
}

/** A `width × height × channels` float image whose samples are borrowed with `borrow` (contents unspecified). */
export function borrowFloatImage(borrow: BorrowArray, width: number, height: number, channels = 1): FloatImage {
  return { width, height, channels, data: borrow(Float32Array, width * height * channels) };
}

/** Bytes the arena of this thread holds. */
export function workingArrayBytes(): number {
  return chunks.reduce((sum, chunk) => sum + chunk.buffer.byteLength, 0);
}

/** Drops the arena's memory, keeping what open scopes still use (it is allocated again on next use). */
export function releaseWorkingArrays(): void {
  chunks.splice(current + 1);
}

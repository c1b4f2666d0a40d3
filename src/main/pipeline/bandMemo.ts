/**
 * Remembers the last few pictures' matte after the edge band and outline protection: those stages depend only on the
 * picture, the model's matte, the Refine Edge marks and the edge settings, so dragging any other slider (colour
 * radius, spill, feather, shift, contrast, smooth, decontaminate) or re-exporting after such a change reuses them.
 * The band solve is the costliest stage of a refinement (about 40 % of a 1080p still's). Entries are keyed by the
 * content itself (a hash of every byte that goes in), so a changed matte, mark or picture can never be served stale.
 */
import type { AlphaMatte, Image8, ImageBuffer } from '../../core/imageTypes';
import type { RefinementSettings } from '../../shared/settings';

/** What a memo entry holds: the matte after the edge band and outline protection, and the outline verdict. */
export interface BandResult {
  alpha: Float32Array;
  isCartoon: boolean;
}

/** Pictures above this many pixels are not remembered: a copy of their matte costs more memory than it saves. */
const maxMemoPixels = 4_000_000;

export class BandMemo {
  private readonly entries = new Map<string, BandResult>();

  /** @param capacity Pictures remembered (the last used stay). */
  constructor(private readonly capacity = 2) {}

  /** The key of one refinement's band inputs, or undefined when the picture is too large to remember. */
  keyOf(image: Image8, matte: AlphaMatte, settings: RefinementSettings, refineEdgeMask: ImageBuffer<Uint8Array> | undefined, verdict: { isCartoonDetected?: boolean; cartoonScore?: number }): string | undefined {
    if (image.width * image.height > maxMemoPixels) return undefined;
    const hash = new ContentHash();
    hash.bytes(image.data);
    hash.bytes(new Uint8Array(matte.data.buffer, matte.data.byteOffset, matte.data.byteLength));
    if (refineEdgeMask) hash.bytes(refineEdgeMask.data);
    return JSON.stringify([image.width, image.height, matte.width, matte.height, refineEdgeMask !== undefined, settings.edgeRadiusPx, settings.smartRadius, settings.cartoonMode, verdict.isCartoonDetected ?? null, verdict.cartoonScore ?? null, hash.digest()]);
  }

  /** The remembered result, to be copied by the caller before anything else is set (callers refine a copy in place). */
  get(key: string): Readonly<BandResult> | undefined {
    const found = this.entries.get(key);
    if (!found) return undefined;
    this.entries.delete(key);
    this.entries.set(key, found);
    return found;
  }

  /**
   * Remembers a copy of `alpha`. The copy goes into the evicted entry's array when it is the same size (a batch of
   * same-sized pictures): fresh memory costs a page fault per 4 KiB (`core/workingArrays.ts`), about 20 ms for a
   * 1080p matte on the 2-core VM, where reused memory is copied in about 1 ms.
   */
  set(key: string, alpha: Float32Array, isCartoon: boolean): void {
    this.entries.delete(key);
    if (this.capacity < 1) return;
    let spare: Float32Array | undefined;
    while (this.entries.size >= this.capacity) {
      const oldest = this.entries.keys().next().value!;
      spare ??= this.entries.get(oldest)!.alpha;
      this.entries.delete(oldest);
    }
    const copy = spare?.length === alpha.length ? spare : new Float32Array(alpha.length);
    copy.set(alpha);
    this.entries.set(key, { alpha: copy, isCartoon });
  }
}

/** Two independent 32-bit FNV-1a style hashes over 32-bit words (64 bits together), plus the length. */
class ContentHash {
  private a = 0x811c9dc5;
  private b = 0x2b992ddf;
  private length = 0;

  bytes(data: Uint8Array): void {
    const words = Math.floor(data.byteLength / 4);
    const aligned = data.byteOffset % 4 === 0 ? new Uint32Array(data.buffer, data.byteOffset, words) : new Uint32Array(data.slice(0, words * 4).buffer);
    let a = this.a, b = this.b;
    for (let index = 0; index < words; index++) {
      const word = aligned[index]!;
      a = Math.imul(a ^ word, 0x01000193);
      b = Math.imul(b ^ word, 0x5bd1e995) ^ (b >>> 15);
    }
    for (let index = words * 4; index < data.byteLength; index++) {
      a = Math.imul(a ^ data[index]!, 0x01000193);
      b = Math.imul(b ^ data[index]!, 0x5bd1e995) ^ (b >>> 15);
    }
    this.a = a;
    this.b = b;
    this.length += data.byteLength;
  }

  digest(): string {
    return `${(this.a >>> 0).toString(16)}${(this.b >>> 0).toString(16)}:${this.length}`;
  }
}

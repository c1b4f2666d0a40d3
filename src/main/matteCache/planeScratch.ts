/**
 * Byte buffers the disk cache splits a matte's samples into before deflating, reused from one write to the next.
 * A fresh 4 MB array (a 1024² Float32 matte) costs the host thread about 12 ms of page faults on a small VM, against
 * 2 ms for the split itself, once per frame while a clip is matted in the background. Each write holds its buffer
 * until its deflate has finished (zlib reads it on another thread), so concurrent writes never share one.
 */

/** Idle buffers, at most {@link keptBuffers}, none over {@link keptBytesEach}. */
const idle: Uint8Array[] = [];
/** Two: a clip's background pass writes one matte at a time, and an export may write beside it. */
const keptBuffers = 2;
/** A full-resolution classical matte of a large still is not kept between writes (16 MB: a 2048² Float32 matte). */
const keptBytesEach = 16 * 1024 * 1024;

/**
 * Runs `use` with a buffer of exactly `byteLength` bytes that nobody else holds until `use` settles. Its contents are
 * whatever the last user left: `use` must write every byte it reads.
 */
export async function withPlaneScratch<T>(byteLength: number, use: (scratch: Uint8Array) => Promise<T>): Promise<T> {
  const index = idle.findIndex((buffer) => buffer.byteLength >= byteLength);
  const owned = index >= 0 ? idle.splice(index, 1)[0]! : new Uint8Array(byteLength);
  try {
    return await use(owned.subarray(0, byteLength));
  } finally {
    if (idle.length < keptBuffers && owned.byteLength <= keptBytesEach) idle.push(owned);
  }
}

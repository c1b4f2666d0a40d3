/**
 * Media routes, as paths relative to the media origin: `app://media` in Electron, the loopback host's `/media`
 * route in the web shell (which also needs `?token=`). The engine returns these paths; the renderer turns them into
 * URLs with `toMediaUrl` of its transport.
 */

/** Small JPEG of an item for the library grid. */
export function thumbnailPath(itemId: string): string {
  return `/media/thumb/${encodeURIComponent(itemId)}`;
}

/** A preview layer: raw bytes (see the contract's `previewSchema`). */
export function previewLayerPath(previewId: string, layer: 'cutout' | 'heatmap'): string {
  return `/media/preview/${encodeURIComponent(previewId)}/${layer}`;
}

/** A clip frame (or the still, frame 0) as JPEG, at most `maxSide` pixels on its long side: scrubbing. */
export function framePath(itemId: string, frameIndex: number, maxSide: number): string {
  return `/media/frame/${encodeURIComponent(itemId)}/${frameIndex}?maxSide=${maxSide}`;
}

/** The item's source file, with HTTP Range support (video seeking). */
export function sourcePath(itemId: string): string {
  return `/media/source/${encodeURIComponent(itemId)}`;
}

/**
 * A clip frame at proxy size with its cached matte, for showing the matte while scrubbing and playing: the frame's
 * JPEG (`X-Jpeg-Bytes` long) followed by the matte, `X-Width × X-Height` bytes (`X-Channels: 1`); 404 while the frame
 * has no cached matte (it never runs the model).
 */
export function scrubLayerPath(itemId: string, frameIndex: number): string {
  return `/media/scrub/${encodeURIComponent(itemId)}/${frameIndex}`;
}

/** A background picture the engine keeps (`storeBackgroundPicture`), by the file name of its kept copy. */
export function backgroundPicturePath(fileName: string): string {
  return `/media/background/${encodeURIComponent(fileName)}`;
}

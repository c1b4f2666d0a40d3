/**
 * Timecode for the timeline: `HH:MM:SS:FF`, non-drop-frame, counted at the nominal rate (29.97 fps counts 30 frames
 * per timecode second, as editing tools do), so every frame has a distinct, stable label.
 */

/** The whole frames per timecode second for a clip rate; at least 1. */
export function nominalFrameRate(fps: number): number {
  return Number.isFinite(fps) && fps > 0 ? Math.max(1, Math.round(fps)) : 1;
}

const pad = (value: number) => String(value).padStart(2, '0');

/** Formats a 0-based frame index as `HH:MM:SS:FF` at `fps`. Negative or non-finite indices read as frame 0. */
export function formatTimecode(frameIndex: number, fps: number): string {
  const rate = nominalFrameRate(fps);
  const frame = Number.isFinite(frameIndex) && frameIndex > 0 ? Math.floor(frameIndex) : 0;
  const frames = frame % rate;
  const totalSeconds = Math.floor(frame / rate);
  const seconds = totalSeconds % 60;
  const minutes = Math.floor(totalSeconds / 60) % 60;
  const hours = Math.floor(totalSeconds / 3600);
  return `${pad(hours)}:${pad(minutes)}:${pad(seconds)}:${pad(frames)}`;
}

/** Frames per second from the engine's rational rate (`30000/1001` → 29.97…); undefined stays undefined. */
export function rationalToFps(rate: { num: number; den: number } | undefined): number | undefined {
  if (!rate || !(rate.den > 0) || !(rate.num > 0)) return undefined;
  return rate.num / rate.den;
}

/** The frame under a pointer at `offsetPx` along a track `trackWidthPx` wide, clamped to the clip. */
export function frameAtOffset(offsetPx: number, trackWidthPx: number, frameCount: number): number {
  if (frameCount <= 1 || !(trackWidthPx > 0)) return 0;
  const fraction = Math.min(1, Math.max(0, offsetPx / trackWidthPx));
  return Math.round(fraction * (frameCount - 1));
}

/** Where a frame sits along the track, 0–1. */
export function frameFraction(frameIndex: number, frameCount: number): number {
  return frameCount <= 1 ? 0 : Math.min(1, Math.max(0, frameIndex / (frameCount - 1)));
}

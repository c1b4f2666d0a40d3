/**
 * J/K/L shuttle as in editing tools: L plays forward and each further L doubles the speed; J does the same
 * backwards; K stops. Pressing the opposite direction first drops back to normal speed that way.
 */

/** Fastest shuttle rate, in multiples of normal speed. */
export const maximumShuttleSpeed = 8;

/** A shuttle key. */
export type ShuttleKey = 'j' | 'k' | 'l';

/** The playback speed after pressing `key` at `speed` (negative = backwards, 0 = stopped). */
export function nextShuttleSpeed(speed: number, key: ShuttleKey): number {
  if (key === 'k') return 0;
  const direction = key === 'l' ? 1 : -1;
  if (Math.sign(speed) !== direction) return direction;
  return direction * Math.min(maximumShuttleSpeed, Math.abs(speed) * 2);
}

/** Space: stopped starts normal forward play; anything else stops. */
export function togglePlaySpeed(speed: number): number {
  return speed === 0 ? 1 : 0;
}

/**
 * The frame to show during playback, `elapsedSec` after starting at `startFrame` with `speed` × `fps`; wraps around
 * the clip so a loop keeps playing.
 */
export function playbackFrame(startFrame: number, elapsedSec: number, fps: number, speed: number, frameCount: number): number {
  if (frameCount <= 1) return 0;
  const frame = Math.floor(startFrame + elapsedSec * fps * speed);
  return ((frame % frameCount) + frameCount) % frameCount;
}

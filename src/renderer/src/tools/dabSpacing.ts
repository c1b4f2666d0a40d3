/**
 * Dab placement along a pointer path: dabs sit at equal distances along the path, so a fast stroke is as dense as a
 * slow one. The distance left over at the end of one segment carries into the next.
 */

/** A point of the pointer path in picture pixels, with pen pressure 0–1. */
export interface PathPoint {
  readonly x: number;
  readonly y: number;
  readonly pressure: number;
}

/** Share of the brush diameter between two dabs. */
export const dabSpacingFraction = 0.25;

/** Distance between dabs for a brush `sizePx` across: 25% of the size, at least half a pixel. */
export function dabSpacingPx(sizePx: number): number {
  return Math.max(0.5, sizePx * dabSpacingFraction);
}

/**
 * Dabs along the segment `from` → `to`, with pressure interpolated.
 * @param travelledPx Distance already covered since the last dab (from earlier segments).
 * @returns the dab positions and the distance since the last dab at `to`.
 */
export function spaceDabs(from: PathPoint, to: PathPoint, spacingPx: number, travelledPx: number): { dabs: PathPoint[]; travelledPx: number } {
  const spacing = Math.max(1e-3, spacingPx);
  const length = Math.hypot(to.x - from.x, to.y - from.y);
  const dabs: PathPoint[] = [];
  let distance = spacing - travelledPx;
  while (distance <= length) {
    const t = length === 0 ? 1 : distance / length;
    dabs.push({ x: from.x + (to.x - from.x) * t, y: from.y + (to.y - from.y) * t, pressure: from.pressure + (to.pressure - from.pressure) * t });
    distance += spacing;
  }
  const lastDabDistance = distance - spacing;
  return { dabs, travelledPx: length - lastDabDistance };
}

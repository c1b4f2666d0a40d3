/**
 * How skin-like a CIELAB chroma is, 0–1: 1 for hue angles 20°–60° with chroma 8–50 (skin in daylight and shadow,
 * lips, tongue), fading linearly to 0 over 10° of hue and 4 units of chroma; blond hair (about 70°–90°) and
 * near-greys fall mostly outside. Used by spill suppression to spare skin.
 * @param a CIELAB a* (Lab units).
 * @param b CIELAB b* (Lab units).
 * @returns Skin likeness in [0, 1].
 */
export function skinLikeness(a: number, b: number): number {
  const chroma = Math.sqrt(a * a + b * b);
  const hue = (Math.atan2(b, a) * 180) / Math.PI;
  const hueWeight = ramp(hue, 10, 20) * (1 - ramp(hue, 60, 70));
  const chromaWeight = ramp(chroma, 4, 8) * (1 - ramp(chroma, 50, 54));
  return hueWeight * chromaWeight;
}

/** 0 below `start`, 1 above `end`, linear between. */
function ramp(value: number, start: number, end: number): number {
  return value <= start ? 0 : value >= end ? 1 : (value - start) / (end - start);
}

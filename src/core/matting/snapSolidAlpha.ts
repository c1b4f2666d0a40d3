import { assertImage, byteLevel, type AlphaMatte } from '../imageTypes';

/**
 * Sets to exactly 0 or 1 every α that an 8-bit output writes as 0 or 255 anyway (below half a level from 0, or at
 * least 254.5/255), in place. A model's matte is never exactly 0 or 1 (a sigmoid, then guided upsampling), so without
 * this blur fusion sees the whole picture as a soft edge: with it, colour is estimated only around real edges and
 * solid tiles are skipped, as they are on an 8-bit matte. Every written α byte stays the same; colour changes only
 * where α is that close to solid: by under a level, and to 0 under transparent pixels far from any edge.
 * The test is the rounding every 8-bit output uses (`byteLevel`).
 * @returns `alpha`.
 */
export function snapSolidAlpha(alpha: AlphaMatte): AlphaMatte {
  assertImage(alpha, 'alpha', { channels: 1 });
  const data = alpha.data;
  const toByte = byteLevel; // a local alias, as in `composeRgba`
  for (let pixel = 0; pixel < data.length; pixel++) {
    const level = toByte(data[pixel]! * 255);
    if (level < 1) data[pixel] = 0;
    else if (level >= 255) data[pixel] = 1;
  }
  return alpha;
}

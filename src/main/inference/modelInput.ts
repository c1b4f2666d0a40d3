import sharp from 'sharp';
import type { Image8 } from '../../core/imageTypes';
import { toChannelAffine, type Normalization } from '../../shared/modelTypes';

/**
 * Resizes an RGB image to the model's static input size (stretching, as these models were trained on squashed inputs)
 * and packs it as a planar NCHW float32 tensor with the model's normalisation.
 * Resizing uses sharp (native, SIMD) because this is the image boundary of the engine.
 */
export async function prepareModelInput(image: Image8, width: number, height: number, normalization: Normalization): Promise<Float32Array> {
  const resized = await sharp(Buffer.from(image.data.buffer, image.data.byteOffset, image.data.length), {
    raw: { width: image.width, height: image.height, channels: 3 },
  })
    .resize(width, height, { fit: 'fill', kernel: 'linear' })
    .raw()
    .toBuffer();
  return packPlanar(resized, width * height, normalization);
}

/** Interleaved RGB bytes → planar normalised float32 (exported for tests). */
export function packPlanar(rgb: Uint8Array, pixelCount: number, normalization: Normalization): Float32Array {
  const tensor = new Float32Array(pixelCount * 3);
  const { scale, offset } = toChannelAffine(normalization);
  for (let channel = 0; channel < 3; channel++) {
    const channelScale = scale[channel]!;
    const channelOffset = offset[channel]!;
    const planeStart = channel * pixelCount;
    for (let pixel = 0, source = channel; pixel < pixelCount; pixel++, source += 3) {
      tensor[planeStart + pixel] = rgb[source]! * channelScale + channelOffset;
    }
  }
  return tensor;
}

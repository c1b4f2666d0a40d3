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
  // One plane at a time with a turn of the event loop between: packing 1024² × 3 floats in one go held the host
  // thread long enough to show in the still bench's event-loop p99.
  const tensor = new Float32Array(width * height * 3);
  for (let channel = 0; channel < 3; channel++) {
    if (channel > 0) await new Promise((resolve) => setImmediate(resolve));
    packPlane(resized, width * height, normalization, channel, tensor);
  }
  return tensor;
}

/** Interleaved RGB bytes → planar normalised float32 (exported for tests). */
export function packPlanar(rgb: Uint8Array, pixelCount: number, normalization: Normalization): Float32Array {
  const tensor = new Float32Array(pixelCount * 3);
  for (let channel = 0; channel < 3; channel++) packPlane(rgb, pixelCount, normalization, channel, tensor);
  return tensor;
}

/** Fills one channel's plane of `tensor` from interleaved RGB bytes. */
function packPlane(rgb: Uint8Array, pixelCount: number, normalization: Normalization, channel: number, tensor: Float32Array): void {
  const { scale, offset } = toChannelAffine(normalization);
  const channelScale = scale[channel]!;
  const channelOffset = offset[channel]!;
  const planeStart = channel * pixelCount;
  for (let pixel = 0, source = channel; pixel < pixelCount; pixel++, source += 3) tensor[planeStart + pixel] = rgb[source]! * channelScale + channelOffset;
}

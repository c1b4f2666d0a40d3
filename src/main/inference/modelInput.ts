import sharp from 'sharp';
import type { Image8 } from '../../core/imageTypes';
import type { Normalization } from '../../shared/modelTypes';
import { packPlanar } from './modelTensor';

/**
 * Resizes an RGB image to the model's input size (stretching, as these models were trained on squashed inputs): the
 * interleaved RGB bytes a session's `run` takes. Resizing uses sharp (native, SIMD, off the host thread) because this
 * is the image boundary of the engine.
 */
export async function resizeForModel(image: Image8, width: number, height: number): Promise<Uint8Array> {
  const resized = await sharp(Buffer.from(image.data.buffer, image.data.byteOffset, image.data.length), {
    raw: { width: image.width, height: image.height, channels: 3 },
  })
    .resize(width, height, { fit: 'fill', kernel: 'linear' })
    .raw()
    .toBuffer();
  return new Uint8Array(resized.buffer, resized.byteOffset, resized.length);
}

/** The model's tensor for an image, packed here (benchmarks and tests that drive onnxruntime directly). */
export async function prepareModelInput(image: Image8, width: number, height: number, normalization: Normalization): Promise<Float32Array> {
  return packPlanar(await resizeForModel(image, width, height), width * height, normalization);
}

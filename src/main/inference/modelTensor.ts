import { toChannelAffine, type Normalization } from '../../shared/modelTypes';

/**
 * Interleaved RGB bytes → the planar NCHW float32 tensor a model reads, with its normalisation. It runs where the model
 * runs (the inference worker): a 1024² input is 3 M values, which held the host thread for about 40 ms a plane.
 */
export function packPlanar(rgb: Uint8Array, pixelCount: number, normalization: Normalization): Float32Array {
  const tensor = new Float32Array(pixelCount * 3);
  const { scale, offset } = toChannelAffine(normalization);
  for (let channel = 0; channel < 3; channel++) {
    const channelScale = scale[channel]!;
    const channelOffset = offset[channel]!;
    const planeStart = channel * pixelCount;
    for (let pixel = 0, source = channel; pixel < pixelCount; pixel++, source += 3) tensor[planeStart + pixel] = rgb[source]! * channelScale + channelOffset;
  }
  return tensor;
}

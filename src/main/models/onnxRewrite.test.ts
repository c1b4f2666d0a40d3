import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { describeOnnxModel, rewriteOnnxModel } from '../../../scripts/onnxRewrite.mjs';
import { joinChunks, readFields, textField, wireType, writeFields, type WireField } from '../../../scripts/protobufWire.mjs';

const varint = (number: number, value: bigint): WireField => ({ number, wire: wireType.varint, value });
const bytes = (number: number, value: Uint8Array): WireField => ({ number, wire: wireType.bytes, value });
const message = (...fields: WireField[]) => joinChunks(writeFields(fields));
const intAttribute = (name: string, value: bigint) => bytes(5, message(textField(1, name), varint(3, value), varint(20, 2n)));
const node = (op: string, inputs: string[], outputs: string[], ...attributes: WireField[]) =>
  bytes(1, message(...inputs.map((name) => textField(1, name)), ...outputs.map((name) => textField(2, name)), textField(3, `${op}_${outputs[0]}`), textField(4, op), ...attributes));
const tensor = (name: string, dataType: bigint, dims: number[], raw: Uint8Array) => message(...dims.map((dim) => varint(1, BigInt(dim))), varint(2, dataType), textField(8, name), bytes(9, raw));
const valueInfo = (number: number, name: string, dims: number[]) => {
  const shape = message(...dims.map((dim) => bytes(1, message(varint(1, BigInt(dim))))));
  const tensorType = message(varint(1, 1n), bytes(2, shape));
  return bytes(number, message(textField(1, name), bytes(2, message(bytes(1, tensorType)))));
};

/**
 * A miniature of the bundled fp16 IS-Net: float input cast to fp16, a 1×1 Conv with an fp16 weight of 2, a Resize
 * back to the traced input size (sizes = Concat(Shape(x)[0:2], Constant[4, 4])), cast back to a float output.
 */
function miniatureFp16Model(): Buffer {
  const weight = new Uint8Array(new Uint16Array([0x4000]).buffer); // 2.0 in IEEE half precision
  const spatial = new Uint8Array(new BigInt64Array([4n, 4n]).buffer);
  const graph = message(
    node('Cast', ['input'], ['input_cast'], intAttribute('to', 10n)),
    node('Conv', ['input_cast', 'weight'], ['conv']),
    node('Shape', ['conv'], ['conv_shape'], intAttribute('start', 0n), intAttribute('end', 2n)),
    node('Constant', [], ['spatial'], bytes(5, message(textField(1, 'value'), bytes(5, tensor('', 7n, [2], spatial)), varint(20, 4n)))),
    node('Concat', ['conv_shape', 'spatial'], ['sizes'], intAttribute('axis', 0n)),
    node('Cast', ['conv'], ['resize_in'], intAttribute('to', 1n)),
    node('Resize', ['resize_in', '', '', 'sizes'], ['resized']),
    node('Cast', ['resized'], ['resized16'], intAttribute('to', 10n)),
    node('Cast', ['resized16'], ['output'], intAttribute('to', 1n)),
    textField(2, 'miniature'),
    bytes(5, tensor('weight', 10n, [1, 1, 1, 1], weight)),
    valueInfo(11, 'input', [1, 1, 4, 4]),
    valueInfo(12, 'output', [1, 1, 4, 4]),
    valueInfo(13, 'conv', [1, 1, 4, 4]),
  );
  return message(varint(1, 8n), bytes(7, graph), bytes(8, message(textField(1, ''), varint(2, 15n))));
}

describe('protobuf wire format', () => {
  it('round-trips varints (int64 −1 as ten bytes), text and nested messages', () => {
    const encoded = message(varint(1, -1n), textField(2, 'héllo'), bytes(3, message(varint(1, 300n))));
    const [first, second, third] = readFields(encoded);
    expect(BigInt.asIntN(64, first!.value as bigint)).toBe(-1n);
    expect(Buffer.from(second!.value as Uint8Array).toString('utf8')).toBe('héllo');
    expect(readFields(third!.value as Uint8Array)[0]!.value).toBe(300n);
    expect(encoded.length).toBe(1 + 10 + 1 + 1 + 6 + 1 + 1 + 3);
  });
  it('rejects a length that runs past the end of the message', () => {
    expect(() => readFields(Uint8Array.from([0x0a, 0x05, 0x01]))).toThrow(RangeError);
  });
});

describe('rewriteOnnxModel on a miniature of the fp16 IS-Net export', () => {
  it('turns fp16 weights into fp32 and removes every Cast, keeping the float input and output names', () => {
    const { bytes: rewritten, report } = rewriteOnnxModel(miniatureFp16Model(), { toFloat32: true });
    expect(report).toMatchObject({ convertedInitializers: 1, removedCasts: 4 });
    const described = describeOnnxModel(rewritten);
    expect(described.initializerTypes).toEqual({ 1: 1 });
    expect(described.opCounts.Cast).toBeUndefined();
    expect(described.inputs).toEqual([{ name: 'input', elemType: 1, dims: [1, 1, 4, 4] }]);
    expect(described.outputs).toEqual([{ name: 'output', elemType: 1, dims: [1, 1, 4, 4] }]);
  });

  it('runs at any size once the input is symbolic and the Resize follows the input shape', async () => {
    const { bytes: rewritten, report } = rewriteOnnxModel(miniatureFp16Model(), { toFloat32: true, symbolicInputSize: true });
    expect(report).toMatchObject({ symbolicInputs: ['input'], resizesFollowingShapes: 1 });
    expect(describeOnnxModel(rewritten).inputs[0]!.dims).toEqual([1, 1, 'input_height', 'input_width']);
    const session = await ort.InferenceSession.create(rewritten, { executionProviders: ['cpu'], logSeverityLevel: 3 });
    try {
      for (const side of [4, 8]) {
        const input = Float32Array.from({ length: side * side }, (_, index) => index / 10);
        const { output } = await session.run({ input: new ort.Tensor('float32', input, [1, 1, side, side]) });
        expect(output!.dims).toEqual([1, 1, side, side]);
        expect(Array.from(output!.data as Float32Array)).toEqual(Array.from(input, (value) => Math.fround(value) * 2));
      }
    } finally {
      await session.release();
    }
  });

  it('leaves a model untouched apart from value_info when asked for nothing', () => {
    const { bytes: rewritten, report } = rewriteOnnxModel(miniatureFp16Model(), {});
    expect(report).toEqual({ convertedInitializers: 0, removedCasts: 0, symbolicInputs: [], resizesFollowingShapes: 0, resizesByScale: 0, prunedNodes: 0 });
    expect(describeOnnxModel(rewritten).opCounts.Cast).toBe(4);
  });
});

/**
 * A float model with a matte and a side output, as IS-Net's export has (deep supervision): `output` = input·2 and
 * `side` = Relu(input·3), each Conv with its own weight, the side branch's weight used by nothing else.
 */
function modelWithSideOutput(): Buffer {
  const weight = (value: number) => new Uint8Array(new Float32Array([value]).buffer);
  const graph = message(
    node('Conv', ['input', 'matte_weight'], ['output']),
    node('Conv', ['input', 'side_weight'], ['side_logits']),
    node('Relu', ['side_logits'], ['side']),
    textField(2, 'side outputs'),
    bytes(5, tensor('matte_weight', 1n, [1, 1, 1, 1], weight(2))),
    bytes(5, tensor('side_weight', 1n, [1, 1, 1, 1], weight(3))),
    valueInfo(11, 'input', [1, 1, 4, 4]),
    valueInfo(12, 'output', [1, 1, 4, 4]),
    valueInfo(12, 'side_logits', [1, 1, 4, 4]),
    valueInfo(12, 'side', [1, 1, 4, 4]),
  );
  return message(varint(1, 8n), bytes(7, graph), bytes(8, message(textField(1, ''), varint(2, 15n))));
}

describe('rewriteOnnxModel with keepOutputs', () => {
  it('keeps the named output with the nodes and weights it needs, drops the side branch, and computes the same output', async () => {
    const original = modelWithSideOutput();
    const { bytes: pruned, report } = rewriteOnnxModel(original, { keepOutputs: ['output'] });
    expect(report.prunedNodes).toBe(2);
    const described = describeOnnxModel(pruned);
    expect(described.outputs.map((output) => output.name)).toEqual(['output']);
    expect(described.opCounts).toEqual({ Conv: 1 });
    expect(described.initializerTypes).toEqual({ 1: 1 });
    const input = Float32Array.from({ length: 16 }, (_, index) => index - 5);
    const outputOf = async (model: Buffer, fetch: string[]) => {
      const session = await ort.InferenceSession.create(model, { executionProviders: ['cpu'], logSeverityLevel: 3 });
      try {
        const results = await session.run({ input: new ort.Tensor('float32', input, [1, 1, 4, 4]) }, fetch);
        return Array.from(results.output!.data as Float32Array);
      } finally {
        await session.release();
      }
    };
    const [before, after] = [await outputOf(original, ['output']), await outputOf(pruned, ['output'])];
    expect(after).toEqual(before);
    expect(after).toEqual(Array.from(input, (value) => value * 2));
  });

  it('keeps every branch a kept output reads, shared ones included', () => {
    const { bytes: pruned, report } = rewriteOnnxModel(modelWithSideOutput(), { keepOutputs: ['side'] });
    expect(report.prunedNodes).toBe(1);
    const described = describeOnnxModel(pruned);
    expect(described.outputs.map((output) => output.name)).toEqual(['side']);
    expect(described.opCounts).toEqual({ Conv: 1, Relu: 1 });
  });

  it('refuses an output the graph does not have, naming the ones it has', () => {
    expect(() => rewriteOnnxModel(modelWithSideOutput(), { keepOutputs: ['matte'] })).toThrow(/output, side_logits, side.*matte/);
    expect(() => rewriteOnnxModel(modelWithSideOutput(), { keepOutputs: [] })).toThrow(TypeError);
  });
});

/**
 * A miniature of IS-Net's decoder step: a 2×2 max-pool, then a Resize back to the traced 4×4 size
 * (sizes = Concat(Shape(pooled)[0:2], Constant[4, 4])), concatenated with the input as a skip connection.
 */
function decoderStepModel(): Buffer {
  const spatial = new Uint8Array(new BigInt64Array([4n, 4n]).buffer);
  const ints = (name: string, values: bigint[]) => bytes(5, message(textField(1, name), ...values.map((value) => varint(8, value)), varint(20, 7n)));
  const graph = message(
    node('MaxPool', ['input'], ['pooled'], ints('kernel_shape', [2n, 2n]), ints('strides', [2n, 2n])),
    node('Shape', ['pooled'], ['pooled_shape'], intAttribute('start', 0n), intAttribute('end', 2n)),
    node('Constant', [], ['spatial'], bytes(5, message(textField(1, 'value'), bytes(5, tensor('', 7n, [2], spatial)), varint(20, 4n)))),
    node('Concat', ['pooled_shape', 'spatial'], ['sizes'], intAttribute('axis', 0n)),
    node('Resize', ['pooled', '', '', 'sizes'], ['upsampled']),
    node('Concat', ['upsampled', 'input'], ['output'], intAttribute('axis', 1n)),
    textField(2, 'decoder step'),
    valueInfo(11, 'input', [1, 1, 4, 4]),
    valueInfo(12, 'output', [1, 2, 4, 4]),
  );
  return message(varint(1, 8n), bytes(7, graph), bytes(8, message(textField(1, ''), varint(2, 15n))));
}

/** Each 2×2 block's maximum, repeated over the block (a nearest Resize of a 2×2 max-pool), then the input itself. */
function decoderStepReference(input: Float32Array, side: number): number[] {
  const upsampled = Array.from(input, (_, index) => {
    const x = index % side, y = Math.floor(index / side);
    const left = x - (x % 2), top = y - (y % 2);
    return Math.max(input[top * side + left]!, input[top * side + left + 1]!, input[(top + 1) * side + left]!, input[(top + 1) * side + left + 1]!);
  });
  return [...upsampled, ...Array.from(input)];
}

describe('rewriteOnnxModel with resizeScale', () => {
  it('makes traced Resize sizes a constant factor, drops the size arithmetic, and runs at any even size', async () => {
    const { bytes: rewritten, report } = rewriteOnnxModel(decoderStepModel(), { symbolicInputSize: true, resizeScale: 2 });
    expect(report).toMatchObject({ resizesByScale: 1, resizesFollowingShapes: 0, prunedNodes: 3, symbolicInputs: ['input'] });
    expect(describeOnnxModel(rewritten).opCounts).toEqual({ MaxPool: 1, Resize: 1, Concat: 1 });
    const session = await ort.InferenceSession.create(rewritten, { executionProviders: ['cpu'], logSeverityLevel: 3 });
    try {
      for (const side of [4, 8]) {
        const input = Float32Array.from({ length: side * side }, (_, index) => Math.sin(index * 1.7) * 10);
        const { output } = await session.run({ input: new ort.Tensor('float32', input, [1, 1, side, side]) });
        expect(output!.dims).toEqual([1, 2, side, side]);
        expect(Array.from(output!.data as Float32Array)).toEqual(decoderStepReference(input, side).map((value) => Math.fround(value)));
      }
    } finally {
      await session.release();
    }
  });

  it('refuses a factor that does not divide the traced size, and a factor that is not a whole number ≥ 1', () => {
    expect(() => rewriteOnnxModel(decoderStepModel(), { resizeScale: 3 })).toThrow(/divisible by 3.*4×4/);
    expect(() => rewriteOnnxModel(decoderStepModel(), { resizeScale: 1.5 })).toThrow(RangeError);
  });
});

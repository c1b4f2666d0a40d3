import { describe, expect, it } from 'vitest';
import { draftInputSide, inputSizeFor } from './inferenceQuality';

describe('inputSizeFor', () => {
  it('runs full quality, and any quality of a static-size graph, at the native size', () => {
    expect(inputSizeFor({ width: 1024, height: 1024 }, true, 'full')).toEqual({ width: 1024, height: 1024 });
    expect(inputSizeFor({ width: 1024, height: 1024 }, false, 'draft')).toEqual({ width: 1024, height: 1024 });
  });
  it('scales a symbolic-size graph down to the draft side for draft, in multiples of 32, never up', () => {
    expect(draftInputSide).toBe(512);
    expect(inputSizeFor({ width: 1024, height: 1024 }, true, 'draft')).toEqual({ width: 512, height: 512 });
    expect(inputSizeFor({ width: 1440, height: 2560 }, true, 'draft')).toEqual({ width: 288, height: 512 });
    expect(inputSizeFor({ width: 320, height: 320 }, true, 'draft')).toEqual({ width: 320, height: 320 });
  });
});

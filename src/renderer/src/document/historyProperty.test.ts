import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createTestDocument, seedMaskEdit, snapshotPlanes } from './testDocument';

const dabArbitrary = fc.record({
  x: fc.double({ min: -40, max: 340, noNaN: true }),
  y: fc.double({ min: -40, max: 240, noNaN: true }),
  sizePx: fc.double({ min: 0.5, max: 160, noNaN: true }),
  hardness: fc.double({ min: 0, max: 1, noNaN: true }),
  opacity: fc.double({ min: 0, max: 1, noNaN: true }),
  mode: fc.constantFrom('add' as const, 'subtract' as const),
});

/** A stroke, and whether it ends with pointer-up or with Escape. */
const strokeArbitrary = fc.record({ dabs: fc.array(dabArbitrary, { minLength: 1, maxLength: 8 }), isCancelled: fc.boolean() });

const isSame = (first: Uint8Array, second: Uint8Array) => first.length === second.length && first.every((value, index) => value === second[index]);

describe('history invariants', () => {
  it('any sequence of strokes followed by undo-all restores the original planes; redo-all restores the final ones', () => {
    fc.assert(
      fc.property(fc.array(strokeArbitrary, { minLength: 1, maxLength: 8 }), fc.integer({ min: 1, max: 1000 }), (strokes, seed) => {
        const { store, history } = createTestDocument(300, 200);
        seedMaskEdit(store, 'image', 0, seed);
        const original = snapshotPlanes(store, 'image', 0);
        for (const { dabs, isCancelled } of strokes) {
          history.beginStroke('image', 0);
          for (const dab of dabs) history.strokeDab(dab);
          if (isCancelled) history.cancelStroke();
          else history.endStroke();
        }
        const final = snapshotPlanes(store, 'image', 0);
        const steps = history.inspect().undo.length;
        expect(steps).toBeLessThanOrEqual(strokes.filter((stroke) => !stroke.isCancelled).length);
        while (history.undo());
        const undone = snapshotPlanes(store, 'image', 0);
        expect(isSame(undone.add, original.add) && isSame(undone.remove, original.remove)).toBe(true);
        for (let step = 0; step < steps; step++) history.redo();
        const redone = snapshotPlanes(store, 'image', 0);
        expect(isSame(redone.add, final.add) && isSame(redone.remove, final.remove)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });
});

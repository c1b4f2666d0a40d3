/**
 * Converts between the renderer's hand-edit form (base64 planes in JSON, `''` for an all-zero plane; the contract's
 * `maskTilesSchema` and `maskEditStorage.ts`) and the binary {@link FrameTiles} the project store writes. The wire
 * form is what crosses the WebSocket transport, so it is checked here: bad base64 or sizes are refused per frame.
 */
import { z } from 'zod';
import { maskTileSizePx } from '../../shared/projectFile';
import { checkFrameTiles, type FrameTiles } from './tileBlobs';

/** One frame's edit as the renderer serialises it. */
export const wireFrameSchema = z.object({
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  tileSizePx: z.literal(maskTileSizePx).optional(),
  tiles: z.array(z.object({ tileX: z.number().int().min(0), tileY: z.number().int().min(0), add: z.string(), remove: z.string(), refineEdge: z.string().optional() })),
});
/** Parsed {@link wireFrameSchema}. */
export type WireFrame = z.output<typeof wireFrameSchema>;

const base64Pattern = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Decodes strict padded base64 (Buffer alone accepts anything, which would hide corruption). */
function decodePlane(text: string): Uint8Array {
  if (!base64Pattern.test(text)) throw new RangeError(`Expected padded base64 for a tile plane but received ${text.length} other characters`);
  return new Uint8Array(Buffer.from(text, 'base64'));
}

const encodePlane = (plane: Uint8Array) => (plane.length === 0 ? '' : Buffer.from(plane.buffer, plane.byteOffset, plane.length).toString('base64'));

/** The renderer's form of one frame → binary tiles; throws `RangeError`/zod errors on bad data. */
export function frameTilesFromWire(itemId: string, frameIndex: number, wire: unknown): FrameTiles {
  const parsed = wireFrameSchema.parse(wire);
  const frame: FrameTiles = {
    itemId,
    frameIndex,
    width: parsed.width,
    height: parsed.height,
    tiles: parsed.tiles.map((tile) => ({ tileX: tile.tileX, tileY: tile.tileY, add: decodePlane(tile.add), remove: decodePlane(tile.remove), refineEdge: decodePlane(tile.refineEdge ?? '') })),
  };
  const problem = checkFrameTiles(frame);
  if (problem) throw new RangeError(`Expected storable hand edits for ${itemId}:${frameIndex} but received ${problem}`);
  return frame;
}

/** Binary tiles → the renderer's form of one frame. */
export function frameTilesToWire(frame: FrameTiles): WireFrame {
  return {
    width: frame.width,
    height: frame.height,
    tileSizePx: maskTileSizePx,
    tiles: frame.tiles.map((tile) => ({
      tileX: tile.tileX,
      tileY: tile.tileY,
      add: encodePlane(tile.add),
      remove: encodePlane(tile.remove),
      // Left out without marks, so the wire form of an edit without them is what it was before the brush.
      ...(tile.refineEdge && tile.refineEdge.length > 0 ? { refineEdge: encodePlane(tile.refineEdge) } : {}),
    })),
  };
}

const legacySchema = z.object({
  frames: z.array(z.object({ itemId: z.string(), frameIndex: z.number().int().min(0) }).loose()),
});

/** Decodes v1 projects' inline edits (the renderer's `SerializedMaskEdits`); a bad frame is skipped with a warning. */
export function framesFromLegacy(data: unknown): { frames: FrameTiles[]; warnings: string[] } {
  const parsed = legacySchema.safeParse(data);
  if (!parsed.success) return { frames: [], warnings: ['The hand edits of this older project were not readable and were skipped.'] };
  const frames: FrameTiles[] = [];
  const warnings: string[] = [];
  for (const frame of parsed.data.frames) {
    try {
      frames.push(frameTilesFromWire(frame.itemId, frame.frameIndex, frame));
    } catch {
      warnings.push(`The hand edits of frame ${frame.frameIndex} of item ${frame.itemId} were not readable and were skipped.`);
    }
  }
  return { frames, warnings };
}

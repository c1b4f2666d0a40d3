/**
 * Hand edits on disk: the project's sidecar folder keeps only the non-empty 128×128 tiles of each edited frame, so
 * a clip with a few touched-up frames costs kilobytes, not full planes. An all-zero plane of a tile is written as an
 * empty string (add-only strokes leave `remove` empty); the Refine Edge marks only where a tile has some, so edits
 * without them read and write exactly as before the brush. Reading is a trust boundary: the data is checked with zod,
 * and a bad frame or tile is skipped with a warning instead of failing the whole project.
 */
import { z } from 'zod';
import { createMaskEdit, type MaskEdit } from '../../../core/matting/maskEdit';
import { decodeBase64, encodeBase64 } from './base64';
import { maskEditKey, parseMaskEditKey } from './documentStore';
import { allTiles, isTileEmpty, readTile, tileRect, tileSizePx, writeTile } from './tiles';

/** Largest side and pixel count accepted from a file, so a corrupt header cannot ask for gigabytes. */
const maximumSidePx = 65_536;
const maximumPixels = 2 ** 28;

const tileSchema = z.object({
  tileX: z.number().int().min(0),
  tileY: z.number().int().min(0),
  add: z.string(),
  remove: z.string(),
  refineEdge: z.string().optional(),
});

const frameSchema = z.object({
  itemId: z.string().min(1),
  frameIndex: z.number().int().min(0),
  width: z.number().int().min(1).max(maximumSidePx),
  height: z.number().int().min(1).max(maximumSidePx),
  tiles: z.array(z.unknown()),
});

const fileSchema = z.object({ version: z.literal(1), tileSizePx: z.literal(tileSizePx), frames: z.array(z.unknown()) });

/** One stored tile; an empty string stands for an all-zero plane. */
export type SerializedMaskTile = z.output<typeof tileSchema>;

/** One edited frame. */
export interface SerializedFrameEdit {
  itemId: string;
  frameIndex: number;
  width: number;
  height: number;
  tiles: SerializedMaskTile[];
}

/** Every hand edit of a project, JSON-ready. */
export interface SerializedMaskEdits {
  version: 1;
  tileSizePx: typeof tileSizePx;
  frames: SerializedFrameEdit[];
}

const encodePlane = (plane: Uint8Array) => (plane.every((value) => value === 0) ? '' : encodeBase64(plane));

/** Writes the non-empty tiles of every non-empty edit, frames ordered by key for stable files. */
export function serializeMaskEdits(maskEdits: Readonly<Record<string, MaskEdit>>): SerializedMaskEdits {
  const frames: SerializedFrameEdit[] = [];
  for (const key of Object.keys(maskEdits).sort()) {
    const edit = maskEdits[key]!;
    const tiles: SerializedMaskTile[] = [];
    for (const { tileX, tileY } of allTiles(edit)) {
      const planes = readTile(edit, tileX, tileY);
      if (isTileEmpty(planes)) continue;
      const refineEdge = encodePlane(planes.refineEdge);
      tiles.push({ tileX, tileY, add: encodePlane(planes.add), remove: encodePlane(planes.remove), ...(refineEdge === '' ? {} : { refineEdge }) });
    }
    if (tiles.length > 0) frames.push({ ...parseMaskEditKey(key), width: edit.width, height: edit.height, tiles });
  }
  return { version: 1, tileSizePx, frames };
}

/** Reads {@link serializeMaskEdits} output; bad frames and tiles are skipped and named in `warnings`. */
export function deserializeMaskEdits(data: unknown): { maskEdits: Record<string, MaskEdit>; warnings: string[] } {
  const maskEdits: Record<string, MaskEdit> = {};
  const warnings: string[] = [];
  const file = fileSchema.safeParse(data);
  if (!file.success) return { maskEdits, warnings: [`Hand edits were not readable and were skipped: ${file.error.message}`] };
  for (const [frameNumber, rawFrame] of file.data.frames.entries()) {
    const frame = frameSchema.safeParse(rawFrame);
    if (!frame.success || frame.data.width * frame.data.height > maximumPixels) {
      warnings.push(`Hand edit ${frameNumber} was not readable and was skipped.`);
      continue;
    }
    const { itemId, frameIndex, width, height } = frame.data;
    const key = maskEditKey(itemId, frameIndex);
    const edit = maskEdits[key] ?? createMaskEdit(width, height);
    if (edit.width !== width || edit.height !== height) {
      warnings.push(`Hand edit ${frameNumber} repeats frame ${frameIndex} of ${itemId} at another size and was skipped.`);
      continue;
    }
    for (const rawTile of frame.data.tiles) {
      const problem = readStoredTile(edit, rawTile);
      if (problem) warnings.push(`A tile of frame ${frameIndex} of ${itemId} was skipped: ${problem}`);
    }
    maskEdits[key] = edit;
  }
  return { maskEdits, warnings };
}

/** Writes one stored tile into `edit`; returns why it could not, or undefined. */
function readStoredTile(edit: MaskEdit, rawTile: unknown): string | undefined {
  const tile = tileSchema.safeParse(rawTile);
  if (!tile.success) return 'not a tile';
  const { tileX, tileY } = tile.data;
  const rect = tileRect(edit, tileX, tileY);
  if (rect.x0 >= edit.width || rect.y0 >= edit.height) return `tile ${tileX},${tileY} lies outside the picture`;
  const bytes = (rect.x1 - rect.x0) * (rect.y1 - rect.y0);
  try {
    const plane = (text: string | undefined) => (text === undefined || text === '' ? new Uint8Array(bytes) : decodeBase64(text));
    const planes = { add: plane(tile.data.add), remove: plane(tile.data.remove), refineEdge: plane(tile.data.refineEdge) };
    if (Object.values(planes).some((decoded) => decoded.length !== bytes)) return `tile ${tileX},${tileY} holds the wrong number of bytes`;
    writeTile(edit, tileX, tileY, planes);
    return undefined;
  } catch {
    return `tile ${tileX},${tileY} is not valid base64`;
  }
}

// Where a catalogue model is downloaded from. A mirror (`MATTE_STUDIO_MODEL_MIRROR`) replaces every publisher's
// address with one folder of `<id>.onnx` files: a studio on a network without internet access downloads from a local
// server, and tests download from a loopback one. The catalogue's checksums still apply, so a mirror can only serve
// the published files (or, for models without a published checksum, whatever it holds).
import { StudioError } from '../../shared/errors';
import type { ModelSpec } from '../../shared/modelTypes';

/**
 * The address to download `spec` from: `<mirror>/<id>.onnx` when a mirror is set, else the catalogue's own; undefined
 * for a model without a download (bundled or custom). Rejects a mirror that is not an http(s) address with
 * `INVALID_INPUT`, naming the variable, rather than failing later with a network error.
 */
export function modelDownloadUrl(spec: ModelSpec, mirror?: string | null): string | undefined {
  if (!spec.download) return undefined;
  if (!mirror) return spec.download.url;
  let base: URL | undefined;
  try {
    // A trailing slash makes the mirror a folder, so `new URL` appends to its path instead of replacing its last part.
    base = new URL(mirror.endsWith('/') ? mirror : `${mirror}/`);
  } catch {
    base = undefined;
  }
  if (!base || (base.protocol !== 'http:' && base.protocol !== 'https:')) {
    throw new StudioError('INVALID_INPUT', `The model mirror “${mirror}” (MATTE_STUDIO_MODEL_MIRROR) is not an http or https address.`, `bad mirror ${mirror}`);
  }
  return new URL(`${encodeURIComponent(spec.id)}.onnx`, base).href;
}

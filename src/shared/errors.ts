/**
 * Typed errors that travel as data: `{ code, message, detail? }`.
 * `message` is a sentence a user understands; `detail` is technical and goes to the log.
 */

/** Every error code the studio can report. A closed union: add new codes here, never ad-hoc strings. */
export const errorCodes = [
  'FILE_NOT_FOUND',
  'FILE_EMPTY',
  'DECODE_FAILED',
  'UNSUPPORTED_FORMAT',
  'IMAGE_TOO_LARGE',
  'MODEL_MISSING',
  'MODEL_INVALID',
  'MODEL_DOWNLOAD_FAILED',
  'CHECKSUM_MISMATCH',
  'EP_UNAVAILABLE',
  'INFERENCE_FAILED',
  'FFMPEG_MISSING',
  'FFMPEG_FAILED',
  'OUTPUT_UNWRITABLE',
  /** The file is there already and the request did not say to replace it (Save As onto another project). */
  'OUTPUT_EXISTS',
  'DISK_FULL',
  'INVALID_INPUT',
  'PROJECT_DAMAGED',
  'PROJECT_TOO_NEW',
  'CANCELLED',
  'DISCONNECTED',
  'INTERNAL',
] as const;

/** One of {@link errorCodes}. */
export type ErrorCode = (typeof errorCodes)[number];

/** The wire form of an error. */
export interface ErrorData {
  code: ErrorCode;
  message: string;
  detail?: string;
}

/** An error with a closed-union code and a plain-language message. */
export class StudioError extends Error {
  readonly code: ErrorCode;
  readonly detail: string | undefined;

  constructor(code: ErrorCode, message: string, detail?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StudioError';
    this.code = code;
    this.detail = detail;
  }

  /** The form that crosses IPC, WebSocket and `--json` output. */
  toData(): ErrorData {
    return this.detail === undefined ? { code: this.code, message: this.message } : { code: this.code, message: this.message, detail: this.detail };
  }
}

/** True when `error` is a {@link StudioError}, optionally with one of the given codes. */
export function isStudioError(error: unknown, ...codes: ErrorCode[]): error is StudioError {
  return error instanceof StudioError && (codes.length === 0 || codes.includes(error.code));
}

/** The error every cancelled operation rejects with. */
export function cancelledError(what = 'The operation'): StudioError {
  return new StudioError('CANCELLED', `${what} was cancelled.`);
}

/** Throws {@link cancelledError} when the signal has fired. Call between units of work. */
export function throwIfCancelled(signal: AbortSignal | undefined, what?: string): void {
  if (signal?.aborted) throw cancelledError(what);
}

/** Converts anything thrown into wire form, keeping StudioError codes and hiding stack traces from users. */
export function toErrorData(error: unknown): ErrorData {
  if (error instanceof StudioError) return error.toData();
  const detail = error instanceof Error ? error.stack ?? error.message : String(error);
  return { code: 'INTERNAL', message: 'Something went wrong inside Matte Studio.', detail };
}

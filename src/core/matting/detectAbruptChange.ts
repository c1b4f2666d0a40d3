/** The per-frame facts {@link detectAbruptChange} compares (see `assessMatte`). */
export interface MatteSummary {
  /** Share of pixels with alpha > 0.5. */
  coverage: number;
  /** Number of significant separate regions. */
  fragments: number;
}

/** Options for {@link detectAbruptChange}. */
export interface DetectAbruptChangeOptions {
  /** Absolute change of foreground share (of the whole frame) that counts as a jump. @default 0.03 */
  maxCoverageJump?: number;
  /** Relative change of the foreground area that counts as a jump. @default 0.15 */
  maxRelativeJump?: number;
  /** New regions appearing from one frame to the next that count as fragmenting. @default 2 */
  maxNewFragments?: number;
}

/**
 * Flags a frame whose matte changed abruptly from the previous one — a jump in foreground area or new fragments —
 * so the studio can list it for review. Talking heads move smoothly; a jump is almost always a model mistake.
 * @returns A plain reason when the change is abrupt, otherwise `undefined`.
 */
export function detectAbruptChange(previous: MatteSummary, current: MatteSummary, options: DetectAbruptChangeOptions = {}): string | undefined {
  const maxCoverageJump = options.maxCoverageJump ?? 0.03;
  const maxRelativeJump = options.maxRelativeJump ?? 0.15;
  const maxNewFragments = options.maxNewFragments ?? 2;
  const jump = Math.abs(current.coverage - previous.coverage);
  const relative = jump / Math.max(previous.coverage, 1e-6);
  if (jump > maxCoverageJump && relative > maxRelativeJump) {
    return `foreground area ${current.coverage > previous.coverage ? 'grew' : 'shrank'} by ${(relative * 100).toFixed(0)}% in one frame`;
  }
  if (current.fragments - previous.fragments >= maxNewFragments) {
    return `${current.fragments - previous.fragments} new separate regions appeared`;
  }
  return undefined;
}

import type { JobProgress } from '../shared/jobs';

/**
 * A one-line progress bar on stderr, redrawn in place on a terminal; silent when stderr is not a terminal
 * (logs and pipes get the per-item lines only).
 */
export class ProgressBar {
  private lastLength = 0;

  constructor(
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly isEnabled = Boolean(process.stderr.isTTY),
  ) {}

  /** Redraws the bar for a progress report. */
  update(progress: JobProgress): void {
    if (!this.isEnabled) return;
    const width = 28;
    const filled = Math.round(Math.min(1, Math.max(0, progress.fraction)) * width);
    const line = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${Math.round(progress.fraction * 100)
      .toString()
      .padStart(3)}% ${progress.stage}${progress.item ? ` ${progress.item}` : ''}`;
    this.stream.write(`\r${line.padEnd(this.lastLength)}`);
    this.lastLength = line.length;
  }

  /** Erases the bar so a normal line can be printed. */
  clear(): void {
    if (!this.isEnabled || this.lastLength === 0) return;
    this.stream.write(`\r${' '.repeat(this.lastLength)}\r`);
    this.lastLength = 0;
  }
}

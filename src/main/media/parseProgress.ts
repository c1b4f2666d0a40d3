/**
 * Parses ffmpeg progress text. Pure: no I/O, so it is tested with literal strings.
 *
 * ffmpeg reports progress two ways and we accept both:
 * - `-progress pipe:2` writes blocks of `key=value` lines, each ending with `progress=continue` or `progress=end`;
 * - the classic stats line on stderr: `frame=  120 fps= 30 q=28.0 size= 256kB time=00:00:04.00 bitrate= ...`.
 */

/** Where an ffmpeg run has got to. */
export interface FfmpegProgress {
  /** Frames output so far; undefined when ffmpeg did not say (audio-only runs). */
  frame: number | undefined;
  /** Output time reached, in seconds; undefined while ffmpeg reports `N/A`. */
  timeSec: number | undefined;
  /** True once ffmpeg wrote `progress=end`. */
  done: boolean;
}

/**
 * Parses one progress block (or a stats line) into {@link FfmpegProgress}.
 * When `text` holds several blocks the last value of each key wins, which is the newest report.
 * Returns undefined when `text` carries no progress at all.
 */
export function parseProgress(text: string): FfmpegProgress | undefined {
  const values = new Map<string, string>();
  for (const rawLine of text.split(/[\r\n]+/)) {
    const line = rawLine.trim();
    if (line === '') continue;
    // A stats line holds several `key= value` pairs with optional spaces after '='; a -progress line holds one.
    for (const match of line.matchAll(/([a-z_]+)=\s*(\S+)/g)) values.set(match[1]!, match[2]!);
  }
  const frame = parseInteger(values.get('frame'));
  const timeSec = parseTime(values);
  const progress = values.get('progress');
  if (frame === undefined && timeSec === undefined && progress === undefined) return undefined;
  return { frame, timeSec, done: progress === 'end' };
}

function parseInteger(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+$/.test(value)) return undefined;
  return Number(value);
}

/** `out_time_us` is the precise key; `out_time_ms` is (despite its name) also microseconds; `time`/`out_time` are clock text. */
function parseTime(values: Map<string, string>): number | undefined {
  for (const key of ['out_time_us', 'out_time_ms']) {
    const value = values.get(key);
    if (value !== undefined && /^-?\d+$/.test(value)) return Math.max(0, Number(value) / 1e6);
  }
  for (const key of ['out_time', 'time']) {
    const value = values.get(key);
    const match = value === undefined ? null : /^(-?)(\d+):(\d{2}):(\d{2}(?:\.\d+)?)$/.exec(value);
    if (match) {
      const seconds = Number(match[2]) * 3600 + Number(match[3]) * 60 + Number(match[4]);
      return match[1] === '-' ? 0 : seconds;
    }
  }
  return undefined;
}

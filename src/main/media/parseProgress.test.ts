import { describe, expect, it } from 'vitest';
import { parseProgress } from './parseProgress';

describe('parseProgress', () => {
  it('reads a -progress block that continues', () => {
    const block = ['frame=48', 'fps=24.00', 'stream_0_0_q=28.0', 'bitrate=N/A', 'total_size=262144', 'out_time_us=2000000', 'out_time_ms=2000000', 'out_time=00:00:02.000000', 'dup_frames=0', 'drop_frames=0', 'speed=1.01x', 'progress=continue', ''].join('\n');
    expect(parseProgress(block)).toEqual({ frame: 48, timeSec: 2, done: false });
  });

  it('marks the final block as done', () => {
    expect(parseProgress('frame=250\nout_time_us=8333333\nprogress=end\n')).toEqual({ frame: 250, timeSec: 8.333333, done: true });
  });

  it('leaves the time undefined while ffmpeg reports N/A', () => {
    expect(parseProgress('frame=0\nout_time_us=N/A\nout_time_ms=N/A\nout_time=N/A\nprogress=continue')).toEqual({ frame: 0, timeSec: undefined, done: false });
  });

  it('clamps the negative times ffmpeg prints before the first packet to 0', () => {
    expect(parseProgress('out_time_us=-23220\nprogress=continue')?.timeSec).toBe(0);
    expect(parseProgress('out_time=-00:00:00.023220\nprogress=continue')?.timeSec).toBe(0);
  });

  it('keeps the newest values when several blocks arrive together', () => {
    expect(parseProgress('frame=10\nout_time_us=400000\nprogress=continue\nframe=20\nout_time_us=800000\nprogress=continue\n')).toEqual({ frame: 20, timeSec: 0.8, done: false });
  });

  it('reads the classic stats line with its padded values', () => {
    const line = 'frame=  120 fps= 30 q=28.0 size=     256kB time=00:01:04.50 bitrate= 524.3kbits/s speed=1.5x    \r';
    expect(parseProgress(line)).toEqual({ frame: 120, timeSec: 64.5, done: false });
  });

  it('handles CRLF line ends', () => {
    expect(parseProgress('frame=3\r\nout_time_us=120000\r\nprogress=end\r\n')).toEqual({ frame: 3, timeSec: 0.12, done: true });
  });

  it('returns undefined for text without progress', () => {
    expect(parseProgress('[mov,mp4 @ 0x55] moov atom not found\n')).toBeUndefined();
    expect(parseProgress('')).toBeUndefined();
  });
});

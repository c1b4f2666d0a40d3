import { describe, expect, it } from 'vitest';
import { runCli } from './index';
import { countFlag, parsePipelineArgs } from './pipelineArgs';

/** Runs the CLI on arguments that never reach the pipeline; returns the exit code and what went to stderr. */
async function usage(argv: string[]): Promise<{ code: number; err: string }> {
  const err: string[] = [];
  const code = await runCli(argv, { out: () => {}, err: (line) => err.push(line) });
  return { code, err: err.join('\n') };
}

describe('the pipeline commands share their flags and their messages', () => {
  const commands = [
    ['cutout', 'a.png'],
    ['video', 'a.mp4'],
    ['batch', 'a.png', '--formats', 'png'],
  ];

  it('a missing --out reads the same from cutout, video and batch (exit 2)', async () => {
    for (const command of commands) {
      const { code, err } = await usage(command);
      expect(code, command[0]).toBe(2);
      expect(err, command[0]).toMatch(/^Say where to write the results with --out <dir>\./m);
    }
  });

  it('an unknown --overwrite policy reads the same from cutout, video and batch (exit 2)', async () => {
    for (const command of commands) {
      const { code, err } = await usage([...command, '--out', 'o', '--overwrite', 'replace']);
      expect(code, command[0]).toBe(2);
      expect(err, command[0]).toMatch(/--overwrite must be one of skip, overwrite, suffix, not "replace"\./);
    }
  });

  it('--frames takes a positive whole number in video and batch alike', async () => {
    for (const command of commands.slice(1)) {
      for (const frames of ['0', '2.5', '1e2', 'all']) {
        const { code, err } = await usage([...command, '--out', 'o', '--frames', frames]);
        expect(code, `${command[0]} --frames ${frames}`).toBe(2);
        expect(err).toContain(`--frames needs a positive whole number, not "${frames}".`);
      }
    }
  });

  it("the request's own checks come back as usage errors (exit 2) with the request's message", async () => {
    const { code, err } = await usage(['batch', 'a.png', '--out', 'o', '--formats', 'png', '--name', '{nope}']);
    expect(code).toBe(2);
    expect(err).toMatch(/^The name template uses \{nope\}, which is not one of \{name\}/m);
  });

  it('--concurrency says its range instead of the schema’s words', async () => {
    for (const concurrency of ['0', '5', 'two']) {
      const { code, err } = await usage(['batch', 'a.png', '--out', 'o', '--formats', 'png', '--concurrency', concurrency]);
      expect(code).toBe(2);
      expect(err).toContain(`--concurrency needs a whole number from 1 to 4, not "${concurrency}".`);
    }
  });
});

describe('parsePipelineArgs', () => {
  it('returns the shared flags and the command’s own, and says what is missing', () => {
    const parsed = parsePipelineArgs(['x', 'y', '-o', 'out', '--overwrite', 'skip', '--json', '--spill', '0.3', '--limit', '2'], { limit: { type: 'string' } }, 'Give a file.');
    expect(parsed).toMatchObject({ positionals: ['x', 'y'], outDir: 'out', overwrite: 'skip', json: true });
    expect(parsed.values.limit).toBe('2');
    expect(parsed.values.spill).toBe('0.3');
    expect(() => parsePipelineArgs(['--out', 'o'], {}, 'Give a file.')).toThrow('Give a file.');
    expect(() => parsePipelineArgs(['x', '--out', 'o', '--limit', '2'], {}, 'Give a file.')).toThrow(/limit/);
  });

  it('takes a negative number as a value (--shift-edge -2 moves the edge inwards), not as a flag', () => {
    const parsed = parsePipelineArgs(['x', '--out', 'o', '--shift-edge', '-2', '--contrast', '-.5', '--json'], {}, 'Give a file.');
    expect(parsed.values['shift-edge']).toBe('-2');
    expect(parsed.values.contrast).toBe('-.5');
    expect(parsed.json).toBe(true);
    // A boolean flag never takes a value, and a word after a dash is still an (unknown) flag.
    expect(() => parsePipelineArgs(['x', '--out', 'o', '--json', '-2'], {}, 'Give a file.')).toThrow();
    expect(() => parsePipelineArgs(['x', '--out', 'o', '--spill', '-x'], {}, 'Give a file.')).toThrow();
  });

  it('--background is checked before any clip is matted: a colour that is not #rrggbb, or a picture that is not there (exit 2)', async () => {
    for (const [background, message] of [
      ['#12345', /--background colours are written #rrggbb \(for example #00b140\), not "#12345"/],
      ['red', /The background could not be used: .*red.* A colour is written #rrggbb\./],
    ] as const) {
      for (const command of ['video', 'batch']) {
        const formats = command === 'video' ? ['--format', 'mp4'] : ['--formats', 'mp4'];
        const { code, err } = await usage([command, '/nowhere/clip.mp4', '--out', '/tmp/never-made', ...formats, '--background', background]);
        expect([code, err]).toEqual([2, expect.stringMatching(message)]);
      }
    }
  });

  it('countFlag leaves an absent flag undefined and reads digits only', () => {
    expect(countFlag('--limit', undefined)).toBeUndefined();
    expect(countFlag('--limit', '12')).toBe(12);
    expect(() => countFlag('--limit', '-3')).toThrow('--limit needs a positive whole number, not "-3".');
    expect(countFlag('--concurrency', '4', 4)).toBe(4);
    expect(() => countFlag('--concurrency', '5', 4)).toThrow('--concurrency needs a whole number from 1 to 4, not "5".');
  });
});

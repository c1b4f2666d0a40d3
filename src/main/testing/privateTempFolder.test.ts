import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { expect, test } from 'vitest';
import { usePrivateTempFolder } from './privateTempFolder';

test('this run’s workers already make their scratch in the run’s private folder (the vitest global setup)', () => {
  expect(basename(tmpdir())).toMatch(/^matte-studio-unit-run-/);
});

test('a run’s scratch goes in a private TMPDIR that is removed, contents and all, and TMPDIR is restored', async () => {
  const outer = tmpdir();
  const previous = process.env.TMPDIR;
  const remove = await usePrivateTempFolder('self-check');
  const folder = tmpdir();
  try {
    expect(folder).not.toBe(outer);
    expect(dirname(folder)).toBe(outer);
    expect(process.env.TMPDIR).toBe(folder);
    mkdirSync(join(folder, 'nested', 'deeper'), { recursive: true });
    writeFileSync(join(folder, 'nested', 'deeper', 'left-behind.bin'), Buffer.alloc(1024));
  } finally {
    await remove();
  }
  expect(existsSync(folder)).toBe(false);
  expect(process.env.TMPDIR).toBe(previous);
  expect(tmpdir()).toBe(outer);
});

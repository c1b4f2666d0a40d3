import { describe, expect, it } from 'vitest';
import { prefetch } from './prefetch';

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function* numbers(count: number, log: string[], delayMs = 0) {
  for (let index = 0; index < count; index++) {
    log.push(`produce ${index}`);
    if (delayMs) await delay(delayMs);
    yield index;
  }
}

describe('prefetch', () => {
  it('keeps order and yields everything', async () => {
    const seen: number[] = [];
    for await (const value of prefetch(numbers(5, []), 2)) seen.push(value);
    expect(seen).toEqual([0, 1, 2, 3, 4]);
  });

  it('runs the source ahead by at most depth items', async () => {
    const log: string[] = [];
    for await (const value of prefetch(numbers(6, log), 2)) {
      log.push(`consume ${value}`);
      await delay(1);
      const produced = log.filter((entry) => entry.startsWith('produce')).length;
      expect(produced - (value + 1)).toBeLessThanOrEqual(2);
    }
    expect(log.indexOf('produce 1')).toBeLessThan(log.indexOf('consume 0'));
  });

  it('passes errors through in order and stops the source on early return', async () => {
    let returned = false;
    async function* failing() {
      try {
        yield 1;
        throw new Error('boom');
      } finally {
        returned = true;
      }
    }
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const value of prefetch(failing(), 2)) seen.push(value);
      })(),
    ).rejects.toThrow('boom');
    expect(seen).toEqual([1]);
    let stopped = false;
    async function* endless() {
      try {
        for (let index = 0; ; index++) yield index;
      } finally {
        stopped = true;
      }
    }
    for await (const value of prefetch(endless(), 3)) if (value === 2) break;
    expect(stopped).toBe(true);
    expect(returned).toBe(true);
  });
});

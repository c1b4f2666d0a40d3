import { getPriority } from 'node:os';
import { describe, expect, it } from 'vitest';
import { startModuleWorker } from './startModuleWorker';
import { spawn } from 'node:child_process';
import { backgroundNiceness, lowerChildPriority } from './threadPriority';

describe.skipIf(process.platform !== 'linux')('lowerThisThreadPriority (Linux)', () => {
  it('lowers the worker thread and the threads it starts, and leaves the host as it was', async () => {
    const hostNice = getPriority(0);
    const worker = startModuleWorker(new URL('./testing/priorityProbe.ts', import.meta.url));
    try {
      const report = await new Promise<{ lowered?: { threadId: number; nice: number }; childNice: number }>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
      const expected = Math.min(19, hostNice + backgroundNiceness);
      expect(report.lowered).toMatchObject({ nice: expected });
      expect(report.lowered!.threadId).not.toBe(process.pid);
      expect(report.childNice).toBe(expected);
      expect(getPriority(0)).toBe(hostNice);
    } finally {
      await worker.terminate();
    }
  });

  it('lowers a child process it starts', async () => {
    const child = spawn('sleep', ['5']);
    try {
      lowerChildPriority(child.pid);
      expect(getPriority(child.pid!)).toBe(Math.min(19, getPriority(0) + backgroundNiceness));
    } finally {
      child.kill();
    }
  });
});

import { describe, expect, it } from 'vitest';
import { createMemoryTransportPair } from '../../shared/rpc/memoryTransport';
import { withTaskbarProgress } from './taskbarProgress';

describe('taskbar progress', () => {
  it('mirrors job progress events and clears the bar at the end, passing every message on', async () => {
    const [engineSide, pageSide] = createMemoryTransportPair();
    const bar: number[] = [];
    const transport = withTaskbarProgress(engineSide, { setProgressBar: (fraction: number) => bar.push(fraction) });
    const received: unknown[] = [];
    pageSide.onMessage((message) => received.push(message));
    transport.send({ kind: 'event', name: 'onJobProgress', payload: { jobId: 'a', stage: 'matting', fraction: 0.25 } });
    transport.send({ kind: 'result', id: 1, output: 3 });
    transport.send({ kind: 'event', name: 'onJobProgress', payload: { jobId: 'a', stage: 'done', fraction: 1 } });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(bar).toEqual([0.25, -1]);
    expect(received).toHaveLength(3);
  });
});

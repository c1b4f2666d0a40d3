import type { Transport } from '../../shared/rpc/transport';

/** What the taskbar needs to know of the job events passing to the page. */
export interface ProgressTarget {
  setProgressBar(fraction: number): void;
}

/**
 * Mirrors job progress on the taskbar (Windows, Linux launchers) and the Dock (macOS): watches the `onJobProgress`
 * events the engine sends to the page and shows the fraction of the latest one, clearing the bar when it ends.
 */
export function withTaskbarProgress(transport: Transport, window: ProgressTarget): Transport {
  return {
    ...transport,
    send(message) {
      if (message.kind === 'event' && message.name === 'onJobProgress') {
        const fraction = Number((message.payload as { fraction?: unknown }).fraction);
        if (Number.isFinite(fraction)) window.setProgressBar(fraction >= 1 ? -1 : Math.max(0, fraction));
      }
      transport.send(message);
    },
  };
}

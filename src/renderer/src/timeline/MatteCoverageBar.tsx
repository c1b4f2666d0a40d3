/**
 * The frames of a clip whose matte is cached, drawn as filled spans over the timeline rail (the background pass's
 * progress): faint where only the draft matte exists, solid where the full-quality one does (what exports reuse).
 */
import { useSyncExternalStore } from 'react';
import type { MattingCoverage } from '../../../shared/contract/studioContract';
import { useServices } from '../app/servicesContext';
import { matteCoverageFor, type MatteCoverageState } from './matteCoverage';

/** The engine's coverage report of an item, or undefined (re-renders when it changes). */
export function useMatteCoverage(itemId: string): MattingCoverage | undefined {
  const { store } = matteCoverageFor(useServices().connection.api);
  return useSyncExternalStore(store.subscribe, () => store.getState().byItem[itemId]);
}

/** Every clip's coverage report by item id (re-renders when any changes): the library's badges and summary. */
export function useMatteCoverages(): MatteCoverageState['byItem'] {
  const { store } = matteCoverageFor(useServices().connection.api);
  return useSyncExternalStore(store.subscribe, () => store.getState().byItem);
}

const spanStyle = { position: 'absolute', top: 13, height: 8, borderRadius: 2, background: 'var(--accent)', opacity: 0.55, pointerEvents: 'none' } as const;
const draftSpanStyle = { ...spanStyle, opacity: 0.22 } as const;

/** The filled spans; nothing before the engine has reported on the clip. */
export function MatteCoverageBar({ itemId, frameCount }: { itemId: string; frameCount: number }) {
  const coverage = useMatteCoverage(itemId);
  if (!coverage) return null;
  const percent = (frames: number) => `${(frames / Math.max(1, frameCount)) * 100}%`;
  return (
    <div
      className="timeline-coverage"
      data-testid="timeline-matte-coverage"
      data-matted-frames={coverage.mattedFrames}
      data-full-frames={coverage.fullFrames}
      data-state={coverage.state}
      title={`${coverage.mattedFrames} of ${coverage.frameCount} frames matted, ${coverage.fullFrames} at full quality`}
      style={{ position: 'absolute', inset: 0, pointerEvents: 'none' }}
    >
      {coverage.ranges.map(([start, end]) => (
        <span key={`d${start}`} className="timeline-coverage-span" data-start={start} data-end={end} style={{ ...draftSpanStyle, left: percent(start), width: percent(end - start) }} />
      ))}
      {coverage.fullRanges.map(([start, end]) => (
        <span key={`f${start}`} className="timeline-coverage-full-span" data-start={start} data-end={end} style={{ ...spanStyle, left: percent(start), width: percent(end - start) }} />
      ))}
    </div>
  );
}

/**
 * The clip timeline: scrubber with markers (frames with hand edits, frames the engine flagged), current frame and
 * timecode, transport buttons. Scrubbing and playback are never undoable.
 */
import { useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { goToFrame, runCommand } from '../app/commands';
import { useDocument, useServices, useUi } from '../app/servicesContext';
import { markersForItem, selectActiveItem } from '../document/documentSelectors';
import { Icon } from '../ui/Icon';
import { summarizeClipPass } from './clipPassSummary';
import { MatteCoverageBar, useMatteCoverage } from './MatteCoverageBar';
import { resumeBackgroundMatting } from './resumeMatting';
import { formatTimecode, frameAtOffset, frameFraction } from './timecode';

/** The timeline; renders nothing for stills. */
export function Timeline() {
  const services = useServices();
  const item = useDocument(selectActiveItem);
  const itemId = item?.id ?? '';
  const frameIndex = useDocument((state) => state.frameIndices[itemId] ?? 0);
  const editMarkers = useDocument(useShallow((state) => markersForItem(state, itemId)));
  const speed = useUi((state) => state.shuttleSpeed);
  const pass = summarizeClipPass(useMatteCoverage(itemId));
  const trackRef = useRef<HTMLDivElement>(null);
  if (!item || item.kind !== 'clip') return null;

  const frameCount = item.frameCount ?? 1;
  const fps = item.fps ?? 25;
  const scrubTo = (clientX: number) => {
    const track = trackRef.current;
    if (!track) return;
    const rect = track.getBoundingClientRect();
    goToFrame(services, frameAtOffset(clientX - rect.left, rect.width, frameCount));
  };
  const at = (frame: number) => `${frameFraction(frame, frameCount) * 100}%`;

  return (
    <section className="timeline" data-testid="timeline" aria-label="Timeline" data-frame-count={frameCount}>
      <div className="transport" role="group" aria-label="Transport">
        <button type="button" className="icon-button" data-testid="timeline-first" title="First frame (Home)" onClick={() => runCommand(services, 'firstFrame')}>
          <Icon name="first" />
        </button>
        <button type="button" className="icon-button" data-testid="timeline-back" title="Previous frame (←)" onClick={() => runCommand(services, 'frameBack')}>
          <Icon name="back" />
        </button>
        <button type="button" className="icon-button" data-testid="timeline-play" aria-pressed={speed !== 0} title="Play / pause (Space); J/K/L shuttle" onClick={() => runCommand(services, 'togglePlay')}>
          <Icon name={speed !== 0 ? 'pause' : 'play'} />
        </button>
        <button type="button" className="icon-button" data-testid="timeline-forward" title="Next frame (→)" onClick={() => runCommand(services, 'frameForward')}>
          <Icon name="forward" />
        </button>
        <button type="button" className="icon-button" data-testid="timeline-last" title="Last frame (End)" onClick={() => runCommand(services, 'lastFrame')}>
          <Icon name="last" />
        </button>
        <span className="shuttle-speed" data-testid="timeline-speed">
          {speed === 0 ? '' : `${speed > 0 ? '' : '−'}${Math.abs(speed)}×`}
        </span>
      </div>
      <div className="timeline-readout">
        <span className="timecode" data-testid="timeline-timecode">
          {formatTimecode(frameIndex, fps)}
        </span>
        <span className="frame-number">
          Frame <span data-testid="timeline-frame">{frameIndex}</span> / {frameCount - 1}
        </span>
      </div>
      <div
        ref={trackRef}
        className="timeline-track"
        data-testid="timeline-track"
        role="slider"
        tabIndex={0}
        aria-label="Current frame"
        aria-valuemin={0}
        aria-valuemax={frameCount - 1}
        aria-valuenow={frameIndex}
        aria-valuetext={`Frame ${frameIndex}, ${formatTimecode(frameIndex, fps)}`}
        onPointerDown={(event) => {
          event.currentTarget.setPointerCapture(event.pointerId);
          scrubTo(event.clientX);
        }}
        onPointerMove={(event) => {
          if (event.currentTarget.hasPointerCapture(event.pointerId)) scrubTo(event.clientX);
        }}
      >
        <div className="timeline-rail" />
        <MatteCoverageBar itemId={item.id} frameCount={frameCount} />
        {item.flaggedFrames.map((frame) => (
          <span key={`flag-${frame}`} className="marker marker-flagged" data-testid="timeline-marker-flagged" data-frame={frame} style={{ left: at(frame) }} title={`Frame ${frame}: flagged by the engine`} />
        ))}
        {editMarkers.map((frame) => (
          <span key={`edit-${frame}`} className="marker marker-edit" data-testid="timeline-marker-edit" data-frame={frame} style={{ left: at(frame) }} title={`Frame ${frame}: hand edits`} />
        ))}
        <span className="playhead" style={{ left: at(frameIndex) }} />
      </div>
      {/* Always present, so the track keeps its width unless a stopped pass offers Resume. */}
      <div className="timeline-pass" data-testid="timeline-pass" data-phase={pass?.phase}>
        {pass?.canResume && (
          <button type="button" className="button" data-testid="timeline-resume-matting" title={pass.text} onClick={() => void resumeBackgroundMatting(services, item.id, item.name)}>
            Resume matting
          </button>
        )}
      </div>
    </section>
  );
}

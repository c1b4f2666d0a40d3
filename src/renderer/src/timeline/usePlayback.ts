/**
 * Plays the active clip at the shuttle speed (J/K/L, Space) by moving the document's frame on animation frames.
 * Frames change only in the store; the canvas shows each frame's cached JPEG, with its matte where the engine has
 * one cached (the background pass), and requests the refined preview when it stops.
 */
import { useEffect } from 'react';
import { useStore } from 'zustand';
import type { StudioServices } from '../app/studioServices';
import { setFrameIndex } from '../document/documentStore';
import { updateUi } from '../ui/uiStore';
import { playbackFrame } from './shuttle';

/** Runs playback while the shuttle speed is not 0. */
export function usePlayback(services: StudioServices): void {
  const speed = useStore(services.ui, (state) => state.shuttleSpeed);
  const activeItemId = useStore(services.store, (state) => state.activeItemId);

  useEffect(() => {
    if (speed === 0) return;
    const { store, ui } = services;
    const item = store.getState().items.find((candidate) => candidate.id === activeItemId);
    if (!item || item.kind !== 'clip' || (item.frameCount ?? 1) <= 1) {
      updateUi(ui, { shuttleSpeed: 0 });
      return;
    }
    const fps = item.fps ?? 25;
    const startFrame = store.getState().frameIndices[item.id] ?? 0;
    const startTime = performance.now();
    let frame = 0;
    const tick = (now: number) => {
      setFrameIndex(store, item.id, playbackFrame(startFrame, (now - startTime) / 1000, fps, speed, item.frameCount ?? 1));
      frame = requestAnimationFrame(tick);
    };
    frame = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(frame);
  }, [services, speed, activeItemId]);
}

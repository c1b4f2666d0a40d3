/** The preview the canvas shows, for components (re-renders only when a new preview arrives or it is cleared). */
import { useSyncExternalStore } from 'react';
import { useServices } from '../app/servicesContext';
import type { PreviewData } from './compositor';

/** The current preview, or null. */
export function usePreview(): PreviewData | null {
  const { compositor } = useServices();
  return useSyncExternalStore(compositor.subscribe, () => compositor.preview);
}

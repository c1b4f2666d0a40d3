/** React access to the shared services and to the stores through selectors. */
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { DocumentState } from '../document/documentStore';
import type { JobState } from '../jobs/jobStore';
import type { UiState } from '../ui/uiStore';
import type { StudioServices } from './studioServices';

/** The services of the connected studio. */
export const ServicesContext = createContext<StudioServices | null>(null);

/** The services; only inside the connected studio. */
export function useServices(): StudioServices {
  const services = useContext(ServicesContext);
  if (!services) throw new Error('useServices needs the connected studio around it');
  return services;
}

/** Reads the document through a selector (re-renders when the selected value changes). */
export function useDocument<T>(selector: (state: DocumentState) => T): T {
  return useStore(useServices().store, selector);
}

/** Reads the session state through a selector. */
export function useUi<T>(selector: (state: UiState) => T): T {
  return useStore(useServices().ui, selector);
}

/** Reads jobs and notices through a selector. */
export function useJobs<T>(selector: (state: JobState) => T): T {
  return useStore(useServices().jobs, selector);
}

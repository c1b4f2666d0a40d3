/** One batch controller per connected studio, and React access to its state. */
import { useStore } from 'zustand';
import { useServices } from '../app/servicesContext';
import type { StudioServices } from '../app/studioServices';
import { createBatchController, createDesktopNotifier, type BatchController, type BatchRunState } from './batchController';

const controllers = new WeakMap<StudioServices, BatchController>();

/** The studio's batch controller (made on first use; it holds no subscriptions between runs). */
export function batchControllerFor(services: StudioServices): BatchController {
  let controller = controllers.get(services);
  if (!controller) {
    controller = createBatchController(services.connection.api, services.jobs, {
      ...createDesktopNotifier(),
      flushHandEdits: async () => void (await Promise.all(services.store.getState().items.map((item) => services.maskSync.flush(item.id)))),
    });
    controllers.set(services, controller);
  }
  return controller;
}

/** Opens the Batch Export dialog (the library's button and any command). */
export function openBatchDialog(services: StudioServices): void {
  batchControllerFor(services).open();
}

/** Reads the batch state through a selector. */
export function useBatchState<T>(selector: (state: BatchRunState) => T): T {
  return useStore(batchControllerFor(useServices()).store, selector);
}

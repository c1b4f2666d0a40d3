/** One models controller per connected studio, and React access to its state. */
import { useStore } from 'zustand';
import { useServices } from '../app/servicesContext';
import type { StudioServices } from '../app/studioServices';
import { pushNotice } from '../jobs/jobStore';
import { updateUi } from '../ui/uiStore';
import { createModelsController, type ModelsController, type ModelsState } from './modelsController';

const controllers = new WeakMap<StudioServices, ModelsController>();

/** The studio's models controller (made on first use; it holds no subscriptions between installs). */
export function modelsControllerFor(services: StudioServices): ModelsController {
  let controller = controllers.get(services);
  if (!controller) {
    controller = createModelsController(services.connection.api, {
      initialModels: services.connection.appInfo.models,
      notify: (tone, text) => pushNotice(services.jobs, tone, text),
      onRemoved: (modelId) => {
        // A removed model can no longer be the picker's choice: fall back to the best installed one.
        if (services.ui.getState().modelId === modelId) updateUi(services.ui, { modelId: null });
      },
    });
    controllers.set(services, controller);
  }
  return controller;
}

/** Opens the Models panel (the Model section's button and any command). */
export function openModelsDialog(services: StudioServices): void {
  modelsControllerFor(services).open();
}

/** Reads the models state through a selector. */
export function useModels<T>(selector: (state: ModelsState) => T): T {
  return useStore(modelsControllerFor(useServices()).store, selector);
}

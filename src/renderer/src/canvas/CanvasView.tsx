/** The centre canvas: hosts the Konva scene and its pointer input; React renders only the frame around it. */
import { useEffect, useRef } from 'react';
import { useDocument, useServices, useUi } from '../app/servicesContext';
import { selectActiveItem } from '../document/documentSelectors';
import { openHint } from '../library/openHint';
import { attachCanvasPointer } from '../tools/canvasPointer';
import { createStageController } from './stageController';

/** The canvas panel. */
export function CanvasView() {
  const services = useServices();
  const containerRef = useRef<HTMLDivElement>(null);
  const activeItem = useDocument(selectActiveItem);
  const isLoading = useUi((state) => state.isPreviewLoading);

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const scene = createStageController(container, services);
    const detachPointer = attachCanvasPointer(container, services, scene);
    services.viewport = scene;
    const observer = new ResizeObserver(() => scene.resize(container.clientWidth, container.clientHeight));
    observer.observe(container);
    return () => {
      observer.disconnect();
      detachPointer();
      if (services.viewport === scene) services.viewport = null;
      scene.dispose();
    };
  }, [services]);

  return (
    <div className="canvas-panel">
      <div ref={containerRef} className="canvas-stage" data-testid="canvas-stage" tabIndex={-1} aria-label="Canvas" />
      {!activeItem && (
        <div className="canvas-empty">
          <p className="canvas-empty-title">No picture open</p>
          <p>{openHint(services.connection.shell)}</p>
        </div>
      )}
      {activeItem && isLoading && <div className="canvas-busy" aria-live="polite">Updating preview…</div>}
      {activeItem?.status === 'failed' && (
        <div className="canvas-error" role="alert">
          {activeItem.errorMessage ?? `Could not cut out “${activeItem.name}”.`}
        </div>
      )}
    </div>
  );
}

/**
 * A visually hidden but readable line stating what the canvas shows (for screen readers and e2e specs):
 * `item: <name> | frame: <index> | tier 1 · isnet-fp16 · cpu | status: done`, plus data attributes.
 * `data-preview-version` counts composite repaints and is written directly, not through React renders.
 */
import { useEffect, useRef } from 'react';
import { useDocument, useServices, useUi } from '../app/servicesContext';
import { selectActiveItem } from '../document/documentSelectors';
import { formatProvenance } from './provenanceText';

/** The status line. */
export function StatusLine() {
  const { compositor } = useServices();
  const ref = useRef<HTMLDivElement>(null);
  const item = useDocument(selectActiveItem);
  const frameIndex = useDocument((state) => (item ? (state.frameIndices[item.id] ?? 0) : 0));
  const viewMode = useDocument((state) => state.view.viewMode);
  const provenance = useUi((state) => (item ? state.provenance[item.id] : undefined));

  useEffect(() => {
    const write = () => {
      const element = ref.current;
      if (!element) return;
      element.dataset.previewVersion = String(compositor.version);
      const preview = compositor.preview;
      element.dataset.previewFrame = preview ? `${preview.itemId}:${preview.frameIndex}` : '';
    };
    write();
    return compositor.subscribe(write);
  }, [compositor]);

  const parts = item
    ? [`item: ${item.name}`, `frame: ${frameIndex}`, provenance ? formatProvenance(provenance) : 'no matte yet', `status: ${item.status}`]
    : ['item: none'];
  return (
    <div
      ref={ref}
      className="visually-hidden"
      data-testid="status-line"
      data-item-id={item?.id ?? ''}
      data-item-name={item?.name ?? ''}
      data-frame-index={frameIndex}
      data-status={item?.status ?? ''}
      data-tier={provenance?.tier ?? ''}
      data-model={provenance?.model ?? ''}
      data-ep={provenance?.ep ?? ''}
      data-view-mode={viewMode}
    >
      {parts.join(' | ')}
    </div>
  );
}

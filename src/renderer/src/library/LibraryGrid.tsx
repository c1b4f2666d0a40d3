/**
 * The virtualised thumbnail grid: only the rows on screen (plus a little overscan) are in the DOM, so thousands of
 * items scroll smoothly. The active item is scrolled into view when it changes.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useStore } from 'zustand';
import { thumbnailPath } from '../../../shared/contract/mediaPaths';
import { useDocument, useServices } from '../app/servicesContext';
import { setActiveItem, setSelection } from '../document/documentStore';
import { summarizeClipPass } from '../timeline/clipPassSummary';
import { useMatteCoverages } from '../timeline/MatteCoverageBar';
import { LibraryCell } from './LibraryCell';
import { gridLayout, scrollTopToReveal, visibleRowRange } from './virtualGrid';

const minimumCellWidth = 96;
const gapPx = 8;
const thumbAspect = 0.75;
const captionHeight = 22;

/** The grid of items. */
export function LibraryGrid() {
  const services = useServices();
  const items = useDocument((state) => state.items);
  const activeItemId = useDocument((state) => state.activeItemId);
  const selection = useDocument((state) => state.selection);
  const thumbnails = useStore(services.ui, (state) => state.thumbnails);
  const coverageByItem = useMatteCoverages();
  const scrollRef = useRef<HTMLDivElement>(null);
  const [viewport, setViewport] = useState({ width: 240, height: 400, scrollTop: 0 });

  useEffect(() => {
    const element = scrollRef.current;
    if (!element) return;
    let frame = 0;
    const measure = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => setViewport({ width: element.clientWidth, height: element.clientHeight, scrollTop: element.scrollTop }));
    };
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    element.addEventListener('scroll', measure, { passive: true });
    measure();
    return () => {
      cancelAnimationFrame(frame);
      observer.disconnect();
      element.removeEventListener('scroll', measure);
    };
  }, []);

  const layout = gridLayout(viewport.width, items.length, minimumCellWidth, gapPx, thumbAspect, captionHeight);
  const { first, last } = visibleRowRange(viewport.scrollTop, viewport.height, layout.rowHeight, layout.rowCount, 2);

  useEffect(() => {
    const element = scrollRef.current;
    const index = items.findIndex((item) => item.id === activeItemId);
    if (!element || index < 0) return;
    const row = Math.floor(index / layout.columns);
    const next = scrollTopToReveal(row, layout.rowHeight, element.scrollTop, element.clientHeight);
    if (next !== element.scrollTop) element.scrollTop = next;
    // Only when the active item changes, not on every layout change or scroll.
  }, [activeItemId]);

  const onSelect = useCallback(
    (itemId: string, event: React.MouseEvent) => {
      const { store } = services;
      if (event.ctrlKey || event.metaKey) {
        const current = store.getState().selection;
        setSelection(store, current.includes(itemId) ? current.filter((id) => id !== itemId) : [...current, itemId]);
      } else {
        setSelection(store, [itemId]);
      }
      setActiveItem(store, itemId);
    },
    [services],
  );

  const selected = new Set(selection);
  const cells = [];
  for (let row = first; row <= last; row++) {
    for (let column = 0; column < layout.columns; column++) {
      const index = row * layout.columns + column;
      const item = items[index];
      if (!item) break;
      const pass = summarizeClipPass(coverageByItem[item.id]);
      cells.push(
        <LibraryCell
          key={item.id}
          item={item}
          thumbnailUrl={services.connection.toMediaUrl(thumbnails[item.id] ?? thumbnailPath(item.id))}
          isActive={item.id === activeItemId}
          isSelected={selected.has(item.id)}
          left={gapPx + column * (layout.cellWidth + gapPx)}
          top={gapPx + row * layout.rowHeight}
          width={layout.cellWidth}
          imageHeight={Math.round(layout.cellWidth * thumbAspect)}
          onSelect={onSelect}
          passPhase={pass?.phase}
          passText={pass?.text}
          passFraction={pass?.fraction}
        />,
      );
    }
  }

  return (
    <div ref={scrollRef} className="library-scroll" data-testid="library-grid" role="list" aria-label="Library">
      <div className="library-canvas" style={{ height: layout.totalHeight }}>
        {cells}
      </div>
    </div>
  );
}

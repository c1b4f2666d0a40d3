/**
 * Layout of the library's virtualised thumbnail grid: how many columns fit, and which rows are on screen. Only
 * those rows (plus a little overscan) are rendered, so thousands of items scroll smoothly.
 */

/** The grid's geometry for a container width. */
export interface GridLayout {
  readonly columns: number;
  readonly cellWidth: number;
  readonly rowHeight: number;
  readonly rowCount: number;
  readonly totalHeight: number;
}

/**
 * Columns of at least `minimumCellWidth` (plus `gapPx` between) across `containerWidth`; cells stretch to fill the
 * row and keep `cellAspect` (height / width) plus `captionHeight` for the name.
 */
export function gridLayout(containerWidth: number, itemCount: number, minimumCellWidth: number, gapPx: number, cellAspect: number, captionHeight: number): GridLayout {
  const width = Math.max(0, containerWidth - gapPx);
  const columns = Math.max(1, Math.floor(width / (minimumCellWidth + gapPx)));
  const cellWidth = Math.max(1, Math.floor(width / columns - gapPx));
  const rowHeight = Math.round(cellWidth * cellAspect + captionHeight + gapPx);
  const rowCount = Math.ceil(itemCount / columns);
  return { columns, cellWidth, rowHeight, rowCount, totalHeight: rowCount * rowHeight + gapPx };
}

/** First and last (inclusive) rows to render for a scroll position, with `overscan` rows either side. */
export function visibleRowRange(scrollTop: number, viewportHeight: number, rowHeight: number, rowCount: number, overscan = 2): { first: number; last: number } {
  if (rowCount === 0 || !(rowHeight > 0)) return { first: 0, last: -1 };
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(rowCount - 1, Math.ceil((scrollTop + Math.max(0, viewportHeight)) / rowHeight) + overscan);
  return { first, last };
}

/** The scroll position that brings `row` fully into view, or the current one when it already is. */
export function scrollTopToReveal(row: number, rowHeight: number, scrollTop: number, viewportHeight: number): number {
  const top = row * rowHeight;
  const bottom = top + rowHeight;
  if (top < scrollTop) return top;
  if (bottom > scrollTop + viewportHeight) return Math.max(0, bottom - viewportHeight);
  return scrollTop;
}

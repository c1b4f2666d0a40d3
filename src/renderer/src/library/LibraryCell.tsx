/** One thumbnail in the library grid, with its status badge. */
import { memo } from 'react';
import type { DocumentItem } from '../document/documentStore';

const statusLabels: Record<DocumentItem['status'], string> = {
  pending: 'Waiting',
  matting: 'Cutting out…',
  done: 'Done',
  failed: 'Failed',
};

/** Props of {@link LibraryCell}. */
export interface LibraryCellProps {
  item: DocumentItem;
  thumbnailUrl: string;
  isActive: boolean;
  isSelected: boolean;
  left: number;
  top: number;
  width: number;
  imageHeight: number;
  onSelect(itemId: string, event: React.MouseEvent): void;
}

/** A library cell; memoised so scrolling re-renders only cells that enter or leave. */
export const LibraryCell = memo(function LibraryCell({ item, thumbnailUrl, isActive, isSelected, left, top, width, imageHeight, onSelect }: LibraryCellProps) {
  const tooltip = item.status === 'failed' ? (item.errorMessage ?? `Could not cut out “${item.name}”.`) : `${item.name} — ${statusLabels[item.status]}`;
  return (
    <button
      type="button"
      className={`library-cell${isActive ? ' is-active' : ''}${isSelected ? ' is-selected' : ''}`}
      style={{ left, top, width }}
      data-testid="library-item"
      data-item-name={item.name}
      data-item-id={item.id}
      data-status={item.status}
      aria-pressed={isActive}
      title={tooltip}
      onClick={(event) => onSelect(item.id, event)}
    >
      <span className="library-thumb" style={{ height: imageHeight }}>
        <img src={thumbnailUrl} alt="" loading="lazy" decoding="async" draggable={false} />
        {item.kind === 'clip' && <span className="library-kind">{item.frameCount ?? ''}f</span>}
        <span className={`status-badge status-${item.status}`} data-testid="library-item-status" aria-label={statusLabels[item.status]} title={tooltip} />
      </span>
      <span className="library-name">{item.name}</span>
    </button>
  );
});

/** One thumbnail in the library grid, with its status badge. */
import { memo } from 'react';
import type { DocumentItem } from '../document/documentStore';
import { withFullStop } from '../jobs/errorSentences';
import type { ClipPassPhase } from '../timeline/clipPassSummary';

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
  /** A clip's background pass (primitives, so the memo holds between progress reports that change nothing here). */
  passPhase?: ClipPassPhase;
  passText?: string;
  /** How far the pass got, 0–1. */
  passFraction?: number;
}

/** A library cell; memoised so scrolling re-renders only cells that enter or leave. */
export const LibraryCell = memo(function LibraryCell({ item, thumbnailUrl, isActive, isSelected, left, top, width, imageHeight, onSelect, passPhase, passText, passFraction }: LibraryCellProps) {
  const itemText = item.status === 'failed' ? (item.errorMessage ?? `Could not cut out “${item.name}”.`) : `${item.name} — ${statusLabels[item.status]}`;
  const tooltip = passText ? `${withFullStop(itemText)} ${passText}` : itemText;
  // A clip whose first frame is matted but whose pass stopped short is not finished: the badge says so.
  const isPartial = item.status === 'done' && (passPhase === 'stopped' || passPhase === 'failed');
  const badgeClass = isPartial ? 'status-partial' : `status-${item.status}`;
  const badgeLabel = isPartial ? 'Partly matted' : statusLabels[item.status];
  return (
    <button
      type="button"
      className={`library-cell${isActive ? ' is-active' : ''}${isSelected ? ' is-selected' : ''}`}
      style={{ left, top, width }}
      data-testid="library-item"
      data-item-name={item.name}
      data-item-id={item.id}
      data-status={item.status}
      data-pass={passPhase}
      aria-pressed={isActive}
      title={tooltip}
      onClick={(event) => onSelect(item.id, event)}
    >
      <span className="library-thumb" style={{ height: imageHeight }}>
        <img src={thumbnailUrl} alt="" loading="lazy" decoding="async" draggable={false} />
        {item.kind === 'clip' && <span className="library-kind">{item.frameCount ?? ''}f</span>}
        <span className={`status-badge ${badgeClass}`} data-testid="library-item-status" aria-label={badgeLabel} title={tooltip} />
        {passPhase !== undefined && passPhase !== 'complete' && (
          <span className={`library-pass library-pass-${passPhase}`} data-testid="library-item-pass" aria-hidden="true">
            <span className="library-pass-fill" style={{ width: `${Math.round((passFraction ?? 0) * 100)}%` }} />
          </span>
        )}
      </span>
      <span className="library-name">{item.name}</span>
    </button>
  );
});

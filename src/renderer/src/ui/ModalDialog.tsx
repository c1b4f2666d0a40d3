/**
 * The frame every studio dialog shares: a backdrop that closes on a click outside, Escape to close, a titled header
 * with a close button, and the dialog role for assistive technology.
 */
import type { ReactNode } from 'react';
import { Icon } from './Icon';

/** Props of {@link ModalDialog}. */
export interface ModalDialogProps {
  title: string;
  /** Accessible name when it differs from the visible title. */
  label?: string;
  /** Extra class on the dialog box (its size and layout). */
  className: string;
  testId: string;
  /** Test id of the close button, where specs click it. */
  closeTestId?: string;
  onClose(): void;
  children: ReactNode;
}

/** A modal dialog box. */
export function ModalDialog({ title, label, className, testId, closeTestId, onClose, children }: ModalDialogProps) {
  return (
    <div className="dialog-backdrop" onMouseDown={(event) => event.target === event.currentTarget && onClose()}>
      <div
        className={`dialog ${className}`}
        role="dialog"
        aria-modal="true"
        aria-label={label ?? title}
        data-testid={testId}
        onKeyDown={(event) => {
          if (event.key === 'Escape') onClose();
        }}
      >
        <header className="dialog-header">
          <h2>{title}</h2>
          <button type="button" className="icon-button" onClick={onClose} aria-label="Close" data-testid={closeTestId}>
            <Icon name="close" />
          </button>
        </header>
        {children}
      </div>
    </div>
  );
}

/**
 * The frame every studio dialog shares: a backdrop that closes on a click outside, a titled header with a close
 * button, and the dialog role for assistive technology. Keyboard: focus moves into the dialog when it opens (its
 * `autoFocus` field if any, else the first control), Tab and Shift+Tab cycle inside it, Escape closes it, and focus
 * returns to where it was (the button that opened it) when it closes.
 */
import { useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
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

const focusableSelector = [
  'a[href]', 'button:not([disabled])', 'input:not([disabled]):not([type="hidden"])', 'select:not([disabled])', 'textarea:not([disabled])',
  '[tabindex]:not([tabindex="-1"])',
].join(',');

/** The controls Tab reaches inside `root`, in document order (hidden ones left out). */
export function focusableWithin(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(focusableSelector)].filter((element) => element.getClientRects().length > 0 || element === document.activeElement);
}

/** Where Tab goes from `index` among `count` controls: wraps at both ends. -1 (focus outside) enters at an end. */
export function nextFocusIndex(index: number, count: number, isBackward: boolean): number {
  if (count === 0) return -1;
  if (index < 0) return isBackward ? count - 1 : 0;
  return (index + (isBackward ? -1 : 1) + count) % count;
}

/** A modal dialog box. */
export function ModalDialog({ title, label, className, testId, closeTestId, onClose, children }: ModalDialogProps) {
  const dialogRef = useRef<HTMLDivElement>(null);
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;
  // Read during the first render, before a child's autoFocus moves focus into the dialog.
  const [opener] = useState(() => (document.activeElement instanceof HTMLElement ? document.activeElement : null));

  useEffect(() => {
    const dialog = dialogRef.current;
    // A child's autoFocus has run already (children mount first); otherwise the first control, else the box.
    if (dialog && !dialog.contains(document.activeElement)) (dialog.querySelector<HTMLElement>('[autofocus]') ?? focusableWithin(dialog).find((element) => !element.classList.contains('dialog-close')) ?? dialog).focus();
    return () => {
      if (opener && opener.isConnected && (document.activeElement === document.body || document.activeElement === null || dialog?.contains(document.activeElement))) opener.focus();
    };
  }, [opener]);

  // A control that becomes disabled under the focus (Export while the batch runs) drops focus to the page: keys then
  // bypass the dialog's own handler, so Escape and Tab are caught on the window and brought back to the dialog.
  useEffect(() => {
    const onStrayKey = (event: globalThis.KeyboardEvent) => {
      const dialog = dialogRef.current;
      if (!dialog || dialog.contains(document.activeElement)) return;
      if (event.key === 'Escape') {
        event.preventDefault();
        onCloseRef.current();
      } else if (event.key === 'Tab') {
        event.preventDefault();
        (focusableWithin(dialog)[0] ?? dialog).focus();
      }
    };
    window.addEventListener('keydown', onStrayKey);
    return () => window.removeEventListener('keydown', onStrayKey);
  }, []);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      onCloseRef.current();
      return;
    }
    if (event.key !== 'Tab' || !dialogRef.current) return;
    const controls = focusableWithin(dialogRef.current);
    const next = nextFocusIndex(controls.indexOf(document.activeElement as HTMLElement), controls.length, event.shiftKey);
    event.preventDefault();
    (controls[next] ?? dialogRef.current).focus();
  };

  return (
    <div className="dialog-backdrop" onMouseDown={(event) => event.target === event.currentTarget && onClose()}>
      <div ref={dialogRef} className={`dialog ${className}`} role="dialog" aria-modal="true" aria-label={label ?? title} data-testid={testId} tabIndex={-1} onKeyDown={onKeyDown}>
        <header className="dialog-header">
          <h2>{title}</h2>
          <button type="button" className="icon-button dialog-close" onClick={onClose} aria-label="Close" title="Close (Esc)" data-testid={closeTestId}>
            <Icon name="close" />
          </button>
        </header>
        {children}
      </div>
    </div>
  );
}

/**
 * A labelled `<input type=range>` with its value shown. `onInput` fires on every tick; `onCommit` on release (the
 * native `change` event: pointer release, each key step, or a programmatic fill) and on pointer-up.
 */
import { useEffect, useId, useRef } from 'react';

/** Props of {@link RangeField}. */
export interface RangeFieldProps {
  testId: string;
  label: string;
  value: number;
  min: number;
  max: number;
  step: number;
  disabled?: boolean;
  /** e.g. `90 px`. */
  format?: (value: number) => string;
  title?: string;
  onGestureStart?: () => void;
  /** The field is about to be used: the pointer entered it, or it got the focus. */
  onPrepare?: () => void;
  onInput: (value: number) => void;
  onCommit?: () => void;
}

/** The range field. */
export function RangeField({ testId, label, value, min, max, step, disabled, format, title, onGestureStart, onPrepare, onInput, onCommit }: RangeFieldProps) {
  const id = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const commitRef = useRef(onCommit);
  commitRef.current = onCommit;

  // React's onChange is the DOM `input` event; the DOM `change` event (the commit) needs a native listener.
  useEffect(() => {
    const input = inputRef.current;
    if (!input) return;
    const commit = () => commitRef.current?.();
    input.addEventListener('change', commit);
    return () => input.removeEventListener('change', commit);
  }, []);

  return (
    <div className="range-field" title={title}>
      <label htmlFor={id} className="range-label">
        <span>{label}</span>
        <output className="range-value" htmlFor={id}>
          {format ? format(value) : String(value)}
        </output>
      </label>
      <input
        ref={inputRef}
        id={id}
        type="range"
        min={min}
        max={max}
        step={step}
        value={value}
        disabled={disabled}
        data-testid={testId}
        onPointerEnter={() => onPrepare?.()}
        onFocus={() => onPrepare?.()}
        onPointerDown={() => onGestureStart?.()}
        onPointerUp={() => onCommit?.()}
        onChange={(event) => onInput(Number(event.target.value))}
      />
    </div>
  );
}

/**
 * Runs `callback` on the next animation frame, or after 100 ms if no frame comes (hidden windows and some headless
 * browsers throttle animation frames; repaints and the status line must still happen). Returns a cancel function.
 */
export function scheduleFrame(callback: () => void): () => void {
  let isDone = false;
  const run = () => {
    if (isDone) return;
    isDone = true;
    cancelAnimationFrame(frame);
    clearTimeout(timer);
    callback();
  };
  const frame = requestAnimationFrame(run);
  const timer = setTimeout(run, 100);
  return () => {
    isDone = true;
    cancelAnimationFrame(frame);
    clearTimeout(timer);
  };
}

/**
 * Keyboard shortcuts: one table from key to command, so the key handler, menus and the help overlay agree.
 * Space is not here: it is held for panning and toggles playback only when released without a drag (see
 * `useKeyboardShortcuts`).
 */

/** Everything a shortcut (or a menu item) can ask the studio to do. */
export const studioCommands = [
  'undo', 'redo', 'open', 'brushSmaller', 'brushLarger', 'swapBrushMode', 'selectBrush', 'selectHand',
  'frameBack', 'frameForward', 'shuttleBack', 'shuttleStop', 'shuttleForward', 'togglePlay', 'firstFrame', 'lastFrame',
  'zoomFit', 'zoomActual', 'zoomIn', 'zoomOut', 'cancel', 'save', 'saveAs', 'openProject',
] as const;
/** One of {@link studioCommands}. */
export type StudioCommand = (typeof studioCommands)[number];

/** The parts of a KeyboardEvent the table reads. */
export interface KeyLike {
  readonly key: string;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly shiftKey: boolean;
  readonly altKey: boolean;
}

/** Plain keys (no Ctrl/Cmd/Alt); letters are matched case-insensitively. */
const plainKeys: Readonly<Record<string, StudioCommand>> = {
  '[': 'brushSmaller',
  ']': 'brushLarger',
  x: 'swapBrushMode',
  b: 'selectBrush',
  h: 'selectHand',
  ArrowLeft: 'frameBack',
  ArrowRight: 'frameForward',
  j: 'shuttleBack',
  k: 'shuttleStop',
  l: 'shuttleForward',
  Home: 'firstFrame',
  End: 'lastFrame',
  Escape: 'cancel',
};

/** Keys with the platform's command modifier (Cmd on macOS, Ctrl elsewhere). */
const commandKeys: Readonly<Record<string, StudioCommand>> = {
  z: 'undo',
  y: 'redo',
  o: 'open',
  '0': 'zoomFit',
  '1': 'zoomActual',
  '=': 'zoomIn',
  '+': 'zoomIn',
  '-': 'zoomOut',
};

/** The command for a key press, or null. `isMac` picks Cmd instead of Ctrl as the command modifier. */
export function commandForKey(event: KeyLike, isMac: boolean): StudioCommand | null {
  const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
  const commandModifier = isMac ? event.metaKey : event.ctrlKey;
  const otherModifier = isMac ? event.ctrlKey : event.metaKey;
  if (event.altKey || otherModifier) return null;
  if (commandModifier) {
    if (key === 'z') return event.shiftKey ? 'redo' : 'undo';
    if (key === 's') return event.shiftKey ? 'saveAs' : 'save';
    return event.shiftKey && key !== '+' ? null : (commandKeys[key] ?? null);
  }
  if (event.shiftKey) return null;
  return plainKeys[key] ?? null;
}

/** Human labels for tooltips, e.g. `Ctrl+Z` / `⌘Z`. */
export function shortcutLabel(command: StudioCommand, isMac: boolean): string | undefined {
  const modifier = isMac ? '⌘' : 'Ctrl+';
  const labels: Partial<Record<StudioCommand, string>> = {
    undo: `${modifier}Z`,
    redo: isMac ? '⇧⌘Z' : 'Ctrl+Shift+Z',
    open: `${modifier}O`,
    save: `${modifier}S`,
    saveAs: isMac ? '⇧⌘S' : 'Ctrl+Shift+S',
    zoomFit: `${modifier}0`,
    zoomActual: `${modifier}1`,
    brushSmaller: '[',
    brushLarger: ']',
    swapBrushMode: 'X',
    selectBrush: 'B',
    selectHand: 'H',
    frameBack: '←',
    frameForward: '→',
    shuttleBack: 'J',
    shuttleStop: 'K',
    shuttleForward: 'L',
    togglePlay: 'Space',
  };
  return labels[command];
}

/** True on macOS, where Cmd is the command modifier. */
export function isMacPlatform(platform: string): boolean {
  return /mac|iphone|ipad/i.test(platform);
}

/** Brush size after `[` or `]`: steps of ~10% (at least 1 px), like Photoshop's bracket keys. */
export function steppedBrushSize(sizePx: number, direction: 1 | -1): number {
  const step = Math.max(1, Math.round(sizePx * 0.1));
  return Math.min(2000, Math.max(1, sizePx + direction * step));
}

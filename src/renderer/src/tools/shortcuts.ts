/**
 * Keyboard shortcuts: ONE table ({@link shortcutTable}) from key to command. The window's key handler
 * (`commandForKey`), the tooltips (`shortcutLabel`) and the `?` shortcut sheet (`shortcutSheet`) are all derived from
 * it, so they cannot disagree. Held keys (Space for the hand and playback, Alt/Option to invert the brush) are in the
 * table too, marked `isHeld`: `useKeyboardShortcuts` handles them as modifiers, not as presses.
 */
import { maxBrushSizePx } from '../document/documentStore';

/** Everything a shortcut (or a menu item) can ask the studio to do. */
export const studioCommands = [
  'undo', 'redo', 'open', 'brushSmaller', 'brushLarger', 'swapBrushMode', 'selectBrush', 'selectRefineEdge', 'selectHand',
  'frameBack', 'frameForward', 'shuttleBack', 'shuttleStop', 'shuttleForward', 'togglePlay', 'firstFrame', 'lastFrame',
  'zoomFit', 'zoomActual', 'zoomIn', 'zoomOut', 'cancel', 'save', 'saveAs', 'openProject',
  'nextViewMode', 'previousViewMode', 'showShortcuts', 'invertBrushWhileHeld',
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

/** Sections of the shortcut sheet, in display order. */
export const shortcutGroups = ['File', 'Edit', 'Brush', 'View', 'Timeline', 'Help'] as const;
/** One of {@link shortcutGroups}. */
export type ShortcutGroup = (typeof shortcutGroups)[number];

/** One key binding. */
export interface ShortcutEntry {
  readonly command: StudioCommand;
  /** `KeyboardEvent.key`; single characters in lower case (matched case-insensitively). */
  readonly key: string;
  /** `command`: Cmd on macOS, Ctrl elsewhere. */
  readonly modifier: 'none' | 'command';
  /** Shift must be down (true), up (false, the default) or either ('any': keys typed with Shift, like `?` or `+`). */
  readonly shift?: boolean | 'any';
  /** A held modifier, not a press (Space, Alt): listed on the sheet, handled by the key handler itself. */
  readonly isHeld?: boolean;
  /** A second key for a command, left off the sheet's and tooltips' label. */
  readonly isAlternative?: boolean;
  readonly group: ShortcutGroup;
  /** What the sheet says the key does. */
  readonly description: string;
}

/** Every shortcut of the studio. The first non-alternative entry of a command is the one labels show. */
export const shortcutTable: readonly ShortcutEntry[] = [
  { command: 'open', key: 'o', modifier: 'command', group: 'File', description: 'Open pictures, clips or a folder' },
  { command: 'save', key: 's', modifier: 'command', group: 'File', description: 'Save the project' },
  { command: 'saveAs', key: 's', modifier: 'command', shift: true, group: 'File', description: 'Save the project under a new name' },
  { command: 'undo', key: 'z', modifier: 'command', group: 'Edit', description: 'Undo' },
  { command: 'redo', key: 'z', modifier: 'command', shift: true, group: 'Edit', description: 'Redo' },
  { command: 'redo', key: 'y', modifier: 'command', isAlternative: true, group: 'Edit', description: 'Redo' },
  { command: 'cancel', key: 'Escape', modifier: 'none', group: 'Edit', description: 'Cancel the stroke in progress, close a dialog, stop playback' },
  { command: 'selectBrush', key: 'b', modifier: 'none', group: 'Brush', description: 'Brush tool' },
  // R as in Photoshop's Select and Mask, where it picks the Refine Edge Brush.
  { command: 'selectRefineEdge', key: 'r', modifier: 'none', group: 'Brush', description: 'Refine Edge brush: mark hair and fur where alpha is re-solved from the picture' },
  { command: 'selectHand', key: 'h', modifier: 'none', group: 'Brush', description: 'Hand tool (pan)' },
  { command: 'swapBrushMode', key: 'x', modifier: 'none', group: 'Brush', description: 'Swap add / subtract (Refine Edge brush: mark / erase)' },
  { command: 'invertBrushWhileHeld', key: 'Alt', modifier: 'none', isHeld: true, group: 'Brush', description: 'Hold: paint with the opposite mode (add ↔ subtract, mark ↔ erase)' },
  { command: 'brushSmaller', key: '[', modifier: 'none', group: 'Brush', description: 'Smaller brush' },
  { command: 'brushLarger', key: ']', modifier: 'none', group: 'Brush', description: 'Larger brush' },
  { command: 'nextViewMode', key: 'f', modifier: 'none', group: 'View', description: 'Next view mode (overlay, black, white, checkerboard…)' },
  { command: 'previousViewMode', key: 'f', modifier: 'none', shift: true, group: 'View', description: 'Previous view mode' },
  { command: 'zoomFit', key: '0', modifier: 'command', group: 'View', description: 'Fit the picture in the window' },
  { command: 'zoomActual', key: '1', modifier: 'command', group: 'View', description: 'Actual size (100%)' },
  { command: 'zoomIn', key: '=', modifier: 'command', group: 'View', description: 'Zoom in' },
  { command: 'zoomIn', key: '+', modifier: 'command', shift: 'any', isAlternative: true, group: 'View', description: 'Zoom in' },
  { command: 'zoomOut', key: '-', modifier: 'command', group: 'View', description: 'Zoom out' },
  { command: 'togglePlay', key: ' ', modifier: 'none', isHeld: true, group: 'Timeline', description: 'Play / pause; hold and drag to pan' },
  { command: 'frameBack', key: 'ArrowLeft', modifier: 'none', group: 'Timeline', description: 'Previous frame' },
  { command: 'frameForward', key: 'ArrowRight', modifier: 'none', group: 'Timeline', description: 'Next frame' },
  { command: 'shuttleBack', key: 'j', modifier: 'none', group: 'Timeline', description: 'Play backwards (again: faster)' },
  { command: 'shuttleStop', key: 'k', modifier: 'none', group: 'Timeline', description: 'Stop' },
  { command: 'shuttleForward', key: 'l', modifier: 'none', group: 'Timeline', description: 'Play forwards (again: faster)' },
  { command: 'firstFrame', key: 'Home', modifier: 'none', group: 'Timeline', description: 'First frame' },
  { command: 'lastFrame', key: 'End', modifier: 'none', group: 'Timeline', description: 'Last frame' },
  { command: 'showShortcuts', key: '?', modifier: 'none', shift: 'any', group: 'Help', description: 'This list of shortcuts' },
];

const normalizedKey = (key: string) => (key.length === 1 ? key.toLowerCase() : key);

function matches(entry: ShortcutEntry, event: KeyLike, isMac: boolean): boolean {
  if (entry.isHeld || normalizedKey(event.key) !== entry.key) return false;
  const commandModifier = isMac ? event.metaKey : event.ctrlKey;
  if (commandModifier !== (entry.modifier === 'command')) return false;
  const shift = entry.shift ?? false;
  return shift === 'any' || shift === event.shiftKey;
}

/** The command for a key press, or null. `isMac` picks Cmd instead of Ctrl as the command modifier. */
export function commandForKey(event: KeyLike, isMac: boolean): StudioCommand | null {
  const otherModifier = isMac ? event.ctrlKey : event.metaKey;
  if (event.altKey || otherModifier) return null;
  return shortcutTable.find((entry) => matches(entry, event, isMac))?.command ?? null;
}

const keyNames: Readonly<Record<string, string>> = {
  ' ': 'Space', ArrowLeft: '←', ArrowRight: '→', Escape: 'Esc', Home: 'Home', End: 'End',
};

/** How one entry's keys read, e.g. `Ctrl+Shift+S` / `⇧⌘S`, `Alt` / `⌥ (hold)`. */
export function entryLabel(entry: ShortcutEntry, isMac: boolean): string {
  const key = entry.key === 'Alt' ? (isMac ? '⌥' : 'Alt') : (keyNames[entry.key] ?? entry.key.toUpperCase());
  const shift = entry.shift === true;
  if (isMac) return `${shift ? '⇧' : ''}${entry.modifier === 'command' ? '⌘' : ''}${key}`;
  return [entry.modifier === 'command' ? 'Ctrl' : '', shift ? 'Shift' : '', key].filter(Boolean).join('+');
}

/** Human labels for tooltips, e.g. `Ctrl+Z` / `⌘Z`; undefined for a command without a key. */
export function shortcutLabel(command: StudioCommand, isMac: boolean): string | undefined {
  const entry = shortcutTable.find((candidate) => candidate.command === command && !candidate.isAlternative);
  return entry ? entryLabel(entry, isMac) : undefined;
}

/** One line of the shortcut sheet. */
export interface ShortcutSheetRow {
  readonly command: StudioCommand;
  /** Every key of the command, e.g. `['Ctrl+Shift+Z', 'Ctrl+Y']`. */
  readonly keys: readonly string[];
  readonly description: string;
  readonly isHeld: boolean;
}

/** The shortcut sheet: the table grouped by section, one row per command with all its keys. */
export function shortcutSheet(isMac: boolean): { group: ShortcutGroup; rows: ShortcutSheetRow[] }[] {
  return shortcutGroups.map((group) => {
    const rows: ShortcutSheetRow[] = [];
    for (const entry of shortcutTable.filter((candidate) => candidate.group === group)) {
      const label = entryLabel(entry, isMac);
      const row = rows.find((existing) => existing.command === entry.command);
      if (row) (row.keys as string[]).push(label);
      else rows.push({ command: entry.command, keys: [label], description: entry.description, isHeld: entry.isHeld ?? false });
    }
    return { group, rows };
  }).filter((section) => section.rows.length > 0);
}

/** True on macOS, where Cmd is the command modifier. */
export function isMacPlatform(platform: string): boolean {
  return /mac|iphone|ipad/i.test(platform);
}

/** Brush size after `[` or `]`: steps of ~10% (at least 1 px), like Photoshop's bracket keys. */
export function steppedBrushSize(sizePx: number, direction: 1 | -1): number {
  const step = Math.max(1, Math.round(sizePx * 0.1));
  return Math.min(maxBrushSizePx, Math.max(1, sizePx + direction * step));
}

/** The view mode after `current` in `modes` (`direction` -1: before), wrapping around. */
export function cycledViewMode<Mode extends string>(modes: readonly Mode[], current: Mode, direction: 1 | -1): Mode {
  const index = Math.max(0, modes.indexOf(current));
  return modes[(index + direction + modes.length) % modes.length]!;
}

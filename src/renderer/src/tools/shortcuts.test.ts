import { describe, expect, it } from 'vitest';
import { maxBrushSizePx } from '../document/documentStore';
import { commandForKey, cycledViewMode, isMacPlatform, shortcutLabel, shortcutSheet, shortcutTable, steppedBrushSize, studioCommands } from './shortcuts';

const key = (value: string, modifiers: Partial<{ ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean }> = {}) => ({
  key: value,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...modifiers,
});

describe('commandForKey', () => {
  it('maps undo and redo on Windows/Linux', () => {
    expect(commandForKey(key('z', { ctrlKey: true }), false)).toBe('undo');
    expect(commandForKey(key('Z', { ctrlKey: true, shiftKey: true }), false)).toBe('redo');
    expect(commandForKey(key('y', { ctrlKey: true }), false)).toBe('redo');
    expect(commandForKey(key('z', { metaKey: true }), false)).toBeNull();
  });
  it('maps undo and redo on macOS', () => {
    expect(commandForKey(key('z', { metaKey: true }), true)).toBe('undo');
    expect(commandForKey(key('z', { metaKey: true, shiftKey: true }), true)).toBe('redo');
    expect(commandForKey(key('z', { ctrlKey: true }), true)).toBeNull();
  });
  it('maps brush and timeline keys', () => {
    expect(commandForKey(key('['), false)).toBe('brushSmaller');
    expect(commandForKey(key(']'), false)).toBe('brushLarger');
    expect(commandForKey(key('X'), false)).toBe('swapBrushMode');
    expect(commandForKey(key('b'), false)).toBe('selectBrush');
    expect(commandForKey(key('r'), false)).toBe('selectRefineEdge');
    expect(commandForKey(key('R'), false)).toBe('selectRefineEdge');
    expect(shortcutLabel('selectRefineEdge', false)).toBe('R');
    expect(commandForKey(key('ArrowLeft'), false)).toBe('frameBack');
    expect(commandForKey(key('ArrowRight'), false)).toBe('frameForward');
    expect(commandForKey(key('j'), false)).toBe('shuttleBack');
    expect(commandForKey(key('k'), false)).toBe('shuttleStop');
    expect(commandForKey(key('l'), false)).toBe('shuttleForward');
    expect(commandForKey(key('Escape'), false)).toBe('cancel');
  });
  it('ignores unknown keys and Alt chords', () => {
    expect(commandForKey(key('q'), false)).toBeNull();
    expect(commandForKey(key('z', { ctrlKey: true, altKey: true }), false)).toBeNull();
    expect(commandForKey(key('b', { shiftKey: true }), false)).toBeNull();
  });
  it('maps zoom chords', () => {
    expect(commandForKey(key('0', { ctrlKey: true }), false)).toBe('zoomFit');
    expect(commandForKey(key('1', { ctrlKey: true }), false)).toBe('zoomActual');
    expect(commandForKey(key('+', { ctrlKey: true, shiftKey: true }), false)).toBe('zoomIn');
  });
});

describe('labels and helpers', () => {
  it('labels per platform', () => {
    expect(shortcutLabel('undo', false)).toBe('Ctrl+Z');
    expect(shortcutLabel('redo', true)).toBe('⇧⌘Z');
  });
  it('detects macOS', () => {
    expect(isMacPlatform('MacIntel')).toBe(true);
    expect(isMacPlatform('Linux x86_64')).toBe(false);
  });
  it('steps brush sizes', () => {
    expect(steppedBrushSize(40, 1)).toBe(44);
    expect(steppedBrushSize(3, -1)).toBe(2);
    expect(steppedBrushSize(1, -1)).toBe(1);
    // Never past the Size slider's end: the label read 2000 px with the slider stuck at its 500 px end.
    expect(steppedBrushSize(maxBrushSizePx - 1, 1)).toBe(maxBrushSizePx);
  });
});

describe('the one shortcut table', () => {
  it('maps F / Shift+F to the view-mode cycle and ? to the sheet', () => {
    expect(commandForKey(key('f'), false)).toBe('nextViewMode');
    expect(commandForKey(key('F', { shiftKey: true }), false)).toBe('previousViewMode');
    expect(commandForKey(key('?', { shiftKey: true }), false)).toBe('showShortcuts');
    expect(commandForKey(key('?'), true)).toBe('showShortcuts');
    expect(commandForKey(key('f', { ctrlKey: true }), false)).toBeNull();
  });
  it('never maps held keys (Space, Alt) as presses', () => {
    expect(commandForKey(key(' '), false)).toBeNull();
    expect(commandForKey(key('Alt', { altKey: true }), false)).toBeNull();
  });
  it('gives every press entry one command: no key is bound twice', () => {
    const signatures = shortcutTable.filter((entry) => !entry.isHeld).map((entry) => `${entry.modifier}|${entry.shift ?? false}|${entry.key}`);
    expect(new Set(signatures).size).toBe(signatures.length);
    for (const entry of shortcutTable) expect(studioCommands).toContain(entry.command);
  });
  it('the handler answers every press entry of the table with its command', () => {
    for (const entry of shortcutTable.filter((candidate) => !candidate.isHeld)) {
      for (const isMac of [false, true]) {
        const event = key(entry.key, { shiftKey: entry.shift === true, ...(entry.modifier === 'command' ? (isMac ? { metaKey: true } : { ctrlKey: true }) : {}) });
        expect(commandForKey(event, isMac)).toBe(entry.command);
      }
    }
  });
  it('builds the sheet from the table: every command once, alternatives on the same row', () => {
    const sheet = shortcutSheet(false);
    const rows = sheet.flatMap((section) => section.rows);
    expect(rows.map((row) => row.command).sort()).toEqual([...new Set(shortcutTable.map((entry) => entry.command))].sort());
    expect(rows.find((row) => row.command === 'redo')!.keys).toEqual(['Ctrl+Shift+Z', 'Ctrl+Y']);
    expect(rows.find((row) => row.command === 'invertBrushWhileHeld')).toMatchObject({ keys: ['Alt'], isHeld: true });
    expect(sheet.map((section) => section.group)).toEqual(['File', 'Edit', 'Brush', 'View', 'Timeline', 'Help']);
    expect(shortcutSheet(true).flatMap((section) => section.rows).find((row) => row.command === 'saveAs')!.keys).toEqual(['⇧⌘S']);
  });
  it('labels tooltips from the same table', () => {
    expect(shortcutLabel('nextViewMode', false)).toBe('F');
    expect(shortcutLabel('previousViewMode', true)).toBe('⇧F');
    expect(shortcutLabel('togglePlay', false)).toBe('Space');
    expect(shortcutLabel('saveAs', false)).toBe('Ctrl+Shift+S');
    expect(shortcutLabel('openProject', false)).toBeUndefined();
  });
  it('cycles view modes both ways, wrapping', () => {
    const modes = ['overlay', 'black', 'split'] as const;
    expect(cycledViewMode(modes, 'overlay', 1)).toBe('black');
    expect(cycledViewMode(modes, 'split', 1)).toBe('overlay');
    expect(cycledViewMode(modes, 'overlay', -1)).toBe('split');
  });
});
